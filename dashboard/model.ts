/**
 * The facilitator's view as data: who needs the operator (needs action), who needs help (no real
 * activity for some days), everyone by cohort and path, and completion over time. Pure: the same
 * records give the same dashboard, and every time is measured up to the progress report's time
 * (`asOf`), never the clock, so a page rendered twice from unchanged records is the same page.
 */
import { ARCHIVED_ROOM_DETAIL } from '../progress/derive';
import { countStatuses, emptyHistory, ProgressHistory, recordDay, StatusCounts } from '../progress/history';
import { hasRoom } from '../progress/poll';
import type { LearnerRecord, ProgressReport } from '../progress/report';
import type { LogEntry } from '../provisioning/log';
import { learnerKey, compareHandles } from '../roster/handle';
import { redactRoster } from '../roster/redact';
import { Learner, PROGRESS_STATUSES, ProgressStatus, Roster } from '../roster/types';
import {
  DAY_MS as COURSE_DAY_MS,
  isCourse,
  UPCOMING_CUTOFF_DAYS,
  UpcomingCutoff,
  upcomingCutoffs,
} from '../roster/course';
import type { WatchdogSnapshot } from '../gitops/watchdog-findings';
import type { LearnerIndex, LearnerIndexEntry } from '../contracts/learner-index';
import { runOfStackRunId } from '../contracts/stack-names';

export const DEFAULT_IDLE_DAYS = 3;
const DAY_MS = 86_400_000;

export interface DashboardSources {
  roster: Roster;
  report: ProgressReport;
  /** provisioning-log.json entries: when rooms were made, how many one apply makes. */
  log?: LogEntry[];
  /** Learner indexes from synthesis: who the current plan admits and why others wait. */
  indexes?: LearnerIndex[];
  watchdog?: WatchdogSnapshot;
  history?: ProgressHistory;
  /** Learners without real activity for this many days need help (default 3). */
  idleDays?: number;
}

/** The operator's to-do kinds, in the order the page lists them. */
export const ACTION_KINDS = [
  'invitation-expired',
  'apply-failed',
  'queued',
  'room-missing',
  'room-archived',
  'not-read',
  'drift',
  'plan-failed',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface ActionItem {
  kind: ActionKind;
  cohort: string;
  /** Absent for a cohort-wide item (a failed plan). */
  handle?: string;
  /** "owner/name". */
  repository?: string;
  /** What happened, plain text from the records (escaped by the renderer). */
  detail: string;
  /** For a queued learner: when the room is expected. */
  expected?: string;
  /** When it started or was last seen (ISO 8601). */
  when?: string;
  /** The apply run that failed. */
  run?: string;
}

export interface LearnerRow {
  handle: string;
  name?: string;
  cohort: string;
  path: string;
  status: ProgressStatus;
  closed: number;
  total: number;
  /** The learner's last real signal (ISO 8601). */
  lastActivity?: string;
  /** Whole days without activity up to asOf, from the last signal, else from the room's creation. */
  idleDays?: number;
  repository?: string;
  /** The provisioning outcome in words ("created", "failed (rate-limit)", "queued", "withdrawn"). */
  provisioning: string;
  withdrawn: boolean;
  /** Set when the learner is listed under needs action or needs help. */
  attention?: 'action' | 'help';
  /**
   * A course's learner: each open assignment's room, in the roster's order (the row's status, k of
   * n and room are the current assignment's, its last activity the latest across the rooms).
   */
  assignments?: AssignmentCell[];
}

/** One assignment of a course learner's row. */
export interface AssignmentCell {
  id: string;
  status: ProgressStatus;
  closed: number;
  total: number;
  /** "owner/name"; absent on the shared page. */
  repository?: string;
  team?: string;
}

export interface HelpItem {
  row: LearnerRow;
  idleDays: number;
  /** Why, in words: "last activity 2026-03-02", "has not accepted the invitation", ... */
  reason: string;
  /** The time idleness is counted from. */
  since: string;
}

export interface CohortSummary {
  cohort: string;
  title?: string;
  learners: number;
  counts: Record<ProgressStatus, number>;
  /** Whole percent of the cohort's learners who are complete (0 for an empty cohort). */
  percentComplete: number;
  action: number;
  help: number;
  withdrawn: number;
}

export interface LearnerGroup {
  cohort: string;
  title?: string;
  path: string;
  rows: LearnerRow[];
}

export interface TrendPoint {
  day: string;
  complete: number;
  learners: number;
}

export interface CohortTrend {
  cohort: string;
  title?: string;
  /** Every day shown, first to last (the days counts changed, and asOf's day). */
  days: string[];
  paths: { path: string; points: TrendPoint[] }[];
}

export interface Dashboard {
  asOf: string;
  owner: string;
  idleDays: number;
  learners: number;
  cohorts: CohortSummary[];
  action: ActionItem[];
  help: HelpItem[];
  groups: LearnerGroup[];
  withdrawn: LearnerRow[];
  trends: CohortTrend[];
  /** The day (UTC) the watchdog's findings were made, when they were given. */
  watchdogCheckedAt?: string;
  /**
   * A roster with a course (docs/course.md): the cutoffs of the 7 days after asOf, who loses write
   * access (push to pull) and when, each extension on its own line. Absent without a course.
   */
  cutoffs?: UpcomingCutoff[];
}

const utcDay = (iso: string) => new Date(Date.parse(iso)).toISOString().slice(0, 10);
const wholeDays = (from: string, to: string) => Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS));
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Statuses that put a learner in the operator's list rather than the learner's. */
const OPERATOR_STATUSES: ReadonlySet<ProgressStatus> = new Set(['room-missing', 'invitation-expired', 'unknown']);

