/**
 * The progress history (`progress-history.json` beside `progress.json`): how many learners of each
 * cohort and path were in each status, one entry per day on which those counts changed. Its size
 * is days × cohorts × paths × statuses: it does not grow with learners, nor with polls (a poll on
 * a day already recorded replaces that day's entry; a day whose counts equal the day before adds
 * nothing). Withdrawn learners (provisioning state "archived") are not counted.
 *
 * File text: one day per line, keys in a fixed order, so a diff shows exactly the changed days.
 */
import { learnerKey } from '../roster/handle';
import { PROGRESS_STATUSES, ProgressStatus, Roster } from '../roster/types';
import type { ProgressReport } from './report';

export const HISTORY_FORMAT_VERSION = 1;
export const HISTORY_FILE = 'progress-history.json';
/** Days kept: two years of daily changes; older days are dropped first. */
export const HISTORY_MAX_DAYS = 731;

/** cohort id -> path -> status -> learners (statuses with none are left out). */
export type StatusCounts = Record<string, Record<string, Partial<Record<ProgressStatus, number>>>>;

export interface HistoryDay {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  counts: StatusCounts;
}

export interface ProgressHistory {
  format_version: typeof HISTORY_FORMAT_VERSION;
  days: HistoryDay[];
}

export function emptyHistory(): ProgressHistory {
  return { format_version: HISTORY_FORMAT_VERSION, days: [] };
}

/** Today's counts: each learner's status from the report, else the roster, else "unknown". */
export function countStatuses(roster: Roster, report: ProgressReport | undefined): StatusCounts {
  const records = new Map((report?.learners ?? []).map((r) => [learnerKey(r.github_handle, r.cohort_id), r.status]));
  const counts: StatusCounts = {};
  for (const l of roster.learners) {
    if (l.provisioning.state === 'archived') continue;
    const status = records.get(learnerKey(l.github_handle, l.cohort_id)) ?? l.progress?.status ?? 'unknown';
    const byPath = (counts[l.cohort_id] ??= {});
    const byStatus = (byPath[l.path] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  return canonicalCounts(counts);
}

/** Cohorts and paths sorted, statuses in PROGRESS_STATUSES order, zeros dropped: equal counts give equal text. */
function canonicalCounts(counts: StatusCounts): StatusCounts {
  const out: StatusCounts = {};
  for (const cohort of Object.keys(counts).sort()) {
    const paths: StatusCounts[string] = {};
    for (const path of Object.keys(counts[cohort]).sort()) {
      const statuses: Partial<Record<ProgressStatus, number>> = {};
      for (const s of PROGRESS_STATUSES) {
        const n = counts[cohort][path][s];
        if (n !== undefined && n > 0) statuses[s] = n;
      }
      if (Object.keys(statuses).length > 0) paths[path] = statuses;
    }
    if (Object.keys(paths).length > 0) out[cohort] = paths;
  }
  return out;
}

const sameCounts = (a: StatusCounts, b: StatusCounts) =>
  JSON.stringify(canonicalCounts(a)) === JSON.stringify(canonicalCounts(b));

/**
 * The history with `counts` recorded for `day`: the day's entry replaced (a later poll of the same
 * day knows better), or left out when the counts equal the previous day's, then trimmed to `maxDays`.
 */
export function recordDay(
  history: ProgressHistory,
  day: string,
  counts: StatusCounts,
  maxDays = HISTORY_MAX_DAYS,
): ProgressHistory {
  const others = history.days.filter((d) => d.day !== day);
  const before = others.filter((d) => d.day < day).at(-1);
  const days =
    before && sameCounts(before.counts, counts) ? others : [...others, { day, counts: canonicalCounts(counts) }];
  days.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { format_version: HISTORY_FORMAT_VERSION, days: days.slice(Math.max(0, days.length - maxDays)) };
}

export function serializeHistory(history: ProgressHistory): string {
  if (history.days.length === 0) return `{\n  "format_version": ${HISTORY_FORMAT_VERSION},\n  "days": []\n}\n`;
  const lines = history.days.map((d) => `    ${JSON.stringify({ day: d.day, counts: canonicalCounts(d.counts) })}`);
  return `{\n  "format_version": ${HISTORY_FORMAT_VERSION},\n  "days": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a history file; every problem is listed, each with its place in the file and what was expected. */
export function parseHistory(text: string): { history?: ProgressHistory; problems: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { problems: [`not valid JSON (${(err as Error).message})`] };
  }
  if (!isObject(doc) || !Array.isArray(doc.days))
    return { problems: ['expected {"format_version": 1, "days": [...]}'] };
  const problems: string[] = [];
  if (doc.format_version !== HISTORY_FORMAT_VERSION)
    problems.push(`format_version: expected ${HISTORY_FORMAT_VERSION}, found ${JSON.stringify(doc.format_version)}`);
  const statuses = new Set<string>(PROGRESS_STATUSES);
  const days: HistoryDay[] = [];
  doc.days.forEach((raw, i) => {
    const at = `days[${i}]`;
    if (!isObject(raw)) {
      problems.push(`${at}: expected an object with "day" and "counts"`);
      return;
    }
    if (typeof raw.day !== 'string' || !DAY.test(raw.day) || Number.isNaN(Date.parse(raw.day)))
      problems.push(`${at}.day: expected a date such as "2026-05-04", found ${JSON.stringify(raw.day)}`);
    if (!isObject(raw.counts)) {
      problems.push(`${at}.counts: expected an object of cohort -> path -> status -> number`);
      return;
    }
    for (const [cohort, paths] of Object.entries(raw.counts)) {
      if (!isObject(paths)) {
        problems.push(`${at}.counts.${cohort}: expected an object of path -> status -> number`);
        continue;
      }
      for (const [path, byStatus] of Object.entries(paths)) {
        if (!isObject(byStatus)) {
          problems.push(`${at}.counts.${cohort}.${path}: expected an object of status -> number`);
          continue;
        }
        for (const [status, n] of Object.entries(byStatus)) {
          const where = `${at}.counts.${cohort}.${path}.${status}`;
          if (!statuses.has(status))
            problems.push(`${where}: expected one of the statuses ${PROGRESS_STATUSES.join(', ')}`);
          if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
            problems.push(`${where}: expected a whole number of learners, found ${JSON.stringify(n)}`);
        }
      }
    }
    days.push({ day: String(raw.day), counts: raw.counts as StatusCounts });
  });
  return problems.length > 0 ? { problems } : { history: { format_version: HISTORY_FORMAT_VERSION, days }, problems };
}
