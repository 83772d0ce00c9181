/**
 * Generated cohorts for the dashboard: a roster, its progress report, a provisioning log and a
 * month of progress history, with every situation the page must show (expired invitations,
 * failed and queued learners, missing and archived rooms, a room not read, idle learners,
 * withdrawn learners, names in several scripts). Deterministic: the same size gives the same
 * world. Used by the dashboard tests, `npm run bench:dashboard` and `npm run screenshots`.
 */
import { emptyHistory, recordDay, ProgressHistory, StatusCounts } from '../progress/history';
import type { LearnerRecord, ProgressReport } from '../progress/report';
import { buildReport } from '../progress/report';
import { ARCHIVED_ROOM_DETAIL } from '../progress/derive';
import { chainRecords, LogEntry, LogRecord } from '../provisioning/log';
import type { Learner, ProgressStatus, Roster } from '../roster/types';
import type { WatchdogSnapshot } from '../gitops/watchdog-findings';

export const WORLD_OWNER = 'acme-learning';
/** The report's time: every "days without activity" is counted up to it. */
export const WORLD_NOW = '2026-05-04T09:30:00Z';
const DAY = 86_400_000;
const PATHS = ['web', 'accessibility', 'data'];
const FIRST = [
  'Ada',
  'José',
  'Zoë',
  'Mei',
  'Oluwaseun',
  'Ingrid',
  'Mateus',
  'Aiko',
  'Priya',
  'Søren',
  'Fatima',
  'Łukasz',
  'Nguyễn',
  'Chloé',
  'Mariam',
];
const LAST = [
  'Lovelace',
  'Álvarez',
  'Okafor',
  'Chen',
  'Adeyemi',
  'Berg',
  'Silva',
  'Tanaka',
  'Raman',
  'Kierkegaard',
  'Haddad',
  'Nowak',
  'Văn An',
  'Dubois',
  'مريم',
];

