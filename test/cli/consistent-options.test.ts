/**
 * One command line: every command that reads the roster takes it the same two ways, as the
 * argument and as --roster FILE, with the same result (two different files are a usage error
 * naming both); every renamed output option and its old spelling write the same files, the old
 * one with a note. Each command runs for real (progress and reconstruct against the GitHub
 * double), each time in a fresh copy of one workspace, so what one run writes cannot make another pass.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAppKeyPair, GitHubDouble, startGitHubDouble } from '@learning-rooms/github-double';
import { REGISTRATION_FIELDS, type RegistrationField } from '../../gitops/issue-form';
import { serializeRoster } from '../../roster';
import { OWNER, progressRoster, progressSeed, RoomSpec, TOKEN } from '../../test-kit/progress-world';
import { cli } from '../helpers/cli';
import { LOCK_FIXTURE } from '../gitops/stack-fixtures';

const ROOMS: RoomSpec[] = [
  { handle: 'alice' },
  { handle: 'bob', access: 'pending' },
  { handle: 'carol', missing: true },
];
const INDEX = 'cdktf.out/stacks/c1/learners.json';
/** Not the default name, so a command that ignored how the roster was given could not pass. */
const ROSTER = 'data/learners.json';
const dirs: string[] = [];
let double: GitHubDouble;
let template: string;
let env: NodeJS.ProcessEnv;

/** The issue form as GitHub renders it. */
function registration(): string {
  const fields: Record<RegistrationField, string> = {
    cohort_id: 'c1',
    path: 'web',
    name: 'Dana',
    email: '_No response_',
  };
  return (Object.keys(fields) as RegistrationField[])
    .map((k) => `### ${REGISTRATION_FIELDS[k]}\n\n${fields[k]}`)
    .join('\n\n');
}

beforeAll(async () => {
  double = await startGitHubDouble({ seed: progressSeed(ROOMS, generateAppKeyPair().publicKeyPem) });
  env = { PROVISIONING_STUDENT_OWNER: OWNER, GITHUB_BASE_URL: double.baseUrl, GITHUB_TOKEN: TOKEN };
  // The cohort's template (the default name), which propose-update --record-current reads.
  await fetch(`${double.apiUrl}/orgs/${OWNER}/repos`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'learning-room-template', is_template: true }),
  });
  double.admin('POST', '/_admin/push', { repo: `${OWNER}/learning-room-template`, files: { 'README.md': '# hi\n' } });
  template = mkdtempSync(join(tmpdir(), 'lr-both-ways-'));
  dirs.push(template);
  mkdirSync(join(template, 'data'));
  writeFileSync(join(template, ROSTER), serializeRoster(progressRoster(ROOMS)));
  mkdirSync(join(template, 'required-files'));
  writeFileSync(
    join(template, 'plan.json'),
    JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', resource_changes: [] }),
  );
  writeFileSync(join(template, 'apply.jsonl'), '');
  writeFileSync(join(template, 'issue.md'), registration());
  writeFileSync(
    join(template, 'export.csv'),
    '"identifier","github_username","github_id","name"\n"d@example.org","dana","1001","Dana"\n',
  );
  // The learner index the plan-reading commands take, written by synth once.
  expect(await cli(['synth', ROSTER], { cwd: template, env })).toMatchObject({ code: 0 });
});
afterAll(async () => {
  await double?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Arguments besides the roster, per command. */
const COMMANDS: [string, string[]][] = [
  ['validate', []],
  ['synth', []],
  ['progress', ['--token', '--request-interval', '0']],
  ['reconstruct', []],
  ['import-classroom', ['--csv', 'export.csv', '--prefix', 'hw1', '--cohort', 'c1', '--path', 'web']],
  [
    'record',
    [
      '--plan',
      'plan.json',
      '--apply',
      'apply.jsonl',
      '--cohort',
      'c1',
      '--run-id',
      'r1',
      '--summary-out',
      'summary.md',
    ],
  ],
  ['register', ['--issue-body-file', 'issue.md', '--author', 'dana']],
  ['check-plan', ['--plan', 'plan.json', '--cohort', 'c1']],
  ['expired-invitations', ['--index', INDEX]],
  ['watchdog-report', ['--plan', 'plan.json', '--index', INDEX, '--out', 'issue-body.md']],
  ['changed-stacks', ['--head', 'cdktf.out', '--mode', 'apply', '--out', 'scope.json']],
  ['fingerprint', ['--synth', 'cdktf.out', '--token', '--request-interval', '0', '--out', 'scope.json']],
  ['migrate-shards', ['--cohort', 'c1', '--state-dir', 'not-empty', '--dry-run']],
  ['propose-update', ['--record-current', '--request-interval', '0']],
];

/** Every file under `dir` with its text. */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(dir, prefix)).flatMap((name) => {
      const path = join(prefix, name);
      return statSync(join(dir, path)).isDirectory()
        ? Object.entries(snapshot(dir, path))
        : [[path, readFileSync(join(dir, path), 'utf8')]];
    }),
  );
}

