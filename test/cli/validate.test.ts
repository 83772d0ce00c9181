import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeRoster } from '../../roster';
import { cli } from '../helpers/cli';
import { learner, roster } from '../../test-kit/rosters';

const dir = mkdtempSync(join(tmpdir(), 'cli-validate-'));
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

test('a valid roster exits 0 with a one-line summary per cohort and state', async () => {
  const r = roster(
    [learner('a'), learner('b', 'c2', { provisioning: { state: 'failed' } }), learner('c', 'c2')],
    ['c1', 'c2'],
  );
  const res = await cli(['validate', write('ok.json', serializeRoster(r))], { cwd: dir });
  expect(res.code).toBe(0);
  expect(res.stdout).toBe('ok.json is valid: 2 cohorts, 3 learners: c1 1 (1 pending); c2 2 (1 pending, 1 failed)\n');
});

test('an invalid roster exits 1 with every error on its own line naming learner and field', async () => {
  const r = roster([learner('bad--x'), learner('ok', 'nope')]);
  const res = await cli(['validate', write('bad.json', JSON.stringify(r))], { cwd: dir });
  expect(res.code).toBe(1);
  const lines = res.stderr.trim().split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^bad\.json: learner 1, line 1, github_handle: expected .*found "bad--x".*two hyphens/);
  expect(lines[1]).toMatch(/^bad\.json: learner 2 \(ok\), line 1, cohort_id: /);
  expect(lines[2]).toBe('bad.json: 2 problems; learners are counted from 1, in file order');
});

test('defaults to ./roster.json and reports a missing file', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'cli-empty-'));
  const res = await cli(['validate'], { cwd: empty });
  expect(res.code).toBe(1);
  expect(res.stderr).toContain('no file at');
});

test('--json gives machine-readable errors', async () => {
  const res = await cli(['validate', '--json', write('t.json', '{"format_version":1,}')], { cwd: dir });
  expect(res.code).toBe(1);
  const out = JSON.parse(res.stdout);
  expect(out.valid).toBe(false);
  expect(out.errors[0]).toMatchObject({ line: 1, column: 21 });
});

test('--help for the tool and for the command; unknown commands and flags are usage errors', async () => {
  const top = await cli(['--help']);
  expect(top.code).toBe(0);
  expect(top.stdout).toMatch(/validate\s+check a roster/);
  const sub = await cli(['validate', '--help']);
  expect(sub.stdout).toContain('Usage: learning-rooms validate');
  expect((await cli(['frobnicate'])).code).toBe(2);
  const badFlag = await cli(['validate', '--nope'], { cwd: dir });
  expect(badFlag.code).toBe(2);
  expect(badFlag.stderr).toContain('--nope');
});

describe('every roster-only check synth makes, with the same code', () => {
  const long = roster([learner('a'.repeat(38), `c${'x'.repeat(61)}`)], [`c${'x'.repeat(61)}`]);
  const clash = roster([learner('alice', 'c1', { repository: 'C1-BOB' }), learner('bob')]);
  const missingFile = roster([learner('a')]);
  missingFile.cohorts[0].required_files = ['docs/missing.md'];
  it.each([
    [
      'a 101-character repository name',
      long,
      /^bad\.json: learners\[0\] "a{38}" \(cohort cx{61}\): repository name: expected at most 100 characters, found 101 in "cx{61}-a{38}"$/m,
    ],
    [
      'two learners on one repository, case-insensitively',
      clash,
      /^bad\.json: learners "alice" \(cohort c1\) and "bob" \(cohort c1\) would share the repository learning-rooms-example\/C1-BOB;/m,
    ],
    [
      'a required file missing from the folder',
      missingFile,
      /^bad\.json: cohort c1: required_files "docs\/missing\.md": expected a UTF-8 text file at .*docs\/missing\.md, found no such file$/m,
    ],
  ])('%s fails validate, naming it, as synth refuses it', async (_what, r, problem) => {
    write('bad.json', serializeRoster(r));
    const res = await cli(['validate', 'bad.json'], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(problem);
    expect(res.stderr).toMatch(/\nbad\.json: 1 problem\n$/);
    const synth = await cli(['synth', 'bad.json', '--dry-run'], { cwd: dir });
    expect(synth.code).toBe(1);
    const [line] = res.stderr.split('\n');
    expect(synth.stderr.split('\n')).toContain(line.slice('bad.json: '.length));

    const json = await cli(['validate', 'bad.json', '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ valid: false, errors: [], synthesis_problems: [line.slice('bad.json: '.length)] });
    // The plan comment of a pull request lists them from that output.
    write('validation.json', json.stdout);
    const comment = await cli(['plan-comment', '--roster-errors', 'validation.json'], { cwd: dir });
    expect(comment.stdout.replace(/\\(.)/g, '$1')).toContain(`- roster.json: ${line.slice('bad.json: '.length)}`);
  });

  it('reads the required files from --required-files-dir (default $LEARNING_ROOMS_REQUIRED_FILES_DIR, else required-files)', async () => {
    const r = roster([learner('a')]);
    r.cohorts[0].required_files = ['notes.md'];
    write('files.json', serializeRoster(r));
    mkdirSync(join(dir, 'course'), { recursive: true });
    writeFileSync(join(dir, 'course', 'notes.md'), '# Notes\n');
    expect((await cli(['validate', 'files.json'], { cwd: dir })).code).toBe(1);
    expect((await cli(['validate', 'files.json', '--required-files-dir', 'course'], { cwd: dir })).code).toBe(0);
    expect(
      (await cli(['validate', 'files.json'], { cwd: dir, env: { LEARNING_ROOMS_REQUIRED_FILES_DIR: 'course' } })).code,
    ).toBe(0);
  });
});
