import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRoster, serializeRoster } from '../../roster';
import type { Roster } from '../../roster/types';
import { chainRecords, headHash, parseLog, serializeLog, verifyChain } from '../../provisioning/log';
import { LogRefusedError } from '../../provisioning/log-file';
import { recordRun, RecordOptions } from '../../provisioning/record';
import { verifyLogFile } from '../../provisioning/verify-log';
import { cli } from '../helpers/cli';
import { learner, roster } from '../../test-kit/rosters';
import { FIXTURES, springIndex } from './fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'record-'));
  writeFileSync(
    join(dir, 'roster.json'),
    serializeRoster(
      roster(
        ['alice', 'bob', 'carol', 'dave'].map((h) => learner(h, '2026-spring')),
        ['2026-spring'],
      ),
    ),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One recorded step of the fixtures: plan + apply stream + the index of that configuration. */
function step(plan: string, apply: string, admitted: string[], runId: string, extra: Partial<RecordOptions> = {}) {
  copyFileSync(join(FIXTURES, plan), join(dir, plan));
  // An apply stream written into the folder by the test (e.g. re-dated) is used as it is.
  if (!existsSync(join(dir, apply))) copyFileSync(join(FIXTURES, apply), join(dir, apply));
  const index = join(dir, `learners-${runId}.json`);
  writeFileSync(index, JSON.stringify(springIndex(admitted)));
  return recordRun({
    planPath: join(dir, plan),
    applyPath: join(dir, apply),
    indexPath: index,
    rosterPath: join(dir, 'roster.json'),
    logPath: join(dir, 'provisioning-log.json'),
    runId,
    commit: `sha-${runId}`,
    ...extra,
  });
}

const provisioning = (r: Roster) => Object.fromEntries(r.learners.map((l) => [l.github_handle, l.provisioning]));
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

test('the recorded runs 02, 05, 08, 10 end to end: log entries and roster states are what happened', () => {
  step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2');
  let p = provisioning(loadRoster(join(dir, 'roster.json')));
  // the stack's shard is recorded with the outcome (shard 0: the cohort's own stack)
  expect(p.alice).toEqual({
    state: 'provisioned',
    shard: 0,
    last_outcome: 'created',
    last_run_id: 'run-2',
    updated_at: '2026-11-25T20:16:08.002175Z',
    provisioned_at: '2026-11-25T20:16:08.002175Z',
  });
  expect(p.carol).toMatchObject({ state: 'failed', last_outcome: 'failed', cause: 'name-clash', last_run_id: 'run-2' });
  expect(p.carol.detail).toMatch(
    /^repository: POST \/repos\/acme\/tmpl\/generate: 422 .*name already exists on this account/,
  );
  expect(p.dave).toEqual({ state: 'pending' }); // not in this stack: untouched

  step('04-plan-retry.json', '05-apply-retry.jsonl', ['alice', 'bob', 'carol'], 'run-5');
  p = provisioning(loadRoster(join(dir, 'roster.json')));
  expect(p.carol).toEqual({
    state: 'provisioned',
    shard: 0,
    last_outcome: 'created',
    last_run_id: 'run-5',
    updated_at: '2026-11-25T20:16:16.570974Z',
    provisioned_at: '2026-11-25T20:16:16.570974Z',
  });
  // alice: already there; provisioned_at and updated_at stay from run 2 (the state did not change)
  expect(p.alice).toEqual({
    state: 'provisioned',
    shard: 0,
    last_outcome: 'already-exists',
    last_run_id: 'run-5',
    updated_at: '2026-11-25T20:16:08.002175Z',
    provisioned_at: '2026-11-25T20:16:08.002175Z',
  });

  step('07-plan-drift.json', '08-apply-heal.jsonl', ['alice', 'bob', 'carol'], 'run-8');
  expect(provisioning(loadRoster(join(dir, 'roster.json'))).bob).toMatchObject({
    state: 'provisioned',
    last_outcome: 'healed',
    last_run_id: 'run-8',
    provisioned_at: '2026-11-25T20:16:08.002175Z',
  });

  step('09-plan-remove.json', '10-apply-remove.jsonl', ['alice', 'bob'], 'run-10');
  p = provisioning(loadRoster(join(dir, 'roster.json')));
  expect(p.carol).toEqual({
    state: 'archived',
    shard: 0,
    last_outcome: 'archived',
    last_run_id: 'run-10',
    updated_at: '2026-11-25T20:16:37.169114Z',
    provisioned_at: '2026-11-25T20:16:16.570974Z',
  });

  const entries = parseLog(read('provisioning-log.json')).entries;
  expect(entries.map((e) => `${e.run_id} ${e.learner} ${e.outcome}${e.cause ? ` ${e.cause}` : ''}`)).toEqual([
    'run-2 alice created',
    'run-2 bob created',
    'run-2 carol failed name-clash',
    'run-5 alice already-exists',
    'run-5 bob already-exists',
    'run-5 carol created',
    'run-8 alice already-exists',
    'run-8 bob healed',
    'run-8 carol already-exists',
    'run-10 alice already-exists',
    'run-10 bob already-exists',
    'run-10 carol archived',
  ]);
  expect(entries[0]).toMatchObject({
    commit: 'sha-run-2',
    cohort: '2026-spring',
    repository: '2026-spring-alice',
    time: '2026-11-25T20:16:08.002175Z',
  });
  expect(verifyChain(entries)).toEqual([]);
  expect(verifyLogFile(join(dir, 'provisioning-log.json'), { rosterPath: join(dir, 'roster.json') }).findings).toEqual(
    [],
  );
  expect(read('provisioning-log.json')).not.toMatch(/127\.0\.0\.1|dummy-token/);
  expect(read('roster.json')).not.toMatch(/127\.0\.0\.1|dummy-token/);
});

test('recording the same apply twice appends nothing and leaves both files byte-identical', () => {
  const first = step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2');
  const log = read('provisioning-log.json');
  const rosterText = read('roster.json');
  const again = step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2', {
    now: () => new Date('2027-01-01T00:00:00Z'),
  });
  expect(again.log.alreadyRecorded).toBe(true);
  expect(again.log.appended).toEqual([]);
  expect(read('provisioning-log.json')).toBe(log);
  expect(read('roster.json')).toBe(rosterText);
  expect(again.markdown).toContain('This run was already recorded');
  expect(again.markdown.split('\n').filter((l) => l.startsWith('|'))).toEqual(
    first.markdown.split('\n').filter((l) => l.startsWith('|')),
  );
});

