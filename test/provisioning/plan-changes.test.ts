import { learnerPlanChanges } from '../../provisioning/plan-changes';
import { collaboratorAddress, fileAddress, repositoryAddress } from '../../contracts/room-addresses';
import type { TerraformPlanJson } from '../../contracts/terraform-plan';
import { fixturePlan, springIndex } from './fixtures';

const summary = (plan: TerraformPlanJson, index = springIndex(['alice', 'bob', 'carol'])) =>
  learnerPlanChanges(plan, index).map((c) => [c.github_handle, c.action, c.resources.length]);

describe('learnerPlanChanges on the recorded plans', () => {
  test('01: every learner is provisioned with their 4 resources', () => {
    const changes = learnerPlanChanges(fixturePlan('01-plan-create.json'), springIndex(['alice', 'bob', 'carol']));
    expect(changes.map((c) => [c.github_handle, c.action, c.repository, c.cohort_id])).toEqual([
      ['alice', 'provision', '2026-spring-alice', '2026-spring'],
      ['bob', 'provision', '2026-spring-bob', '2026-spring'],
      ['carol', 'provision', '2026-spring-carol', '2026-spring'],
    ]);
    expect(changes[0].resources.map((r) => r.address).sort()).toEqual([
      'github_repository.learner-alice_repository_0740594A',
      'github_repository_collaborator.learner-alice_collaborator_A14935AC',
      'github_repository_file.learner-alice_workflow-ack_43D06ED6',
      'github_repository_file.learner-alice_workflow-progress_E96160CA',
    ]);
    expect(changes[0].resources.every((r) => r.actions.join() === 'create' && r.reason === undefined)).toBe(true);
  });

  test('04: only carol is provisioned, alice and bob unchanged', () => {
    expect(summary(fixturePlan('04-plan-retry.json'))).toEqual([
      ['alice', 'no-change', 0],
      ['bob', 'no-change', 0],
      ['carol', 'provision', 4],
    ]);
  });

  test('06: a no-change plan', () => {
    expect(summary(fixturePlan('06-plan-nochange.json'))).toEqual([
      ['alice', 'no-change', 0],
      ['bob', 'no-change', 0],
      ['carol', 'no-change', 0],
    ]);
  });

  test('07: drift (delete out of band, then create) is a heal, with the reason on each resource', () => {
    const bob = learnerPlanChanges(fixturePlan('07-plan-drift.json'), springIndex(['alice', 'bob', 'carol'])).find(
      (c) => c.github_handle === 'bob',
    );
    expect(bob?.action).toBe('heal');
    expect(bob?.resources).toEqual([
      {
        address: 'github_repository_collaborator.learner-bob_collaborator_4F31F64A',
        actions: ['create'],
        reason: 'deleted_out_of_band',
      },
      {
        address: 'github_repository_file.learner-bob_workflow-progress_C1B7E652',
        actions: ['create'],
        reason: 'deleted_out_of_band',
      },
    ]);
    expect(
      summary(fixturePlan('07-plan-drift.json'))
        .filter((s) => s[0] !== 'bob')
        .map((s) => s[1]),
    ).toEqual(['no-change', 'no-change']);
  });

  test('09: a learner removed from the configuration (and from the index) is archived, attributed through the plan', () => {
    const changes = learnerPlanChanges(fixturePlan('09-plan-remove.json'), springIndex(['alice', 'bob']));
    const carol = changes.find((c) => c.github_handle === 'carol');
    expect(carol).toMatchObject({ action: 'archive', repository: '2026-spring-carol', cohort_id: '2026-spring' });
    expect(carol?.resources).toHaveLength(4);
    expect(
      carol?.resources.every((r) => r.reason === 'delete_because_no_resource_config' && r.actions.join() === 'delete'),
    ).toBe(true);
    expect(changes.map((c) => c.action)).toEqual(['no-change', 'no-change', 'archive']);
  });

  test('11: dave is provisioned; a queued learner from the index is listed as queued', () => {
    const index = springIndex(['alice', 'bob', 'dave'], { erin: 'admission budget of 3 reached' });
    expect(summary(fixturePlan('11-plan-add-dave.json'), index)).toEqual([
      ['alice', 'no-change', 0],
      ['bob', 'no-change', 0],
      ['dave', 'provision', 4],
      ['erin', 'queued', 0],
    ]);
  });

  test('a learner the index lists as archived: archive while the plan archives, no-change once done, never queued', () => {
    const index = springIndex(['alice', 'bob'], {
      carol: 'archived: no longer in the roster; the room is archived, its files and the collaborator stay',
    });
    expect(summary(fixturePlan('09-plan-remove.json'), index)).toEqual([
      ['alice', 'no-change', 0],
      ['bob', 'no-change', 0],
      ['carol', 'archive', 4],
    ]);
    const later = learnerPlanChanges(fixturePlan('11-plan-add-dave.json'), index).find(
      (c) => c.github_handle === 'carol',
    );
    expect(later).toMatchObject({ action: 'no-change', resources: [] });
    expect(later?.incomplete).toBeUndefined();
  });

  test('12: an errored plan leaves the learner it could not refresh marked incomplete', () => {
    const plan = fixturePlan('12-plan-429.errored-plan.json');
    expect(plan.errored).toBe(true);
    const changes = learnerPlanChanges(plan, springIndex(['alice', 'bob', 'dave']));
    expect(changes.map((c) => [c.github_handle, c.action, c.incomplete ?? false])).toEqual([
      ['alice', 'no-change', false],
      ['bob', 'no-change', true],
      ['dave', 'no-change', false],
    ]);
  });

  test('without an index, learners come from the collaborator usernames in the plan', () => {
    const changes = learnerPlanChanges(fixturePlan('07-plan-drift.json'));
    expect(changes.map((c) => [c.github_handle, c.action, c.cohort_id])).toEqual([
      ['alice', 'no-change', undefined],
      ['bob', 'heal', undefined],
      ['carol', 'no-change', undefined],
    ]);
  });
});

