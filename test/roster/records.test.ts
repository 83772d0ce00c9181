import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findLearner,
  parseRoster,
  readRosterFile,
  redactRoster,
  Roster,
  serializeRoster,
  upsertLearner,
  upsertLearners,
  writeRosterFile,
} from '../../roster';
import { generatedRoster, learner, roster } from '../../test-kit/rosters';

function changedLines(a: string, b: string): number[] {
  const x = a.split('\n');
  const y = b.split('\n');
  expect(y.length).toBe(x.length);
  return x.flatMap((line, i) => (line === y[i] ? [] : [i]));
}

describe('serialize', () => {
  const r = generatedRoster(50, 3);

  test('round-trips: parse(serialize(r)) equals r, with a trailing newline', () => {
    const text = serializeRoster(r);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseRoster(text).roster).toEqual(r);
  });

  test('is canonical: key order in the input does not matter', () => {
    const shuffled = JSON.parse(JSON.stringify(r), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as Roster;
    expect(serializeRoster(shuffled)).toBe(serializeRoster(r));
  });

  test("a change to one learner changes only that learner's lines", () => {
    const before = serializeRoster(r);
    const after = serializeRoster(
      upsertLearner(r, { github_handle: 'learner-17', cohort_id: r.learners[17].cohort_id, path: 'mentoring' }),
    );
    const changed = changedLines(before, after);
    expect(changed).toHaveLength(1);
    expect(before.split('\n')[changed[0]]).toContain('"path"');
    // the changed line lies inside learner 17's block
    const lines = before.split('\n');
    const start = lines.findIndex((l) => l.includes('"learner-17"'));
    const end = lines.findIndex((l, i) => i > start && l.includes('"github_handle"'));
    expect(changed[0]).toBeGreaterThan(start);
    expect(changed[0]).toBeLessThan(end);
  });
});

describe('upsert', () => {
  const base = roster(
    [
      learner('Alice', 'c1', {
        name: 'Alice A.',
        provisioning: {
          state: 'provisioned',
          last_outcome: 'created',
          provisioned_at: '2026-04-01T10:00:00Z',
          updated_at: '2026-04-01T10:00:00Z',
        },
      }),
      learner('bob'),
    ],
    ['c1', 'c2'],
  );

  test('matches the identity key case-insensitively and keeps the stored spelling', () => {
    const r = upsertLearner(base, { github_handle: 'alice', cohort_id: 'c1', path: 'mentoring' });
    expect(r.learners).toHaveLength(2);
    expect(r.learners[0]).toMatchObject({ github_handle: 'Alice', path: 'mentoring', name: 'Alice A.' });
  });

  test('never drops provisioning history', () => {
    const r = upsertLearner(base, {
      github_handle: 'ALICE',
      cohort_id: 'c1',
      provisioning: { state: 'failed', cause: 'rate-limit', provisioned_at: '2026-09-01T00:00:00Z' },
    });
    expect(r.learners[0].provisioning).toMatchObject({
      state: 'failed',
      cause: 'rate-limit',
      last_outcome: 'created',
      provisioned_at: '2026-04-01T10:00:00Z',
    });
    const healed = upsertLearner(r, {
      github_handle: 'alice',
      cohort_id: 'c1',
      provisioning: { state: 'provisioned', last_outcome: 'healed' },
    });
    expect(healed.learners[0].provisioning.cause).toBeUndefined();
    expect(healed.learners[0].provisioning.provisioned_at).toBe('2026-04-01T10:00:00Z');
  });

  test('a registration without provisioning leaves the state alone', () => {
    const r = upsertLearner(base, { github_handle: 'alice', cohort_id: 'c1', path: 'web', email: 'a@example.org' });
    expect(r.learners[0].provisioning).toEqual(base.learners[0].provisioning);
  });

  test('a new learner is appended as pending; the same person in another cohort is a new learner', () => {
    const r = upsertLearner(base, { github_handle: 'alice', cohort_id: 'c2', path: 'web' });
    expect(r.learners).toHaveLength(3);
    expect(r.learners[2]).toEqual({
      github_handle: 'alice',
      cohort_id: 'c2',
      path: 'web',
      provisioning: { state: 'pending' },
    });
    expect(findLearner(r, 'ALICE', 'c2')).toBe(r.learners[2]);
  });

  test('is pure: the input roster is untouched', () => {
    const copy = JSON.parse(JSON.stringify(base));
    upsertLearners(base, [{ github_handle: 'bob', cohort_id: 'c1', path: 'x', progress: { status: 'acknowledged' } }]);
    expect(base).toEqual(copy);
  });

  test('merges progress field by field', () => {
    const r1 = upsertLearner(base, {
      github_handle: 'bob',
      cohort_id: 'c1',
      progress: { status: 'in-progress', challenges_closed: 1, challenges_total: 4 },
    });
    const r2 = upsertLearner(r1, { github_handle: 'bob', cohort_id: 'c1', progress: { challenges_closed: 2 } });
    expect(r2.learners[1].progress).toEqual({ status: 'in-progress', challenges_closed: 2, challenges_total: 4 });
  });

  test('many patches in one call, including two for the same new learner', () => {
    const r = upsertLearners(base, [
      { github_handle: 'carol', cohort_id: 'c1', path: 'web' },
      { github_handle: 'Carol', cohort_id: 'c1', notes: 'late joiner' },
      { github_handle: 'bob', cohort_id: 'c1', path: 'web2' },
    ]);
    expect(r.learners.map((l) => `${l.github_handle}:${l.path}`)).toEqual(['Alice:web', 'bob:web2', 'carol:web']);
    expect(r.learners[2].notes).toBe('late joiner');
  });
});

describe('redact', () => {
  test('keeps handles and states, drops names, emails and notes, leaves the original alone', () => {
    const r = roster([learner('alice', 'c1', { name: 'Alice', email: 'a@example.org', notes: 'needs captions' })]);
    r.cohorts[0].notes = 'room 2.14';
    const red = redactRoster(r);
    const text = JSON.stringify(red);
    expect(text).toContain('alice');
    expect(text).not.toMatch(/Alice|example\.org|captions|2\.14/);
    expect(red.learners[0].provisioning).toEqual(r.learners[0].provisioning);
    expect(r.learners[0].email).toBe('a@example.org');
    expect(parseRoster(serializeRoster(red)).errors).toEqual([]);
  });
});

describe('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-'));

  test('write then read returns the same roster and leaves no temporary file', () => {
    const file = join(dir, 'roster.json');
    const r = generatedRoster(20, 2);
    writeRosterFile(file, r);
    expect(readRosterFile(file).roster).toEqual(r);
    expect(readdirSync(dir)).toEqual(['roster.json']);
  });

  test('an invalid roster is never written', () => {
    const file = join(dir, 'keep.json');
    const good = serializeRoster(roster([learner('alice')]));
    writeFileSync(file, good);
    expect(() => writeRosterFile(file, roster([learner('bad--handle')]))).toThrow(
      /learner 1, github_handle: expected a GitHub user name; found "bad--handle"/,
    );
    expect(readFileSync(file, 'utf8')).toBe(good);
  });

  test('a missing file is a clear error', () => {
    const { errors } = readRosterFile(join(dir, 'nope.json'));
    expect(errors[0].found).toContain('no file at');
  });
});
