import type { Roster } from '../../roster';
import { CohortPlan, planCohorts, SynthesisPlan } from '../../synthesis/cohort-plan';
import { readSettings, SynthesisSettings } from '../../contracts/settings';
import { KnownRooms, parseKnownRooms } from '../../contracts/terraform-state';
import { learner, roster } from '../../test-kit/rosters';
import { rawState, StateRoom } from '../helpers/state';

function settings(env: NodeJS.ProcessEnv = {}): SynthesisSettings {
  const { settings: s, errors } = readSettings(env);
  if (!s) throw new Error(errors.join('\n'));
  return s;
}

const state = (byCohort: Record<string, StateRoom[]>): Map<string, KnownRooms> =>
  new Map(Object.entries(byCohort).map(([id, rooms]) => [id, parseKnownRooms(rawState(rooms), `${id}.tfstate.json`)]));

const provisioned = { state: 'provisioned' as const, provisioned_at: '2026-04-01T00:00:00Z' };
const cohort = (plan: SynthesisPlan, id: string): CohortPlan => {
  const c = plan.stacks.find((x) => x.stack === id);
  if (!c) throw new Error(`no cohort ${id}`);
  return c;
};
const handles = (list: { github_handle: string }[]) => list.map((x) => x.github_handle);

/** n pending learners p0..p(n-1) plus the given ones, in cohort c1. */
function withPending(n: number, extra: Roster['learners'] = []): Roster {
  return roster([...extra, ...Array.from({ length: n }, (_, i) => learner(`p${i}`))]);
}

describe('admission budget', () => {
  it('admits at most B new learners, queues the rest with the reason, in roster order', () => {
    const plan = planCohorts({ roster: withPending(5), settings: settings({ LEARNING_ROOMS_ADMISSION_BUDGET: '2' }) });
    const c1 = cohort(plan, 'c1');
    expect(handles(c1.rooms)).toEqual(['p0', 'p1']);
    expect(c1.rooms.every((r) => r.status === 'new')).toBe(true);
    expect(handles(c1.queued)).toEqual(['p2', 'p3', 'p4']);
    expect(c1.queued[0].reason).toMatch(
      /^queued: the admission budget \(LEARNING_ROOMS_ADMISSION_BUDGET=2 new rooms per run\) is spent/,
    );
    expect(plan.budget).toMatchObject({ admitted: 2, queued: 3 });
  });

  it('derives the default budget from 500 content-creating writes an hour, the run interval and 2 + K per room', () => {
    const r = withPending(200);
    r.cohorts[0].required_files = ['a.yml', 'b.yml', 'c.yml']; // 5 content-creating writes per room
    const plan = planCohorts({ roster: r, settings: settings() });
    expect(cohort(plan, 'c1').rooms).toHaveLength(Math.floor(237 / 5));
    const hourly = planCohorts({ roster: r, settings: settings({ LEARNING_ROOMS_RUN_INTERVAL_MINUTES: '60' }) });
    // a run this size no longer fits one shard's hour: the rooms spread over the cohort's shards
    expect(hourly.stacks.filter((s) => s.cohort_id === 'c1').reduce((n, s) => n + s.rooms.length, 0)).toBe(
      Math.floor(475 / 5),
    );
  });

  it("honours a cohort's own admission_budget and says so", () => {
    const r = withPending(4);
    r.cohorts[0].admission_budget = 1;
    const c1 = cohort(planCohorts({ roster: r, settings: settings() }), 'c1');
    expect(handles(c1.rooms)).toEqual(['p0']);
    expect(c1.queued[0].reason).toMatch(/cohort c1 admits at most 1 new rooms per run \(admission_budget\)/);
  });

  it('shares the budget round-robin between cohorts, failed learners before pending ones', () => {
    const r = roster(
      [
        learner('a1', 'a'),
        learner('a2', 'a'),
        learner('a3', 'a', { provisioning: { state: 'failed', cause: 'rate-limit' } }),
        learner('b1', 'b'),
        learner('b2', 'b'),
      ],
      ['a', 'b'],
    );
    const plan = planCohorts({ roster: r, settings: settings({ LEARNING_ROOMS_ADMISSION_BUDGET: '3' }) });
    expect(handles(cohort(plan, 'a').rooms).sort()).toEqual(['a1', 'a3']);
    expect(handles(cohort(plan, 'b').rooms)).toEqual(['b1']);
    // configuration order stays roster order
    expect(handles(cohort(plan, 'a').rooms)).toEqual(['a1', 'a3']);
  });
});

