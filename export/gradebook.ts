/**
 * The gradebook export: one file per cohort, each learner's status, k of n, completion time and
 * last activity, keyed by what a gradebook matches students on (student id, email). Three CSV
 * layouts and JSON:
 *  - plain: every field, for any spreadsheet;
 *  - canvas: Canvas's gradebook import layout (Student, ID, SIS User ID, SIS Login ID, Section,
 *    then one assignment column, "Learning room challenges", holding the challenges done);
 *  - moodle: Moodle's CSV grade import (map "ID number" or "Email address" to the user; the
 *    challenges column to a grade item, the status column to its feedback).
 * Withdrawn learners (provisioning state "archived") are left out: they are no longer graded here.
 */
import { learnerKey } from '../roster/handle';
import type { ProgressReport } from '../progress/report';
import type { ProgressStatus, Roster } from '../roster/types';
import { csvDocument } from './csv';

export const GRADEBOOK_FORMATS = ['plain', 'canvas', 'moodle', 'json'] as const;
export type GradebookFormat = (typeof GRADEBOOK_FORMATS)[number];

/** The assignment (grade item) column the Canvas and Moodle layouts create. */
export const ASSIGNMENT_COLUMN = 'Learning room challenges';

export interface GradebookRow {
  student_id?: string;
  email?: string;
  name?: string;
  github_handle: string;
  cohort_id: string;
  path: string;
  status: ProgressStatus;
  challenges_closed: number;
  challenges_total: number;
  /** When the last challenge was done (complete learners only). */
  completed_at?: string;
  last_activity?: string;
  /** A course's learner: assignment id -> that room's status and k of n (absent: no room open). */
  assignments?: Record<string, { status: ProgressStatus; challenges_closed: number; challenges_total: number }>;
}

/**
 * The assignment ids a cohort's gradebook has a column for: a course's assignments in the
 * roster's order (every one, open or not, so the columns stay put over the term); none otherwise.
 */
export function gradebookAssignments(roster: Roster, cohortId: string): string[] {
  return (roster.cohorts.find((c) => c.cohort_id === cohortId)?.assignments ?? []).map((a) => a.id);
}

/** Cohort id -> its learners' rows, in roster order; cohorts in roster order. */
export function gradebookRows(roster: Roster, report: ProgressReport | undefined): Map<string, GradebookRow[]> {
  const records = new Map((report?.learners ?? []).map((r) => [learnerKey(r.github_handle, r.cohort_id), r]));
  const out = new Map<string, GradebookRow[]>(roster.cohorts.map((c) => [c.cohort_id, []]));
  for (const l of roster.learners) {
    if (l.provisioning.state === 'archived') continue;
    const r = records.get(learnerKey(l.github_handle, l.cohort_id));
    const row: GradebookRow = {
      ...(l.student_id !== undefined ? { student_id: l.student_id } : {}),
      ...(l.email !== undefined ? { email: l.email } : {}),
      ...(l.name !== undefined ? { name: l.name } : {}),
      github_handle: l.github_handle,
      cohort_id: l.cohort_id,
      path: l.path,
      status: r?.status ?? l.progress?.status ?? 'unknown',
      challenges_closed: r?.challenges_closed ?? l.progress?.challenges_closed ?? 0,
      challenges_total: r?.challenges_total ?? l.progress?.challenges_total ?? 0,
      ...(r?.status === 'complete' && r.completed_at ? { completed_at: r.completed_at } : {}),
      ...(r?.last_activity ? { last_activity: r.last_activity } : {}),
      ...(r?.assignments
        ? {
            assignments: Object.fromEntries(
              Object.entries(r.assignments).map(([id, a]) => [
                id,
                { status: a.status, challenges_closed: a.challenges_closed, challenges_total: a.challenges_total },
              ]),
            ),
          }
        : {}),
    };
    if (!out.has(l.cohort_id)) out.set(l.cohort_id, []);
    out.get(l.cohort_id)!.push(row);
  }
  return out;
}

