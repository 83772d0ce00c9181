import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildDashboard, DEFAULT_IDLE_DAYS, sharedSources } from '../dashboard/model';
import { readSources } from '../dashboard/inputs';
import { renderDashboard } from '../dashboard/render';
import { HISTORY_FILE } from '../progress/history';
import { writeFileIfChanged } from '../shared/write-if-changed';
import { defineCommand } from './command';
import { outFile, rosterArgument } from './common-options';

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new Error(`${name}: expected a positive whole number of days, found "${text}"`);
  return Number(text);
}

function webAddress(name: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${name}: expected an http(s) address such as https://github.com, found "${text}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`${name}: expected an http(s) address, found "${text}"`);
  return text.replace(/\/+$/, '');
}

const options = {
  progress: { type: 'string', value: 'FILE', help: 'the progress report (default: progress.json beside the roster)' },
  history: {
    type: 'string',
    value: 'FILE',
    help: `the progress history (default: ${HISTORY_FILE} beside the report, if present)`,
  },
  log: {
    type: 'string',
    value: 'FILE',
    help: 'the provisioning log (default: provisioning-log.json beside the roster, if present)',
  },
  index: {
    type: 'string',
    value: 'FILE',
    multiple: true,
    help: 'a learner index from synthesis (repeatable): who the current plan admits',
  },
  watchdog: { type: 'string', value: 'FILE', help: "the watchdog's findings (watchdog-report --findings-out)" },
  out: outFile('the page (default: dashboard/index.html beside the roster)'),
  'redacted-out': outFile('the shared page (default: dashboard/redacted.html beside the roster)'),
  'idle-days': {
    type: 'string',
    value: 'N',
    help: `days without activity before a learner needs help (default ${DEFAULT_IDLE_DAYS})`,
  },
  'web-url': {
    type: 'string',
    value: 'URL',
    help: "GitHub's web address for links (default: $GITHUB_SERVER_URL, else https://github.com)",
  },
  'run-url': {
    type: 'string',
    value: 'URL',
    help: 'address prefix of workflow runs, to link failed applies (default: $GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/ when both are set)',
  },
} as const;

export const dashboardCommand = defineCommand({
  name: 'dashboard',
  summary: 'write the facilitator dashboard (one accessible HTML page) and its redacted twin',
  usage: ['[roster.json] [options]'],
  description: `Writes one self-contained HTML page (no external asset, readable without script) from the
roster, progress.json, the progress history, the provisioning log and, when given, learner
indexes and the watchdog's findings: who needs your action (expired invitations, failed applies,
queued learners and their expected apply, missing or archived rooms, rooms not read, drift), who
needs help (no activity for N days), everyone by cohort and path, and completion over time.
The redacted page keeps handles and statuses only, for sharing. A page whose records did not
change is not rewritten (docs/dashboard.md). Writes only the two pages (so it takes no --dry-run).`,
  argument: rosterArgument('the roster', { default: 'roster.json' }),
  options,
  environment: 'GITHUB_SERVER_URL and GITHUB_REPOSITORY (set by GitHub Actions) for the default links.',
  exitStatus: '0 written (or unchanged); 2 usage error, or a record that cannot be read (every problem is listed).',
  async run({ values, file = 'roster.json' }, io) {
    const idleDays = positiveInt('--idle-days', values['idle-days']) ?? DEFAULT_IDLE_DAYS;
    const server = io.env.GITHUB_SERVER_URL;
    const webUrl = webAddress('--web-url', values['web-url'] ?? server ?? 'https://github.com');
    const runUrl =
      values['run-url'] ??
      (server && io.env.GITHUB_REPOSITORY
        ? `${server.replace(/\/+$/, '')}/${io.env.GITHUB_REPOSITORY}/actions/runs/`
        : undefined);
    if (runUrl !== undefined) webAddress('--run-url', runUrl);
    const at = (p: string) => resolve(io.cwd, p);
    const rosterPath = at(file);
    const beside = (name: string) => resolve(dirname(rosterPath), name);
    const progressPath = values.progress ? at(values.progress) : beside('progress.json');
    const { sources, problems } = readSources({
      roster: rosterPath,
      progress: progressPath,
      history: values.history ? at(values.history) : resolve(dirname(progressPath), HISTORY_FILE),
      log: values.log ? at(values.log) : beside('provisioning-log.json'),
      indexes: (values.index ?? []).map(at),
      ...(values.watchdog ? { watchdog: at(values.watchdog) } : {}),
    });
    if (!sources) {
      io.stderr(problems.map((p) => `learning-rooms dashboard: ${p}`).join('\n') + '\n');
      return 2;
    }
    const full = renderDashboard(buildDashboard({ ...sources, idleDays }), { webUrl, ...(runUrl ? { runUrl } : {}) });
    const shared = renderDashboard(buildDashboard(sharedSources({ ...sources, idleDays })), { webUrl, redacted: true });
    const outPath = values.out ? at(values.out) : beside('dashboard/index.html');
    const sharedPath = values['redacted-out'] ? at(values['redacted-out']) : beside('dashboard/redacted.html');
    for (const [path, html] of [
      [outPath, full],
      [sharedPath, shared],
    ] as const) {
      mkdirSync(dirname(path), { recursive: true });
      const written = writeFileIfChanged(path, html);
      io.stdout(
        `${written ? 'wrote' : 'unchanged'} ${path} (${Math.round(Buffer.byteLength(html) / 1024).toLocaleString('en-US')} KiB)\n`,
      );
    }
    return 0;
  },
});