/** Runs the command in a fresh copy of the workspace; `written` are files to read back afterwards. */
async function runIn(args: string[], written: string[] = []) {
  const cwd = mkdtempSync(join(tmpdir(), 'lr-both-ways-run-'));
  dirs.push(cwd);
  cpSync(template, cwd, { recursive: true });
  mkdirSync(join(cwd, 'not-empty'));
  writeFileSync(join(cwd, 'not-empty', 'x'), '');
  const res = await cli(args, { cwd, env });
  // Paths name the run's folder; times differ between runs of the same work.
  const same = (text: string) =>
    text
      .split(cwd)
      .join('<cwd>')
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
  const files = Object.fromEntries(
    written.map((f) => [f, existsSync(join(cwd, f)) ? same(readFileSync(join(cwd, f), 'utf8')) : 'missing']),
  );
  return {
    code: res.code,
    stdout: same(res.stdout),
    stderr: same(res.stderr),
    roster: same(readFileSync(join(cwd, ROSTER), 'utf8')),
    files,
    cwd,
  };
}

describe.each(COMMANDS)('%s', (name, args) => {
  it('takes the roster as the argument and as --roster, with the same result', async () => {
    const asArgument = await runIn([name, ROSTER, ...args]);
    const asOption = await runIn([name, ...args, '--roster', ROSTER]);
    expect({ ...asOption, cwd: '' }).toEqual({ ...asArgument, cwd: '' });
    // It did its work, and with this roster: a command that updates it did.
    expect({ code: asArgument.code, stderr: asArgument.stderr }).toEqual({
      code: 0,
      stderr: expect.not.stringMatching(/learning-rooms/),
    });
    if (['import-classroom', 'register', 'progress', 'record', 'propose-update'].includes(name))
      expect(asArgument.roster).not.toBe(readFileSync(join(template, ROSTER), 'utf8'));
  });

  it('refuses two different files, naming both', async () => {
    const res = await runIn([name, 'other.json', ...args, '--roster', ROSTER]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `learning-rooms ${name}: two different files given: the argument other.json and --roster ${ROSTER}; give one`,
    );
  });
});

/** [command, arguments around the output option, new spelling, old spelling, value, files it writes there]. */
const RENAMED: [string, string[], string, string, string, string[]][] = [
  [
    'synth',
    [ROSTER],
    '--out-dir',
    '--outdir',
    'stacks-out',
    ['stacks-out/stacks/c1/cdk.tf.json', 'stacks-out/stacks/c1/learners.json'],
  ],
  ['progress', [ROSTER, '--token', '--request-interval', '0'], '--out', '--report', 'p.json', ['p.json', 'p.md']],
  ['reconstruct', [ROSTER], '--out-dir', '--out', 'imp', ['imp/c1.json']],
  [
    'record',
    [ROSTER, '--plan', 'plan.json', '--apply', 'apply.jsonl', '--cohort', 'c1', '--run-id', 'r1'],
    '--summary-out',
    '--summary-file',
    's.md',
    ['s.md'],
  ],
  [
    'register',
    [ROSTER, '--issue-body-file', 'issue.md', '--author', 'dana', '--issue-number', '5'],
    '--out',
    '--result-file',
    'r.json',
    ['r.json'],
  ],
  [
    'prepare-stack',
    ['--dir', 'cdktf.out/stacks/c1', '--lock-file', LOCK_FIXTURE, '--state-dir', 'state'],
    '--out-dir',
    '--out',
    'run',
    ['run/cdk.tf.json', 'run/backend_override.tf.json'],
  ],
  // Refused before anything is read: the message names the folder under its new name.
  ['pull-request-data', ['--commit', 'a'.repeat(40)], '--out-dir', '--out', 'not-empty', []],
];

