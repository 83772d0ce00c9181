/**
 * The watchdog's findings as data (`watchdog-findings.json` in the watchdog's artifact), so that
 * the facilitator dashboard can list the drift the watchdog found. Only what the admin issue shows:
 * handles, cohorts, repositories, planned actions and Terraform's reasons; never plan values.
 */
import type { WatchdogFindings } from './watchdog-report';

export const WATCHDOG_FINDINGS_FILE = 'watchdog-findings.json';

export interface WatchdogDrift {
  handle: string;
  cohort: string;
  repository?: string;
  action: string;
  what: string;
}

export interface WatchdogSnapshot {
  format_version: 1;
  /** When the watchdog planned (ISO 8601). */
  checked_at: string;
  drift: WatchdogDrift[];
  failed_plans: { stack: string; status: string }[];
}

export function watchdogSnapshot(f: WatchdogFindings, checkedAt: string): WatchdogSnapshot {
  return {
    format_version: 1,
    checked_at: checkedAt,
    drift: f.drift.map((d) => ({
      handle: d.handle,
      cohort: d.cohort,
      ...(d.repository ? { repository: d.repository } : {}),
      action: d.action,
      what: d.what,
    })),
    failed_plans: f.failedPlans.map((p) => ({ stack: p.stack, status: p.status })),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a findings file; every problem is listed with its place and what was expected. */
export function parseWatchdogSnapshot(text: string): { snapshot?: WatchdogSnapshot; problems: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { problems: [`not valid JSON (${(err as Error).message})`] };
  }
  if (!isObject(doc))
    return { problems: ['expected {"format_version": 1, "checked_at": ..., "drift": [...], "failed_plans": [...]}'] };
  const problems: string[] = [];
  if (doc.format_version !== 1)
    problems.push(`format_version: expected 1, found ${JSON.stringify(doc.format_version)}`);
  if (typeof doc.checked_at !== 'string' || Number.isNaN(Date.parse(doc.checked_at)))
    problems.push(`checked_at: expected an ISO 8601 time, found ${JSON.stringify(doc.checked_at)}`);
  const expectText = (o: Record<string, unknown>, k: string, at: string, optional = false) => {
    if (optional && o[k] === undefined) return;
    if (typeof o[k] !== 'string')
      problems.push(`${at}.${k}: expected text, found ${JSON.stringify(o[k]) ?? 'nothing'}`);
  };
  if (!Array.isArray(doc.drift)) problems.push('drift: expected a list');
  else
    doc.drift.forEach((d, i) => {
      if (!isObject(d)) {
        problems.push(`drift[${i}]: expected an object`);
        return;
      }
      for (const k of ['handle', 'cohort', 'action', 'what']) expectText(d, k, `drift[${i}]`);
      expectText(d, 'repository', `drift[${i}]`, true);
    });
  if (!Array.isArray(doc.failed_plans)) problems.push('failed_plans: expected a list');
  else
    doc.failed_plans.forEach((p, i) => {
      if (!isObject(p)) {
        problems.push(`failed_plans[${i}]: expected an object`);
        return;
      }
      for (const k of ['stack', 'status']) expectText(p, k, `failed_plans[${i}]`);
    });
  return problems.length > 0 ? { problems } : { snapshot: doc as unknown as WatchdogSnapshot, problems };
}
