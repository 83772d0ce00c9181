/**
 * The starter-code line of a unit (a cohort, or an assignment): how far its template moved since
 * the recorded commit and how many rooms `propose-update` would offer the change to. Printed by
 * `propose-update --count` and `--dry-run`, written to the run summaries, and read by the plan
 * comment (`plan-comment --starter-code`) as an optional section. The document's type, its reader
 * and the sentence. Pure.
 */

export type StatusState = 'changed' | 'unchanged' | 'unrecorded' | 'unreadable' | 'not-read';

export interface StarterCodeStatus {
  cohort_id: string;
  assignment_id?: string;
  template: string;
  state: StatusState;
  /** The recorded template_ref. */
  from?: string;
  /** The template's head. */
  to?: string;
  /** Files a pull request would carry (changed, not refused, not required files). */
  files: number;
  /** Changed files no pull request can carry (links, submodules, too large), and required files. */
  refused: number;
  /** Rooms that would be offered the change (the roster's existing rooms of the unit). */
  rooms: number;
  /** Why the template could not be read (unreadable). */
  detail?: string;
}

export interface StarterCodeDocument {
  format_version: 1;
  units: StarterCodeStatus[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const short = (sha: string | undefined) => (sha ?? '').slice(0, 7);

function unitName(s: StarterCodeStatus): string {
  return s.assignment_id ? `assignment ${s.assignment_id} of cohort ${s.cohort_id}` : `cohort ${s.cohort_id}`;
}

/** "Starter code: 3 files changed in owner/tmpl since 0123abc; `propose-update` would open a pull request in 38 rooms." */
export function statusSentence(s: StarterCodeStatus, quote: (text: string) => string = (t) => t): string {
  const where = `${quote(s.template)} (${unitName(s)})`;
  switch (s.state) {
    case 'unrecorded':
      return `Starter code of ${where}: no template commit recorded; run ${quote('learning-rooms propose-update --record-current')} once the rooms exist.`;
    case 'unreadable':
      return `Starter code of ${where}: could not be read (${s.detail ?? 'unknown error'}).`;
    case 'not-read':
      return `Starter code of ${where}: not read, the run stopped before it; the next run continues.`;
    case 'unchanged':
      return `Starter code of ${where}: ${s.files === 0 && s.from === s.to ? 'unchanged' : 'nothing a pull request can carry has changed'} since ${quote(short(s.from))}.`;
    case 'changed': {
      const refused = s.refused > 0 ? ` (${plural(s.refused, 'more file')} left out: see the run)` : '';
      const rooms =
        s.rooms === 0
          ? 'no room exists yet to offer it to'
          : `${quote('propose-update')} would open a pull request in ${plural(s.rooms, 'room')} (a room that already has it is skipped)`;
      return `Starter code: ${plural(s.files, 'file')} changed in ${where} since ${quote(short(s.from))}${refused}; ${rooms}.`;
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATES: readonly StatusState[] = ['changed', 'unchanged', 'unrecorded', 'unreadable', 'not-read'];

/** Reads `propose-update --count --out FILE` (or the `starter_code` of a proposal result), every problem at once. */
export function parseStarterCodeDocument(text: string, source: string): StarterCodeDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not JSON (${(err as Error).message}); expected propose-update --count --out output`, {
      cause: err,
    });
  }
  const problems: string[] = [];
  const list = isObject(raw) ? (raw.units ?? raw.starter_code) : undefined;
  if (!isObject(raw) || !Array.isArray(list)) throw new Error(`${source}: expected an object with "units" (a list)`);
  list.forEach((u: unknown, i: number) => {
    const at = `units[${i}]`;
    if (!isObject(u)) return void problems.push(`${at}: expected an object`);
    for (const k of ['cohort_id', 'template'])
      if (typeof u[k] !== 'string') problems.push(`${at}.${k}: expected a string`);
    if (!STATES.includes(u.state as StatusState)) problems.push(`${at}.state: expected one of ${STATES.join(', ')}`);
    for (const k of ['files', 'refused', 'rooms'])
      if (!Number.isInteger(u[k]) || (u[k] as number) < 0) problems.push(`${at}.${k}: expected a whole number`);
  });
  if (problems.length > 0)
    throw new Error(`${source}: not a starter-code document:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return { format_version: 1, units: list as StarterCodeStatus[] };
}
