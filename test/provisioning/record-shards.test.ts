/**
 * The post-step of a shard: the learners the stack configured get its shard recorded in the roster
 * (once: re-recording changes nothing), and two shards of one cohort applied in one run are both
 * recorded (the log is idempotent on run and cohort, so a shard's run id names its stack).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRoster, serializeRoster } from '../../roster';
import { parseLog } from '../../provisioning/log';
import { recordRun } from '../../provisioning/record';
import { recordShards } from '../../provisioning/roster-update';
import { learner, roster } from '../../test-kit/rosters';
import { FIXTURES, springIndex } from './fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'record-shards-'));
  writeFileSync(
    join(dir, 'roster.json'),
    serializeRoster(
      roster(
        ['alice', 'bob', 'carol', 'dave'].map((h) => learner(h, '2026-spring')),
        ['2026-spring'],
      ),
    ),
  );
  for (const f of ['01-plan-create.json', '02-apply-create.jsonl']) copyFileSync(join(FIXTURES, f), join(dir, f));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function record(stack: string, admitted: string[], queued: Record<string, string> = {}) {
  const index = { ...springIndex(admitted, queued), stack };
  writeFileSync(join(dir, `${stack}.json`), JSON.stringify(index));
  return recordRun({
    planPath: join(dir, '01-plan-create.json'),
    applyPath: join(dir, '02-apply-create.jsonl'),
    indexPath: join(dir, `${stack}.json`),
    rosterPath: join(dir, 'roster.json'),
    logPath: join(dir, 'provisioning-log.json'),
    runId: 'run-2',
    commit: 'sha',
  });
}

test('records the shard of the stack with the outcome, and both shards of one run', () => {
  const shard1 = record('2026-spring.shard-1', ['alice', 'bob', 'carol']);
  expect(shard1.log.appended.map((e) => e.run_id)).toEqual([
    'run-2/2026-spring.shard-1',
    'run-2/2026-spring.shard-1',
    'run-2/2026-spring.shard-1',
  ]);
  expect(loadRoster(join(dir, 'roster.json')).learners[0].provisioning).toMatchObject({
    state: 'provisioned',
    shard: 1,
    last_run_id: 'run-2/2026-spring.shard-1',
  });
  // the cohort's shard 0, applied in the same run: recorded too, not taken for a repeat
  const shard0 = record('2026-spring', [], { dave: 'queued: the admission budget is spent for this run' });
  expect(shard0.log.alreadyRecorded).toBe(false);
  expect(shard0.log.appended.find((e) => e.learner === 'dave')).toMatchObject({ run_id: 'run-2', outcome: 'queued' });

  const shards = Object.fromEntries(
    loadRoster(join(dir, 'roster.json')).learners.map((l) => [l.github_handle, l.provisioning.shard]),
  );
  expect(shards).toEqual({ alice: 1, bob: 1, carol: 1, dave: undefined });

  const before = readFileSync(join(dir, 'roster.json'), 'utf8');
  const again = record('2026-spring.shard-1', ['alice', 'bob', 'carol']);
  expect(again.log.alreadyRecorded).toBe(true);
  expect(again.roster.changed).toBe(0);
  expect(readFileSync(join(dir, 'roster.json'), 'utf8')).toBe(before);
  expect(parseLog(readFileSync(join(dir, 'provisioning-log.json'), 'utf8')).entries).toHaveLength(
    shard1.log.appended.length + shard0.log.appended.length,
  );
});

test('recordShards leaves archived and queued learners alone and changes nothing the second time', () => {
  const r = roster([learner('a', 'c1'), learner('b', 'c1'), learner('c', 'c1')]);
  const index = {
    cohort_id: 'c1',
    stack: 'c1.shard-3',
    learners: [
      { github_handle: 'a', cohort_id: 'c1', admitted: true },
      { github_handle: 'b', cohort_id: 'c1', admitted: false },
      { github_handle: 'c', cohort_id: 'c1', admitted: false, archived: true },
    ],
  } as Parameters<typeof recordShards>[1];
  const once = recordShards(r, index);
  expect(once.changed).toBe(1);
  expect(once.roster.learners.map((l) => l.provisioning.shard)).toEqual([3, undefined, undefined]);
  expect(recordShards(once.roster, index)).toEqual({ roster: once.roster, changed: 0, teams: 0 });
});
