import { parse as parseTolerant, ParseError, printParseErrorCode, visit } from 'jsonc-parser';
import { lineColumn, nestingBeyond, TextProblem } from '../shared/text-input';

export { lineColumn };

/** A JSON syntax problem with its position (1-based line and column). */
export type JsonSyntaxError = TextProblem & {
  /** For a duplicated property: the path of the object holding it (keys and array indexes). */
  path?: (string | number)[];
};

/**
 * How deep a roster may nest. A real roster is 4 levels deep (document, learners, learner,
 * provisioning); the bound keeps the recursive steps after parsing (the duplicate-key walk, the
 * schema validator, serialization) far from the stack's limit on a hostile or broken file.
 */
export const ROSTER_MAX_DEPTH = 64;

const WORDS: Record<string, string> = {
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name in double quotes',
  ValueExpected: 'a value',
  ColonExpected: 'a colon',
  CommaExpected: 'a comma',
  CloseBraceExpected: 'a closing brace }',
  CloseBracketExpected: 'a closing bracket ]',
  EndOfFileExpected: 'the end of the document',
  InvalidCommentToken: 'no comment (JSON has no comments)',
  UnexpectedEndOfComment: 'the end of a comment',
  UnexpectedEndOfString: 'the closing quote of a string (a string cannot span lines)',
  UnexpectedEndOfNumber: 'more digits',
  InvalidUnicode: 'a valid \\u escape',
  InvalidEscapeCharacter: 'a valid escape sequence',
  InvalidCharacter: 'a valid character in a string',
};

function describe(text: string, err: ParseError): string {
  const code = printParseErrorCode(err.error);
  // A trailing comma shows up as "value/property expected" right before a closing bracket.
  if (code === 'PropertyNameExpected' || code === 'ValueExpected') {
    const before = text.slice(0, err.offset).trimEnd();
    const after = text.slice(err.offset).trimStart();
    if (before.endsWith(',') && (after.startsWith('}') || after.startsWith(']'))) {
      return 'trailing comma: JSON allows no comma after the last item of an object or array';
    }
  }
  if (err.offset >= text.length) return `unexpected end of file: expected ${WORDS[code] ?? code}`;
  // Not an expectation but a finding: name the character (a word such as `garbage` or a stray `'`).
  if (code === 'InvalidSymbol')
    return `unexpected character ${JSON.stringify(text.slice(err.offset, err.offset + 1))}: expected a JSON value, string, number, true, false or null`;
  return `expected ${WORDS[code] ?? code}`;
}

/**
 * Parses JSON strictly (as JSON.parse does) but reports a failure with line and column, and
 * rejects what JSON.parse would silently accept while losing data: a property given twice in one
 * object (the first value would vanish).
 */
export function parseJsonText(text: string): { value?: unknown; errors: JsonSyntaxError[] } {
  if (text.charCodeAt(0) === 0xfeff) {
    return {
      errors: [
        {
          message: 'the file starts with a byte-order mark (U+FEFF); save it as UTF-8 without BOM',
          line: 1,
          column: 1,
        },
      ],
    };
  }
  if (text.trim() === '') {
    return { errors: [{ message: 'the file is empty: expected a JSON roster document', line: 1, column: 1 }] };
  }
  const tooDeep = nestingBeyond(text, ROSTER_MAX_DEPTH);
  if (tooDeep)
    return {
      errors: [
        {
          ...tooDeep,
          message: `${tooDeep.message}: a roster has only a few levels (document, learners, learner, provisioning)`,
        },
      ],
    };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const found: ParseError[] = [];
    parseTolerant(text, found, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
    if (found.length > 0) {
      const first = found[0];
      return { errors: [{ message: `malformed JSON: ${describe(text, first)}`, ...lineColumn(text, first.offset) }] };
    }
    return { errors: [{ message: `malformed JSON: ${(err as Error).message}`, line: 1, column: 1 }] };
  }
  const duplicates: JsonSyntaxError[] = [];
  const keysStack: Set<string>[] = [];
  visit(text, {
    onObjectBegin: () => {
      keysStack.push(new Set());
    },
    onObjectEnd: () => {
      keysStack.pop();
    },
    onObjectProperty: (property, offset, _length, _line, _column, pathSupplier) => {
      const keys = keysStack[keysStack.length - 1];
      if (keys.has(property)) {
        duplicates.push({
          message: `property "${property}" appears twice in one object; the first value would be lost`,
          ...lineColumn(text, offset),
          path: pathSupplier(),
        });
      }
      keys.add(property);
    },
  });
  return duplicates.length > 0 ? { errors: duplicates } : { value, errors: [] };
}
