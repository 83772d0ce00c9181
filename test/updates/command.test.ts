/**
 * `learning-rooms propose-update` as an operator runs it, against the GitHub double: record the
 * template's commit, count, a class in batches (--limit) until the round is done and the roster's
 * template_ref moves, the files it writes, and every usage problem at once.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { parseRoster, serializeRoster } from '../../roster';
import { cli } from '../helpers/cli';
import { head, OWNER, pullsOf, roster, seed, TOKEN } from './world';

const HANDLES = ['alice', 'bob', 'carol'];
let double: GitHubDouble;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  double = await startGitHubDouble({ seed: seed(HANDLES), generateDelayMs: 1 });
  env = { PROVISIONING_STUDENT_OWNER: OWNER, GITHUB_BASE_URL: double.baseUrl, GITHUB_TOKEN: TOKEN };
});
afterAll(() => double.stop());

function workspace(templateRef?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lr-propose-'));
  writeFileSync(join(dir, 'roster.json'), serializeRoster(roster(HANDLES, templateRef)));
  return dir;
}
const templateRefOf = (dir: string) =>
  parseRoster(readFileSync(join(dir, 'roster.json'), 'utf8')).roster!.cohorts[0].template_ref;
const propose = (dir: string, ...args: string[]) =>
  cli(['propose-update', ...args, '--request-interval', '0'], { cwd: dir, env });

test('every usage problem at once, exit 2', async () => {
  const res = await propose(workspace(), '--limit', '0', '--max-writes', 'many', '--record-current', '--count');
  expect(res.code).toBe(2);
  expect(res.stderr.split('\n')).toEqual([
    'learning-rooms propose-update: --limit: expected a whole number of at least 1, found "0"',
    'learning-rooms propose-update: --max-writes: expected a whole number of at least 1, found "many"',
    'learning-rooms propose-update: --record-current and --count: give one of them',
    'learning-rooms propose-update: --limit: applies only to proposing (not with --record-current or --count)',
    '(see learning-rooms propose-update --help)',
    '',
  ]);
});

test('an unknown cohort or assignment, and missing credentials, are named together', async () => {
  const res = await cli(['propose-update', '--cohort', 'c9', '--assignment', 'hw1'], {
    cwd: workspace(),
    env: { ...env, GITHUB_TOKEN: undefined },
  });
  expect(res.code).toBe(2);
  expect(res.stderr).toBe(
    [
      'learning-rooms propose-update: no GitHub credentials: set GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE (the App), or GITHUB_TOKEN',
      'learning-rooms propose-update: --cohort: expected a cohort of the roster (c1), found "c9"',
      'learning-rooms propose-update: --assignment: expected an assignment of the cohorts chosen (none: no cohort has assignments), found "hw1"',
      '',
    ].join('\n'),
  );
});

test('record the template, count, then update the class in batches; the round done, template_ref moves', async () => {
  const dir = workspace();
  const unrecorded = await propose(dir);
  expect(unrecorded.code).toBe(0);
  expect(unrecorded.stdout).toContain(
    'Starter code of acme/tmpl (cohort c1): no template commit recorded; run learning-rooms propose-update --record-current once the rooms exist.',
  );

  const dry = await propose(dir, '--record-current', '--dry-run');
  expect(dry.stdout).toBe(
    `cohort c1: would record acme/tmpl at ${head(double, 'tmpl').slice(0, 7)}\ndry run: ${join(dir, 'roster.json')} untouched\n`,
  );
  expect(templateRefOf(dir)).toBeUndefined();
  expect(await propose(dir, '--record-current')).toMatchObject({ code: 0 });
  const base = head(double, 'tmpl');
  expect(templateRefOf(dir)).toBe(base);
  const again = await propose(dir, '--record-current');
  expect(again.stdout).toContain(`cohort c1: already recorded at ${base.slice(0, 7)}`);

  const quiet = await propose(dir, '--count', '--summary-out', 'quiet.md');
  expect(quiet.stdout).toBe(`Starter code of acme/tmpl (cohort c1): unchanged since ${base.slice(0, 7)}.\n`);
  expect(existsSync(join(dir, 'quiet.md'))).toBe(false);
  double.admin('POST', '/_admin/push', { repo: 'acme/tmpl', files: { 'src/a.py': 'a = 2\n', 'src/b.py': 'b\n' } });
  const to = head(double, 'tmpl');
  const count = await propose(dir, '--count', '--out', 'sc.json', '--summary-out', 'count.md');
  expect(count.stdout).toBe(
    `Starter code: 2 files changed in acme/tmpl (cohort c1) since ${base.slice(0, 7)}; propose-update would open a pull request in 3 rooms (a room that already has it is skipped).\n`,
  );
  // What the Apply summary gets: the line, only when the template moved.
  expect(readFileSync(join(dir, 'count.md'), 'utf8')).toBe(
    `### Starter code\n\n- Starter code: 2 files changed in \`acme/tmpl\` (cohort c1) since \`${base.slice(0, 7)}\`; \`propose-update\` would open a pull request in 3 rooms (a room that already has it is skipped).\n\n`,
  );
  expect(JSON.parse(readFileSync(join(dir, 'sc.json'), 'utf8')).units).toEqual([
    { cohort_id: 'c1', template: 'acme/tmpl', state: 'changed', from: base, to, files: 2, refused: 0, rooms: 3 },
  ]);

  const first = await propose(dir, '--limit', '2', '--summary-out', 'summary.md', '--out', 'result.json');
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('3 rooms: 2 opened, 1 left\n1 room left for the next run (--limit)\n');
  expect(templateRefOf(dir)).toBe(base);
  expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('| 2 | 0 | 0 | 1 |');
  expect(
    JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).rooms.map((r: { outcome: string }) => r.outcome),
  ).toEqual(['opened', 'opened', 'left']);

  const second = await propose(dir, '--limit', '2');
  expect(second.stdout).toContain('3 rooms: 1 opened, 2 already-open\n');
  expect(second.stdout).toContain(`recorded: cohort c1 now at ${to.slice(0, 7)} (every room done)\n`);
  expect(templateRefOf(dir)).toBe(to);
  for (const h of HANDLES) expect(pullsOf(double, `c1-${h}`)).toHaveLength(1);

  const done = await propose(dir);
  expect(done.stdout).toMatch(
    new RegExp(
      `^Starter code of acme/tmpl \\(cohort c1\\): unchanged since ${to.slice(0, 7)}\\.\n0 rooms: none to update\n\\d+ requests, 0 writes\n$`,
    ),
  );
});

test('a dry run lists each room’s files and leaves the roster and GitHub alone', async () => {
  const dir = workspace(head(double, 'tmpl'));
  double.admin('POST', '/_admin/push', { repo: 'acme/tmpl', files: { 'docs/new.md': 'new\n' } });
  const before = readFileSync(join(dir, 'roster.json'), 'utf8');
  const since = double.requests().length;
  const res = await propose(dir, '--dry-run', '--cohort', 'c1');
  expect(res.code).toBe(0);
  expect(res.stdout).toContain('would-open c1-alice\n  add docs/new.md\n');
  expect(res.stdout).toContain('3 rooms: 3 would-open\n');
  expect(res.stdout).toMatch(/dry run: nothing written/);
  expect(double.counters(since).contentCreating).toBe(0);
  expect(readFileSync(join(dir, 'roster.json'), 'utf8')).toBe(before);
});

test('an invalid roster is refused before anything is read, with the other problems', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lr-propose-'));
  writeFileSync(
    join(dir, 'roster.json'),
    JSON.stringify({ format_version: 1, cohorts: [{ cohort_id: 'c1', template_ref: 'main' }], learners: [] }),
  );
  const since = double.requests().length;
  const res = await cli(['propose-update'], { cwd: dir, env: { ...env, GITHUB_TOKEN: undefined } });
  expect(res.code).toBe(2);
  const lines = res.stderr.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(
    /^learning-rooms propose-update: roster\.json: .*template_ref: expected .*40 lower-case hex digits/,
  );
  expect(lines[1]).toBe(
    'learning-rooms propose-update: no GitHub credentials: set GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE (the App), or GITHUB_TOKEN',
  );
  expect(double.requests(since)).toEqual([]);
});
