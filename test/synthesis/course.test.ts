/**
 * A course synthesized at instants (docs/course.md): each feature as the Terraform JSON it makes, with
 * the state an apply leaves between two syntheses (test-kit/course-world.ts). Every stack passes
 * prepare-stack's allow-list (test/helpers/course.ts).
 */
import { planCohorts } from '../../synthesis/cohort-plan';
import { courseLearner, courseRoster, T } from '../../test-kit/course';
import type { StateResource } from '../../test-kit/course-world';
import { appliedAll, Config, differences, only, settingsAt, synthAt } from '../helpers/course';
import { roomsOf } from '../../contracts/learner-index';
import { applied, planOf } from '../../test-kit/course-world';
import { readRosterFile } from '../../roster';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const users = (config: Config, key: string) =>
  (config.resource.github_repository_collaborators[key].user as { username: string; permission: string }[]).map(
    (u) => `${u.username}:${u.permission}`,
  );

describe('rooms per open assignment', () => {
  test('before the first assignment opens: no room, every learner waits and says until when', () => {
    const s = only(synthAt(courseRoster({ learners: 3 }), T.before));
    expect(s.config.resource ?? {}).toEqual({});
    expect(s.index.learners.map((l) => [l.github_handle, l.admitted, l.queued_reason])).toEqual([
      ['l1', false, 'waiting: no assignment open yet (a1-html opens 2026-03-02T09:00:00Z)'],
      ['l2', false, 'waiting: no assignment open yet (a1-html opens 2026-03-02T09:00:00Z)'],
      ['l3', false, 'waiting: no assignment open yet (a1-html opens 2026-03-02T09:00:00Z)'],
    ]);
    expect(s.index.course?.at).toBe('2026-03-01T08:00:00.000Z');
  });

  test('an assignment opens: one room per learner, the learner with push and every facilitator with maintain, in one list', () => {
    const s = only(synthAt(courseRoster({ learners: 3 }), T.a1Opens));
    const r = s.config.resource;
    expect(Object.keys(r.github_repository)).toEqual(['a1-html--l1', 'a1-html--l2', 'a1-html--l3']);
    expect(r.github_repository['a1-html--l1']).toMatchObject({
      name: 'web-101-a1-html-l1',
      visibility: 'private',
      has_issues: true,
      archive_on_destroy: true,
      template: { owner: 'acme-school', repository: 'web-101-template' },
      lifecycle: { ignore_changes: ['template'] },
    });
    expect(r.github_repository_collaborators['a1-html--l1']).toEqual({
      '//': expect.anything(),
      repository: '${github_repository.a1-html--l1.name}',
      user: [
        { permission: 'push', username: 'l1' },
        { permission: 'maintain', username: 'sam-teacher' },
        { permission: 'maintain', username: 'tina-ta' },
      ],
    });
    expect(Object.keys(r.github_repository_file)).toEqual([
      'a1-html--l1--github_workflows_progress_yml',
      'a1-html--l2--github_workflows_progress_yml',
      'a1-html--l3--github_workflows_progress_yml',
    ]);
    // no singular collaborator on a course's room: its permission is ForceNew
    expect(r.github_repository_collaborator).toBeUndefined();
    expect(roomsOf(s.index, 'L2').map((x) => [x.key, x.repository, x.members])).toEqual([
      ['a1-html--l2', 'web-101-a1-html-l2', [{ github_handle: 'l2', permission: 'push', cutoff: T.a1Cutoff }]],
    ]);
  });

  test('logins are written as the roster spells them (the provider compares them case-sensitively); addresses are lower case', () => {
    const r = courseRoster({ handles: ['Alice-N', 'bob'] });
    r.cohorts[0].facilitators = { handles: ['Tina-TA'] };
    const s = only(synthAt(r, T.a1Opens));
    expect(users(s.config, 'a1-html--alice-n')).toEqual(['Alice-N:push', 'Tina-TA:maintain']);
    expect(s.config.resource.github_repository['a1-html--alice-n'].name).toBe('web-101-a1-html-alice-n');
  });

  test('a team assignment: one room per team, every member a collaborator; the learner index names the members', () => {
    const s = only(synthAt(courseRoster({ learners: 6, teamSize: 3 }), T.teamOpens));
    expect(users(s.config, 'a3-project--team-1')).toEqual([
      'l1:push',
      'l2:push',
      'l3:push',
      'sam-teacher:maintain',
      'tina-ta:maintain',
    ]);
    expect(s.config.resource.github_repository['a3-project--team-2'].name).toBe('web-101-a3-project-team-2');
    const team = s.index.course?.rooms.find((x) => x.key === 'a3-project--team-2');
    expect(team).toMatchObject({ assignment: 'a3-project', team: 'team-2', admitted: true });
    expect(team?.members.map((m) => m.github_handle)).toEqual(['l4', 'l5', 'l6']);
    expect(roomsOf(s.index, 'l4').map((x) => x.key)).toEqual(['a1-html--l4', 'a2-css--l4', 'a3-project--team-2']);
  });

  test('a facilitators team goes in the same list by numeric id (a slug would cost a request per comparison)', () => {
    const r = courseRoster({ learners: 1, facilitators: { team: { id: 4242, slug: 'staff' }, permission: 'triage' } });
    const s = only(synthAt(r, T.a1Opens));
    expect(s.config.resource.github_repository_collaborators['a1-html--l1']).toMatchObject({
      user: [{ permission: 'push', username: 'l1' }],
      team: [{ permission: 'triage', team_id: '4242' }],
    });
  });
});

