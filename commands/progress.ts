import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidRosterError } from '../roster';
import { PROGRESS_STATUSES } from '../roster/types';
import { progressMarkdown } from '../dashboard/markdown';
import { runProgress } from '../progress/run';
import { ENV, resolveSettings } from '../progress/settings';
import { DEFAULT_OWNER } from '../contracts/settings';
import type { Command } from './io';

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${name}: expected a positive whole number, found "${text}"`);
  return Number(text);
}

export const progressCommand: Command = {
  summary: "read every learner's progress from GitHub into the roster and a report",
  usage: `Usage: learning-rooms progress [roster.json] [options]

Reads each learner's learning room (challenge issues, pull requests and their closing
keywords, "ack" and "day1-complete" comments, the invitation) as the GitHub App, derives a
status (docs/progress.md), writes it into the roster, and writes progress.json and
progress.md. Rooms unchanged since the previous progress.json are not read again.
A learner's room is named as synthesis names it (learner "repository", else the cohort's
repository_pattern, else $${ENV.repositoryPattern[0]}, else {cohort}-{handle}).

  roster.json               the roster (default: ./roster.json)
  --cohort ID               only this cohort (repeatable; default: every cohort)
  --report PATH             progress.json to write (default: beside the roster); the
                            Markdown report goes beside it as progress.md
  --owner NAME              owner of the rooms (default: $${ENV.owner[0]}, else ${DEFAULT_OWNER})
  --base-url URL            GitHub API (default: $${ENV.baseUrl[0]}, else https://api.github.com);
                            any other host is GitHub Enterprise Server (REST /api/v3, GraphQL /api/graphql)
  --app-id ID               GitHub App id (default: $${ENV.appId.join(' or $')})
  --installation-id ID      installation id (default: $${ENV.installationId.join(' or $')})
  --private-key-file PATH   the App's PEM key (default: $${ENV.privateKey.join(' or $')}, the PEM
                            text itself or a path to it)
  --token                   authenticate with $${ENV.token.join(' or $')} instead of the App
  --full                    read every room in full, ignoring the previous fingerprints
  --dry-run                 print the summary, write nothing
  --stuck N                 learners listed as stuck longest (default 10)
  --max-wait SECONDS        longest wait for a rate limit before giving up on a room (default 60)
  --request-interval MS     spacing of GraphQL requests (default 1000, GitHub's advice against
                            secondary rate limits; 0 for a local double)

Exit status: 0 every room read; 1 some rooms could not be read (their learners keep their
previous status, the report says why); 2 usage, settings or roster error.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        cohort: { type: 'string', multiple: true },
        report: { type: 'string' },
        owner: { type: 'string' },
        'base-url': { type: 'string' },
        'app-id': { type: 'string' },
        'installation-id': { type: 'string' },
        'private-key-file': { type: 'string' },
        token: { type: 'boolean' },
        full: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        stuck: { type: 'string' },
        'max-wait': { type: 'string' },
        'request-interval': { type: 'string' },
      },
    });
    if (positionals.length > 1) throw new Error('expected at most one roster file');
    const stuckLimit = positiveInt('--stuck', values.stuck);
    const maxWait = positiveInt('--max-wait', values['max-wait']);
    const interval = values['request-interval'];
    if (interval !== undefined && !/^\d+$/.test(interval)) throw new Error(`--request-interval: expected milliseconds (a whole number), found "${interval}"`);
    const rosterPath = resolve(io.cwd, positionals[0] ?? 'roster.json');
    const reportPath = values.report ? resolve(io.cwd, values.report) : resolve(dirname(rosterPath), 'progress.json');
    const { settings, errors } = resolveSettings(
      {
        baseUrl: values['base-url'],
        owner: values.owner,
        appId: values['app-id'],
        installationId: values['installation-id'],
        privateKeyFile: values['private-key-file'],
        token: values.token,
      },
      io.env,
      io.cwd,
    );
    if (!settings) {
      io.stderr(errors.map((e) => `learning-rooms progress: ${e}`).join('\n') + '\n');
      return 2;
    }
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
        minRequestIntervalMs: interval === undefined ? undefined : Number(interval),
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
    io.stdout(`${changes.length} status change${changes.length === 1 ? '' : 's'}; ${requests.graphql} GraphQL and ${requests.rest} REST requests\n`);
    for (const l of report.learners.filter((x) => x.error)) {
      io.stderr(`not read: @${l.github_handle} (${l.cohort_id}) ${l.repository}: ${l.error!.cause}: ${l.error!.message}; kept ${l.status}\n`);
    }
    if (!values['dry-run']) io.stdout(`wrote ${reportPath}, ${result.markdownPath}${result.rosterWritten ? ` and ${rosterPath}` : ' (roster unchanged)'}\n`);
    return report.errors > 0 ? 1 : 0;
  },
};
