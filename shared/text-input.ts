/**
 * Reading text documents (the roster, the provisioning log, plans, learner indexes) strictly:
 * bytes that are not UTF-8 are an error with their position, never silently replaced by U+FFFD;
 * and a JSON document nested deeper than its reader allows is an error with its position, found
 * by a flat scan before any recursive code (JSON.stringify, a schema validator, a tree walk) can
 * overflow the stack on it. Pure, apart from `readUtf8File`.
 */
import { readFileSync } from 'node:fs';

/** 1-based line and column (in UTF-16 units, as editors count) of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A problem with a position in the document. */
export interface TextProblem {
  message: string;
  line: number;
  column: number;
}

const inRange = (b: number | undefined, lo: number, hi: number) => b !== undefined && b >= lo && b <= hi;

/** Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), or 0 when it is not one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b <= 0x7f) return 1;
  const c = (k: number, lo = 0x80, hi = 0xbf) => inRange(bytes[i + k], lo, hi);
  if (b >= 0xc2 && b <= 0xdf) return c(1) ? 2 : 0;
  if (b === 0xe0) return c(1, 0xa0) && c(2) ? 3 : 0;
  if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return c(1) && c(2) ? 3 : 0;
  if (b === 0xed) return c(1, 0x80, 0x9f) && c(2) ? 3 : 0; // no UTF-16 surrogates
  if (b === 0xf0) return c(1, 0x90) && c(2) && c(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return c(1) && c(2) && c(3) ? 4 : 0;
  if (b === 0xf4) return c(1, 0x80, 0x8f) && c(2) && c(3) ? 4 : 0; // nothing beyond U+10FFFF
  return 0;
}

/** Byte offset of the first sequence that is not UTF-8, or undefined when all of it is. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes, i);
    if (n === 0) return i;
    i += n;
  }
  return undefined;
}

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text, or where the bytes stop being UTF-8 (byte offset, line, column, the bytes found). */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { problem: TextProblem & { offset: number } } {
  try {
    return { text: fatal.decode(bytes) };
  } catch {
    // The decoder says only that the bytes are bad; find where, to name it.
  }
  const offset = firstInvalidUtf8(bytes) ?? 0;
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Everything before `offset` is valid, so the line's start decodes: its length is the column.
  const column = fatal.decode(bytes.subarray(lineStart, offset)).length + 1;
  const found = [...bytes.subarray(offset, offset + 4)].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
  return {
    problem: {
      offset,
      line,
      column,
      message: `not valid UTF-8 at byte ${offset.toLocaleString('en-US')}: found the bytes ${found}; save the file as UTF-8`,
    },
  };
}

/** `file:line:column: message`, as compilers and the roster's errors say it. */
export function formatTextProblem(source: string, p: TextProblem): string {
  return `${source}:${p.line}:${p.column}: ${p.message}`;
}

/** Reads a file as strict UTF-8; throws naming the file and the first bad byte. */
export function readUtf8File(path: string): string {
  const decoded = decodeUtf8(readFileSync(path));
  if ('problem' in decoded) throw new Error(formatTextProblem(path, decoded.problem));
  return decoded.text;
}

/**
 * Where a JSON text first nests deeper than `limit` arrays and objects, or undefined. A flat scan
 * (strings and their escapes skipped), so it is safe on any depth.
 */
export function nestingBeyond(text: string, limit: number): TextProblem | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // a backslash escapes the next character
      else if (ch === 0x22) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      depth++;
      if (depth > limit)
        return { message: `nested deeper than ${limit} levels (arrays and objects)`, ...lineColumn(text, i) };
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return undefined;
}
