/**
 * Roster problems as the operator reads them, one line each. Learners and cohorts are counted from
 * 1 in file order, as people count them, and the line is the file's line; the 0-based JSON path
 * stays in `--json` output for tools.
 */
import { escapeControls, quotedIfNeeded } from '../shared/terminal-text';
import { RosterError, RosterNote } from './types';

/** Told once, at the end of a list of problems. */
export const NUMBERING = 'learners are counted from 1, in file order';

/** "learner 3 (carol), line 41, path": who, where, which field. */
function subject(e: Pick<RosterError, 'path' | 'learner' | 'line'>): string {
  const parts: string[] = [];
  let field = e.path;
  const learner = /^learners\[(\d+)\]\.?(.*)$/s.exec(e.path);
  const cohort = /^cohorts\[(\d+)\]\.?(.*)$/s.exec(e.path);
  if (learner) {
    field = learner[2];
    const handle = e.learner?.handle;
    // A handle error shows the handle as found: naming the learner by it too would say it twice.
    const named = handle !== undefined && !field.startsWith('github_handle');
    parts.push(`learner ${Number(learner[1]) + 1}${named ? ` (${quotedIfNeeded(handle)})` : ''}`);
  } else if (cohort) {
    field = cohort[2];
    parts.push(`cohort ${Number(cohort[1]) + 1}`);
  }
  if (e.line !== undefined) parts.push(`line ${e.line}`);
  if (field !== '') parts.push(field);
  return parts.join(', ');
}

/** A problem of the text itself (not JSON, not UTF-8): its position is where reading stopped. */
const isTextProblem = (e: RosterError) => e.path === '(document)' && e.line !== undefined;

/**
 * One line per error: the learner (counted from 1, with the handle), the line in the file, the
 * field, what was expected, what was found and, when the tool can tell, what to write instead.
 * Values from the file (a key, a handle, a cohort id) may hold control characters: they are shown
 * escaped, so the line stays one readable line and a terminal never acts on them.
 */
export function formatRosterError(e: RosterError, source?: string): string {
  if (isTextProblem(e)) return escapeControls(`${source ?? 'roster'}:${e.line}:${e.column}: ${e.expected}`);
  const hint = e.hint !== undefined ? `; ${e.hint}` : '';
  return escapeControls(`${source ? `${source}: ` : ''}${subject(e)}: expected ${e.expected}; found ${e.found}${hint}`);
}

/** A note (allowed, but probably a typo), marked as a note so it is not counted as a problem. */
export function formatRosterNote(n: RosterNote, source?: string): string {
  return escapeControls(`${source ? `${source}: ` : ''}note: ${subject(n)}: ${n.note}`);
}

/** The part of a hint that is the same for every learner with the mistake ("drop the @"). */
function mistakeOf(e: RosterError): string | undefined {
  if (e.hint === undefined) return undefined;
  const field = e.path.replace(/^learners\[\d+\]\.?/, '');
  return `${field}\u0000${e.hint.split(/: |; /)[0]}`;
}

/**
 * The closing line: how many problems, the mistake most of them share (a pasted list often
 * carries the same one on every line: fixed at once with find and replace) and how learners are
 * counted.
 */
/** The closing line; `others` counts problems found beyond the roster's own rules (synthesis checks). */
export function summarizeRosterErrors(errors: RosterError[], others = 0): string {
  const total = errors.length + others;
  const count = `${total} problem${total === 1 ? '' : 's'}`;
  const groups = new Map<string, number>();
  for (const e of errors) {
    const m = mistakeOf(e);
    if (m !== undefined) groups.set(m, (groups.get(m) ?? 0) + 1);
  }
  const [top] = [...groups].sort((a, b) => b[1] - a[1]);
  const alike = top !== undefined && top[1] >= 3 ? ` (${top[1]} alike, ${top[0].replace('\u0000', ': ')})` : '';
  const numbered = errors.some((e) => e.learner !== undefined) ? `; ${NUMBERING}` : '';
  return escapeControls(`${count}${alike}${numbered}`);
}
