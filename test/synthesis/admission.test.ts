/**
 * Fair, visible admission (issue 14, point 4): the default budget admits a 30-person class in one
 * run; the budget counts the writes GitHub counts as content creation (2 + K per room) from its
 * 500 an hour; queued learners are named with the run that admits them and about when.
 */
import { planCohorts } from '../../synthesis/cohort-plan';
import { admissionRuns, admitOneRun, namedList, runTime } from '../../synthesis/admission-budget';
import { applyCron, nextScheduledRuns } from '../../synthesis/rate-budget';
import { readSettings } from '../../contracts/settings';
import { learner, roster } from '../../test-kit/rosters';

const START = '2026-09-28T10:12:00Z';

function admission(n: number, env: NodeJS.ProcessEnv = {}) {
  const r = roster(Array.from({ length: n }, (_, i) => learner(`l${i}`)));
  r.cohorts[0].required_files = ['.github/workflows/progress.yml', '.github/workflows/ack.yml'];
  const { settings, errors } = readSettings({ LEARNING_ROOMS_RUN_STARTED_AT: START, ...env });
  if (!settings) throw new Error(errors.join('\n'));
  return planCohorts({ roster: r, settings });
}

const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `@l${from + i}`).join(', ');

describe('admission of a class, with names and times', () => {
  it('admits a 30-person class in one run', () => {
    const plan = admission(30);
    process.stdout.write(`30 learners: ${plan.budget.sentence}\n`);
    expect(plan.budget.sentence).toBe('30 of 30 new rooms this run');
    expect(plan.stacks[0].rooms).toHaveLength(30);
    expect(plan.budget.description).toMatch(
      /^237 content-creating writes per run \(500\/hour, a run every 30 min, 95% of it for new rooms\), 2 \+ K per room/,
    );
  });

  it('100 learners: 59 now, 41 at the next scheduled run, the first ten named', () => {
    const plan = admission(100);
    process.stdout.write(`100 learners: ${plan.budget.sentence}\n`);
    expect(plan.budget.sentence).toBe(
      `59 of 100 new rooms this run; 41 next run at about 10:37 UTC: ${names(59, 69)} and 31 more`,
    );
    const q = plan.stacks[0].queued;
    expect(q[0]).toMatchObject({
      github_handle: 'l59',
      queue: { position: 1, run: 1, expected_at: '2026-09-28T10:37:00Z' },
    });
    expect(q[40]).toMatchObject({ github_handle: 'l99', queue: { position: 41, run: 1 } });
  });

  it('1,000 learners: the queue drains over 16 more runs, the last at about 18:07', () => {
    const plan = admission(1000);
    process.stdout.write(`1,000 learners: ${plan.budget.sentence}\n`);
    expect(plan.budget.sentence).toBe(
      `59 of 1,000 new rooms this run; 59 next run at about 10:37 UTC: ${names(59, 69)} and 49 more; 882 over the 15 runs after that, the last at about 18:07 UTC`,
    );
    const last = plan.stacks[0].queued.at(-1);
    expect(last).toMatchObject({
      github_handle: 'l999',
      queue: { position: 941, run: 16, expected_at: '2026-09-28T18:07:00Z' },
    });
    // this run's rooms all go to the first shard
    expect(plan.stacks.map((s) => [s.stack, s.rooms.length])).toEqual([['c1', 59]]);
  });

  it('says when the budget can never admit someone, and gives no time without a start', () => {
    const plan = admission(3, { LEARNING_ROOMS_ADMISSION_BUDGET: '0', LEARNING_ROOMS_RUN_STARTED_AT: '' });
    expect(plan.budget.sentence).toBe('0 of 3 new rooms this run; 3 not admitted by the current budget: @l0, @l1, @l2');
    expect(plan.stacks[0].queued[0].queue).toEqual({ position: 1 });
  });
});

describe('the budget rules', () => {
  it('shares a run round-robin: each cohort one room per round while its cost fits', () => {
    // 10 writes: 4 + 4 for the first round, then the cheaper cohort alone cannot jump the queue
    expect(
      admitOneRun(
        [
          { cost: 4, waiting: 5 },
          { cost: 4, waiting: 5 },
        ],
        { writes: 10 },
      ),
    ).toEqual([1, 1]);
    expect(
      admitOneRun(
        [
          { cost: 3, waiting: 5, cap: 1 },
          { cost: 3, waiting: 5 },
        ],
        { writes: 30 },
      ),
    ).toEqual([1, 5]);
    expect(
      admitOneRun(
        [
          { cost: 3, waiting: 5 },
          { cost: 3, waiting: 5 },
        ],
        { rooms: 3, writes: 0 },
      ),
    ).toEqual([2, 1]);
  });

  it('simulates every run until the queue is empty, and stops when nothing fits', () => {
    expect(admissionRuns([{ cost: 4, waiting: 10 }], { writes: 12 })).toEqual([[3], [3], [3], [1]]);
    expect(admissionRuns([{ cost: 20, waiting: 2 }], { writes: 12 })).toEqual([]);
  });

  it('names at most ten', () => {
    expect(namedList(['a', 'b'])).toBe('@a, @b');
    expect(namedList(Array.from({ length: 12 }, (_, i) => `h${i}`))).toBe(
      '@h0, @h1, @h2, @h3, @h4, @h5, @h6, @h7, @h8, @h9 and 2 more',
    );
  });

  it('times runs from the schedule: :07 and :37, strictly after the start', () => {
    expect(applyCron(30)).toBe('7,37 * * * *');
    expect(nextScheduledRuns(new Date('2026-09-28T10:07:00Z'), 30, 2).map((d) => d.toISOString())).toEqual([
      '2026-09-28T10:37:00.000Z',
      '2026-09-28T11:07:00.000Z',
    ]);
    expect(runTime(undefined, 30, 1)).toBeUndefined();
  });
});