describe('learnerPlanChanges on our address scheme', () => {
  const change = (
    address: string,
    type: string,
    actions: string[],
    before: object | null,
    after: object | null,
    action_reason?: string,
  ) => ({
    address,
    type,
    mode: 'managed',
    change: {
      actions,
      before: before as Record<string, unknown> | null,
      after: after as Record<string, unknown> | null,
    },
    ...(action_reason ? { action_reason } : {}),
  });
  const plan = (changes: ReturnType<typeof change>[], drift: ReturnType<typeof change>[] = []): TerraformPlanJson => ({
    format_version: '1.2',
    resource_changes: changes,
    resource_drift: drift,
    errored: false,
    complete: true,
    applyable: true,
    prior_state: new Map(),
  });

  test('attributes by address even when the repository name is unknown, keeping the index spelling of the handle', () => {
    const index = springIndex(['Alice']);
    const p = plan([
      change(repositoryAddress('Alice'), 'github_repository', ['no-op'], {}, {}),
      change(
        fileAddress('Alice', '.github/workflows/ack.yml'),
        'github_repository_file',
        ['update'],
        { content: 'a' },
        { content: 'b' },
      ),
    ]);
    expect(learnerPlanChanges(p, index)).toEqual([
      {
        github_handle: 'Alice',
        cohort_id: '2026-spring',
        repository: '2026-spring-alice',
        action: 'update',
        resources: [{ address: fileAddress('Alice', '.github/workflows/ack.yml'), actions: ['update'] }],
      },
    ]);
  });

  test('a file changed out of band and put back is a heal; a replaced repository is an update, never a provision', () => {
    const index = springIndex(['alice', 'bob']);
    const f = fileAddress('alice', '.github/workflows/ack.yml');
    const p = plan(
      [
        change(f, 'github_repository_file', ['update'], { content: 'x' }, { content: 'y' }),
        change(
          repositoryAddress('bob'),
          'github_repository',
          ['delete', 'create'],
          { name: 'r' },
          { name: 'r' },
          'replace_because_cannot_update',
        ),
        change(collaboratorAddress('bob'), 'github_repository_collaborator', ['no-op'], {}, {}),
      ],
      [change(f, 'github_repository_file', ['update'], { content: 'y' }, { content: 'x' })],
    );
    const out = learnerPlanChanges(p, index);
    expect(out.map((c) => [c.github_handle, c.action])).toEqual([
      ['alice', 'heal'],
      ['bob', 'update'],
    ]);
    expect(out[0].resources[0].reason).toBe('changed_out_of_band');
    expect(out[1].resources).toEqual([
      { address: repositoryAddress('bob'), actions: ['delete', 'create'], reason: 'replace_because_cannot_update' },
    ]);
  });

  test('resources that are not a learner’s (and data sources) are ignored', () => {
    const p = plan([
      change('github_team.instructors', 'github_team', ['create'], null, { name: 'x' }),
      {
        ...change('data.github_repository.tmpl', 'github_repository', ['read'], null, { name: '2026-spring-alice' }),
        mode: 'data',
      },
    ]);
    expect(learnerPlanChanges(p, springIndex(['alice']))).toEqual([
      expect.objectContaining({ github_handle: 'alice', action: 'no-change', incomplete: true }),
    ]);
  });
});