describe.each(RENAMED)('%s', (name, args, option, old, value, written) => {
  it(`${option} writes what ${old} wrote; ${old} still works, with a note on stderr`, async () => {
    const now = await runIn([name, ...args, option, value], written);
    const before = await runIn([name, ...args, old, value], written);
    const note = `learning-rooms ${name}: ${old} is an old spelling of ${option}, accepted until the next release; use ${option}\n`;
    expect({ ...before, cwd: '' }).toEqual({ ...now, stderr: note + now.stderr, cwd: '' });
    expect(now.stderr).not.toContain('old spelling');
    for (const f of written) expect({ f, text: now.files[f] }).not.toEqual({ f, text: 'missing' });
    if (written.length === 0) expect(now.stderr).toContain(`${option} not-empty: expected a new or empty folder`);
    else expect(now.code).toBe(0);
  });
});

/** Every command that writes more than the files its --out options name, with what it writes without --dry-run. */
const DRY_RUN: [string, string[], string][] = [
  ['synth', [ROSTER, '--out-dir', 'o'], 'o/stacks/c1/cdk.tf.json'],
  ['progress', [ROSTER, '--token', '--request-interval', '0'], 'data/progress.json'],
  ['reconstruct', [ROSTER], 'imports/c1.json'],
  ['import-classroom', [ROSTER, '--csv', 'export.csv', '--prefix', 'hw1', '--cohort', 'c1', '--path', 'web'], ROSTER],
  [
    'record',
    [
      ROSTER,
      '--plan',
      'plan.json',
      '--apply',
      'apply.jsonl',
      '--cohort',
      'c1',
      '--run-id',
      'r1',
      '--summary-out',
      's.md',
    ],
    'provisioning-log.json',
  ],
  [
    'register',
    [ROSTER, '--issue-body-file', 'issue.md', '--author', 'dana', '--issue-number', '5', '--out', 'r.json'],
    'r.json',
  ],
  [
    'prepare-stack',
    ['--dir', 'cdktf.out/stacks/c1', '--lock-file', LOCK_FIXTURE, '--out-dir', 'run'],
    'run/cdk.tf.json',
  ],
  ['propose-update', [ROSTER, '--record-current', '--request-interval', '0'], ROSTER],
];

describe.each(DRY_RUN)('%s --dry-run', (name, args, file) => {
  it('does all the work and writes nothing', async () => {
    const wet = await runIn([name, ...args], [file]);
    expect(wet.code).toBe(0);
    expect(wet.files[file]).not.toBe('missing');
    const cwd = mkdtempSync(join(tmpdir(), 'lr-dry-run-'));
    dirs.push(cwd);
    cpSync(template, cwd, { recursive: true });
    const before = snapshot(cwd);
    const dry = await cli([name, ...args, '--dry-run'], { cwd, env });
    expect({ code: dry.code, stderr: dry.stderr }).toEqual({
      code: 0,
      stderr: expect.not.stringMatching(/learning-rooms/),
    });
    expect(snapshot(cwd)).toEqual(before);
    expect(dry.stdout + dry.stderr).toMatch(/dry run/i);
  });
});

test('every usage problem of a command line is reported at once, one a line, exit 2', async () => {
  const res = await runIn([
    'progress',
    ROSTER,
    '--stuck',
    '0',
    '--max-wait',
    'soon',
    '--request-interval',
    '1.5',
    '--nope',
    'extra.json',
    '--owner',
  ]);
  expect(res.code).toBe(2);
  expect(res.stderr.split('\n')).toEqual([
    'learning-rooms progress: unknown option --nope',
    'learning-rooms progress: --owner: expected a value (NAME)',
    `learning-rooms progress: expected at most one argument (roster.json), found 2: ${ROSTER} extra.json`,
    'learning-rooms progress: --stuck: expected a positive whole number, found "0"',
    'learning-rooms progress: --max-wait: expected a positive whole number, found "soon"',
    'learning-rooms progress: --request-interval: expected milliseconds (a whole number), found "1.5"',
    '(see learning-rooms progress --help)',
    '',
  ]);
});