function provisioningText(l: Learner): string {
  const p = l.provisioning;
  switch (p.state) {
    case 'archived':
      return 'withdrawn (room archived)';
    case 'failed':
      return `failed (${p.cause ?? 'cause not recorded'})`;
    case 'pending':
      return p.last_outcome === 'queued' ? 'queued' : 'waiting for the first apply';
    case 'provisioned':
      return p.last_outcome ?? 'provisioned';
  }
}

/**
 * Per cohort: rooms the most recent apply that made any created (an estimate of rooms per apply).
 * The shards of a cohort applied in one run count together (their log run ids share the run).
 */
function roomsPerApply(log: LogEntry[] | undefined): Map<string, number> {
  const latestRun = new Map<string, { run: string; time: number }>();
  for (const e of log ?? []) {
    if (e.outcome !== 'created') continue;
    const t = Date.parse(e.time);
    const seen = latestRun.get(e.cohort);
    if (!seen || t > seen.time) latestRun.set(e.cohort, { run: runOfStackRunId(e.run_id), time: t });
  }
  const out = new Map<string, number>();
  for (const e of log ?? []) {
    if (e.outcome === 'created' && latestRun.get(e.cohort)?.run === runOfStackRunId(e.run_id))
      out.set(e.cohort, (out.get(e.cohort) ?? 0) + 1);
  }
  return out;
}

function indexEntries(indexes: LearnerIndex[] | undefined): Map<string, LearnerIndexEntry & { owner: string }> {
  const out = new Map<string, LearnerIndexEntry & { owner: string }>();
  for (const idx of indexes ?? [])
    for (const e of idx.learners) out.set(learnerKey(e.github_handle, e.cohort_id), { ...e, owner: idx.owner });
  return out;
}

/**
 * The queue of one cohort as synthesis admits it: learners without a room, failed ones before
 * pending ones, each in roster order. Returns each pending learner's expected run in words.
 */
function queueExpectations(
  roster: Roster,
  perApply: Map<string, number>,
  index: Map<string, LearnerIndexEntry>,
): Map<string, { expected: string; reason?: string }> {
  const out = new Map<string, { expected: string; reason?: string }>();
  for (const cohort of roster.cohorts) {
    const waiting = roster.learners.filter(
      (l) => l.cohort_id === cohort.cohort_id && l.provisioning.state !== 'archived' && !hasRoom(l),
    );
    const queue = [
      ...waiting.filter((l) => l.provisioning.state === 'failed'),
      ...waiting.filter((l) => l.provisioning.state === 'pending'),
    ];
    const rate = perApply.get(cohort.cohort_id);
    queue.forEach((l, i) => {
      if (l.provisioning.state !== 'pending') return;
      const key = learnerKey(l.github_handle, l.cohort_id);
      const entry = index.get(key);
      const position = `position ${i + 1} of ${queue.length} in the cohort's queue`;
      let expected: string;
      if (entry?.admitted) expected = 'the next apply (admitted in the current plan)';
      else if (entry?.queue?.run !== undefined) {
        // The current plan's own forecast (synthesis/admission-budget.ts): its budget, its schedule.
        const { run, position, expected_at: at } = entry.queue;
        const when = at ? ` at about ${at.slice(0, 10)} ${at.slice(11, 16)} UTC` : '';
        expected = `${run === 1 ? 'the next apply' : `in about ${run} applies`}${when} (position ${position} in the admission queue of the current plan)`;
      } else if (rate !== undefined) {
        const applies = Math.ceil((i + 1) / rate);
        expected = `${applies === 1 ? 'the next apply' : `in about ${applies} applies`} (${position}; the last apply that made rooms here made ${rate})`;
      } else expected = `when the admission budget allows (${position}; no apply has made rooms in this cohort yet)`;
      out.set(key, { expected, reason: entry?.queued_reason ?? l.provisioning.detail });
    });
  }
  return out;
}