test('a crash between the log write and the roster write converges on re-run', () => {
  // Reference: the same run recorded without a crash, in another folder.
  const clean = step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2');
  const cleanRoster = read('roster.json');
  const cleanLog = read('provisioning-log.json');
  void clean;
  rmSync(join(dir, 'provisioning-log.json'));
  writeFileSync(
    join(dir, 'roster.json'),
    serializeRoster(
      roster(
        ['alice', 'bob', 'carol', 'dave'].map((h) => learner(h, '2026-spring')),
        ['2026-spring'],
      ),
    ),
  );
  const pristineRoster = read('roster.json');

  expect(() =>
    step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2', {
      writeRoster: () => {
        throw new Error('killed');
      },
    }),
  ).toThrow('killed');
  expect(read('roster.json')).toBe(pristineRoster);
  expect(parseLog(read('provisioning-log.json')).entries).toHaveLength(3);

  // The re-run happens later (another clock): it must still converge on what the log holds.
  const rerun = step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2', {
    now: () => new Date('2026-12-31T00:00:00Z'),
  });
  expect(rerun.log.alreadyRecorded).toBe(true);
  expect(read('provisioning-log.json')).toBe(cleanLog);
  expect(read('roster.json')).toBe(cleanRoster);
});

test('re-recording an older run after a newer one never moves a learner back', () => {
  step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2');
  step('04-plan-retry.json', '05-apply-retry.jsonl', ['alice', 'bob', 'carol'], 'run-5');
  const rosterText = read('roster.json');
  // run 3 (an older workflow's post-step re-run) arrives after run 5
  const late = step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-3');
  expect(late.log.appended).toHaveLength(3);
  expect(read('roster.json')).toBe(rosterText);
  expect(late.roster.skipped.map((s) => `${s.learner}: ${s.why}`)).toEqual([
    'alice: a later apply (run run-5) is already recorded',
    'bob: a later apply (run run-5) is already recorded',
    'carol: a later apply (run run-5) is already recorded',
  ]);
  expect(late.markdown).toContain('- carol: roster not updated (a later apply (run run-5) is already recorded)');
});

