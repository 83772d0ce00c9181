/**
 * Pacing of the integrations/github provider (v6.9.0), derived from GitHub's secondary rate limits.
 * Facts (shared/reference/github-provider-http.md, confirmed in the provider source):
 * - requests of one provider process are serialized (parallel_requests = false, a global mutex);
 * - after a write the next request sleeps write_delay_ms, after a read read_delay_ms;
 * - a 429 is retried only when listed in retryable_errors, and (a provider bug) the pause between
 *   retries is read_delay_ms; retry_delay_ms is ignored;
 * - a 403 secondary limit is handled by the provider itself (it sleeps Retry-After).
 * GitHub allows per identity (the App installation, shared by every cohort apply running at once):
 * at most 80 content-creating requests a minute and 900 REST points a minute (GET 1, write 5).
 */
import type { ProviderTuning } from '../constructs/cohort-stack';
import type { SynthesisSettings } from '../contracts/settings';

export const GITHUB_CONTENT_WRITES_PER_MINUTE = 80;
export const GITHUB_POINTS_PER_MINUTE = 900;
const WRITE_POINTS = 5;
/** Use 75% of the write limit: 60 writes a minute per identity, whatever number of applies run at once. */
const WRITE_SHARE = 0.75;
/** GitHub: without Retry-After, wait at least one minute after a secondary limit. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;
/** Retrying faster than once a second while limited is what GitHub warns can get an integration banned. */
const MIN_RETRY_INTERVAL_MS = 1000;
export const RETRYABLE_ERRORS = [429, 500, 502, 503, 504] as const;

/**
 * @param concurrentApplies cohort applies that may run at the same time under one identity.
 *
 * write_delay_ms = 60000 * P / (80 * 0.75): P processes together stay at 60 writes a minute.
 * read_delay_ms  = the larger of 1 s (it is also the retry pause, see above) and the interval that
 *                  keeps P processes' reads within the points left after writes (900 - 60 * 5 = 600).
 * max_retries    = enough pauses of read_delay_ms to span one minute, so a 429 is ridden out.
 */
export function deriveProviderTuning(
  settings: Pick<SynthesisSettings, 'writeDelayMs' | 'readDelayMs' | 'maxRetries'>,
  concurrentApplies: number,
): ProviderTuning {
  const p = Math.max(1, Math.floor(concurrentApplies));
  const writesPerMinute = GITHUB_CONTENT_WRITES_PER_MINUTE * WRITE_SHARE;
  const derivedWrite = Math.ceil((60_000 * p) / writesPerMinute);
  const readPointsPerMinute = GITHUB_POINTS_PER_MINUTE - writesPerMinute * WRITE_POINTS;
  const derivedRead = Math.max(MIN_RETRY_INTERVAL_MS, Math.ceil((60_000 * p) / readPointsPerMinute));
  const read = settings.readDelayMs ?? derivedRead;
  // With read_delay_ms = 0 (an explicit override) retries are immediate; keep the provider's default count then.
  const derivedRetries = read > 0 ? Math.ceil(SECONDARY_LIMIT_WAIT_MS / read) : 3;
  return {
    write_delay_ms: settings.writeDelayMs ?? derivedWrite,
    read_delay_ms: read,
    max_retries: settings.maxRetries ?? derivedRetries,
    retryable_errors: [...RETRYABLE_ERRORS],
  };
}

/** REST writes of a first apply per learner: generate, vulnerability-alerts, 2 PATCH, collaborator PUT, one PUT per file. */
export function writesPerNewLearner(requiredFileCount: number): number {
  return 5 + requiredFileCount;
}

/** Share of a run's write allowance given to new rooms; the rest is left for heals, archives and updates. */
export const NEW_ROOM_WRITE_SHARE = 0.8;

/**
 * Content writes one run may spend on new rooms: the hourly limit prorated to the run interval
 * (a run every 30 minutes may use half an hour's allowance), times NEW_ROOM_WRITE_SHARE.
 */
export function writeAllowancePerRun(
  settings: Pick<SynthesisSettings, 'contentWritesPerHour' | 'runIntervalMinutes'>,
): number {
  const perRun = (settings.contentWritesPerHour * Math.min(settings.runIntervalMinutes, 60)) / 60;
  return Math.floor(perRun * NEW_ROOM_WRITE_SHARE);
}
