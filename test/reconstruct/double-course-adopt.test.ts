/**
 * A course moved from GitHub Classroom mid-course, against the GitHub double: assignment a1's
 * repositories exist as Classroom named them (`classroom-a1-<handle>`); import-classroom
 * --assignment gives a1 its adopt_pattern and adds the learners; reconstruct imports the existing
 * repositories (the repository, the collaborators list, the required files present); synthesis
 * names the rooms by the adopted names and turns every entry into an import block, so the first
 * plan adopts them instead of creating. a2 (no adopt_pattern) keeps its own names.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubDouble, startGitHubDouble } from '@learning-rooms/github-double';
import type { ImportsFile } from '../../contracts/import-entries';
import { loadRoster, serializeRoster } from '../../roster';
import { cli } from '../helpers/cli';

const OWNER = 'school';
const P = '.github/workflows/progress.yml';
const TOKEN = 'teacher-token-not-a-secret';
const AT = '2026-03-20T12:00:00Z';
let double: GitHubDouble;

beforeAll(async () => {
  double = await startGitHubDouble({
    port: 0,
    seed: {
      orgs: [{ login: OWNER, members: ['teacher'] }],
      autoUsers: true,
      tokens: [{ token: TOKEN, login: 'teacher' }],
      repos: [
        { owner: OWNER, name: 'tmpl', is_template: true, files: { 'README.md': '# Room\n' } },
        // What Classroom left of assignment a1: one repository per learner, named <prefix>-<username>.
        {
          owner: OWNER,
          name: 'classroom-a1-Ann',
          files: { 'README.md': '# Room\n', [P]: 'old\n' },
          collaborators: [{ login: 'Ann', permission: 'push' }],
        },
        {
          owner: OWNER,
          name: 'classroom-a1-ben',
          files: { 'README.md': '# Room\n' },
          collaborators: [{ login: 'ben', permission: 'admin' }],
        },
        // shaped like one of a1's rooms, nobody's: reported, not imported
        { owner: OWNER, name: 'classroom-a1-zed', files: { 'README.md': '# Room\n' } },
      ],
    },
  });
});

afterAll(async () => {
  await double?.stop();
});

it('adopts the Classroom repositories of an assignment: import entries, then import blocks of the adopted names', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'course-adopt-'));
  mkdirSync(join(cwd, 'required-files', '.github', 'workflows'), { recursive: true });
  writeFileSync(join(cwd, 'required-files', P), 'name: progress\n');
  writeFileSync(
    join(cwd, 'roster.json'),
    serializeRoster({
      format_version: 1,
      cohorts: [
        {
          cohort_id: 'web',
          template: `${OWNER}/tmpl`,
          required_files: [P],
          assignments: [
            { id: 'a1', opens: '2026-03-02T09:00:00Z', due: '2026-04-30T17:00:00Z' },
            { id: 'a2', opens: '2026-03-09T09:00:00Z', due: '2026-04-30T17:00:00Z' },
          ],
        },
      ],
      learners: [],
    }),
  );
  writeFileSync(
    join(cwd, 'export.csv'),
    'identifier,github_username,github_id,name\nann@example.org,Ann,11,Ann\nben@example.org,ben,12,Ben\n',
  );
  const env = {
    PROVISIONING_STUDENT_OWNER: OWNER,
    LEARNING_ROOM_TEMPLATE_REPO: `${OWNER}/tmpl`,
    GITHUB_BASE_URL: double.baseUrl,
    GITHUB_TOKEN: TOKEN,
  };

  const imported = await cli(
    [
      'import-classroom',
      '--csv',
      'export.csv',
      '--prefix',
      'classroom-a1',
      '--cohort',
      'web',
      '--assignment',
      'a1',
      '--path',
      'web',
    ],
    { cwd, env },
  );
  expect(imported.stderr).toBe('');
  expect(imported.stdout).toMatch(/^2 added, /);
  const roster = loadRoster(join(cwd, 'roster.json'));
  expect(roster.cohorts[0].assignments?.[0].adopt_pattern).toBe('classroom-a1-{handle}');

  const res = await cli(['reconstruct', 'roster.json', '--out-dir', 'imports', '--at', AT], { cwd, env });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(/classroom-a1-zed/);
  const file = JSON.parse(readFileSync(join(cwd, 'imports', 'web.json'), 'utf8')) as ImportsFile;
  expect(file.imports.map((e) => `${e.address} ${e.id}`)).toEqual([
    'github_repository.a1--ann classroom-a1-Ann',
    'github_repository_collaborators.a1--ann classroom-a1-Ann',
    'github_repository_file.a1--ann--github_workflows_progress_yml classroom-a1-Ann/.github/workflows/progress.yml',
    'github_repository.a1--ben classroom-a1-ben',
    'github_repository_collaborators.a1--ben classroom-a1-ben',
  ]);
  expect(file.rooms?.map((r) => `${r.room} ${r.repository} ${r.outcome}`)).toEqual([
    'a1--ann classroom-a1-Ann adopted',
    'a1--ben classroom-a1-ben partly-adopted',
    'a2--ann web-a2-ann to-create',
    'a2--ben web-a2-ben to-create',
  ]);

  const synth = await cli(['synth', 'roster.json', '--imports', 'imports', '--at', AT], { cwd, env });
  expect(synth.stderr).toBe('');
  expect(synth.code).toBe(0);
  const tf = JSON.parse(readFileSync(join(cwd, 'cdktf.out', 'stacks', 'web', 'cdk.tf.json'), 'utf8')) as {
    resource: { github_repository: Record<string, { name: string }> };
    import?: { to: string; id: string }[];
  };
  const names = Object.fromEntries(Object.entries(tf.resource.github_repository).map(([k, v]) => [k, v.name]));
  expect(names).toEqual({
    'a1--ann': 'classroom-a1-Ann',
    'a1--ben': 'classroom-a1-ben',
    'a2--ann': 'web-a2-ann',
    'a2--ben': 'web-a2-ben',
  });
  const blocks = (tf.import ?? []).map((b) => `${b.to} ${b.id}`).sort();
  expect(blocks).toEqual(file.imports.map((e) => `${e.address} ${e.id}`).sort());
});
