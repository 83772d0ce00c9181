/**
 * What the rehearsal says at the end, from its records: one row per learner (room, what the
 * applies recorded, the progress status, what the learner did, the requests made for the room)
 * and the README of the output folder. Also the watchdog report's choice of stacks to heal, the
 * rule of watchdog-report.yml's render step. Pure.
 */
import { foldHandle } from '../roster/handle';
import type { Roster } from '../roster/types';
import { describePlays, type LearnerPlay } from './simulation';

/** One stack as the watchdog's report sees it (watchdog-report.yml, "Render the report"). */
export interface StackLook {
  stack: string;
  /** The fingerprint sent it to a plan (or the fingerprint did not succeed: every stack counts as planned). */
  planned: boolean;
  /** The plan's exit code file: 0 no changes, 2 changes, 1 failed; undefined when no plan was made. */
  exitcode?: number;
  /** Expired invitations to re-send: learners' collaborators and course rooms (expired-invitations --count). */
  expired: number;
}

/** The plan's code as the render step reads it: not planned is clean, a missing plan is a failure. */
export function planCode(s: StackLook): number {
  if (!s.planned) return 0;
  return s.exitcode ?? 1;
}

/** The stacks healing applies: those whose plan has changes, and clean ones with expired invitations. */
export function healStacks(stacks: readonly StackLook[]): string[] {
  return stacks.filter((s) => planCode(s) === 2 || (planCode(s) === 0 && s.expired > 0)).map((s) => s.stack);
}

export interface LogOutcome {
  run_id: string;
  cohort: string;
  learner: string;
  outcome: string;
}

/** A learner's room (a course's learner has one per assignment, a team's room counting for each member). */
export interface LearnerRoom {
  handle: string;
  cohort: string;
  stack: string;
  /** owner/name */
  repository: string;
  admitted: boolean;
}

export interface LearnerRow {
  handle: string;
  cohort: string;
  room: string;
  /** Every outcome this rehearsal's applies recorded, in order. */
  outcomes: string[];
  state: string;
  status: string;
  played?: string;
  requests: { apply: number; all: number };
}

type Counts = Record<string, { total: number }>;

export function learnerRows(input: {
  roster: Roster;
  rooms: readonly LearnerRoom[];
  log: readonly LogOutcome[];
  runIds: ReadonlySet<string>;
  plays?: readonly LearnerPlay[];
  /** Whether this rehearsal's Progress ran: if not, the roster's statuses are older than the rehearsal. */
  progressRead: boolean;
  /** The double's requests per repository (lower-case owner/name): during the first apply, and in all. */
  applyRequests: Counts;
  allRequests: Counts;
}): LearnerRow[] {
  const key = (cohort: string, handle: string) => `${cohort}\u0000${foldHandle(handle)}`;
  const rooms = new Map<string, LearnerRoom[]>();
  for (const r of input.rooms) rooms.set(key(r.cohort, r.handle), [...(rooms.get(key(r.cohort, r.handle)) ?? []), r]);
  // A course's learner plays in each of their rooms.
  const plays = new Map<string, LearnerPlay[]>();
  for (const p of input.plays ?? [])
    plays.set(key(p.cohort, p.handle), [...(plays.get(key(p.cohort, p.handle)) ?? []), p]);
  return input.roster.learners.map((l) => {
    const k = key(l.cohort_id, l.github_handle);
    const mine = rooms.get(k) ?? [];
    // The double counts requests per repository (lower-case owner/name); a learner's are their rooms' sum.
    const requests = (counts: Counts) => mine.reduce((n, r) => n + (counts[r.repository.toLowerCase()]?.total ?? 0), 0);
    const progress = l.progress;
    const status = !input.progressRead
      ? 'not read (no Progress ran)'
      : progress
        ? `${progress.status}${progress.challenges_total ? ` (${progress.challenges_closed ?? 0} of ${progress.challenges_total})` : ''}`
        : 'not read';
    const play = plays.get(k);
    return {
      handle: l.github_handle,
      cohort: l.cohort_id,
      room: mine.length > 0 ? mine.map((r) => r.repository.split('/')[1]).join(', ') : '(none)',
      outcomes: input.log
        .filter((e) => input.runIds.has(e.run_id) && key(e.cohort, e.learner) === k)
        .map((e) => e.outcome),
      state: l.provisioning.state,
      status,
      ...(play ? { played: describePlays(play) } : {}),
      requests: { apply: requests(input.applyRequests), all: requests(input.allRequests) },
    };
  });
}

/** The rows as an aligned text table. */
export function learnerTable(rows: readonly LearnerRow[]): string {
  const played = rows.some((r) => r.played !== undefined);
  const header = [
    'learner',
    'cohort',
    'room',
    'recorded',
    'status',
    ...(played ? ['what the learner did'] : []),
    'requests (first apply / all)',
  ];
  const body = rows.map((r) => [
    r.handle,
    r.cohort,
    r.room,
    r.outcomes.length > 0 ? r.outcomes.join(', ') : 'nothing',
    r.status,
    ...(played ? [r.played ?? ''] : []),
    `${r.requests.apply} / ${r.requests.all}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n') + '\n';
}

export interface FolderEntry {
  path: string;
  what: string;
}

export function readme(entries: readonly FolderEntry[], facts: readonly string[]): string {
  const width = Math.max(...entries.map((e) => e.path.length));
  return [
    'learning-rooms rehearse: what is in this folder',
    '',
    ...facts,
    '',
    ...entries.map((e) => `${e.path.padEnd(width)}  ${e.what}`),
    '',
  ].join('\n');
}