describe('never drop a provisioned learner', () => {
  it('keeps learners the roster knows as provisioned even when the budget is zero', () => {
    const r = withPending(3, [
      learner('done', 'c1', { provisioning: provisioned }),
      learner('failed-after', 'c1', {
        provisioning: { state: 'failed', provisioned_at: '2026-04-01T00:00:00Z', cause: 'network-or-server' },
      }),
    ]);
    const c1 = cohort(planCohorts({ roster: r, settings: settings({ LEARNING_ROOMS_ADMISSION_BUDGET: '0' }) }), 'c1');
    expect(handles(c1.rooms)).toEqual(['done', 'failed-after']);
    expect(c1.rooms.every((x) => x.status === 'existing')).toBe(true);
    expect(handles(c1.queued)).toEqual(['p0', 'p1', 'p2']);
  });

  it('keeps a room that is in Terraform state although the roster still says pending (crash before the post-step)', () => {
    const r = withPending(3, [learner('crashed', 'c1')]);
    const plan = planCohorts({
      roster: r,
      settings: settings({ LEARNING_ROOMS_ADMISSION_BUDGET: '0' }),
      knownRooms: state({ c1: [{ handle: 'crashed', repository: 'c1-crashed' }] }),
    });
    const c1 = cohort(plan, 'c1');
    expect(handles(c1.rooms)).toEqual(['crashed']);
    expect(c1.rooms[0].status).toBe('existing');
    expect(c1.archived).toEqual([]);
    // the room did not cost budget: the queue is the three pending learners
    expect(handles(c1.queued)).toEqual(['p0', 'p1', 'p2']);
  });

  it('keeps the repository name found in state even after the pattern changed', () => {
    const r = roster([learner('alice', 'c1', { provisioning: provisioned })]);
    r.cohorts[0].repository_pattern = 'new-{handle}';
    const plan = planCohorts({
      roster: r,
      settings: settings(),
      knownRooms: state({ c1: [{ handle: 'alice', repository: 'c1-alice' }] }),
    });
    expect(cohort(plan, 'c1').rooms[0].repository).toBe('c1-alice');
  });
});

describe('learners leaving', () => {
  it('archives a room whose learner left the roster and forgets its files and collaborator', () => {
    const r = roster([learner('stay', 'c1', { provisioning: provisioned })]);
    r.cohorts[0].required_files = ['.github/workflows/progress.yml'];
    const known = state({
      c1: [
        { handle: 'stay', repository: 'c1-stay', files: ['.github/workflows/progress.yml'] },
        { handle: 'gone', repository: 'c1-gone', files: ['.github/workflows/progress.yml'] },
      ],
    });
    const plan = planCohorts({ roster: r, settings: settings(), knownRooms: known });
    const c1 = cohort(plan, 'c1');
    expect(plan.errors).toEqual([]);
    expect(handles(c1.rooms)).toEqual(['stay']);
    expect(c1.archived).toEqual([
      { github_handle: 'gone', repository: 'c1-gone', why: 'not-in-roster', inState: true },
    ]);
    expect(c1.forget.sort()).toEqual([
      'github_repository_collaborator.learner-gone',
      'github_repository_file.learner-gone--github_workflows_progress_yml',
    ]);
  });

  it('archives a withdrawn learner (provisioning.state "archived") despite provisioned_at', () => {
    const r = roster([
      learner('w', 'c1', { provisioning: { state: 'archived', provisioned_at: '2026-04-01T00:00:00Z' } }),
    ]);
    r.cohorts[0].required_files = ['a.yml'];
    const c1 = cohort(planCohorts({ roster: r, settings: settings() }), 'c1');
    expect(c1.rooms).toEqual([]);
    expect(c1.archived[0]).toMatchObject({ github_handle: 'w', why: 'withdrawn', inState: false });
    // no state given: forget by the address scheme (harmless when already gone)
    expect(c1.forget).toEqual(['github_repository_collaborator.learner-w', 'github_repository_file.learner-w--a_yml']);
  });

  it('forgets nothing once the post-step recorded the archive', () => {
    const r = roster([
      learner('w', 'c1', {
        provisioning: { state: 'archived', last_outcome: 'archived', provisioned_at: '2026-04-01T00:00:00Z' },
      }),
    ]);
    expect(cohort(planCohorts({ roster: r, settings: settings() }), 'c1').forget).toEqual([]);
  });
});

