/**
 * RFC 4180 CSV, as spreadsheet tools and GitHub Classroom write it: comma-separated, fields in
 * double quotes may hold commas, quotes (doubled) and line breaks; lines end in CRLF, LF or CR; a
 * UTF-8 byte order mark may lead. Hand-written rather than `csv-parse` because that package's
 * synchronous entry is reachable only through package "exports", which this project's TypeScript
 * resolution (node10, CommonJS) cannot type, and the state machine below is small and fully tested.
 */

import { quoted } from '../shared/terminal-text';

export interface CsvRecord {
  /** 1-based physical line on which the record starts (a quoted line break spans lines). */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvResult {
  records: CsvRecord[];
  problems: CsvProblem[];
}

/** Splits CSV text into records. Problems (an unterminated quote, text after a closing quote) are reported, never thrown. */
export function parseCsv(text: string): CsvResult {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quoteLine = 0;
  let afterQuote = false; // just closed a quoted field: only a comma or a line end may follow
  let i = 0;

  const endField = () => {
    fields.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    records.push({ line: recordLine, fields });
    fields = [];
  };

  while (i < src.length) {
    const c = src[i];
    if (inQuotes) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        afterQuote = true;
        i++;
        continue;
      }
      if (c === '\r' || c === '\n') {
        // A line break inside quotes is data; normalise CRLF to LF so content does not depend on the exporter.
        field += '\n';
        i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
        line++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === ',') {
      endField();
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (c === '"' && field === '' && !afterQuote) {
      inQuotes = true;
      quoteLine = line;
      i++;
      continue;
    }
    if (afterQuote) {
      problems.push({ line, message: `expected a comma or a line end after a closing quote, found ${quoted(c)}` });
      afterQuote = false;
    }
    // A stray quote inside an unquoted field is kept as text (what spreadsheets do).
    field += c;
    i++;
  }
  if (inQuotes) problems.push({ line: quoteLine, message: 'a quoted field is never closed (missing ")' });
  // The last record needs no line end; a file ending in a line break has no empty trailing record.
  if (field !== '' || fields.length > 0 || afterQuote || inQuotes) endRecord();
  return { records, problems };
}