test('a learner of the stack who is not in the roster is logged, and noted as not updated in the roster', () => {
  writeFileSync(
    join(dir, 'roster.json'),
    serializeRoster(
      roster(
        ['alice', 'bob'].map((h) => learner(h, '2026-spring')),
        ['2026-spring'],
      ),
    ),
  );
  const r = step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2');
  expect(r.log.appended.map((e) => e.learner)).toEqual(['alice', 'bob', 'carol']);
  expect(r.roster.skipped).toEqual([{ learner: 'carol', cohort: '2026-spring', why: 'not in the roster' }]);
  expect(r.markdown).toContain('- carol: roster not updated (not in the roster)');
  expect(loadRoster(join(dir, 'roster.json')).learners.map((l) => l.github_handle)).toEqual(['alice', 'bob']);
});

test('a tampered log stops the post-step before anything is written', () => {
  step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2');
  const tampered = read('provisioning-log.json').replace('"outcome":"failed"', '"outcome":"created"');
  writeFileSync(join(dir, 'provisioning-log.json'), tampered);
  const rosterText = read('roster.json');
  expect(() => step('04-plan-retry.json', '05-apply-retry.jsonl', ['alice', 'bob', 'carol'], 'run-5')).toThrow(
    /was edited/,
  );
  expect(read('provisioning-log.json')).toBe(tampered);
  expect(read('roster.json')).toBe(rosterText);
});

