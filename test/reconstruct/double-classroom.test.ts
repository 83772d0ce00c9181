/**
 * A GitHub Classroom migration against the GitHub double: Classroom's repositories exist, the
 * roster export becomes roster entries, reconstruct adopts what exists, synthesis imports it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubDouble, startGitHubDouble } from '@learning-rooms/github-double';
import type { ImportsFile } from '../../contracts/import-entries';
import { findLearner, loadRoster, serializeRoster } from '../../roster';
import { collaboratorAddress, fileAddress, repositoryAddress } from '../../contracts/room-addresses';
import { cli } from '../helpers/cli';

const OWNER = 'school';
const PROGRESS = '.github/workflows/progress.yml';
let double: GitHubDouble;

beforeAll(async () => {
  double = await startGitHubDouble({
    port: 0,
    seed: {
      orgs: [{ login: OWNER, members: ['teacher'] }],
      autoUsers: true,
      tokens: [{ token: 'teacher-token-not-a-secret', login: 'teacher' }],
      repos: [
        { owner: OWNER, name: 'tmpl', is_template: true, files: { 'README.md': '# Room\n' } },
        // What Classroom left: one repository per accepted assignment, named <prefix>-<username>.
        {
          owner: OWNER,
          name: 'a11y-intro-Ann',
          files: { 'README.md': '# Room\n' },
          collaborators: [{ login: 'Ann', permission: 'admin' }],
        },
        {
          owner: OWNER,
          name: 'a11y-intro-ben',
          files: { 'README.md': '# Room\n', [PROGRESS]: 'old\n' },
          invitations: [{ login: 'ben', permission: 'push', expired: true }],
        },
        {
          owner: OWNER,
          name: 'a11y-intro-cat',
          files: { 'README.md': '# Room\n' },
          collaborators: [{ login: 'cat', permission: 'push' }],
        },
      ],
    },
  });
});

afterAll(async () => {
  await double?.stop();
});

it('adopts the Classroom repositories of every mapped learner and reports the rest', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'classroom-double-'));
  mkdirSync(join(cwd, 'required-files', '.github', 'workflows'), { recursive: true });
  writeFileSync(join(cwd, 'required-files', PROGRESS), 'name: progress\n');
  writeFileSync(
    join(cwd, 'roster.json'),
    serializeRoster({ format_version: 1, cohorts: [{ cohort_id: 'c26', required_files: [PROGRESS] }], learners: [] }),
  );
  writeFileSync(
    join(cwd, 'export.csv'),
    '\ufeff"identifier","github_username","github_id","name"\r\n"ann@example.org","Ann","11","Ann, A."\r\n"ben@example.org","ben","12",""\r\n"cat@example.org","","",""\r\n"dee@example.org","dee","14","Dee"\r\n',
  );
  const env = {
    PROVISIONING_STUDENT_OWNER: OWNER,
    LEARNING_ROOM_TEMPLATE_REPO: `${OWNER}/tmpl`,
    GITHUB_BASE_URL: double.baseUrl,
    GITHUB_TOKEN: 'teacher-token-not-a-secret',
    LEARNING_ROOMS_ADMISSION_BUDGET: '0',
  };

  const imported = await cli(
    ['import-classroom', '--csv', 'export.csv', '--prefix', 'a11y-intro', '--cohort', 'c26', '--path', 'web'],
    { cwd, env },
  );
  expect(imported.stdout).toMatch(/^3 added, 0 updated .* 1 not mapped/);
  expect(findLearner(loadRoster(join(cwd, 'roster.json')), 'ann', 'c26')?.repository).toBe('a11y-intro-Ann');

  const res = await cli(['reconstruct', '--cohort', 'c26'], { cwd, env });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  const file = JSON.parse(readFileSync(join(cwd, 'imports', 'c26.json'), 'utf8')) as ImportsFile;
  expect(file.imports.map((e) => [e.address, e.id])).toEqual([
    [repositoryAddress('Ann'), 'a11y-intro-Ann'],
    [collaboratorAddress('Ann'), 'a11y-intro-Ann:Ann'],
    [repositoryAddress('ben'), 'a11y-intro-ben'],
    // an expired invitation still counts as present for the provider: importing it keeps the plan quiet
    [collaboratorAddress('ben'), 'a11y-intro-ben:ben'],
    [fileAddress('ben', PROGRESS), `a11y-intro-ben/${PROGRESS}`],
  ]);
  expect(Object.fromEntries(file.learners.map((l) => [l.github_handle, l.outcome]))).toEqual({
    Ann: 'partly-adopted',
    ben: 'adopted',
    dee: 'to-create',
  });
  // Classroom's "admin access" option: the configuration gives push, so the plan would replace Ann's access.
  expect(res.stdout).toMatch(
    /Ann -> a11y-intro-Ann: will create: file: the learner has "admin" access, the configuration gives "push": the plan REPLACES the collaborator/,
  );
  expect(res.stdout).toMatch(/ben -> a11y-intro-ben: invitation pending \(the provider counts it as present\)\n/);
  expect(res.stdout).toMatch(/look(s)? like learning rooms but match no learner \(not imported\):\n {2}a11y-intro-cat/);

  // Budget 0: dee (no repository) waits; Ann and ben exist, so they are configured and imported.
  const synth = await cli(['synth', 'roster.json', '--imports', 'imports'], { cwd, env });
  expect(synth.stderr).toBe('');
  expect(synth.stdout).toMatch(/c26: 2 rooms \(0 new\), 1 queued/);
  expect(synth.stdout).toMatch(/c26: 5 import blocks\n/);
  const tf = JSON.parse(readFileSync(join(cwd, 'cdktf.out', 'stacks', 'c26', 'cdk.tf.json'), 'utf8'));
  expect(tf.resource.github_repository['learner-ann'].name).toBe('a11y-intro-Ann');
  expect(tf.import).toHaveLength(5);

  // With room in the budget, dee's room is configured and will be created: reconstruct saw no
  // a11y-intro-dee, so no import of it (the planner alone would import the roster's name blindly).
  const admitted = await cli(['synth', 'roster.json', '--imports', 'imports'], {
    cwd,
    env: { ...env, LEARNING_ROOMS_ADMISSION_BUDGET: '5' },
  });
  expect(admitted.stdout).toMatch(/c26: 3 rooms \(1 new\), 0 queued/);
  const tf2 = JSON.parse(readFileSync(join(cwd, 'cdktf.out', 'stacks', 'c26', 'cdk.tf.json'), 'utf8'));
  expect(tf2.resource.github_repository['learner-dee'].name).toBe('a11y-intro-dee');
  expect(tf2.import).toEqual(tf.import);
  // nothing secret in what reconstruct printed or wrote
  expect(res.stdout + readFileSync(join(cwd, 'imports', 'c26.json'), 'utf8')).not.toContain(
    'teacher-token-not-a-secret',
  );
});

it('writes nothing when GitHub refuses a read: an unreadable file is not an absent one', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'classroom-double-'));
  writeFileSync(
    join(cwd, 'roster.json'),
    serializeRoster({
      format_version: 1,
      cohorts: [{ cohort_id: 'c26', required_files: [PROGRESS] }],
      learners: [
        {
          github_handle: 'ben',
          cohort_id: 'c26',
          path: 'web',
          repository: 'a11y-intro-ben',
          provisioning: { state: 'pending' },
        },
      ],
    }),
  );
  double.setFaults([
    { method: 'GET', path_re: '/contents/', status: 403, body: { message: 'Resource not accessible by integration' } },
  ]);
  try {
    const res = await cli(['reconstruct'], {
      cwd,
      env: {
        PROVISIONING_STUDENT_OWNER: OWNER,
        GITHUB_BASE_URL: double.baseUrl,
        GITHUB_TOKEN: 'teacher-token-not-a-secret',
      },
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Resource not accessible by integration/);
    expect(existsSync(join(cwd, 'imports'))).toBe(false);
  } finally {
    double.setFaults([]);
  }
});
