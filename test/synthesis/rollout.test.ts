/**
 * The first rollout of a 300-learner cohort, with the product's own budget, shard size and pacing:
 * at least 90% of the rate GitHub's content-creation limit allows, never more than 500
 * content-creating writes in an hour, and no Terraform process near the token's hour.
 */
import { planCohorts } from '../../synthesis/cohort-plan';
import { ASSUMED_LATENCY_MS } from '../../synthesis/cost-model';
import { readSettings } from '../../contracts/settings';
import { learner, roster } from '../../test-kit/rosters';
import { RUN_SETUP_MINUTES, simulateRollout, STACK_SETUP_MINUTES } from '../../test-kit/rollout';

function production(n: number) {
  const r = roster(Array.from({ length: n }, (_, i) => learner(`l${i}`)));
  r.cohorts[0].required_files = ['a.yml', 'b.yml'];
  const { settings } = readSettings({});
  const plan = planCohorts({ roster: r, settings: settings! });
  const s = plan.stacks[0];
  return {
    learners: n,
    files: 2,
    shardSize: s.shardSize,
    roomsPerRun: plan.budget.admitted,
    intervalMinutes: settings!.runIntervalMinutes,
    pacing: {
      readDelayMs: s.provider.read_delay_ms,
      writeDelayMs: s.provider.write_delay_ms,
      latencyMs: ASSUMED_LATENCY_MS,
    },
    runSetupMinutes: RUN_SETUP_MINUTES,
    stackSetupMinutes: STACK_SETUP_MINUTES,
  };
}

test('300 learners: at least 90% of the content-creation rate, within its hourly limit, every run within its slot', () => {
  const r = simulateRollout(production(300));
  expect(r.efficiency).toBeGreaterThanOrEqual(0.9);
  expect(r.maxContentCreationPerHour).toBeLessThanOrEqual(500);
  expect(r.maxProcessMinutes).toBeLessThan(45);
  for (const run of r.runs) expect(run.end - run.start).toBeLessThanOrEqual(30);
});

test('a shard the size of a run means no run refreshes a full shard before creating rooms', () => {
  const r = simulateRollout(production(1000));
  expect(r.processes.every((p) => p.existing === 0)).toBe(true);
  // with shards of 100 instead, the runs that top up a half-full shard refresh it first
  const wide = simulateRollout({ ...production(1000), shardSize: 100 });
  expect(wide.processes.some((p) => p.existing > 0)).toBe(true);
  expect(wide.elapsedMinutes).toBeGreaterThan(r.elapsedMinutes);
});