describe('impossible history: entries from the future or out of order', () => {
  /** Appends a forged entry for alice with a correctly computed hash, as anyone could. */
  function forge(time: string): void {
    const { entries } = parseLog(read('provisioning-log.json'));
    const [e] = chainRecords(
      [
        {
          run_id: 'forged',
          commit: 'x',
          time,
          cohort: '2026-spring',
          learner: 'alice',
          repository: '2026-spring-alice',
          outcome: 'failed',
          cause: 'other',
          detail: 'x',
        },
      ],
      headHash(entries),
    );
    writeFileSync(join(dir, 'provisioning-log.json'), serializeLog([...entries, e]));
  }
  /** The apply stream with every timestamp moved by `hours` (the same apply, run at another time). */
  function shifted(apply: string, hours: number): string {
    const name = `shifted-${hours}-${apply}`;
    const text = readFileSync(join(FIXTURES, apply), 'utf8').replace(/"@timestamp":"([^"]+)"/g, (_m, t: string) => {
      const d = new Date(Date.parse(t) + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, t.slice(19));
      return `"@timestamp":"${d}"`;
    });
    writeFileSync(join(dir, name), text);
    return name;
  }

  test('a forged entry dated 2099 is named by verify-log: plain, with --base, with --roster', async () => {
    step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2');
    writeFileSync(join(dir, 'base.json'), read('provisioning-log.json'));
    forge('2099-01-01T00:00:00Z');
    expect(verifyChain(parseLog(read('provisioning-log.json')).entries)).toEqual([]); // the chain alone sees nothing
    for (const extra of [[], ['--base', 'base.json'], ['--roster', 'roster.json']]) {
      const r = await cli(['verify-log', ...extra], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'provisioning-log.json: entry 3 (learner alice, cohort 2026-spring, run forged) is dated 2099-01-01T00:00:00Z, in the future: expected a time no later than',
      );
      expect(r.stderr).toMatch(/: 1 problem\n$/);
      const json = await cli(['verify-log', ...extra, '--json'], { cwd: dir });
      expect(JSON.parse(json.stdout).findings.map((f: { kind: string; index: number }) => [f.kind, f.index])).toEqual([
        ['future', 3],
      ]);
    }
  });

  test('a forged entry from the future cannot freeze a learner: record refuses before writing anything', async () => {
    step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2');
    forge('2099-01-01T00:00:00Z');
    const log = read('provisioning-log.json');
    const rosterText = read('roster.json');
    expect(() => step('04-plan-retry.json', '05-apply-retry.jsonl', ['alice', 'bob', 'carol'], 'run-5')).toThrow(
      LogRefusedError,
    );
    expect(() => step('04-plan-retry.json', '05-apply-retry.jsonl', ['alice', 'bob', 'carol'], 'run-5')).toThrow(
      /fails verification, so nothing was appended[\s\S]*entry 3 \(learner alice, cohort 2026-spring, run forged\) is dated 2099-01-01T00:00:00Z, in the future/,
    );
    expect(read('provisioning-log.json')).toBe(log);
    expect(read('roster.json')).toBe(rosterText);
    // The command says so and exits 1.
    copyFileSync(join(FIXTURES, '04-plan-retry.json'), join(dir, 'plan.json'));
    copyFileSync(join(FIXTURES, '05-apply-retry.jsonl'), join(dir, 'apply.jsonl'));
    writeFileSync(join(dir, 'learners.json'), JSON.stringify(springIndex(['alice', 'bob', 'carol'])));
    const r = await cli(
      ['record', '--plan', 'plan.json', '--apply', 'apply.jsonl', '--index', 'learners.json', '--run-id', 'run-5'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('run forged) is dated 2099-01-01T00:00:00Z, in the future');
    expect(read('provisioning-log.json')).toBe(log);
    expect(read('roster.json')).toBe(rosterText);
  });

  test('an apply whose stream is dated beyond the skew ahead of now is refused; up to the skew it is recorded', () => {
    const start = Date.parse('2026-11-25T20:16:08.002175Z'); // 02-apply-create.jsonl's first @timestamp
    expect(() =>
      step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2', {
        now: () => new Date(start - 10 * 60_000 - 1),
      }),
    ).toThrow(
      /^nothing was appended for run run-2 \(cohort 2026-spring\): entry 0 \(learner alice, cohort 2026-spring, run run-2\) is dated 2026-11-25T20:16:08.002175Z, in the future: .*\(and 2 more entries of this run\)/,
    );
    expect(() => read('provisioning-log.json')).toThrow(/ENOENT/);
    const ok = step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2', {
      now: () => new Date(start - 10 * 60_000),
    });
    expect(ok.log.appended).toHaveLength(3);
  });

  test('an apply older than one already recorded, beyond the skew, is refused with both named; nothing written', () => {
    const later = shifted('05-apply-retry.jsonl', 1); // run 5, an hour later than it really ran
    step('04-plan-retry.json', later, ['alice', 'bob', 'carol'], 'run-5');
    const log = read('provisioning-log.json');
    const rosterText = read('roster.json');
    expect(() => step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2')).toThrow(
      /^nothing was appended for run run-2 \(cohort 2026-spring\): entry 3 \(learner alice, cohort 2026-spring, run run-2\) is dated 2026-11-25T20:16:08.002175Z, before entry 0 \(learner alice, cohort 2026-spring, run run-5\) at 2026-11-25T21:16:16.570974Z: expected entries in the order their applies ran/,
    );
    expect(read('provisioning-log.json')).toBe(log);
    expect(read('roster.json')).toBe(rosterText);
  });

  test('fields of a forged entry reach the terminal with their control characters escaped', async () => {
    step('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol'], 'run-2');
    const { entries } = parseLog(read('provisioning-log.json'));
    const [e] = chainRecords(
      [
        {
          run_id: '\u009b2J',
          commit: 'x',
          time: '2099-01-01T00:00:00Z',
          cohort: '2026-spring',
          learner: 'mal\u001b]0;x\u0007',
          outcome: 'created',
          detail: 'x',
        },
      ],
      headHash(entries),
    );
    writeFileSync(join(dir, 'provisioning-log.json'), serializeLog([...entries, e]));
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern finds
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
    for (const args of [['verify-log'], ['verify-log', '--json']]) {
      const r = await cli(args, { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toMatch(raw);
      expect(r.stdout + r.stderr).toContain('learner mal\\u001b]0;x\\u0007');
    }
    copyFileSync(join(FIXTURES, '04-plan-retry.json'), join(dir, 'plan.json'));
    copyFileSync(join(FIXTURES, '05-apply-retry.jsonl'), join(dir, 'apply.jsonl'));
    writeFileSync(join(dir, 'learners.json'), JSON.stringify(springIndex(['alice', 'bob', 'carol'])));
    const rec = await cli(
      ['record', '--plan', 'plan.json', '--apply', 'apply.jsonl', '--index', 'learners.json', '--run-id', 'run-5'],
      { cwd: dir },
    );
    expect(rec.code).toBe(1);
    expect(rec.stderr).not.toMatch(raw);
    expect(rec.stderr).toContain('run \\u009b2J) is dated 2099-01-01T00:00:00Z, in the future');
  });

  test('an out-of-order entry appended by hand is named by verify-log and stops record', async () => {
    step('04-plan-retry.json', shifted('05-apply-retry.jsonl', 1), ['alice', 'bob', 'carol'], 'run-5');
    forge('2026-11-25T20:00:00Z');
    const r = await cli(['verify-log'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'entry 3 (learner alice, cohort 2026-spring, run forged) is dated 2026-11-25T20:00:00Z, before entry 0 (learner alice, cohort 2026-spring, run run-5)',
    );
    expect(() =>
      step('07-plan-drift.json', shifted('08-apply-heal.jsonl', 2), ['alice', 'bob', 'carol'], 'run-8'),
    ).toThrow(/fails verification[\s\S]*run forged\) is dated 2026-11-25T20:00:00Z, before/);
  });
});

