import { classifyOutcomes } from '../../provisioning/outcomes';
import { parseTerraformStream } from '../../contracts/terraform-plan';
import { fixturePlan, fixtureStream, fixtureText, springIndex } from './fixtures';

const brief = (r: ReturnType<typeof classifyOutcomes>) =>
  r.outcomes.map((o) => [o.github_handle, o.outcome, o.cause ?? null]);

describe('outcomes of the recorded applies', () => {
  test('02: alice and bob created; carol failed on a name clash, her dependents never attempted', () => {
    const r = classifyOutcomes({
      plan: fixturePlan('01-plan-create.json'),
      stream: fixtureStream('02-apply-create.jsonl'),
      index: springIndex(['alice', 'bob', 'carol']),
    });
    expect(brief(r)).toEqual([
      ['alice', 'created', null],
      ['bob', 'created', null],
      ['carol', 'failed', 'name-clash'],
    ]);
    const carol = r.outcomes[2];
    expect(carol.detail).toBe(
      'repository: POST /repos/acme/tmpl/generate: 422 Repository creation failed. [{Resource:Repository Field:name Code:custom Message:name already exists on this account}]; 3 dependents not attempted',
    );
    expect(carol.detail).not.toContain('127.0.0.1');
    expect(r.outcomes[0]).toEqual({
      github_handle: 'alice',
      cohort_id: '2026-spring',
      repository: '2026-spring-alice',
      outcome: 'created',
      detail: 'room created (4 resources)',
    });
    expect(r.warnings).toEqual([]);
  });

  test('05: carol created on retry; alice and bob already exist', () => {
    const r = classifyOutcomes({
      plan: fixturePlan('04-plan-retry.json'),
      stream: fixtureStream('05-apply-retry.jsonl'),
      index: springIndex(['alice', 'bob', 'carol']),
    });
    expect(brief(r)).toEqual([
      ['alice', 'already-exists', null],
      ['bob', 'already-exists', null],
      ['carol', 'created', null],
    ]);
  });

  test('08: bob healed (collaborator and progress.yml restored)', () => {
    const r = classifyOutcomes({
      plan: fixturePlan('07-plan-drift.json'),
      stream: fixtureStream('08-apply-heal.jsonl'),
      index: springIndex(['alice', 'bob', 'carol']),
    });
    expect(brief(r)).toEqual([
      ['alice', 'already-exists', null],
      ['bob', 'healed', null],
      ['carol', 'already-exists', null],
    ]);
    expect(r.outcomes[1].detail).toBe(
      'restored: collaborator created (deleted out of band), file (github_repository_file.learner-bob_workflow-progress_C1B7E652) created (deleted out of band)',
    );
  });

  test('10: carol archived though she is no longer in the index', () => {
    const r = classifyOutcomes({
      plan: fixturePlan('09-plan-remove.json'),
      stream: fixtureStream('10-apply-remove.jsonl'),
      index: springIndex(['alice', 'bob']),
    });
    expect(brief(r)).toEqual([
      ['alice', 'already-exists', null],
      ['bob', 'already-exists', null],
      ['carol', 'archived', null],
    ]);
    expect(r.outcomes[2]).toMatchObject({
      cohort_id: '2026-spring',
      repository: '2026-spring-carol',
      detail: 'repository archived: no longer in the configuration',
    });
  });

  test('11: dave created despite the (invisible) 403 secondary rate limit; a queued learner is queued', () => {
    const r = classifyOutcomes({
      plan: fixturePlan('11-plan-add-dave.json'),
      stream: fixtureStream('11-apply-secondary-ratelimit.jsonl'),
      index: springIndex(['alice', 'bob', 'dave'], { erin: 'admission budget reached' }),
    });
    expect(brief(r)).toEqual([
      ['alice', 'already-exists', null],
      ['bob', 'already-exists', null],
      ['dave', 'created', null],
      ['erin', 'queued', null],
    ]);
    expect(r.outcomes[3].detail).toBe('admission budget reached');
  });

  test('the errored plan of 12, applied: Terraform refuses, every planned-but-missing learner fails with the run’s error', () => {
    // What `terraform apply` prints for an incomplete plan: an error diagnostic without an address.
    const refusal = JSON.stringify({
      '@level': 'error',
      type: 'diagnostic',
      diagnostic: {
        severity: 'error',
        summary: 'Cannot apply incomplete plan',
        detail: 'Terraform encountered an error when generating this plan, so it cannot be applied.',
      },
    });
    const r = classifyOutcomes({
      plan: fixturePlan('12-plan-429.errored-plan.json'),
      stream: parseTerraformStream(fixtureText('12-plan-429.jsonl').split('\n')[0] + '\n' + refusal + '\n'),
      index: springIndex(['alice', 'bob', 'dave']),
    });
    expect(brief(r)).toEqual([
      ['alice', 'already-exists', null],
      ['bob', 'failed', 'other'],
      ['dave', 'already-exists', null],
    ]);
    expect(r.outcomes[1].detail).toMatch(/^not planned: Cannot apply incomplete plan/);
  });

  test('the 429 of the plan stream 12 is classified as a rate limit with the base URL removed', () => {
    const r = classifyOutcomes({
      plan: fixturePlan('12-plan-429.errored-plan.json'),
      stream: fixtureStream('12-plan-429.jsonl'),
      index: springIndex(['alice', 'bob', 'dave']),
    });
    const bob = r.outcomes.find((o) => o.github_handle === 'bob');
    expect(bob).toMatchObject({ outcome: 'failed', cause: 'rate-limit' });
    expect(bob?.detail).toMatch(/^GET \/repos\/acme\/2026-spring-bob: 429 You have exceeded a secondary rate limit/);
  });
});