export function buildDashboard(src: DashboardSources): Dashboard {
  const { roster, report } = src;
  const asOf = report.generated_at;
  const idleDays = src.idleDays ?? DEFAULT_IDLE_DAYS;
  const records = new Map<string, LearnerRecord>(
    report.learners.map((r) => [learnerKey(r.github_handle, r.cohort_id), r]),
  );
  const index = indexEntries(src.indexes);
  const queue = queueExpectations(roster, roomsPerApply(src.log), index);
  const titles = new Map(roster.cohorts.map((c) => [c.cohort_id, c.title]));

  const action: ActionItem[] = [];
  const help: HelpItem[] = [];
  const rows: LearnerRow[] = [];
  for (const l of roster.learners) {
    const key = learnerKey(l.github_handle, l.cohort_id);
    const rec = records.get(key);
    const entry = index.get(key);
    const withdrawn = l.provisioning.state === 'archived';
    const repository = rec?.repository ?? (entry ? `${entry.owner}/${entry.repository}` : undefined);
    const status: ProgressStatus = rec?.status ?? l.progress?.status ?? 'unknown';
    const row: LearnerRow = {
      handle: l.github_handle,
      ...(l.name !== undefined ? { name: l.name } : {}),
      cohort: l.cohort_id,
      path: l.path,
      status,
      closed: rec?.challenges_closed ?? l.progress?.challenges_closed ?? 0,
      total: rec?.challenges_total ?? l.progress?.challenges_total ?? 0,
      ...(rec?.last_activity ? { lastActivity: rec.last_activity } : {}),
      ...(repository ? { repository } : {}),
      provisioning: provisioningText(l),
      withdrawn,
      ...(rec?.assignments
        ? {
            assignments: Object.entries(rec.assignments).map(([id, a]) => ({
              id,
              status: a.status,
              closed: a.challenges_closed,
              total: a.challenges_total,
              ...(a.room ? { repository: a.room } : {}),
              ...(a.team !== undefined ? { team: a.team } : {}),
            })),
          }
        : {}),
    };
    rows.push(row);
    if (withdrawn) continue;

    const base = { cohort: l.cohort_id, handle: l.github_handle, ...(repository ? { repository } : {}) };
    const mine: ActionItem[] = [];
    if (status === 'invitation-expired')
      mine.push({
        ...base,
        kind: 'invitation-expired',
        detail: 'the invitation expired before the learner accepted it',
        ...(rec ? { when: rec.since } : {}),
      });
    if (l.provisioning.state === 'failed') {
      const cause = l.provisioning.cause ?? 'cause not recorded';
      mine.push({
        ...base,
        kind: 'apply-failed',
        detail: l.provisioning.detail ? `${cause}: ${l.provisioning.detail}` : cause,
        ...(l.provisioning.updated_at ? { when: l.provisioning.updated_at } : {}),
        ...(l.provisioning.last_run_id ? { run: l.provisioning.last_run_id } : {}),
      });
    }
    const queued = queue.get(key);
    if (queued) {
      mine.push({
        ...base,
        kind: 'queued',
        detail: queued.reason ?? 'waiting for the first apply',
        expected: queued.expected,
        ...(l.provisioning.updated_at ? { when: l.provisioning.updated_at } : {}),
      });
    }
    // A course's other rooms: a missing room or an expired invitation needs the operator whatever the current assignment.
    for (const [id, a] of Object.entries(rec?.assignments ?? {})) {
      if (a.room === rec?.repository) continue;
      if (a.status === 'room-missing' || a.status === 'invitation-expired')
        mine.push({
          ...base,
          repository: a.room,
          kind: a.status,
          detail:
            a.status === 'room-missing'
              ? `the room of ${id} does not exist, or the App cannot see it`
              : `the invitation to the room of ${id} expired before the learner accepted it`,
          when: a.since,
        });
    }
    if (status === 'room-missing')
      mine.push({
        ...base,
        kind: 'room-missing',
        detail: 'the room does not exist, or the App cannot see it',
        ...(rec ? { when: rec.since } : {}),
      });
    if (rec?.evidence.some((e) => e.signal === 'room' && e.detail === ARCHIVED_ROOM_DETAIL)) {
      mine.push({
        ...base,
        kind: 'room-archived',
        detail: 'the room is archived (read-only) but the learner is not withdrawn',
        ...(rec ? { when: rec.updated_at } : {}),
      });
    }
    if (rec?.error)
      mine.push({
        ...base,
        kind: 'not-read',
        detail: `${rec.error.cause}: ${rec.error.message}; the status shown is the previous one`,
        when: rec.error.at,
      });
    action.push(...mine);
    if (mine.length > 0) {
      row.attention = 'action';
      continue;
    }

    if (!hasRoom(l) || status === 'complete' || OPERATOR_STATUSES.has(status)) continue;
    const since = rec?.last_activity ?? l.provisioning.provisioned_at;
    if (since === undefined || Number.isNaN(Date.parse(since))) continue;
    const idle = wholeDays(since, asOf);
    row.idleDays = idle;
    if (idle < idleDays) continue;
    const reason = rec?.last_activity
      ? `last activity ${utcDay(rec.last_activity)}`
      : status === 'invited'
        ? `has not accepted the invitation (room made ${utcDay(since)})`
        : `no activity since the room was made (${utcDay(since)})`;
    row.attention = 'help';
    help.push({ row, idleDays: idle, reason, since });
  }
  // Idle days beside everyone's last activity, except where they mean nothing (complete, withdrawn).
  for (const r of rows)
    if (r.idleDays === undefined && r.lastActivity && !r.withdrawn && r.status !== 'complete')
      r.idleDays = wholeDays(r.lastActivity, asOf);

  // The watchdog's day, not its time: a check every six hours that finds the same must not change the page.
  const checkedOn = src.watchdog ? utcDay(src.watchdog.checked_at) : undefined;
  for (const d of src.watchdog?.drift ?? []) {
    action.push({
      kind: 'drift',
      cohort: d.cohort,
      handle: d.handle,
      ...(d.repository ? { repository: `${report.owner}/${d.repository}` } : {}),
      detail: `${d.action}: ${d.what}`,
      when: checkedOn,
    });
  }
  for (const p of src.watchdog?.failed_plans ?? []) {
    action.push({
      kind: 'plan-failed',
      cohort: p.stack,
      detail:
        p.status === 'errored'
          ? 'the plan errored (often a rate limit: it is retried on the next run)'
          : 'no plan was made (see the watchdog run: init, backend or credentials)',
      when: checkedOn,
    });
  }
  const kindOrder = new Map(ACTION_KINDS.map((k, i) => [k, i]));
  action.sort(
    (a, b) =>
      kindOrder.get(a.kind)! - kindOrder.get(b.kind)! ||
      byText(a.cohort, b.cohort) ||
      compareHandles(a.handle ?? '', b.handle ?? ''),
  );
  help.sort(
    (a, b) =>
      b.idleDays - a.idleDays || byText(a.row.cohort, b.row.cohort) || compareHandles(a.row.handle, b.row.handle),
  );

  const active = rows.filter((r) => !r.withdrawn);
  const cohortIds = [
    ...roster.cohorts.map((c) => c.cohort_id),
    ...new Set(rows.map((r) => r.cohort).filter((c) => !titles.has(c))),
  ];
  const cohorts: CohortSummary[] = cohortIds.map((cohort) => {
    const mine = active.filter((r) => r.cohort === cohort);
    const counts = Object.fromEntries(PROGRESS_STATUSES.map((s) => [s, 0])) as Record<ProgressStatus, number>;
    for (const r of mine) counts[r.status]++;
    return {
      cohort,
      ...(titles.get(cohort) ? { title: titles.get(cohort) } : {}),
      learners: mine.length,
      counts,
      percentComplete: mine.length === 0 ? 0 : Math.floor((100 * counts.complete) / mine.length),
      action: new Set(action.filter((a) => a.cohort === cohort && a.handle).map((a) => a.handle!.toLowerCase())).size,
      help: help.filter((h) => h.row.cohort === cohort).length,
      withdrawn: rows.filter((r) => r.withdrawn && r.cohort === cohort).length,
    };
  });

  const groups: LearnerGroup[] = [];
  for (const cohort of cohortIds) {
    const mine = active.filter((r) => r.cohort === cohort);
    for (const path of [...new Set(mine.map((r) => r.path))].sort(byText)) {
      groups.push({
        cohort,
        ...(titles.get(cohort) ? { title: titles.get(cohort) } : {}),
        path,
        rows: mine.filter((r) => r.path === path).sort((a, b) => compareHandles(a.handle, b.handle)),
      });
    }
  }

  return {
    asOf,
    owner: report.owner,
    idleDays,
    learners: active.length,
    cohorts,
    action,
    help,
    groups,
    withdrawn: rows.filter((r) => r.withdrawn),
    trends: trends(src.history ?? emptyHistory(), countStatuses(roster, report), asOf, titles),
    ...(checkedOn ? { watchdogCheckedAt: checkedOn } : {}),
    ...(roster.cohorts.some(isCourse)
      ? { cutoffs: upcomingCutoffs(roster, new Date(asOf), UPCOMING_CUTOFF_DAYS * COURSE_DAY_MS) }
      : {}),
  };
}

