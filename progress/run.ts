/**
 * The progress job's edge: read the roster and the previous report, poll GitHub, write the
 * report (progress.json, progress.md) and the roster, each atomically. The report goes first: it
 * holds the fingerprints, and a roster write that fails is repaired by the next poll.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadRoster, writeRosterFile } from '../roster';
import type { Roster } from '../roster/types';
import { createClient } from '../shared/github-client';
import type { GitHubAuth } from '../shared/github-credentials';
import { writeFileIfChanged } from '../shared/write-if-changed';
import { historyPathFor, updateHistoryFile } from './history-file';
import { pollProgress, PollResult } from './poll';
import { ProgressReader, ReaderOptions } from './reader';
import { parseReport, ProgressReport, renderMarkdown, serializeReport } from './report';
import { steadyReport } from './steady';

export interface RunOptions extends ReaderOptions {
  rosterPath: string;
  /** progress.json; the Markdown report is written beside it with the extension .md. */
  reportPath: string;
  owner: string;
  baseUrl: string;
  auth: GitHubAuth;
  cohorts?: string[];
  repositoryPattern?: string;
  /** Compute and return, write nothing. */
  dryRun?: boolean;
  /**
   * progress.md from the report and the roster after this poll. Given by the caller: the page with
   * its per-learner table is the facilitator's view (dashboard/), a layer above progress.
   */
  markdown?: (report: ProgressReport, roster: Roster) => string;
  stuckLimit?: number;
  maxRateLimitWaitSeconds?: number;
  retries?: number;
  retryAfterBaseMs?: number;
  minRequestIntervalMs?: number;
  warn?: (message: string) => void;
  now?: () => string;
}

export interface RunResult extends PollResult {
  requests: { graphql: number; rest: number };
  markdownPath: string;
  /** progress-history.json, beside the report. */
  historyPath: string;
  /** The roster changed and was written (false for a dry run or when no learner changed). */
  rosterWritten: boolean;
}

export function markdownPathFor(reportPath: string): string {
  return reportPath.replace(/\.json$/i, '') + '.md';
}

export function readPreviousReport(path: string): ProgressReport | undefined {
  return existsSync(path) ? parseReport(readFileSync(path, 'utf8')) : undefined;
}

export async function runProgress(options: RunOptions): Promise<RunResult> {
  const roster = loadRoster(options.rosterPath);
  const previous = readPreviousReport(options.reportPath);
  const octokit = createClient({ userAgent: 'learning-rooms-progress', ...options });
  const requests = { graphql: 0, rest: 0 };
  octokit.hook.before('request', (req) => {
    if (/\/graphql$/.test(req.url)) requests.graphql++;
    else requests.rest++;
  });
  const reader = new ProgressReader(octokit, options);
  const result = await pollProgress({
    roster,
    owner: options.owner,
    cohorts: options.cohorts,
    repositoryPattern: options.repositoryPattern,
    previous,
    reader,
    now: options.now ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')),
    stuckLimit: options.stuckLimit,
  });
  // Nothing but the clock moved: keep the previous report's time, so the files keep their bytes.
  const report = steadyReport(result.report, previous, options.stuckLimit);
  const markdownPath = markdownPathFor(options.reportPath);
  const historyPath = historyPathFor(options.reportPath);
  const rosterWritten = !options.dryRun && result.roster !== roster;
  if (!options.dryRun) {
    writeFileIfChanged(options.reportPath, serializeReport(report));
    writeFileIfChanged(markdownPath, (options.markdown ?? ((r) => renderMarkdown(r)))(report, result.roster));
    if (rosterWritten) writeRosterFile(options.rosterPath, result.roster);
    for (const problem of updateHistoryFile(historyPath, result.roster, report).problems)
      options.warn?.(`${problem}; the history was left as it is`);
  }
  return { ...result, report, requests, markdownPath, historyPath, rosterWritten };
}
