import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../shared/atomic-write';
import { decodeUtf8 } from '../shared/text-input';
import { parseJsonText, sourceLocator } from './json-text';
import { rosterNotes } from './notes';
import { serializeRoster } from './serialize';
import { formatRosterError } from './format';
import { Roster, RosterError, RosterNote } from './types';
import { validateRoster } from './validate';

export interface RosterResult {
  roster?: Roster;
  errors: RosterError[];
  /** What is allowed but probably a typo (see notes.ts); absent when the text is not JSON. */
  notes?: RosterNote[];
}

/**
 * Text to roster: syntax errors with line and column, or every validation error at once, each
 * with the line it is on; and notes on what is probably a typo.
 */
export function parseRoster(text: string): RosterResult {
  const { value, errors } = parseJsonText(text);
  if (errors.length > 0) {
    return {
      errors: errors.map((e) => ({
        path: '(document)',
        expected: e.message,
        found: 'invalid JSON',
        line: e.line,
        column: e.column,
      })),
    };
  }
  const locate = sourceLocator(text);
  const problems = validateRoster(value, locate);
  const notes = rosterNotes(value, locate);
  return problems.length > 0 ? { errors: problems, notes } : { roster: value as Roster, errors: [], notes };
}

export function readRosterFile(path: string): RosterResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      errors: [
        {
          path: '(document)',
          expected: 'a readable roster file',
          found: code === 'ENOENT' ? `no file at ${path}` : String((err as Error).message),
        },
      ],
    };
  }
  // Strict: a byte that is not UTF-8 would otherwise become U+FFFD and be written back that way.
  const decoded = decodeUtf8(bytes);
  if ('problem' in decoded) {
    const p = decoded.problem;
    return {
      errors: [{ path: '(document)', expected: p.message, found: 'invalid UTF-8', line: p.line, column: p.column }],
    };
  }
  return parseRoster(decoded.text);
}

export class InvalidRosterError extends Error {
  constructor(
    readonly errors: RosterError[],
    source?: string,
  ) {
    super(`the roster is invalid:\n${errors.map((e) => formatRosterError(e, source)).join('\n')}`);
    this.name = 'InvalidRosterError';
  }
}

/** Reads a roster or throws with every problem listed. */
export function loadRoster(path: string): Roster {
  const { roster, errors } = readRosterFile(path);
  if (!roster) throw new InvalidRosterError(errors, path);
  return roster;
}

/** Validates, then replaces the file atomically; an invalid roster is never written. */
export function writeRosterFile(path: string, roster: Roster): void {
  const errors = validateRoster(roster);
  if (errors.length > 0) throw new InvalidRosterError(errors, path);
  writeFileAtomic(path, serializeRoster(roster));
}
