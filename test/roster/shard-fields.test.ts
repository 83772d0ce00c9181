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
    'learner #0 (alice), learners[0].provisioning.shard: expected a number of at least 0; found -1',
    'learner #1 (bob), learners[1].provisioning.shard: expected a value of type integer; found 1.5',
  ]);
});

test.each(['spring.shard-1', 'spring_shard_2', 'a-shard.10'])(
  'cohort id %s is refused: it looks like a shard stack of another cohort',
  (id) => {
    const errs = lines(roster([learner('alice', id)], [id]));
    expect(errs[0]).toMatch(/^cohorts\[0\]\.cohort_id: expected a cohort id: .*not ending in "\.shard-<number>"/);
    expect(errs).toHaveLength(2); // the cohort and the learner's reference to it
  },
);

test.each(['shard-1', 'spring-shards-1', 'spring.shard-x', 'shard'])('cohort id %s is fine', (id) => {
  expect(lines(roster([learner('alice', id)], [id]))).toEqual([]);
});