describe('deadlines', () => {
  const roster = () => {
    const r = courseRoster({ learners: 4 });
    r.learners[1].extensions = { 'a1-html': '2026-03-12T17:00:00Z' };
    return r;
  };
  const before = '2026-03-10T16:59:00Z';
  const after = '2026-03-10T17:05:00Z';

  test("a cutoff passing between two plans: only that assignment's collaborators drop to pull, everything else byte for byte the same", () => {
    const r = roster();
    const first = synthAt(r, before);
    const state = appliedAll(first);
    const second = synthAt(r, after, state);
    const diff = differences(only(first).config, only(second).config);
    expect(diff).toEqual([
      'resource.github_repository_collaborators["a1-html--l1"].user[0].permission',
      'resource.github_repository_collaborators["a1-html--l3"].user[0].permission',
      'resource.github_repository_collaborators["a1-html--l4"].user[0].permission',
    ]);
    expect(users(only(second).config, 'a1-html--l1')).toEqual(['l1:pull', 'sam-teacher:maintain', 'tina-ta:maintain']);
    // the extension keeps l2 at push; a2-css (cutoff a week later) keeps everyone at push
    expect(users(only(second).config, 'a1-html--l2')[0]).toBe('l2:push');
    expect(users(only(second).config, 'a2-css--l1')[0]).toBe('l1:push');
    // the index records each member's cutoff and what state does not have yet (the apply's scope reads it)
    const room = only(second).index.course?.rooms.find((x) => x.key === 'a1-html--l1');
    expect(room).toMatchObject({
      pending: ['access'],
      members: [{ github_handle: 'l1', permission: 'pull', cutoff: T.a1Cutoff }],
    });
    expect(only(second).index.course?.rooms.find((x) => x.key === 'a1-html--l2')?.pending).toBeUndefined();
  });

  test("an extension moves one learner's cutoff: at it, only that learner drops to pull", () => {
    const r = roster();
    const first = synthAt(r, '2026-03-12T16:00:00Z', appliedAll(synthAt(r, before)));
    const second = synthAt(r, '2026-03-12T17:00:00Z', appliedAll(first));
    expect(differences(only(first).config, only(second).config)).toEqual([
      'resource.github_repository_collaborators["a1-html--l2"].user[0].permission',
    ]);
  });

  test('synthesis is a function of the roster and the instant: the same instant gives the same bytes', () => {
    const r = roster();
    expect(only(synthAt(r, after)).text).toBe(only(synthAt(r, after)).text);
  });

  test('a course needs the instant; validate plans the roster alone and needs none', () => {
    const plan = planCohorts({ roster: roster(), settings: settingsAt(undefined) });
    expect(plan.errors).toEqual([
      'cohort web-101 has assignments: synthesis needs the instant to plan for (synth --at, or LEARNING_ROOMS_AT; synth defaults to now)',
    ]);
    expect(planCohorts({ roster: roster(), settings: settingsAt(undefined), staticOnly: true }).errors).toEqual([]);
  });
});

