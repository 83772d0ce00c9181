import {
  findNodeAtLocation,
  Node,
  parse as parseTolerant,
  ParseError,
  parseTree,
  printParseErrorCode,
  visit,
} from 'jsonc-parser';
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

/** A place in a JSON document: keys and array indexes from the root. */
export type Segments = (string | number)[];

/** Where a place of the document is written (1-based line and column), or undefined. */
export type Locator = (at: Segments) => { line: number; column: number } | undefined;

/**
 * Finds places in `text`: a field by its key, an array item by its value, and a place that does
 * not exist (a missing field) by the nearest enclosing value. The tree is built on the first call
 * only, so a valid roster costs nothing; line starts are indexed once, since a roster with an
 * error in every learner asks for thousands of positions.
 */
export function sourceLocator(text: string): Locator {
  let root: Node | undefined;
  let lineStarts: number[] | undefined;
  const position = (offset: number) => {
    lineStarts ??= [0, ...[...text.matchAll(/\n/g)].map((m) => (m.index ?? 0) + 1)];
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  return (at) => {
    root ??= parseTree(text);
    if (!root) return undefined;
    for (let n = at.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, at.slice(0, n));
      if (node) return position(node.parent?.type === 'property' ? node.parent.offset : node.offset);
    }
    return undefined;
  };
}
