/**
 * Pacing of the integrations/github provider (v6.9.0), from the one rate budget (rate-budget.ts).
 * Facts (shared/reference/github-provider-http.md, confirmed in the provider source):
 * - requests of one provider process are serialized (parallel_requests = false, a global mutex);
 * - after a write the next request sleeps write_delay_ms, after a read read_delay_ms;
 * - a 429 is retried only when listed in retryable_errors, and (a provider bug) the pause between
 *   retries is read_delay_ms; retry_delay_ms is ignored;
 * - a 403 secondary limit is handled by the provider itself (it sleeps Retry-After).
 */
import type { ProviderTuning } from '../constructs/cohort-stack';
import type { SynthesisSettings } from '../contracts/settings';
import { deriveRateBudget } from './rate-budget';

export const RETRYABLE_ERRORS = [429, 500, 502, 503, 504] as const;

/**
 * @param pacedProcesses refreshing Terraform processes that may run at the same time under one
 * installation (by default the workflows' limit, rate-budget.ts: one).
 */
export function deriveProviderTuning(
  settings: Pick<SynthesisSettings, 'writeDelayMs' | 'readDelayMs' | 'maxRetries'>,
  pacedProcesses: number,
): ProviderTuning {
  const budget = deriveRateBudget(pacedProcesses);
  const read = settings.readDelayMs ?? budget.readDelayMs;
  // With read_delay_ms = 0 (an explicit override) retries are immediate; keep the provider's default count then.
  const derivedRetries = read > 0 ? Math.ceil(60_000 / read) : 3;
  return {
    write_delay_ms: settings.writeDelayMs ?? budget.writeDelayMs,
    read_delay_ms: read,
    max_retries: settings.maxRetries ?? derivedRetries,
    retryable_errors: [...RETRYABLE_ERRORS],
  };
}
