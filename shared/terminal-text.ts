/**
 * Values from files (a roster, a CSV export) shown in a terminal. A control character in such a
 * value is data, not an instruction: printed raw, ESC (U+001B) or CSI (U+009B) would let a file
 * recolour the terminal, move the cursor, rewrite earlier lines or set the window title. These
 * helpers render every such character visibly, as a `\uXXXX` escape, so a line stays one line.
 */

/**
 * C0 controls (line breaks and tabs too), DEL, C1 controls, and the invisible format characters
 * that reorder or hide text (bidirectional overrides and isolates, zero-width characters, the
 * line and paragraph separators, the byte-order mark).
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern finds
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The text with every control or invisible format character written as `\uXXXX`. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** The value in double quotes, JSON-escaped, with control and format characters made visible. */
export function quoted(value: string): string {
  return escapeControls(JSON.stringify(value));
}

/**
 * A handle or identifier as it is when it is plain printable ASCII without spaces (the common
 * case, shown bare), otherwise quoted, so that spaces and control characters show.
 */
export function quotedIfNeeded(value: string): string {
  return /^[\x21-\x7e]+$/.test(value) ? value : quoted(value);
}
