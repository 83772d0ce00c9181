/**
 * `learning-rooms rehearse --simulate` end to end with the fake terraform (fake-terraform.ts): the
 * double seeded from the roster, the key pair, the settings and credentials each step gets, the
 * order of the steps, the real records, the learners' play, the watchdog's heal, the report, and
 * the double stopped at the end.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli, type CliResult } from '../helpers/cli';
import { derivedPlan, type FakeCall } from './fake-terraform';
import { doubleUrl, listening, world, type World } from './world';

const DRIFTED_FILE = 'github_repository_file.learner-alice-nguyen--github_workflows_progress_yml';
const EXPIRED = 'github_repository_collaborator.learner-carol-d';

let w: World;
let r: CliResult;
beforeAll(async () => {
  w = world({ later: derivedPlan({ [DRIFTED_FILE]: ['create'], [EXPIRED]: ['delete', 'create'] }) });
  r = await cli(['rehearse', w.roster, '--simulate', '--out-dir', w.out], { env: w.env, cwd: w.root });
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
}, 60_000);

const read = (...p: string[]) => readFileSync(join(w.out, ...p), 'utf8');

test('the double was seeded from the roster: its owner, the template without the required files, every learner, two installations with the documented permissions', () => {
  const seed = JSON.parse(read('app', 'seed.json'));
  expect(seed.orgs).toEqual([{ login: 'learning-rooms-example', name: 'learning-rooms-example (rehearsal)' }]);
  expect(seed.users).toEqual(['alice-nguyen', 'BobOkafor', 'carol-d']);
  expect(
    seed.repos.map((x: { owner: string; name: string; is_template: boolean; files: object }) => [
      x.owner,
      x.name,
      x.is_template,
      Object.keys(x.files),
    ]),
  ).toEqual([['learning-rooms-example', 'learning-room-template', true, ['README.md']]]);
  expect(seed.app.installations).toEqual([
    {
      id: 1001,
      account: 'learning-rooms-example',
      permissions: {
        administration: 'write',
        contents: 'write',
        pull_requests: 'write',
        workflows: 'write',
        metadata: 'read',
      },
    },
    {
      id: 1002,
      account: 'learning-rooms-example',
      permissions: {
        administration: 'read',
        contents: 'read',
        issues: 'read',
        pull_requests: 'read',
        metadata: 'read',
      },
    },
  ]);
  expect(seed.app.publicKey).toBe(read('app', 'app.pub.pem'));
});

test('the throwaway key is a PKCS#1 PEM, readable by the operator only, and never printed or logged', () => {
  const key = read('app', 'app.pem');
  expect(key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
  expect(statSync(join(w.out, 'app', 'app.pem')).mode & 0o777).toBe(0o600);
  const body = key.split('\n')[1];
  for (const text of [r.stdout, r.stderr, read('rehearsal.log'), read('summary.txt')]) expect(text).not.toContain(body);
});

/** A call of the fake, with only what a test compares. */
const brief = (c: FakeCall) => ({
  run: [c.args[0], ...c.args.filter((a) => /^-(replace|lock)/.test(a))].join(' '),
  at: c.cwd.startsWith(w.out) ? c.cwd.slice(w.out.length + 1) : c.cwd,
  app: c.env.GITHUB_APP_ID && `${c.env.GITHUB_APP_ID}/${c.env.GITHUB_APP_INSTALLATION_ID}/${c.env.GITHUB_APP_PEM_FILE}`,
});

