/**
 * One rate budget for every credentialed run of an installation. GitHub counts, per App
 * installation: 5,000 requests an hour (primary limit), and per identity 80 content-creating
 * requests a minute, 500 an hour and 900 REST points a minute (GET 1, a write 5) (secondary limits).
 * Pull-request plans, the watchdog, applies and progress all spend the same allowance, so the pacing
 * of each Terraform process follows from how many of them the workflows let run at once.
 *
 * The workflows' parallelism is written here once (WORKFLOW_LIMITS) and test/gitops/workflows.test.ts
 * checks that `.github/workflows/*` use the same numbers. Pure.
 */

export const GITHUB_LIMITS = {
  requestsPerHour: 5000,
  contentCreationPerMinute: 80,
  contentCreationPerHour: 500,
  pointsPerMinute: 900,
  writePoints: 5,
} as const;

/**
 * How many credentialed Terraform processes the workflows let run at once.
 * - Apply (apply.yml) and the Watchdog (watchdog.yml) share one workflow-level concurrency group, so
 *   one of them runs at a time; in it, apply-stacks.yml and a refreshing plan-stacks.yml run their
 *   matrix one stack at a time (`max-parallel`).
 * - Pull-request plans run outside the group: they never refresh (`-refresh=false`, one request per
 *   stack), so several may run at once (`max-parallel` of the scoped plan).
 */
export const WORKFLOW_LIMITS = {
  terraformConcurrencyGroup: 'learning-rooms-terraform',
  applyMaxParallel: 1,
  refreshPlanMaxParallel: 1,
  scopedPlanMaxParallel: 4,
  /** apply.yml's schedule: every 30 minutes at :07 and :37 (off the hour, away from progress at :00 and :30). */
  applyScheduleOffsetMinutes: 7,
} as const;

/** Share of the hourly requests left for the progress job (GraphQL fingerprints, REST invitations). */
export const PROGRESS_SHARE = 0.1;
/** Requests an hour set aside for pull-request plans (one request per scoped stack plan). */
export const PULL_REQUEST_PLAN_REQUESTS_PER_HOUR = 100;
/** Use 75% of the per-minute write limit: a margin for GitHub's own counting. */
export const WRITE_SHARE = 0.75;
/** GitHub: without Retry-After, wait at least one minute after a secondary limit. */
export const SECONDARY_LIMIT_WAIT_MS = 60_000;
/** Retrying faster than once a second while limited is what GitHub warns can get an integration banned. */
export const MIN_READ_DELAY_MS = 1000;

/** Refreshing Terraform processes that can run at once, from the workflows' concurrency group and matrix limits. */
export function pacedProcessesAtOnce(
  limits: Pick<typeof WORKFLOW_LIMITS, 'applyMaxParallel' | 'refreshPlanMaxParallel'> = WORKFLOW_LIMITS,
): number {
  // One run of the shared group at a time; within it, its matrix limit.
  return Math.max(limits.applyMaxParallel, limits.refreshPlanMaxParallel);
}

/** Requests an hour the paced Terraform processes may spend together. */
export function terraformRequestsPerHour(): number {
  return GITHUB_LIMITS.requestsPerHour * (1 - PROGRESS_SHARE) - PULL_REQUEST_PLAN_REQUESTS_PER_HOUR;
}

export interface RateBudget {
  pacedProcesses: number;
  readDelayMs: number;
  writeDelayMs: number;
  maxRetries: number;
  /** The most each party can spend in any hour, and their sum (never above 5,000). */
  hourly: { terraform: number; progress: number; pullRequestPlans: number; total: number };
  /** The most writes a minute all processes together can send (every write counted as content creation). */
  writesPerMinute: number;
}

/**
 * Pacing for `pacedProcesses` Terraform processes running at once:
 * - write_delay_ms: together at most 75% of 80 writes a minute (every write counted as content creation);
 * - read_delay_ms: the largest of 1 s (it is also the provider's retry pause), the interval that
 *   keeps reads within the REST points left after writes, and the interval that keeps all of them
 *   within the hour's requests left after progress and pull-request plans (a process sleeps
 *   read_delay_ms after every request, so it can never send more than 3,600 / read_delay_s an hour);
 * - max_retries: enough pauses to span one minute, so a 429 is ridden out.
 */
export function deriveRateBudget(pacedProcesses: number = pacedProcessesAtOnce()): RateBudget {
  const p = Math.max(1, Math.floor(pacedProcesses));
  const writesPerMinute = GITHUB_LIMITS.contentCreationPerMinute * WRITE_SHARE;
  const writeDelayMs = Math.ceil((60_000 * p) / writesPerMinute);
  const readPointsPerMinute = GITHUB_LIMITS.pointsPerMinute - writesPerMinute * GITHUB_LIMITS.writePoints;
  const pointsDelay = Math.ceil((60_000 * p) / readPointsPerMinute);
  const hourlyDelay = Math.ceil((3_600_000 * p) / terraformRequestsPerHour());
  const readDelayMs = Math.max(MIN_READ_DELAY_MS, pointsDelay, hourlyDelay);
  const terraform = Math.floor((3_600_000 / Math.min(readDelayMs, writeDelayMs)) * p);
  const progress = GITHUB_LIMITS.requestsPerHour * PROGRESS_SHARE;
  return {
    pacedProcesses: p,
    readDelayMs,
    writeDelayMs,
    maxRetries: Math.ceil(SECONDARY_LIMIT_WAIT_MS / readDelayMs),
    hourly: {
      terraform,
      progress,
      pullRequestPlans: PULL_REQUEST_PLAN_REQUESTS_PER_HOUR,
      total: terraform + progress + PULL_REQUEST_PLAN_REQUESTS_PER_HOUR,
    },
    writesPerMinute: Math.floor((60_000 / writeDelayMs) * p),
  };
}

/** The apply schedule as a cron line for a run interval that divides the hour (30 min -> "7,37 * * * *"). */
export function applyCron(
  intervalMinutes: number,
  offsetMinutes: number = WORKFLOW_LIMITS.applyScheduleOffsetMinutes,
): string {
  const step = Math.min(60, Math.max(1, Math.round(intervalMinutes)));
  const minutes: number[] = [];
  for (let m = offsetMinutes % step; m < 60; m += step) minutes.push(m);
  return `${minutes.join(',')} * * * *`;
}

/**
 * When the scheduled runs after `from` start: the interval's slots, offset within the hour, in UTC.
 * `count` slots, the first strictly after `from`. (GitHub may start a scheduled run some minutes
 * late: the times are "about".)
 */
export function nextScheduledRuns(
  from: Date,
  intervalMinutes: number,
  count: number,
  offsetMinutes: number = WORKFLOW_LIMITS.applyScheduleOffsetMinutes,
): Date[] {
  const step = Math.max(1, Math.round(intervalMinutes)) * 60_000;
  const offset = (offsetMinutes % Math.max(1, Math.round(intervalMinutes))) * 60_000;
  const hour = Math.floor(from.getTime() / 3_600_000) * 3_600_000;
  let t = hour + offset;
  while (t <= from.getTime()) t += step;
  const out: Date[] = [];
  for (let i = 0; i < count; i++) out.push(new Date(t + i * step));
  return out;
}
