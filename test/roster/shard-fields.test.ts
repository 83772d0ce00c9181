/**
 * The roster's part of shards: `provisioning.shard` (a whole number from 0), and cohort ids that
 * cannot be mistaken for another cohort's shard stack (`<cohort>.shard-<k>`; `_shard_<k>` too, which
 * the pg backend folds to the same schema name).
 */
import { formatRosterError, parseRoster, serializeRoster } from '../../roster';
import { learner, roster } from '../../test-kit/rosters';

const lines = (doc: unknown) => parseRoster(JSON.stringify(doc)).errors.map((e) => formatRosterError(e));

test('a shard is a whole number from 0, kept in canonical order after the state', () => {
  const ok = roster([
    learner('alice', 'c1', { provisioning: { state: 'provisioned', shard: 3, last_outcome: 'created' } }),
  ]);
  expect(lines(ok)).toEqual([]);
  expect(serializeRoster(ok)).toContain(
    '"state": "provisioned",\n        "shard": 3,\n        "last_outcome": "created"',
  );
  const bad = roster([
    learner('alice', 'c1', { provisioning: { state: 'pending', shard: -1 } }),
    learner('bob', 'c1', { provisioning: { state: 'pending', shard: 1.5 as number } }),
  ]);
  expect(lines(bad)).toEqual([
    'learner 1 (alice), line 1, provisioning.shard: expected a number of at least 0; found -1',
    'learner 2 (bob), line 1, provisioning.shard: expected a whole number; found 1.5',
  ]);
});

test.each(['spring.shard-1', 'spring_shard_2', 'a-shard.10'])(
  'cohort id %s is refused: it looks like a shard stack of another cohort',
  (id) => {
    const errs = lines(roster([learner('alice', id)], [id]));
    expect(errs[0]).toMatch(/^cohort 1, line 1, cohort_id: expected an identifier: .*not ending in "\.shard-<number>"/);
    // One mistake, one message: the learner's reference to the cohort is not reported again.
    expect(errs).toHaveLength(1);
  },
);

test('a cohort id that only its case keeps from a shard name gets no hint to write it as one', () => {
  const errs = lines(roster([learner('alice', 'Spring.Shard-1')], ['Spring.Shard-1']));
  expect(errs).toHaveLength(1);
  expect(errs[0]).not.toContain('write it as');
});

test.each(['shard-1', 'spring-shards-1', 'spring.shard-x', 'shard'])('cohort id %s is fine', (id) => {
  expect(lines(roster([learner('alice', id)], [id]))).toEqual([]);
});
