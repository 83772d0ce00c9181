/**
 * The progress report: `progress.json` (every learner's status with its evidence, plus what the
 * next poll needs to skip unchanged rooms) and a Markdown page for facilitators.
 */
import { PROGRESS_STATUSES, ProgressStatus } from '../roster/types';
import type { Evidence } from './derive';
import type { RoomError } from './reader';

/**
 * 2: records carry `last_activity` and `completed_at`. A report of version 1 reads as no previous report, so the first
 * poll after the upgrade reads every room in full once and every learner gets the field.
 */
export const REPORT_FORMAT_VERSION = 2;

/** What progress knows of one room's signals: a learner's single room, or one of a course's rooms. */
export interface RoomProgress {
  status: ProgressStatus;
  /** When the learner entered this status. */
  since: string;
  /** When the status was last derived from signals read (or confirmed unchanged). */
  updated_at: string;
  challenges_closed: number;
  challenges_total: number;
  /** The learner's last real signal (derive.ts, Derivation.last_activity); absent when none. */
  last_activity?: string;
  /** For a complete learner: when the last challenge was done (Derivation.completed_at). */
  completed_at?: string;
  evidence: Evidence[];
  ignored: Evidence[];
  /** The room's fingerprint at the last successful read: an equal fingerprint means nothing to read. */
  fingerprint?: string;
  /** The learner's access at the last read (collaborator, invitation-pending, invitation-expired, no-invitation, unknown). */
  membership?: string;
  /** This poll could not read the room: the status above is the previous one. */
  error?: RoomError & { at: string };
}

export interface LearnerRecord extends RoomProgress {
  github_handle: string;
  cohort_id: string;
  /** "owner/name" of the learning room. */
  repository: string;
  /**
   * A course's learner (docs/course.md, "Progress of a course"): assignment id -> that room's
   * record, in the roster's assignment order, for every assignment open with a room of theirs. The
   * fields of RoomProgress then roll the rooms up: status, repository, since and k of n of the current
   * assignment (progress/course.ts, currentAssignment), last_activity the latest across the rooms,
   * completed_at once every room is complete, `error` the first room not read; evidence, ignored,
   * fingerprint and membership are each room's own. Absent for a cohort without assignments.
   */
  assignments?: Record<string, AssignmentRecord>;
}

/** One course room's progress, for one learner (a team's members share the room, not the `ack`). */
export interface AssignmentRecord extends RoomProgress {
  /** "owner/name" of the room. */
  room: string;
  /** A group assignment's team. */
  team?: string;
}

export interface StuckLearner {
  github_handle: string;
  cohort_id: string;
  status: ProgressStatus;
  since: string;
  days: number;
}

export interface ProgressReport {
  format_version: typeof REPORT_FORMAT_VERSION;
  generated_at: string;
  owner: string;
  counts: Record<ProgressStatus, number>;
  counts_by_cohort: Record<string, Partial<Record<ProgressStatus, number>>>;
  /** Learners whose room could not be read on this poll. */
  errors: number;
  /** Learners not complete, longest in their status first. */
  stuck: StuckLearner[];
  learners: LearnerRecord[];
}

export function emptyCounts(): Record<ProgressStatus, number> {
  return Object.fromEntries(PROGRESS_STATUSES.map((s) => [s, 0])) as Record<ProgressStatus, number>;
}

const DAY_MS = 86_400_000;

export function stuckLongest(records: LearnerRecord[], now: string, limit: number): StuckLearner[] {
  const t = Date.parse(now);
  return records
    .filter((r) => r.status !== 'complete')
    .map((r) => ({
      github_handle: r.github_handle,
      cohort_id: r.cohort_id,
      status: r.status,
      since: r.since,
      days: Math.max(0, Math.floor((t - Date.parse(r.since)) / DAY_MS)),
    }))
    .sort(
      (a, b) =>
        Date.parse(a.since) - Date.parse(b.since) ||
        a.cohort_id.localeCompare(b.cohort_id) ||
        a.github_handle.localeCompare(b.github_handle),
    )
    .slice(0, limit);
}

export function buildReport(owner: string, records: LearnerRecord[], now: string, stuckLimit = 10): ProgressReport {
  const counts = emptyCounts();
  const byCohort: Record<string, Partial<Record<ProgressStatus, number>>> = {};
  for (const r of records) {
    counts[r.status]++;
    const c = (byCohort[r.cohort_id] ??= {});
    c[r.status] = (c[r.status] ?? 0) + 1;
  }
  return {
    format_version: REPORT_FORMAT_VERSION,
    generated_at: now,
    owner,
    counts,
    counts_by_cohort: byCohort,
    errors: records.filter((r) => r.error).length,
    stuck: stuckLongest(records, now, stuckLimit),
    learners: records,
  };
}

/** Reads a previous report for its fingerprints; anything unreadable counts as no previous report. */
export function parseReport(text: string): ProgressReport | undefined {
  try {
    const value = JSON.parse(text) as Partial<ProgressReport>;
    if (value.format_version !== REPORT_FORMAT_VERSION || !Array.isArray(value.learners)) return undefined;
    return value as ProgressReport;
  } catch {
    return undefined;
  }
}

export function serializeReport(report: ProgressReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The facilitators' page: counts per status, who is stuck longest, and rooms that could not be read. */
export function renderMarkdown(report: ProgressReport): string {
  const lines: string[] = [
    `# Learner progress`,
    '',
    `Generated ${report.generated_at} for ${report.owner}; ${report.learners.length} learners.`,
    '',
  ];
  lines.push('| status | learners |', '|---|---:|');
  for (const s of PROGRESS_STATUSES) lines.push(`| ${s} | ${report.counts[s]} |`);
  const cohorts = Object.keys(report.counts_by_cohort).sort();
  if (cohorts.length > 1) {
    lines.push(
      '',
      '## Per cohort',
      '',
      `| cohort | ${PROGRESS_STATUSES.join(' | ')} |`,
      `|---|${PROGRESS_STATUSES.map(() => '---:').join('|')}|`,
    );
    for (const c of cohorts)
      lines.push(`| ${c} | ${PROGRESS_STATUSES.map((s) => report.counts_by_cohort[c][s] ?? 0).join(' | ')} |`);
  }
  lines.push('', '## Stuck longest', '');
  if (report.stuck.length === 0) lines.push('Nobody: every learner is complete.');
  else {
    lines.push('| learner | cohort | status | since | days |', '|---|---|---|---|---:|');
    for (const s of report.stuck)
      lines.push(`| @${s.github_handle} | ${s.cohort_id} | ${s.status} | ${s.since} | ${s.days} |`);
  }
  const failed = report.learners.filter((l) => l.error);
  if (failed.length > 0) {
    lines.push(
      '',
      '## Rooms not read on this poll (previous status kept)',
      '',
      '| learner | cohort | room | cause | detail |',
      '|---|---|---|---|---|',
    );
    for (const l of failed)
      lines.push(
        `| @${l.github_handle} | ${l.cohort_id} | ${l.repository} | ${l.error!.cause} | ${cell(l.error!.message)} |`,
      );
  }
  return lines.join('\n') + '\n';
}
