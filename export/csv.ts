/**
 * CSV for spreadsheets and gradebooks: RFC 4180 (fields with a comma, quote or line break in
 * double quotes, quotes doubled, CRLF line ends), UTF-8 with a byte order mark so Excel reads
 * accents right, and every cell that a spreadsheet would take for a formula neutralised.
 */

/** What a spreadsheet reads as the start of a formula (or of a DDE payload): = + - @, tab, CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell starting with a formula character gets a leading apostrophe, shown as text by Excel, LibreOffice and Sheets. */
export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutralise(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const UTF8_BOM = '\uFEFF';

/** The whole file: header, rows, CRLF after every line, led by the byte order mark. */
export function csvDocument(header: string[], rows: (string | number | undefined)[][]): string {
  const lines = [header, ...rows].map((cells) => cells.map(csvCell).join(','));
  return UTF8_BOM + lines.map((l) => `${l}\r\n`).join('');
}