test('Terraform runs in the trusted folders, in the workflows’ order, with the App credentials only to plan and apply (the provisioning App to apply, the read-only App to check)', () => {
  const provisioning = '1000/1001/PKCS#1 PEM';
  const readOnly = '1000/1002/PKCS#1 PEM';
  const apply = '1-apply/apply/2026-spring/run/2026-spring';
  const check = '3-watchdog/check/2026-spring/run/2026-spring';
  const heal = '3-watchdog/heal/2026-spring/run/2026-spring';
  const calls = w.tf.calls().map(brief);
  expect(calls.slice(2)).toEqual([
    { run: 'init -lockfile=readonly', at: apply, app: null },
    { run: 'plan -lock-timeout=10m', at: apply, app: provisioning },
    { run: 'show', at: apply, app: provisioning },
    { run: 'apply', at: apply, app: provisioning },
    { run: 'init -lockfile=readonly', at: check, app: null },
    { run: 'plan -lock=false', at: check, app: readOnly },
    { run: 'show', at: check, app: readOnly },
    { run: 'init -lockfile=readonly', at: heal, app: null },
    { run: `plan -lock-timeout=10m -replace=${EXPIRED}`, at: heal, app: provisioning },
    { run: 'show', at: heal, app: provisioning },
    { run: 'apply', at: heal, app: provisioning },
  ]);
  // Before anything started: the version, then the lock from the registry (no mirror given), in a folder of its own.
  expect(calls.slice(0, 2).map((c) => c.run)).toEqual(['version', 'providers']);
  for (const c of w.tf.calls().slice(2)) {
    expect(c.env.TF_CLI_CONFIG_FILE).toBe(`${c.cwd}.tfrc`);
    expect(c.env.TF_IN_AUTOMATION).toBe('1');
    expect(c.env.STACK).toBe('2026-spring');
    expect(c.env.GITHUB_TOKEN).toBeNull();
    expect(c.env.GITHUB_BASE_URL).toBe(doubleUrl(r.stdout).href);
  }
  for (const c of w.tf.calls().slice(0, 2)) expect(c.env).toMatchObject({ GITHUB_APP_ID: null, GITHUB_TOKEN: null });
});

test('each trusted folder holds what prepare-stack wrote: the checked stack, the backend override, the rehearsal’s lock file; the CLI configuration beside it', () => {
  const dir = join(w.out, '1-apply', 'apply', '2026-spring', 'run', '2026-spring');
  expect(read('1-apply', 'apply', '2026-spring', 'run', '2026-spring', '.terraform.lock.hcl')).toBe(
    read('.terraform.lock.hcl'),
  );
  expect(JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')).provider.github[0]).toMatchObject({
    owner: 'learning-rooms-example',
    base_url: doubleUrl(r.stdout).href,
    write_delay_ms: 10,
    read_delay_ms: 10,
  });
  expect(readFileSync(`${dir}.tfrc`, 'utf8')).toMatch(
    /direct \{\s*include = \["registry\.terraform\.io\/integrations\/github"\]/,
  );
});