/**
 * Completion per cohort and path on each day the counts changed, today's counts included (as the
 * progress step records them), and asOf's day last so the lines reach today.
 */
export function trends(
  history: ProgressHistory,
  today: StatusCounts,
  asOf: string,
  titles: Map<string, string | undefined>,
): CohortTrend[] {
  const asOfDay = utcDay(asOf);
  const days = recordDay(history, asOfDay, today, Number.MAX_SAFE_INTEGER).days.filter((d) => d.day <= asOfDay);
  const cohortIds = [...new Set(days.flatMap((d) => Object.keys(d.counts)))].sort(byText);
  return cohortIds.map((cohort) => {
    const shown = days.filter((d) => d.counts[cohort] !== undefined);
    const dayList = shown.map((d) => d.day);
    if (dayList.length > 0 && dayList[dayList.length - 1] < asOfDay) dayList.push(asOfDay);
    const paths = [...new Set(shown.flatMap((d) => Object.keys(d.counts[cohort])))].sort(byText);
    return {
      cohort,
      ...(titles.get(cohort) ? { title: titles.get(cohort) } : {}),
      days: dayList,
      paths: paths.map((path) => ({
        path,
        points: dayList.map((day) => {
          // The entry in force on that day: the last one on or before it (counts stay until they change).
          const entry = shown.filter((d) => d.day <= day).at(-1);
          const c = entry?.counts[cohort]?.[path] ?? {};
          const learners = Object.values(c).reduce((n, k) => n + (k ?? 0), 0);
          return { day, complete: c.complete ?? 0, learners };
        }),
      })),
    };
  });
}

