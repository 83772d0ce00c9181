import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatRosterError, readRosterFile, writeRosterFile } from '../roster';
import { readSettings } from '../contracts/settings';
import { createClient } from '../shared/github-client';
import { readGitHubCredentials } from '../shared/github-credentials';
import { writeFileAtomic } from '../shared/atomic-write';
import { escapeControls } from '../shared/terminal-text';
import { WRITE_SHARE } from '../synthesis/rate-budget';
import { starterCodeSection, starterCodeSummary } from '../gitops/starter-code-summary';
import { templateHead } from '../updates/github';
import { recordTemplateRefs, type TemplateRefMove } from '../updates/record';
import { reportText } from '../updates/report-text';
import { proposeUpdates, templateRefMoves, type ProposeResult } from '../updates/run';
import { selectUnits } from '../updates/units';
import type { CliIo } from './io';
import { defineCommand, optionEnv } from './command';
import { AT, DRY_RUN, GITHUB_OPTIONS, outFile, rosterArgument } from './common-options';

const WHOLE = /^\d+$/;

const options = {
  cohort: { type: 'string', multiple: true, value: 'ID', help: 'only this cohort (repeatable; default: every cohort)' },
  assignment: {
    type: 'string',
    multiple: true,
    value: 'ID',
    help: "only this assignment (repeatable; default: every assignment, and every cohort's rooms when it has none)",
  },
  at: {
    ...AT,
    help: "the instant a course's rooms are read at: an assignment's rooms from its opens, none from the end of course; default: the run's start, now (docs/course.md)",
  },
  limit: {
    type: 'string',
    value: 'N',
    help: 'open at most N pull requests this run, to update a class in batches (the next run continues)',
  },
  'record-current': {
    type: 'boolean',
    help: "record each template's current commit as the cohort's (or assignment's) template_ref, where none is recorded yet; opens nothing",
  },
  count: {
    type: 'boolean',
    help: 'only say, per template, how many files changed since template_ref and how many rooms would get a pull request (reads no room)',
  },
  'max-writes': {
    type: 'string',
    value: 'N',
    help: "most content-creating requests this run (default: 75% of LEARNING_ROOMS_CONTENT_WRITES_PER_HOUR, GitHub's hourly limit)",
  },
  out: outFile('write the result as JSON (the starter-code lines plan-comment --starter-code reads, and every room)'),
  'summary-out': outFile('also append the Markdown summary to FILE (default: $GITHUB_STEP_SUMMARY when set)'),
  ...GITHUB_OPTIONS,
  'request-interval': {
    type: 'string',
    value: 'MS',
    help: "spacing of writes (default 1000, and 3000 for opening a pull request: GitHub's advice against secondary rate limits; 0 for a local double)",
  },
  'max-wait': {
    type: 'string',
    value: 'SECONDS',
    help: 'longest wait for a rate limit before stopping the run (default 60)',
  },
  'dry-run': {
    ...DRY_RUN,
    help: `${DRY_RUN.help}: read the templates and the rooms, list each room's files; no branch, file, pull request or roster change (the --out and --summary-out files are written)`,
  },
} as const;

function whole(name: string, text: string | undefined, min: number): string[] {
  return text !== undefined && (!WHOLE.test(text) || Number(text) < min)
    ? [`${name}: expected a whole number of at least ${min}, found "${text}"`]
    : [];
}

function writeOutputs(
  io: CliIo,
  values: { out?: string; 'summary-out'?: string },
  result: ProposeResult,
  extra: { dryRun: boolean; countOnly: boolean; recorded: TemplateRefMove[] },
): void {
  if (values.out)
    writeFileAtomic(
      resolve(io.cwd, values.out),
      JSON.stringify(
        {
          format_version: 1,
          units: result.units.map((u) => u.status),
          rooms: result.rooms,
          ...(result.stopped ? { stopped: result.stopped } : {}),
          recorded: extra.recorded,
          requests: result.requests,
          writes: result.writes,
        },
        null,
        2,
      ) + '\n',
    );
  const summary = values['summary-out'] ? resolve(io.cwd, values['summary-out']) : io.env.GITHUB_STEP_SUMMARY;
  if (!summary) return;
  // --count (the Apply summary's line): only the templates that moved, nothing when none did.
  const text = extra.countOnly
    ? starterCodeSection(result.units.map((u) => u.status)).join('\n')
    : starterCodeSummary(result, { dryRun: extra.dryRun });
  if (text) appendFileSync(summary, text + '\n');
}