describe('teams and facilitators', () => {
  test("moving a learner between teams changes the two rooms' lists and nothing else", () => {
    const r = courseRoster({ learners: 6, teamSize: 3 });
    const first = synthAt(r, '2026-03-20T12:00:00Z');
    const team = (r.cohorts[0].assignments ?? [])[2].teams ?? [];
    team[0].members = ['l2', 'l3'];
    team[1].members = ['l4', 'l5', 'l6', 'l1'];
    const second = synthAt(r, '2026-03-20T12:00:00Z', appliedAll(first));
    const diff = differences(only(first).config, only(second).config);
    expect(
      diff.every((d) => /^resource\.github_repository_collaborators\["a3-project--team-[12]"\]\.user/.test(d)),
    ).toBe(true);
    expect(users(only(second).config, 'a3-project--team-1').slice(0, 2)).toEqual(['l2:push', 'l3:push']);
    expect(users(only(second).config, 'a3-project--team-2')).toContain('l1:push');
  });

  test('a facilitator removed is removed from every room, and nothing else changes', () => {
    const r = courseRoster({ learners: 4 });
    const first = synthAt(r, '2026-03-20T12:00:00Z');
    r.cohorts[0].facilitators = { handles: ['sam-teacher'] };
    const second = synthAt(r, '2026-03-20T12:00:00Z', appliedAll(first));
    const rooms = Object.keys(only(first).config.resource.github_repository_collaborators);
    expect(rooms).toHaveLength(4 + 4 + 1);
    const diff = differences(only(first).config, only(second).config);
    expect(diff.length).toBeGreaterThanOrEqual(rooms.length);
    expect(diff.every((d) => /^resource\.github_repository_collaborators\[[^\]]+\]\.user/.test(d))).toBe(true);
    for (const key of rooms) expect(users(only(second).config, key).some((u) => u.startsWith('tina-ta'))).toBe(false);
  });
});

describe('the feedback pull request', () => {
  test('branch first, from the default branch; the files wait for it; the pull request waits for both; made once', () => {
    const s = only(synthAt(courseRoster({ learners: 1 }), T.a2Opens));
    const r = s.config.resource;
    expect(r.github_branch['a2-css--l1--feedback']).toMatchObject({
      repository: '${github_repository.a2-css--l1.name}',
      branch: 'feedback',
      source_branch: '${github_repository.a2-css--l1.default_branch}',
      lifecycle: { ignore_changes: ['source_branch'] },
    });
    for (const f of ['github_workflows_progress_yml', 'github_workflows_ack_yml'])
      expect(r.github_repository_file[`a2-css--l1--${f}`].depends_on).toEqual(['github_branch.a2-css--l1--feedback']);
    expect(r.github_repository_pull_request['a2-css--l1--feedback']).toMatchObject({
      base_repository: '${github_repository.a2-css--l1.name}',
      base_ref: 'feedback',
      head_ref: '${github_repository.a2-css--l1.default_branch}',
      title: 'Feedback',
      maintainer_can_modify: false,
      depends_on: [
        'github_branch.a2-css--l1--feedback',
        'github_repository_file.a2-css--l1--github_workflows_progress_yml',
        'github_repository_file.a2-css--l1--github_workflows_ack_yml',
      ],
      lifecycle: { ignore_changes: ['base_ref', 'head_ref', 'title', 'body', 'maintainer_can_modify'] },
    });
    expect(r.github_repository_pull_request['a2-css--l1--feedback'].body).toMatch(/feedback/);
    // a1-html asks for none
    expect(r.github_branch['a1-html--l1--feedback']).toBeUndefined();
    expect(r.github_repository_file['a1-html--l1--github_workflows_progress_yml'].depends_on).toBeUndefined();
  });
});