/**
 * The sources of the shared (redacted) page, reduced before anything is built from them: the
 * roster as `redactRoster` publishes it, and per learner only the status and k of n. Nothing
 * personal reaches the shared page even through a renderer mistake.
 */
export function sharedSources(src: DashboardSources): DashboardSources {
  return {
    roster: redactRoster(src.roster),
    report: {
      ...src.report,
      stuck: [],
      learners: src.report.learners.map((r) => ({
        github_handle: r.github_handle,
        cohort_id: r.cohort_id,
        repository: '',
        status: r.status,
        since: r.since,
        updated_at: r.updated_at,
        challenges_closed: r.challenges_closed,
        challenges_total: r.challenges_total,
        evidence: [],
        ignored: [],
        ...(r.assignments
          ? {
              assignments: Object.fromEntries(
                Object.entries(r.assignments).map(([id, a]) => [
                  id,
                  {
                    status: a.status,
                    room: '',
                    since: a.since,
                    updated_at: a.updated_at,
                    challenges_closed: a.challenges_closed,
                    challenges_total: a.challenges_total,
                    evidence: [],
                    ignored: [],
                  },
                ]),
              ),
            }
          : {}),
      })),
    },
    ...(src.history ? { history: src.history } : {}),
    ...(src.idleDays !== undefined ? { idleDays: src.idleDays } : {}),
  };
}