describe('learners synthesis archives, and adopted repositories', () => {
  test('a learner listed as archived with nothing left to do is recorded archived, not queued', () => {
    const index = springIndex(['alice', 'bob'], {
      carol: 'archived: no longer in the roster; the room is archived, its files and the collaborator stay',
    });
    const r = classifyOutcomes({ plan: fixturePlan('06-plan-nochange.json'), stream: parseTerraformStream(''), index });
    // 06 still has carol's resources (no-op): her room is there; with them gone (after 10) she is "already archived"
    expect(brief(r)).toEqual([
      ['alice', 'already-exists', null],
      ['bob', 'already-exists', null],
      ['carol', 'already-exists', null],
    ]);
    const after = classifyOutcomes({
      plan: fixturePlan('11-plan-add-dave.json'),
      stream: fixtureStream('11-apply-secondary-ratelimit.jsonl'),
      index: { ...index, learners: [...index.learners, ...springIndex(['dave']).learners] },
    });
    expect(after.outcomes.find((o) => o.github_handle === 'carol')).toMatchObject({
      outcome: 'archived',
      detail: expect.stringMatching(/^already archived \(archived: no longer in the roster/),
    });
  });

  test('the archive of 10 with carol listed as archived in the index', () => {
    const index = springIndex(['alice', 'bob'], { carol: 'archived: provisioning.state is "archived"' });
    expect(
      brief(
        classifyOutcomes({
          plan: fixturePlan('09-plan-remove.json'),
          stream: fixtureStream('10-apply-remove.jsonl'),
          index,
        }),
      ),
    ).toEqual([
      ['alice', 'already-exists', null],
      ['bob', 'already-exists', null],
      ['carol', 'archived', null],
    ]);
  });

  test('a repository adopted through an import block is already-exists, said so', () => {
    const plan = fixturePlan('06-plan-nochange.json');
    const adopted = {
      ...plan,
      resource_changes: plan.resource_changes.map((c) =>
        c.address.startsWith('github_repository.learner-bob') ? { ...c, importing: { id: '2026-spring-bob' } } : c,
      ),
    };
    const r = classifyOutcomes({
      plan: adopted,
      stream: parseTerraformStream(''),
      index: springIndex(['alice', 'bob', 'carol']),
    });
    expect(r.outcomes.map((o) => o.detail)).toEqual([
      'nothing to change',
      'existing repository adopted (imported into Terraform)',
      'nothing to change',
    ]);
  });
});

describe('half-finished and damaged applies', () => {
  const plan = fixturePlan('01-plan-create.json');
  const index = springIndex(['alice', 'bob', 'carol']);
  const lines = fixtureText('02-apply-create.jsonl').trimEnd().split('\n');

  test('a stream cut off mid-apply (runner killed): finished learners keep their outcome, the others fail', () => {
    // Keep everything up to bob's collaborator completion: alice is missing her 2 files' completion.
    const cut = lines.findIndex((l) => l.includes('learner-bob_collaborator_4F31F64A: Creation complete'));
    const stream = parseTerraformStream(lines.slice(0, cut + 1).join('\n') + '\n{"@level":"info","@mess');
    const r = classifyOutcomes({ plan, stream, index });
    expect(brief(r)).toEqual([
      ['alice', 'failed', 'other'],
      ['bob', 'failed', 'other'],
      ['carol', 'failed', 'other'],
    ]);
    expect(r.outcomes[0].detail).toMatch(
      /^file \(github_repository_file\.learner-alice_workflow-(ack|progress)_\w+\): still in progress when the apply stream ended/,
    );
    expect(r.outcomes[0].detail).toContain('done before it: repository created, collaborator created');
    // carol's repository errored, but its diagnostic (the last line) was cut off.
    expect(r.outcomes[2].detail).toMatch(
      /^repository: Terraform reported the resource as errored, but its error message is not in the apply stream/,
    );
    expect(r.warnings).toEqual([expect.stringMatching(/line \d+ is not JSON/)]);
  });

  test('a run-wide error (provider could not be configured) fails every learner with planned changes, with its cause', () => {
    const stream = parseTerraformStream(
      [
        lines[0],
        JSON.stringify({
          type: 'diagnostic',
          diagnostic: {
            severity: 'error',
            summary: 'GET https://api.github.com/orgs/acme: 401 Bad credentials []',
            detail: '',
          },
        }),
      ].join('\n'),
    );
    const r = classifyOutcomes({ plan, stream, index });
    expect(brief(r)).toEqual([
      ['alice', 'failed', 'permission'],
      ['bob', 'failed', 'permission'],
      ['carol', 'failed', 'permission'],
    ]);
    expect(r.outcomes[0].detail).toBe(
      'not attempted (repository, collaborator, file (github_repository_file.learner-alice_workflow-ack_43D06ED6), file (github_repository_file.learner-alice_workflow-progress_E96160CA)): GET /orgs/acme: 401 Bad credentials []',
    );
  });

  test('extra warning diagnostics and unknown message types change nothing', () => {
    const noise = [
      JSON.stringify({
        '@level': 'warn',
        type: 'diagnostic',
        diagnostic: {
          severity: 'warning',
          summary: 'Deprecated attribute',
          detail: '',
          address: 'github_repository.learner-alice_repository_0740594A',
        },
      }),
      JSON.stringify({ '@level': 'info', type: 'ephemeral_op_start', hook: { resource: { addr: 'ephemeral.x.y' } } }),
    ];
    const stream = parseTerraformStream([lines[0], ...noise, ...lines.slice(1)].join('\n'));
    expect(stream.unknownTypes).toEqual(['ephemeral_op_start']);
    expect(brief(classifyOutcomes({ plan, stream, index }))).toEqual([
      ['alice', 'created', null],
      ['bob', 'created', null],
      ['carol', 'failed', 'name-clash'],
    ]);
  });

  test('a stream from another plan is flagged', () => {
    const r = classifyOutcomes({
      plan: fixturePlan('11-plan-add-dave.json'),
      stream: fixtureStream('10-apply-remove.jsonl'),
      index,
    });
    expect(r.warnings.some((w) => w.includes('was this plan the one applied?'))).toBe(true);
  });
});