test('the records are the real ones: created, then healed, in the log and the roster, committed to the admin repository’s main', () => {
  const log = JSON.parse(read('provisioning-log.json')) as {
    entries: { run_id: string; learner: string; outcome: string }[];
  };
  const runs = [...new Set(log.entries.map((e) => e.run_id))];
  expect(runs).toHaveLength(2);
  expect(log.entries.filter((e) => e.run_id === runs[0]).map((e) => [e.learner, e.outcome])).toEqual([
    ['alice-nguyen', 'created'],
    ['BobOkafor', 'created'],
    ['carol-d', 'created'],
  ]);
  expect(log.entries.filter((e) => e.run_id === runs[1] && e.outcome === 'healed').map((e) => e.learner)).toEqual([
    'alice-nguyen',
    'carol-d',
  ]);
  const roster = JSON.parse(read('roster.json')) as {
    learners: { github_handle: string; provisioning: { state: string } }[];
  };
  expect(roster.learners.map((l) => [l.github_handle, l.provisioning.state])).toEqual([
    ['alice-nguyen', 'provisioned'],
    ['BobOkafor', 'provisioned'],
    ['carol-d', 'provisioned'],
  ]);
  const commits = execFileSync('git', ['-C', join(w.out, 'admin.git'), 'log', '--format=%s', 'main'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .reverse();
  expect(commits.map((c) => c.replace(/[0-9a-f]{12}/, 'SHA'))).toEqual([
    'The admin repository of the rehearsal',
    'learning-rooms: record the apply of SHA to 2026-spring [skip ci]',
    'learning-rooms: progress of record [skip ci]',
    'learning-rooms: record the apply of SHA to 2026-spring [skip ci]',
    'learning-rooms: progress of record [skip ci]',
  ]);
});

test('the learners played, the watchdog saw the drift and the expired invitation, and the heal re-sent it: the last progress says so', () => {
  expect(r.stdout).toMatch(/fingerprint: differs from the configuration: 2026-spring/);
  expect(r.stdout).toMatch(/report: unhealthy; heal: 2026-spring/);
  expect(r.stdout).toMatch(
    /heal 2026-spring: plan changes; 1 expired invitation\(s\) re-sent \(-replace\); apply done; recorded: /,
  );
  const progress = JSON.parse(read('roster.json')) as {
    learners: { github_handle: string; progress: { status: string; challenges_closed?: number } }[];
  };
  expect(progress.learners.map((l) => [l.github_handle, l.progress.status, l.progress.challenges_closed ?? 0])).toEqual(
    [
      ['alice-nguyen', 'complete', 3],
      ['BobOkafor', 'in-progress', 1],
      ['carol-d', 'invited', 0],
    ],
  );
  expect(read('dashboard', 'index.html')).toContain('carol-d');
  expect(read('progress.md')).toContain('alice-nguyen');
});

test('it prints, per learner, what was recorded, the status, what they did and the requests made for the room', () => {
  const table = r.stdout.slice(r.stdout.indexOf('\nlearner '));
  const row = (h: string) => table.split('\n').find((l) => l.startsWith(`${h} `)) ?? '';
  expect(row('alice-nguyen')).toMatch(
    /^alice-nguyen +2026-spring +2026-spring-alice-nguyen +created, healed +complete \(3 of 3\) +accepted, ack, closed 3 of 3, day1-complete, \.github\/workflows\/progress\.yml deleted +\d+ \/ \d+$/,
  );
  expect(row('carol-d')).toMatch(
    /^carol-d +2026-spring +2026-spring-carol-d +created, healed +invited \(0 of 3\) +let the invitation expire +\d+ \/ \d+$/,
  );
  const requests = JSON.parse(read('requests.json')) as {
    learners: { learner: string; requests: { apply: number; all: number } }[];
  };
  const byLearner = Object.fromEntries(requests.learners.map((l) => [l.learner, l.requests]));
  for (const l of requests.learners) expect(l.requests.apply).toBeGreaterThan(0);
  // The heal wrote to these two rooms after the first apply.
  for (const h of ['alice-nguyen', 'carol-d']) expect(byLearner[h].all).toBeGreaterThan(byLearner[h].apply);
  expect(r.stdout).toMatch(/the GitHub double is stopped\. Everything is in .* \(README\.txt says what each file is\)/);
  for (const f of [
    'roster.json',
    'provisioning-log.json',
    'progress.json',
    'dashboard/',
    'requests.json',
    'rehearsal.log',
    'app/app.pem',
  ])
    expect(read('README.txt')).toContain(f);
});

test('the double is stopped at the end', async () => {
  expect(await listening(doubleUrl(r.stdout))).toBe(false);
});

test('the apply’s starter-code step (issue 16) asks the double as the provisioning App; with no template_ref recorded it says so and the apply goes on', () => {
  const log = read('rehearsal.log');
  const from = log.indexOf('== apply-stacks.yml apply (2026-spring): Starter code of the cohort');
  expect(from).toBeGreaterThan(-1);
  const section = log.slice(from, log.indexOf('\n== ', from + 1));
  expect(section).toMatch(
    /\n\$ \S+ \S+learning-rooms\.js propose-update roster\.json --count --cohort 2026-spring --summary-out \S+step-summary\.apply\.md +\(in \S+; as the provisioning App\)\n/,
  );
  expect(section).toContain('(cohort 2026-spring): no template commit recorded');
  expect(section).toContain(`rooms of learning-rooms-example at ${doubleUrl(r.stdout).href}`);
  expect(section).toContain('-> exit 0');
});