export const proposeUpdateCommand = defineCommand({
  name: 'propose-update',
  summary: "offer a template's newer starter code to every room, one pull request per room",
  usage: [
    '[roster.json] [--cohort ID ...] [--assignment ID ...] [--limit N] [--dry-run] [options]',
    '[roster.json] --record-current [--cohort ID ...] [--dry-run]',
    '[roster.json] --count [--out FILE]',
  ],
  description: `When a template changed after rooms were made from it, opens one pull request per room
(branch learning-rooms/starter-update-<commit>) with the files that changed between the
commit recorded as the cohort's (or assignment's) template_ref and the template's head:
added, modified and removed files; required files stay Terraform's. A learner's default
branch is never written. Rooms with our pull request (open, merged or closed) are skipped,
so a run can be repeated; files the learner already has as the template has them are not
written. When every room of a cohort is done, its template_ref moves to the head in the
roster. The run stops between rooms before the installation's rate budget runs out and
says what is left for the next run. docs/starter-code-updates.md.`,
  argument: rosterArgument('the roster to read (and update: template_ref)', { default: 'roster.json' }),
  options,
  environment:
    'LEARNING_ROOM_TEMPLATE_REPO, LEARNING_ROOMS_REPOSITORY_PATTERN, LEARNING_ROOMS_CONTENT_WRITES_PER_HOUR (as for synthesis); credentials as for the provider: GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PEM_FILE, or GITHUB_TOKEN (Contents and Pull requests: write on the rooms).',
  exitStatus:
    '0 done, or stopped cleanly for the budget or --limit (the next run continues); 1 a room failed or a template could not be read; 2 usage, settings, credentials or roster error.',
  usageProblems: ({ values }) => [
    ...whole('--limit', values.limit, 1),
    ...whole('--max-writes', values['max-writes'], 1),
    ...whole('--request-interval', values['request-interval'], 0),
    ...whole('--max-wait', values['max-wait'], 1),
    ...(values['record-current'] && values.count ? ['--record-current and --count: give one of them'] : []),
    ...(values.limit !== undefined && (values['record-current'] || values.count)
      ? ['--limit: applies only to proposing (not with --record-current or --count)']
      : []),
  ],
  async run({ values, file = 'roster.json' }, io) {
    const fail = (lines: string[]) => {
      io.stderr(lines.map((l) => `learning-rooms propose-update: ${l}`).join('\n') + '\n');
      return 2;
    };
    const rosterPath = resolve(io.cwd, file);
    const { roster, errors } = readRosterFile(rosterPath);
    const { settings, errors: settingErrors } = readSettings(optionEnv(options, values, io.env));
    const { credentials, errors: credentialErrors } = readGitHubCredentials(io.env);
    const { units, problems } =
      settings && roster
        ? selectUnits(roster, {
            defaultTemplate: settings.templateRepo,
            defaultPattern: settings.repositoryPattern,
            cohorts: values.cohort,
            assignments: values.assignment,
            at: new Date(settings.at ?? settings.runStartedAt ?? Date.now()),
          })
        : { units: [], problems: [] };
    const all = [...errors.map((e) => formatRosterError(e, file)), ...settingErrors, ...credentialErrors, ...problems];
    if (all.length > 0 || !roster || !settings || !credentials) return fail(all);

    io.stderr(`rooms of ${settings.owner} at ${settings.baseUrl} as ${credentials.describe}\n`);
    const number = (t: string | undefined) => (t === undefined ? undefined : Number(t));
    const octokit = createClient({
      baseUrl: settings.baseUrl,
      auth: credentials.auth,
      userAgent: 'learning-rooms-propose-update',
      maxRateLimitWaitSeconds: number(values['max-wait']),
      minRequestIntervalMs: number(values['request-interval']),
      minNotificationIntervalMs: number(values['request-interval']),
      warn: (m) => io.stderr(`warning: ${m}\n`),
    });
    const dryRun = values['dry-run'] === true;

    if (values['record-current']) {
      const moves: TemplateRefMove[] = [];
      let unreadable = 0;
      for (const u of units) {
        const where = u.assignment_id
          ? `assignment ${u.assignment_id} of cohort ${u.cohort_id}`
          : `cohort ${u.cohort_id}`;
        if (u.template_ref) {
          io.stdout(
            `${escapeControls(where)}: already recorded at ${u.template_ref.slice(0, 7)} (a finished round moves it; to change it by hand, edit template_ref in the roster)\n`,
          );
          continue;
        }
        try {
          const sha = await templateHead(octokit, u.template);
          moves.push({ cohort_id: u.cohort_id, ...(u.assignment_id ? { assignment_id: u.assignment_id } : {}), sha });
          io.stdout(
            `${escapeControls(where)}: ${dryRun ? 'would record' : 'recorded'} ${escapeControls(u.template)} at ${sha.slice(0, 7)}\n`,
          );
        } catch (err) {
          unreadable++;
          io.stderr(`${escapeControls(where)}: cannot read ${escapeControls(u.template)}: ${(err as Error).message}\n`);
        }
      }
      if (moves.length > 0 && !dryRun) writeRosterFile(rosterPath, recordTemplateRefs(roster, moves));
      if (dryRun) io.stdout(`dry run: ${rosterPath} untouched\n`);
      else io.stdout(moves.length > 0 ? `wrote ${rosterPath}\n` : 'nothing to record\n');
      return unreadable > 0 ? 1 : 0;
    }

    const result = await proposeUpdates({
      octokit,
      owner: settings.owner,
      units,
      dryRun,
      countOnly: values.count,
      limit: number(values.limit),
      budget: {
        maxWrites: number(values['max-writes']) ?? Math.floor(settings.contentWritesPerHour * WRITE_SHARE),
      },
    });
    const moves = dryRun || values.count ? [] : templateRefMoves(result);
    if (moves.length > 0) writeRosterFile(rosterPath, recordTemplateRefs(roster, moves));
    writeOutputs(io, values, result, { dryRun, countOnly: values.count === true, recorded: moves });
    io.stdout(reportText(result, { dryRun, countOnly: values.count }));
    for (const m of moves)
      io.stdout(
        `recorded: ${m.assignment_id ? `assignment ${m.assignment_id} of ` : ''}cohort ${m.cohort_id} now at ${m.sha.slice(0, 7)} (every room done)\n`,
      );
    if (dryRun) io.stdout(`dry run: nothing written (no branch, file or pull request; ${rosterPath} untouched)\n`);
    const failed =
      result.rooms.some((r) => r.outcome === 'failed') || result.units.some((u) => u.status.state === 'unreadable');
    return failed ? 1 : 0;
  },
});
