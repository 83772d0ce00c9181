import { mkdtempSync, writeFileSync } from 'node:fs';
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
  const r = roster([learner('a'), learner('b', 'c2', { provisioning: { state: 'failed' } }), learner('c', 'c2')], ['c1', 'c2']);
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