/** A small deterministic PRNG (mulberry32), so every size is the same world on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Situations in the order a small world shows them: working, idle, expired, failed, queued, withdrawn, invited, missing, ... */
const SMALL_KINDS = [1, 0, 8, 5, 6, 7, 10, 14, 9, 12, 13, 11, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface DashboardWorld {
  roster: Roster;
  report: ProgressReport;
  log: LogEntry[];
  history: ProgressHistory;
  watchdog: WatchdogSnapshot;
}

function cohortCount(n: number): number {
  return n <= 10 ? 1 : n <= 300 ? 3 : Math.ceil(n / 300);
}

export function dashboardWorld(n: number, seed = 7): DashboardWorld {
  const rnd = random(seed + n);
  const now = Date.parse(WORLD_NOW);
  const cohorts = Array.from({ length: cohortCount(n) }, (_, i) => ({
    cohort_id: `2026-spring-${String.fromCharCode(97 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}`,
    title: `Spring 2026, group ${i + 1}`,
    starts_on: '2026-04-06',
  }));
  const learners: Learner[] = [];
  const records: LearnerRecord[] = [];
  const logRecords: LogRecord[] = [];
  const start = now - 28 * DAY;
  for (let i = 0; i < n; i++) {
    const cohort = cohorts[i % cohorts.length].cohort_id;
    const handle = `learner-${String(i + 1).padStart(5, '0')}`;
    const path = PATHS[Math.floor(i / cohorts.length) % (n <= 10 ? 2 : PATHS.length)];
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    // A small world still shows one of each situation; a big one has each every 40 learners.
    const kind = n <= SMALL_KINDS.length ? SMALL_KINDS[i] : i % 40;
    const provisionedAt = iso(start + Math.floor(rnd() * 3) * DAY);
    const learner: Learner = {
      github_handle: handle,
      cohort_id: cohort,
      path,
      name,
      email: `${handle}@school.example`,
      ...(i % 3 === 0 ? { student_id: `S${100000 + i}` } : {}),
      provisioning: {
        state: 'provisioned',
        last_outcome: 'created',
        last_run_id: 'run-1001',
        updated_at: provisionedAt,
        provisioned_at: provisionedAt,
      },
    };
    // The special cases, spread over the cohort: a few of each, whatever the size.
    if (kind === 5)
      learner.provisioning = {
        state: 'failed',
        last_outcome: 'failed',
        last_run_id: 'run-1002',
        updated_at: iso(now - 2 * DAY),
        cause: 'rate-limit',
        detail: 'secondary rate limit: 403 You have exceeded a secondary rate limit',
      };
    else if (kind === 6 || kind === 26)
      learner.provisioning = {
        state: 'pending',
        last_outcome: 'queued',
        last_run_id: 'run-1002',
        updated_at: iso(now - 2 * DAY),
        detail: 'queued: the admission budget is spent for this run; a later run provisions it',
      };
    else if (kind === 7)
      learner.provisioning = {
        state: 'archived',
        last_outcome: 'archived',
        last_run_id: 'run-1002',
        updated_at: iso(now - 5 * DAY),
        provisioned_at: provisionedAt,
      };
    learners.push(learner);
    if (learner.provisioning.state !== 'failed' && learner.provisioning.state !== 'pending') {
      logRecords.push({
        run_id: 'run-1001',
        commit: 'a'.repeat(40),
        time: iso(start),
        cohort,
        learner: handle,
        repository: `${cohort}-${handle}`,
        outcome: 'created',
        detail: 'room created',
      });
    }
    if (learner.provisioning.state === 'pending' || learner.provisioning.state === 'failed') {
      const failed = learner.provisioning.state === 'failed';
      logRecords.push({
        run_id: 'run-1002',
        commit: 'b'.repeat(40),
        time: iso(now - 2 * DAY),
        cohort,
        learner: handle,
        outcome: failed ? 'failed' : 'queued',
        ...(failed ? { cause: 'rate-limit' as const } : {}),
        detail: learner.provisioning.detail ?? '',
      });
      continue;
    }
    const total = 6;
    let status: ProgressStatus;
    let closed = 0;
    let last: string | undefined;
    const evidence: LearnerRecord['evidence'] = [];
    const daysAgo = (d: number) => iso(now - d * DAY - Math.floor(rnd() * 8) * 3_600_000);
    if (kind === 8) status = 'invitation-expired';
    else if (kind === 9) status = 'room-missing';
    else if (kind === 10 || kind === 30) status = 'invited';
    else if (kind === 11) status = 'not-started';
    else {
      const r = rnd();
      closed = kind === 14 ? 6 : kind === 1 ? 3 : r < 0.25 ? 6 : r < 0.7 ? 1 + Math.floor(rnd() * 5) : 0;
      status = closed === 6 ? 'complete' : closed > 0 ? 'in-progress' : rnd() < 0.5 ? 'day1-complete' : 'acknowledged';
      // Most were active in the last two days; one in six has been quiet for a week or more.
      last = daysAgo(kind % 6 === 0 ? 6 + Math.floor(rnd() * 10) : Math.floor(rnd() * 2));
    }
    if (kind === 12) evidence.push({ signal: 'room', detail: ARCHIVED_ROOM_DETAIL });
    const record: LearnerRecord = {
      github_handle: handle,
      cohort_id: cohort,
      repository: `${WORLD_OWNER}/${cohort}-${handle}`,
      status,
      since: iso(start + 3 * DAY),
      updated_at: iso(now - DAY),
      challenges_closed: closed,
      challenges_total: status === 'room-missing' ? 0 : total,
      ...(last ? { last_activity: last } : {}),
      evidence,
      ignored: [],
      ...(kind === 13 ? { error: { cause: 'network-or-server' as const, message: 'Bad Gateway', at: WORLD_NOW } } : {}),
    };
    records.push(record);
    learner.progress = {
      status,
      since: record.since,
      updated_at: record.updated_at,
      challenges_closed: closed,
      challenges_total: record.challenges_total,
    };
  }
  const roster: Roster = { format_version: 1, cohorts, learners };
  const report = buildReport(WORLD_OWNER, records, WORLD_NOW);

  // A month of history: completion rising day by day towards today's counts (as countStatuses
  // counts: every learner but the withdrawn, "unknown" without a record).
  const recordOf = new Map(records.map((r) => [`${r.github_handle}\u0000${r.cohort_id}`, r]));
  let history = emptyHistory();
  for (let d = 27; d >= 1; d--) {
    const day = iso(now - d * DAY).slice(0, 10);
    const share = (28 - d) / 28;
    const counts: StatusCounts = {};
    learners.forEach((l, k) => {
      if (l.provisioning.state === 'archived') return;
      const status = recordOf.get(`${l.github_handle}\u0000${l.cohort_id}`)?.status ?? 'unknown';
      // Each learner who is complete today completed on a day of their own, later for later learners.
      const completedShare = ((k * 37) % 100) / 100;
      const then: ProgressStatus = status === 'complete' && completedShare > share ? 'in-progress' : status;
      const c = ((counts[l.cohort_id] ??= {})[l.path] ??= {});
      c[then] = (c[then] ?? 0) + 1;
    });
    if (d % 3 !== 0) history = recordDay(history, day, counts);
  }
  const log = chainRecords(logRecords, '0'.repeat(64));
  const provisioned = new Set(
    learners.filter((l) => l.provisioning.state === 'provisioned').map((l) => `${l.github_handle}\u0000${l.cohort_id}`),
  );
  const drifted = records
    .filter((r) => provisioned.has(`${r.github_handle}\u0000${r.cohort_id}`))
    .filter((_, i) => i % 97 === 3)
    .slice(0, 3);
  const watchdog: WatchdogSnapshot = {
    format_version: 1,
    checked_at: iso(now - 3 * 3_600_000),
    drift: drifted.map((r) => ({
      handle: r.github_handle,
      cohort: r.cohort_id,
      repository: r.repository.split('/')[1],
      action: 'heal',
      what: 'collaborator update (permission changed outside Terraform)',
    })),
    failed_plans: [],
  };
  return { roster, report, log, history, watchdog };
}