describe('end of course', () => {
  const end = (mode: 'archive' | 'hand-over' | 'portfolio') =>
    courseRoster({ learners: 2, endOfCourse: { at: T.end, mode, allow_mass_change: true } });
  const justBefore = '2026-04-03T16:00:00Z';

  test('archive: every room leaves the configuration (archive_on_destroy, as a withdrawal); its people, files, branch and pull request are forgotten', () => {
    const r = end('archive');
    const state = appliedAll(synthAt(r, justBefore));
    const s = only(synthAt(r, T.end, state));
    expect(s.config.resource ?? {}).toEqual({});
    const forgotten = (s.config.removed as { from: string; lifecycle: unknown }[]).map((x) => x.from).sort();
    expect(forgotten).toContain('github_repository_collaborators.a1-html--l1');
    expect(forgotten).toContain('github_branch.a2-css--l1--feedback');
    expect(forgotten).toContain('github_repository_pull_request.a2-css--l1--feedback');
    expect(forgotten.some((f) => f.startsWith('github_repository.'))).toBe(false);
    expect(
      s.index.course?.rooms.filter((x) => x.archived && x.queued_reason === 'end-of-course' && x.in_state),
    ).toHaveLength(5);
    expect(s.index.learners.map((l) => [l.github_handle, l.archived])).toEqual([
      ['l1', true],
      ['l2', true],
    ]);
  });

  test('hand-over: the members become admin first; once state has it, a later run archives', () => {
    const r = end('hand-over');
    const state = appliedAll(synthAt(r, justBefore));
    const first = only(synthAt(r, T.end, state));
    expect(users(first.config, 'a1-html--l1')).toEqual(['l1:admin', 'sam-teacher:maintain', 'tina-ta:maintain']);
    expect(users(first.config, 'a3-project--team-1').slice(0, 2)).toEqual(['l1:admin', 'l2:admin']);
    expect(first.config.resource.github_repository['a1-html--l1'].visibility).toBe('private');
    const second = only(
      synthAt(r, '2026-04-03T17:30:00Z', { 'web-101': appliedAll(synthAt(r, T.end, state))['web-101'] }),
    );
    expect(second.config.resource ?? {}).toEqual({});
    expect(second.index.course?.end_of_course).toEqual({
      at: T.end,
      mode: 'hand-over',
      allow_mass_change: true,
      reached: true,
    });
  });

  test('portfolio: public first (an archived repository refuses a visibility change), archived in a later run', () => {
    const r = end('portfolio');
    const state = appliedAll(synthAt(r, justBefore));
    const first = only(synthAt(r, T.end, state));
    expect(first.config.resource.github_repository['a2-css--l2'].visibility).toBe('public');
    expect(users(first.config, 'a1-html--l1')[0]).toBe('l1:pull');
    expect(first.index.course?.rooms.find((x) => x.key === 'a2-css--l2')?.pending).toEqual(['visibility']);
    const second = only(synthAt(r, '2026-04-03T17:30:00Z', appliedAll(synthAt(r, T.end, state))));
    expect(second.config.resource ?? {}).toEqual({});
  });

  test('without state input the first step waits: nothing is archived before it is in state', () => {
    const r = end('hand-over');
    const s = only(synthAt(courseRosterProvisioned(r), '2026-04-04T00:00:00Z', undefined));
    expect(users(s.config, 'a1-html--l1')[0]).toBe('l1:admin');
  });

  test("the removal guard's confirmation: an end of course changing every room needs allow_mass_change, whenever it is declared", () => {
    const r = courseRoster({ learners: 4, endOfCourse: { at: T.end, mode: 'portfolio' } });
    expect(() => synthAt(r, T.a1Opens)).toThrow(
      /cohort web-101: end_of_course \(portfolio at 2026-04-03T17:00:00Z\) publishes \(made public, then archived\) all 9 rooms of the course at once.*"allow_mass_change": true.*LEARNING_ROOMS_ALLOW_MASS_ARCHIVE=true/,
    );
    expect(() => synthAt(r, T.a1Opens, {}, { LEARNING_ROOMS_ALLOW_MASS_ARCHIVE: 'true' })).not.toThrow();
    // validate (the roster alone) says it too
    expect(planCohorts({ roster: r, settings: settingsAt(undefined), staticOnly: true }).errors[0]).toMatch(
      /allow_mass_change/,
    );
  });
});

function courseRosterProvisioned(r: ReturnType<typeof courseRoster>) {
  for (const l of r.learners) l.provisioning = { state: 'provisioned', provisioned_at: '2026-03-02T09:10:00Z' };
  return r;
}

