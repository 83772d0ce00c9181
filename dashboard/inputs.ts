/**
 * The dashboard's edge: reads the records it is made from, and lists every problem in them at
 * once (file, place, what was expected) instead of stopping at the first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseWatchdogSnapshot, WatchdogSnapshot } from '../gitops/watchdog-findings';
import { readHistoryFile } from '../progress/history-file';
import type { ProgressHistory } from '../progress/history';
import { REPORT_FORMAT_VERSION, ProgressReport } from '../progress/report';
import { parseLog, LogEntry } from '../provisioning/log';
import { readLearnerIndex } from '../contracts/learner-index';
import { InvalidRosterError, loadRoster } from '../roster';
import type { Roster } from '../roster/types';
import type { LearnerIndex } from '../contracts/learner-index';
import type { DashboardSources } from './model';

export interface InputPaths {
  roster: string;
  progress: string;
  /** Optional inputs: a missing history or log is skipped; a given index or findings file must exist. */
  history?: string;
  log?: string;
  indexes?: string[];
  watchdog?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A progress report as the dashboard needs it, or what is wrong with it. */
export function parseProgressReport(text: string, source: string): { report?: ProgressReport; problems: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { problems: [`${source}: not valid JSON (${(err as Error).message})`] };
  }
  if (!isObject(doc)) return { problems: [`${source}: expected a progress report object`] };
  const problems: string[] = [];
  if (doc.format_version !== REPORT_FORMAT_VERSION) {
    problems.push(
      `${source}: format_version: expected ${REPORT_FORMAT_VERSION}, found ${JSON.stringify(doc.format_version)} (run \`learning-rooms progress\` to write the current format)`,
    );
  }
  if (typeof doc.generated_at !== 'string' || Number.isNaN(Date.parse(doc.generated_at)))
    problems.push(`${source}: generated_at: expected an ISO 8601 time, found ${JSON.stringify(doc.generated_at)}`);
  if (typeof doc.owner !== 'string') problems.push(`${source}: owner: expected text`);
  if (!Array.isArray(doc.learners)) problems.push(`${source}: learners: expected a list`);
  else
    doc.learners.forEach((l, i) => {
      const at = `${source}: learners[${i}]${isObject(l) && typeof l.github_handle === 'string' ? ` (${l.github_handle})` : ''}`;
      if (!isObject(l)) {
        problems.push(`${at}: expected an object`);
        return;
      }
      for (const k of ['github_handle', 'cohort_id', 'repository', 'status', 'since', 'updated_at'])
        if (typeof l[k] !== 'string') problems.push(`${at}.${k}: expected text`);
      for (const k of ['challenges_closed', 'challenges_total'])
        if (typeof l[k] !== 'number') problems.push(`${at}.${k}: expected a number`);
      if (!Array.isArray(l.evidence)) problems.push(`${at}.evidence: expected a list`);
      if (
        l.last_activity !== undefined &&
        (typeof l.last_activity !== 'string' || Number.isNaN(Date.parse(l.last_activity)))
      ) {
        problems.push(`${at}.last_activity: expected an ISO 8601 time, found ${JSON.stringify(l.last_activity)}`);
      }
      if (l.assignments !== undefined) {
        if (!isObject(l.assignments)) problems.push(`${at}.assignments: expected an object (assignment id -> record)`);
        else
          for (const [id, a] of Object.entries(l.assignments))
            if (
              !isObject(a) ||
              typeof a.status !== 'string' ||
              typeof a.room !== 'string' ||
              typeof a.challenges_closed !== 'number' ||
              typeof a.challenges_total !== 'number'
            )
              problems.push(`${at}.assignments.${id}: expected {status, room, challenges_closed, challenges_total}`);
      }
    });
  return problems.length > 0 ? { problems } : { report: doc as unknown as ProgressReport, problems };
}

export function readSources(paths: InputPaths): { sources?: Omit<DashboardSources, 'idleDays'>; problems: string[] } {
  const problems: string[] = [];
  let roster: Roster | undefined;
  try {
    roster = loadRoster(paths.roster);
  } catch (err) {
    if (!(err instanceof InvalidRosterError)) throw err;
    problems.push(err.message);
  }
  let report: ProgressReport | undefined;
  if (!existsSync(paths.progress))
    problems.push(
      `${paths.progress}: not found; run \`learning-rooms progress\` first, or name the report with --progress`,
    );
  else {
    const r = parseProgressReport(readFileSync(paths.progress, 'utf8'), paths.progress);
    report = r.report;
    problems.push(...r.problems);
  }
  let history: ProgressHistory | undefined;
  if (paths.history && existsSync(paths.history)) {
    const h = readHistoryFile(paths.history);
    history = h.history;
    problems.push(...h.problems.map((p) => `${paths.history}: ${p}`));
  }
  let log: LogEntry[] | undefined;
  if (paths.log && existsSync(paths.log)) {
    const parsed = parseLog(readFileSync(paths.log, 'utf8'));
    log = parsed.entries;
    problems.push(...parsed.findings.map((f) => `${paths.log}: ${f.message}`));
  }
  const indexes: LearnerIndex[] = [];
  for (const p of paths.indexes ?? []) {
    try {
      indexes.push(readLearnerIndex(p));
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  let watchdog: WatchdogSnapshot | undefined;
  if (paths.watchdog) {
    if (!existsSync(paths.watchdog))
      problems.push(`${paths.watchdog}: not found (the watchdog writes it with watchdog-report --findings-out)`);
    else {
      const w = parseWatchdogSnapshot(readFileSync(paths.watchdog, 'utf8'));
      watchdog = w.snapshot;
      problems.push(...w.problems.map((p) => `${paths.watchdog}: ${p}`));
    }
  }
  if (problems.length > 0 || !roster || !report) return { problems };
  return {
    sources: {
      roster,
      report,
      ...(history ? { history } : {}),
      ...(log ? { log } : {}),
      ...(indexes.length ? { indexes } : {}),
      ...(watchdog ? { watchdog } : {}),
    },
    problems,
  };
}
