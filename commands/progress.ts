import { dirname, resolve } from 'node:path';
import { InvalidRosterError } from '../roster';
import { PROGRESS_STATUSES } from '../roster/types';
import { progressMarkdown } from '../dashboard/markdown';
import { runProgress } from '../progress/run';
import { ENV } from '../progress/settings';
import { defineCommand } from './command';
import { GITHUB_ACCESS_OPTIONS, readGitHubAccess } from './github-access';
import { DRY_RUN, rosterArgument } from './common-options';

const WHOLE = /^\d+$/;
const notPositive = (name: string, text: string | undefined) =>
  text !== undefined && (!WHOLE.test(text) || Number(text) < 1)
    ? [`${name}: expected a positive whole number, found "${text}"`]
    : [];

const options = {
  cohort: { type: 'string', multiple: true, value: 'ID', help: 'only this cohort (repeatable; default: every cohort)' },
  out: {
    type: 'string',
    value: 'FILE',
    help: 'progress.json to write (default: beside the roster); the Markdown report goes beside it, named as FILE with .md for .json',
    aliases: ['report'],
  },
  ...GITHUB_ACCESS_OPTIONS,
  full: { type: 'boolean', help: 'read every room in full, ignoring the previous fingerprints' },
  'dry-run': { ...DRY_RUN, help: `${DRY_RUN.help}: read the rooms and print the summary` },
  stuck: { type: 'string', value: 'N', help: 'learners listed as stuck longest (default 10)' },
  'max-wait': {
    type: 'string',
    value: 'SECONDS',
    help: 'longest wait for a rate limit before giving up on a room (default 60)',
  },
  'request-interval': {
    type: 'string',
    value: 'MS',
    help: "spacing of GraphQL requests (default 1000, GitHub's advice against secondary rate limits; 0 for a local double)",
  },
} as const;

export const progressCommand = defineCommand({
  name: 'progress',
  summary: "read every learner's progress from GitHub into the roster and a report",
  usage: ['[roster.json] [options]'],
  description: `Reads each learner's learning room (challenge issues, pull requests and their closing
keywords, "ack" and "day1-complete" comments, the invitation) as the GitHub App, derives a
status (docs/progress.md), writes it into the roster, and writes progress.json and
progress.md. Rooms unchanged since the previous progress.json are not read again.
A learner's room is named as synthesis names it (learner "repository", else the cohort's
repository_pattern, else $${ENV.repositoryPattern[0]}, else {cohort}-{handle}).`,
  argument: rosterArgument('the roster to read and update', { default: 'roster.json' }),
  options,
  exitStatus: `0 every room read; 1 some rooms could not be read (their learners keep their previous status, the report says why); 2 usage, settings or roster error.`,
  usageProblems: ({ values }) => {
    const interval = values['request-interval'];
    return [
      ...notPositive('--stuck', values.stuck),
      ...notPositive('--max-wait', values['max-wait']),
      ...(interval !== undefined && !WHOLE.test(interval)
        ? [`--request-interval: expected milliseconds (a whole number), found "${interval}"`]
        : []),
    ];
  },
  async run({ values, file = 'roster.json' }, io) {
    const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
    const stuckLimit = number(values.stuck);
    const maxWait = number(values['max-wait']);
    const interval = values['request-interval'];
    const rosterPath = resolve(io.cwd, file);
    const reportPath = values.out ? resolve(io.cwd, values.out) : resolve(dirname(rosterPath), 'progress.json');
    const settings = readGitHubAccess('progress', values, io);
    if (!settings) return 2;
    io.stderr(`reading rooms of ${settings.owner} at ${settings.baseUrl} as ${settings.describe}\n`);
    let result;
    try {
      result = await runProgress({
        markdown: progressMarkdown,
        rosterPath,
        reportPath,
        owner: settings.owner,
        baseUrl: settings.baseUrl,
        auth: settings.auth,
        cohorts: values.cohort,
        repositoryPattern: settings.repositoryPattern,
        full: values.full,
        dryRun: values['dry-run'],
        stuckLimit,
        maxRateLimitWaitSeconds: maxWait,
        minRequestIntervalMs: number(interval),
        warn: (m) => io.stderr(`warning: ${m}\n`),
      });
    } catch (err) {
      if (err instanceof InvalidRosterError) {
        io.stderr(`learning-rooms progress: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    const { report, changes, requests } = result;
    const counts = PROGRESS_STATUSES.filter((s) => report.counts[s] > 0).map((s) => `${s} ${report.counts[s]}`);
    io.stdout(`${report.learners.length} learners: ${counts.join(', ') || 'none'}\n`);
    io.stdout(
      `${changes.length} status change${changes.length === 1 ? '' : 's'}; ${requests.graphql} GraphQL and ${requests.rest} REST requests\n`,
    );
    for (const l of report.learners.filter((x) => x.error)) {
      io.stderr(
        `not read: @${l.github_handle} (${l.cohort_id}) ${l.repository}: ${l.error!.cause}: ${l.error!.message}; kept ${l.status}\n`,
      );
    }
    if (values['dry-run'])
      io.stdout(`dry run: nothing written (${reportPath}, ${result.markdownPath} and ${rosterPath} untouched)\n`);
    else
      io.stdout(
        `wrote ${reportPath}, ${result.markdownPath}${result.rosterWritten ? ` and ${rosterPath}` : ' (roster unchanged)'}\n`,
      );
    return report.errors > 0 ? 1 : 0;
  },
});