describe('rooms that leave', () => {
  test('an assignment removed, a team removed, a learner withdrawn: their rooms are archived and their dependents forgotten; the removal guard counts them', () => {
    const r = courseRoster({ learners: 20, teamSize: 4 });
    const at = '2026-03-20T12:00:00Z';
    const state = appliedAll(synthAt(r, at));
    r.learners[0].provisioning = { state: 'archived' };
    const s = only(synthAt(r, at, state));
    const archived = s.index.course?.rooms
      .filter((x) => x.archived)
      .map((x) => [x.key, x.queued_reason])
      .sort();
    expect(archived).toEqual([
      ['a1-html--l1', 'learners-left'],
      ['a2-css--l1', 'learners-left'],
    ]);
    // l1 leaves team-1's list, the room stays
    expect(users(s.config, 'a3-project--team-1').slice(0, 3)).toEqual(['l2:push', 'l3:push', 'l4:push']);
    // removing an assignment archives all its rooms: more than the guard allows
    const dropped = courseRoster({ learners: 20, teamSize: 4, assignments: (a) => a.filter((x) => x.id !== 'a2-css') });
    expect(() => synthAt(dropped, at, state)).toThrow(
      /cohort web-101: 16 of 32 rooms \(50%\) would be archived \(l1 \(a2-css\)/,
    );
  });
});

describe('admission and shards count rooms', () => {
  test('1,000 learners and three assignments open at once: a run admits what its content-creating writes pay for, room by room', () => {
    const r = courseRoster({ learners: 1000, teamSize: 5 });
    const s = synthAt(r, T.teamOpens);
    const rooms = [...s.stacks.values()].flatMap((x) => x.index.course?.rooms ?? []);
    const admitted = rooms.filter((x) => x.admitted);
    const queued = rooms.filter((x) => !x.admitted && !x.archived);
    expect(admitted.length + queued.length).toBe(1000 + 1000 + 200);
    // a1-html's room: repository, learner, 2 facilitators, 1 file = 5 writes; 237 a run
    expect(admitted.length).toBe(47);
    expect(admitted.every((x) => x.assignment === 'a1-html')).toBe(true);
    expect(s.outcome.plan.budget.sentence).toMatch(
      /^47 of 2,200 new rooms this run; 47 next run at about 09:07 UTC: @l48 \(a1-html\), @l49 \(a1-html\)/,
    );
    // S counts rooms: a learner holds one room per assignment (3), so a shard of S rooms seats S / 3 learners
    const size = s.outcome.plan.stacks[0].shardSize;
    for (const st of s.stacks.values()) {
      const seated = new Set(
        (st.index.course?.rooms ?? [])
          .filter((x) => x.admitted && !x.team)
          .flatMap((x) => x.members.map((m) => m.github_handle)),
      );
      expect(seated.size).toBeLessThanOrEqual(Math.floor(size / 3));
    }
  });

  test("a team's room lives in its first member's shard, and stays in its stack when the team changes", () => {
    const r = courseRoster({ learners: 12, teamSize: 4 });
    const env = { LEARNING_ROOMS_SHARD_SIZE: '12' }; // 4 learners a shard (3 assignments each)
    const first = synthAt(r, '2026-03-20T12:00:00Z', {}, env);
    expect([...first.stacks.keys()]).toEqual(['web-101', 'web-101.shard-1', 'web-101.shard-2']);
    const home = (s: typeof first, key: string) =>
      [...s.stacks.values()].find((x) => x.index.course?.rooms.some((y) => y.key === key && y.admitted))?.stack;
    expect(home(first, 'a3-project--team-2')).toBe('web-101.shard-1');
    expect(home(first, 'a1-html--l5')).toBe('web-101.shard-1');
    const state: Record<string, StateResource[]> = appliedAll(first);
    for (const l of r.learners)
      l.provisioning = {
        state: 'provisioned',
        provisioned_at: T.a1Opens,
        shard: Math.floor((Number(l.github_handle.slice(1)) - 1) / 4),
      };
    const teams = (r.cohorts[0].assignments ?? [])[2].teams ?? [];
    teams[1].members = ['l9', 'l6', 'l7', 'l8']; // first member now in shard 2, the room stays
    teams[2].members = ['l5', 'l10', 'l11', 'l12'];
    const second = synthAt(r, '2026-03-20T12:00:00Z', state, env);
    expect(home(second, 'a3-project--team-2')).toBe('web-101.shard-1');
    for (const [stack, st] of second.stacks)
      expect(Object.keys(st.config.resource?.github_repository ?? {}).sort()).toEqual(
        Object.keys(first.stacks.get(stack)?.config.resource?.github_repository ?? {}).sort(),
      );
  });

  test('a learner added to a running course gets the rooms of the open assignments', () => {
    const r = courseRoster({ learners: 2 });
    const first = synthAt(r, T.a2Opens);
    r.learners.push(courseLearner('newcomer'));
    const second = only(synthAt(r, T.a2Opens, appliedAll(first)));
    expect(roomsOf(second.index, 'newcomer').map((x) => [x.key, x.new])).toEqual([
      ['a1-html--newcomer', true],
      ['a2-css--newcomer', true],
    ]);
  });
});

describe('a cohort without assignments', () => {
  test("facilitators: a collaborator each (maintain, never changed, so ForceNew does no harm) and the team, beside the learner's room as it was", () => {
    const r = {
      format_version: 1 as const,
      cohorts: [
        {
          cohort_id: 'workshop',
          template: 'acme-school/tmpl',
          required_files: ['.github/workflows/progress.yml'],
          facilitators: { handles: ['Tina-TA'], team: { id: 77 } },
        },
      ],
      learners: [courseLearner('alice', 'workshop')],
    };
    const s = only(synthAt(r, undefined), 'workshop');
    const res = s.config.resource;
    expect(res.github_repository_collaborator).toEqual({
      'learner-alice': expect.objectContaining({ username: 'alice', permission: 'push' }),
      'learner-alice--facilitator-tina-ta': expect.objectContaining({
        repository: '${github_repository.learner-alice.name}',
        username: 'Tina-TA',
        permission: 'maintain',
      }),
    });
    expect(res.github_team_repository['learner-alice--facilitators']).toMatchObject({
      team_id: '77',
      permission: 'maintain',
      repository: '${github_repository.learner-alice.name}',
    });
    expect(s.index.learners[0].addresses).toEqual({
      repository: 'github_repository.learner-alice',
      collaborator: 'github_repository_collaborator.learner-alice',
      files: {
        '.github/workflows/progress.yml': 'github_repository_file.learner-alice--github_workflows_progress_yml',
      },
      facilitators: { 'tina-ta': 'github_repository_collaborator.learner-alice--facilitator-tina-ta' },
      facilitator_team: 'github_team_repository.learner-alice--facilitators',
    });
    // without facilitators the stack is what it was (test/fixtures/synth-golden pins it byte for byte)
    delete (r.cohorts[0] as { facilitators?: unknown }).facilitators;
    const plain = only(synthAt(r, undefined), 'workshop');
    expect(Object.keys(plain.config.resource).sort()).toEqual([
      'github_repository',
      'github_repository_collaborator',
      'github_repository_file',
    ]);
    expect(plain.index.learners[0].addresses.facilitators).toBeUndefined();
  });
});

test('an existing single-room cohort plans zero changes after the upgrade: its state, as the previous release made it, against this synthesis', () => {
  const golden = join(__dirname, '..', 'fixtures', 'synth-golden', 'example');
  const { roster } = readRosterFile(join(__dirname, '..', '..', 'examples', 'roster.example.json'));
  if (!roster) throw new Error('the example roster is invalid');
  const s = synthAt(roster, undefined, undefined, { PROVISIONING_STUDENT_OWNER: 'learning-rooms-example' });
  for (const stack of ['2026-spring', '2026-autumn']) {
    const before = JSON.parse(readFileSync(join(golden, stack, 'cdk.tf.json'), 'utf8'));
    const plan = planOf(only(s, stack).config, applied(before)) as {
      resource_changes: { change: { actions: string[] } }[];
    };
    expect(plan.resource_changes.length).toBeGreaterThan(0);
    expect(plan.resource_changes.filter((c) => c.change.actions.join() !== 'no-op')).toEqual([]);
  }
});