const kOfN = (r: { challenges_closed: number; challenges_total: number }) =>
  `${r.challenges_closed} of ${r.challenges_total}`;

/**
 * A course's gradebook: besides the learner's columns, per assignment its status and k of n
 * (plain: `<id> status`, `<id> closed`, `<id> k of n`; Canvas: `<id>` with the challenges done;
 * Moodle: `<id>` and `<id> status`). An assignment with no room of the learner's is left empty.
 */
export function gradebookCsv(
  rows: GradebookRow[],
  format: Exclude<GradebookFormat, 'json'>,
  assignments: readonly string[] = [],
): string {
  const table = baseTable(rows, format);
  if (assignments.length === 0) return csvDocument(table.header, table.rows);
  const head: string[] = [];
  for (const id of assignments) {
    if (format === 'plain') head.push(`${id} status`, `${id} closed`, `${id} k of n`);
    else if (format === 'canvas') head.push(id);
    else head.push(id, `${id} status`);
  }
  const cells = (r: GradebookRow): (string | number | undefined)[] =>
    assignments.flatMap((id) => {
      const a = r.assignments?.[id];
      if (format === 'plain') return a ? [a.status, a.challenges_closed, kOfN(a)] : [undefined, undefined, undefined];
      if (format === 'canvas') return [a?.challenges_closed];
      return a ? [a.challenges_closed, `${a.status} (${kOfN(a)})`] : [undefined, undefined];
    });
  return csvDocument(
    [...table.header, ...head],
    table.rows.map((cellsOf, i) => [...cellsOf, ...cells(rows[i])]),
  );
}

const tableOf = (header: string[], rows: (string | number | undefined)[][]) => ({ header, rows });

function baseTable(
  rows: GradebookRow[],
  format: Exclude<GradebookFormat, 'json'>,
): { header: string[]; rows: (string | number | undefined)[][] } {
  switch (format) {
    case 'plain':
      return tableOf(
        [
          'student_id',
          'email',
          'name',
          'github_handle',
          'cohort',
          'path',
          'status',
          'challenges_closed',
          'challenges_total',
          'k_of_n',
          'completed_at',
          'last_activity',
        ],
        rows.map((r) => [
          r.student_id,
          r.email,
          r.name,
          r.github_handle,
          r.cohort_id,
          r.path,
          r.status,
          r.challenges_closed,
          r.challenges_total,
          kOfN(r),
          r.completed_at,
          r.last_activity,
        ]),
      );
    case 'canvas':
      // ID is Canvas's own user id, which only Canvas knows: left empty, Canvas matches on the SIS columns.
      return tableOf(
        ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', ASSIGNMENT_COLUMN],
        rows.map((r) => [r.name ?? r.github_handle, '', r.student_id, r.email, r.cohort_id, r.challenges_closed]),
      );
    case 'moodle':
      return tableOf(
        [
          'ID number',
          'Email address',
          'Full name',
          'GitHub handle',
          ASSIGNMENT_COLUMN,
          'Learning room status',
          'Completed at',
          'Last activity',
        ],
        rows.map((r) => [
          r.student_id,
          r.email,
          r.name,
          r.github_handle,
          r.challenges_closed,
          `${r.status} (${kOfN(r)})`,
          r.completed_at,
          r.last_activity,
        ]),
      );
  }
}

export function gradebookJson(cohort: string, generatedAt: string | undefined, rows: GradebookRow[]): string {
  return (
    JSON.stringify(
      { format_version: 1, cohort_id: cohort, ...(generatedAt ? { generated_at: generatedAt } : {}), learners: rows },
      null,
      2,
    ) + '\n'
  );
}

/** Learners a gradebook cannot match (neither student_id nor email in the roster), for a warning before import. */
export function unmatchable(rows: GradebookRow[]): string[] {
  return rows.filter((r) => r.student_id === undefined && r.email === undefined).map((r) => r.github_handle);
}