describe('removal guard', () => {
  const stateOf = (n: number) =>
    state({ c1: Array.from({ length: n }, (_, i) => ({ handle: `l${i}`, repository: `c1-l${i}` })) });
  const rosterKeeping = (n: number) =>
    roster(Array.from({ length: n }, (_, i) => learner(`l${i}`, 'c1', { provisioning: provisioned })));

  it('refuses when more than 10% of the rooms would be archived, naming the learners', () => {
    const plan = planCohorts({ roster: rosterKeeping(17), settings: settings(), knownRooms: stateOf(20) });
    expect(plan.errors).toHaveLength(1);
    expect(plan.errors[0]).toMatch(
      /^cohort c1: 3 of 20 rooms \(15%\) would be archived \(l17, l18, l19\), more than the removal guard allows/,
    );
    expect(plan.errors[0]).toMatch(/LEARNING_ROOMS_ALLOW_MASS_ARCHIVE=true/);
  });

  it('lets 10% through, and one room of a small cohort', () => {
    expect(planCohorts({ roster: rosterKeeping(18), settings: settings(), knownRooms: stateOf(20) }).errors).toEqual(
      [],
    );
    expect(planCohorts({ roster: rosterKeeping(3), settings: settings(), knownRooms: stateOf(4) }).errors).toEqual([]);
    expect(planCohorts({ roster: rosterKeeping(2), settings: settings(), knownRooms: stateOf(4) }).errors).toHaveLength(
      1,
    );
  });

  it('is overridden explicitly, and configurable', () => {
    expect(
      planCohorts({
        roster: rosterKeeping(10),
        settings: settings({ LEARNING_ROOMS_ALLOW_MASS_ARCHIVE: 'true' }),
        knownRooms: stateOf(20),
      }).errors,
    ).toEqual([]);
    expect(
      planCohorts({
        roster: rosterKeeping(10),
        settings: settings({ LEARNING_ROOMS_REMOVAL_GUARD_SHARE: '0.5' }),
        knownRooms: stateOf(20),
      }).errors,
    ).toEqual([]);
  });
});

describe('names and other roster problems', () => {
  it('reports two learners mapping to one repository, naming both', () => {
    const r = roster([learner('alice', 'a'), learner('alice', 'b')], ['a', 'b']);
    r.cohorts.forEach((c) => (c.repository_pattern = 'room-{handle}'));
    const plan = planCohorts({ roster: r, settings: settings() });
    expect(plan.errors).toEqual([
      expect.stringMatching(
        /^learners "alice" \(cohort a\) and "alice" \(cohort b\) would share the repository learning-rooms-example\/room-alice/,
      ),
    ]);
  });

  it('reports names over 100 characters, bad templates and bad required file paths, all at once', () => {
    const r = roster([learner('x'.repeat(39), 'c1')]);
    r.cohorts[0].repository_pattern = `${'p'.repeat(70)}-{handle}`;
    r.cohorts[0].template = 'not-a-template';
    r.cohorts[0].required_files = ['../etc/passwd', 'a-b', 'a_b'];
    const plan = planCohorts({ roster: r, settings: settings() });
    const all = plan.errors.join('\n');
    expect(plan.errors).toHaveLength(4);
    expect(all).toMatch(/cohort c1: template: expected "owner\/repository", found "not-a-template"/);
    expect(all).toMatch(/required_files\[0\]: expected a relative path/);
    expect(all).toMatch(/"a_b" and "a-b" map to one Terraform name/);
    expect(all).toMatch(
      /learners\[0\] "x+" \(cohort c1\): repository name: expected at most 100 characters, found 110/,
    );
  });

  it('uses an adopted repository name from the roster', () => {
    const r = roster([learner('alice', 'c1', { repository: 'legacy-alice-room', provisioning: provisioned })]);
    expect(cohort(planCohorts({ roster: r, settings: settings() }), 'c1').rooms[0].repository).toBe(
      'legacy-alice-room',
    );
  });
});

describe('adoption of existing repositories', () => {
  const r = () =>
    roster([
      learner('alice', 'c1', { repository: 'legacy-alice-room' }),
      learner('bob', 'c1', { repository: 'legacy-bob', provisioning: provisioned }),
      learner('carol'),
    ]);

  it('imports an adopted repository that state does not hold yet, by its bare name', () => {
    const c1 = cohort(
      planCohorts({
        roster: r(),
        settings: settings(),
        knownRooms: state({ c1: [{ handle: 'bob', repository: 'legacy-bob' }] }),
      }),
      'c1',
    );
    expect(c1.imports).toEqual([{ to: 'github_repository.learner-alice', id: 'legacy-alice-room' }]);
  });

  it('without state, imports only adopted learners the roster does not call provisioned', () => {
    expect(cohort(planCohorts({ roster: r(), settings: settings() }), 'c1').imports).toEqual([
      { to: 'github_repository.learner-alice', id: 'legacy-alice-room' },
    ]);
  });

  it('imports nothing for a queued learner', () => {
    expect(
      cohort(planCohorts({ roster: r(), settings: settings({ LEARNING_ROOMS_ADMISSION_BUDGET: '0' }) }), 'c1').imports,
    ).toEqual([]);
  });
});