describe('the commands', () => {
  function stage(plan: string, apply: string, admitted: string[]) {
    copyFileSync(join(FIXTURES, plan), join(dir, 'plan.json'));
    copyFileSync(join(FIXTURES, apply), join(dir, 'apply.jsonl'));
    writeFileSync(join(dir, 'learners.json'), JSON.stringify(springIndex(admitted)));
  }
  const args = ['record', '--plan', 'plan.json', '--apply', 'apply.jsonl', '--index', 'learners.json'];

  test('record prints the summary, appends it to the step summary file, and takes the run from the environment', async () => {
    stage('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol']);
    const r = await cli([...args, '--summary-out', 'summary.md'], {
      cwd: dir,
      env: { GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2', GITHUB_SHA: 'deadbeef' },
    });
    expect(r.stderr).toBe('appended 3 entries to provisioning-log.json; roster: 3 learner(s) updated\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('### Provisioning: cohort 2026-spring, run 77-2');
    expect(r.stdout).toContain('| created | 2 |');
    expect(r.stdout).toContain('| failed | 1 |');
    expect(r.stdout).toMatch(
      /- \*\*carol\*\* \(name-clash\): repository: POST \/repos\/acme\/tmpl\/generate: 422 Repository creation failed\. \\\[\{Resource:Repository/,
    );
    expect(read('summary.md')).toBe(r.stdout + '\n');
    expect(parseLog(read('provisioning-log.json')).entries[0]).toMatchObject({ run_id: '77-2', commit: 'deadbeef' });

    const again = await cli(args, { cwd: dir, env: { GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2' } });
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(
      'run 77-2 was already recorded for cohort 2026-spring: nothing appended; roster: 0 learner(s) updated\n',
    );
  });

  test('record: missing inputs are named; a refusal exits 1', async () => {
    const r = await cli(['record', '--plan', 'p.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        'learning-rooms record: missing --apply FILE',
        'learning-rooms record: missing --index FILE (or --cohort C)',
        'learning-rooms record: missing --run-id ID (or GITHUB_RUN_ID)',
        '(see learning-rooms record --help)\n',
      ].join('\n'),
    );
    stage('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol']);
    writeFileSync(join(dir, 'provisioning-log.json.lock'), 'pid 1\n');
    const refused = await cli([...args, '--run-id', 'x'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/another writer holds/);
  });

  test('record --cohort rebuilds the index from the roster: the recorded runs come out as they happened', async () => {
    // The fixtures ran with owner acme and names 2026-spring-<handle>: the synthesis defaults give those names.
    writeFileSync(
      join(dir, 'roster.json'),
      serializeRoster(
        roster(
          ['alice', 'bob', 'carol'].map((h) => learner(h, '2026-spring')),
          ['2026-spring'],
        ),
      ),
    );
    const env = { PROVISIONING_STUDENT_OWNER: 'acme' };
    for (const f of ['01-plan-create.json', '02-apply-create.jsonl', '04-plan-retry.json', '05-apply-retry.jsonl'])
      copyFileSync(join(FIXTURES, f), join(dir, f));
    const first = await cli(
      [
        'record',
        '--plan',
        '01-plan-create.json',
        '--apply',
        '02-apply-create.jsonl',
        '--cohort',
        '2026-spring',
        '--run-id',
        'r1',
      ],
      { cwd: dir, env },
    );
    expect(first.code).toBe(0);
    const r1 = loadRoster(join(dir, 'roster.json'));
    expect(
      Object.fromEntries(
        r1.learners.map((l) => [
          l.github_handle,
          [l.provisioning.state, l.provisioning.last_outcome, l.provisioning.cause],
        ]),
      ),
    ).toEqual({
      alice: ['provisioned', 'created', undefined],
      bob: ['provisioned', 'created', undefined],
      carol: ['failed', 'failed', 'name-clash'],
    });
    const second = await cli(
      [
        'record',
        '--plan',
        '04-plan-retry.json',
        '--apply',
        '05-apply-retry.jsonl',
        '--cohort',
        '2026-spring',
        '--run-id',
        'r2',
      ],
      { cwd: dir, env },
    );
    expect(second.code).toBe(0);
    expect(
      parseLog(read('provisioning-log.json'))
        .entries.filter((e) => e.run_id === 'r2')
        .map((e) => `${e.learner}:${e.outcome}`)
        .sort(),
    ).toEqual(['alice:already-exists', 'bob:already-exists', 'carol:created']);
    const unknown = await cli(
      [
        'record',
        '--plan',
        '04-plan-retry.json',
        '--apply',
        '05-apply-retry.jsonl',
        '--cohort',
        'nope',
        '--run-id',
        'r3',
      ],
      { cwd: dir, env },
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('cohort "nope" is not in the roster');
  });

  test('verify-log: intact, then each finding with its entry and learner; exit 1', async () => {
    stage('01-plan-create.json', '02-apply-create.jsonl', ['alice', 'bob', 'carol']);
    await cli([...args, '--run-id', 'r1'], { cwd: dir });
    const ok = await cli(['verify-log'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^provisioning-log\.json: intact, 3 entries, head [0-9a-f]{64}\n$/);
    const lines = read('provisioning-log.json').split('\n');
    // remove bob's entry (line 4 of the file), keep the commas right
    writeFileSync(join(dir, 'cut.json'), [...lines.slice(0, 4), ...lines.slice(5)].join('\n'));
    const bad = await cli(['verify-log', 'cut.json', '--json'], { cwd: dir });
    expect(bad.code).toBe(1);
    const out = JSON.parse(bad.stdout) as { ok: boolean; findings: { kind: string; index: number; learner: string }[] };
    expect(out.ok).toBe(false);
    expect(out.findings.map((f) => [f.kind, f.index, f.learner])).toEqual([['removed', 1, 'carol']]);
    const text = await cli(['verify-log', 'cut.json', '--base', 'provisioning-log.json'], { cwd: dir });
    expect(text.stderr).toContain(
      'cut.json: entries were removed between entry 0 (learner alice, cohort 2026-spring, run r1) and entry 1 (learner carol',
    );
    expect(text.stderr).toContain('cut.json: 1 entry was removed from the end');
  });
});
