import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITHUB_BODY_LIMIT } from '../../gitops/markdown';
import { PLAN_COMMENT_MARKER, renderPlanComment } from '../../gitops/plan-comment';
import { StackPlan, stackPlanFrom } from '../../gitops/stack-plan';
import { parsePlanJson } from '../../contracts/terraform-plan';
import { cli } from '../helpers/cli';
import { FIXTURES, fixturePlan, springIndex } from '../provisioning/fixtures';
import { generated, PLAN_TOKEN as TOKEN } from '../../test-kit/generated-plan';

const RUN = 'https://github.com/acme/admin/actions/runs/42';
const ALL = ['alice', 'bob', 'carol'];

function comment(plan: string, admitted = ALL, queued: Record<string, string> = {}): string {
  return renderPlanComment({
    stacks: [stackPlanFrom(fixturePlan(plan), springIndex(admitted, queued))],
    runUrl: RUN,
    commit: 'abc123def4567890',
  });
}

/** The per-learner rows of the comment's table: handle -> change column. */
function rows(md: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of md.split('\n')) {
    const m = /^\| `([^`]+)` \| `[^`]+` \| [^|]* \| ([^|]+) \|/.exec(line);
    if (m) out.set(m[1], m[2].trim());
  }
  return out;
}

describe('plan comment on the recorded plans', () => {
  test('first plan: every learner is provisioned, no warning, the raw plan folded', () => {
    const md = comment('01-plan-create.json');
    expect(md.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
    expect(rows(md)).toEqual(
      new Map([
        ['alice', 'provision'],
        ['bob', 'provision'],
        ['carol', 'provision'],
      ]),
    );
    expect(md).toContain('| `2026-spring` | 3 | 0 | 0 | 0 | 0 | 0 | ✅ planned |');
    expect(md).not.toContain('ARCHIVED');
    expect(md).toMatch(/<details><summary>Raw plan: 12 resource changes<\/summary>/);
    expect(md).toContain('+ github_repository.learner-alice_repository_0740594A: create');
    expect(md).toContain(RUN);
  });

  test('retry after a failure: only carol is provisioned, the others unchanged', () => {
    const md = comment('04-plan-retry.json');
    expect(rows(md)).toEqual(new Map([['carol', 'provision']]));
    expect(md).toContain('| `2026-spring` | 1 | 0 | 0 | 0 | 0 | 2 |');
  });

  test('no change: says so, and shows no learner row', () => {
    const md = comment('06-plan-nochange.json');
    expect(rows(md).size).toBe(0);
    expect(md).toContain('No learning room changes.');
    expect(md).toContain('✅ no changes');
  });

  test('drift: bob is healed, with the out-of-band changes in the raw plan', () => {
    const md = comment('07-plan-drift.json');
    expect(rows(md)).toEqual(new Map([['bob', 'heal']]));
    expect(md).toContain(
      '! github_repository_collaborator.learner-bob_collaborator_4F31F64A: changed outside Terraform, delete',
    );
  });

  test('removal: a loud warning names carol, whose room would be archived', () => {
    const md = comment('09-plan-remove.json', ['alice', 'bob']);
    expect(rows(md)).toEqual(new Map([['carol', '**ARCHIVE**']]));
    expect(md).toContain('> [!CAUTION]');
    expect(md).toContain('1 LEARNING ROOM WOULD BE ARCHIVED');
    expect(md).toMatch(/> `carol` \(`2026-spring`\)\./);
    // The warning comes before the counts, so nobody scrolls past it.
    expect(md.indexOf('ARCHIVED')).toBeLessThan(md.indexOf('| cohort |'));
    expect(md).toContain('(delete_because_no_resource_config)');
  });

  test('a queued learner is listed with the reason synthesis gave', () => {
    const md = comment('11-plan-add-dave.json', ['alice', 'bob', 'dave'], { erin: 'admission budget of 1 reached' });
    expect(rows(md)).toEqual(
      new Map([
        ['dave', 'provision'],
        ['erin', 'queued'],
      ]),
    );
    expect(md).toContain('admission budget of 1 reached');
  });

  test('an errored plan (429) is flagged as failed for its cohort', () => {
    const md = comment('12-plan-429.errored-plan.json', ['alice', 'bob', 'dave']);
    expect(md).toContain('**The plan failed for `cohort-2026-spring`**');
    expect(md).toContain('❌ plan failed');
  });

  test('no fixture comment contains the provider token that the plan JSON carries', () => {
    for (const f of [
      '01-plan-create.json',
      '07-plan-drift.json',
      '09-plan-remove.json',
      '12-plan-429.errored-plan.json',
    ]) {
      expect(readFileSync(join(FIXTURES, f), 'utf8')).toContain(TOKEN);
      expect(comment(f)).not.toContain(TOKEN);
    }
  });
});

describe('plan comment layout', () => {
  const stack = (over: Partial<StackPlan>): StackPlan => ({
    stack: 'c1',
    cohort_id: 'c1',
    status: 'planned',
    learners: [],
    changes: [],
    drift: [],
    queuedReasons: {},
    ...over,
  });

  test('an invalid roster lists its problems and nothing else', () => {
    const md = renderPlanComment({
      stacks: [],
      rosterErrors: ['learner #3 (bob), learners[3].cohort_id: expected a known cohort; found "c9"'],
      runUrl: RUN,
    });
    expect(md).toContain('**The roster is invalid, so nothing was planned.** Fix this problem and push again:');
    expect(md).toContain('- learner \\#3 \\(bob\\), learners\\[3\\].cohort\\_id: expected a known cohort; found "c9"');
    expect(md).not.toContain('| cohort |');
  });

  test('values from outside cannot inject HTML, mentions or table cells', () => {
    const md = renderPlanComment({
      stacks: [
        stack({
          learners: [{ github_handle: 'eve', cohort_id: 'c1', action: 'queued', resources: [] }],
          queuedReasons: { eve: '<img src=x> @org/team | break' },
        }),
      ],
    });
    expect(md).not.toContain('<img');
    expect(md).not.toMatch(/@org/);
    expect(md).toContain('&lt;img src=x&gt; @\u200borg/team \\| break');
  });

  test('two cohorts get a total row', () => {
    const a = stack({
      stack: 'a',
      cohort_id: 'a',
      learners: [{ github_handle: 'x', action: 'provision', resources: [{ address: 'r', actions: ['create'] }] }],
    });
    const b = stack({
      stack: 'b',
      cohort_id: 'b',
      learners: [{ github_handle: 'y', action: 'provision', resources: [{ address: 'r', actions: ['create'] }] }],
    });
    expect(renderPlanComment({ stacks: [a, b] })).toContain('| **all** | 2 | 0 | 0 | 0 | 0 | 0 |  |');
  });

  test('over the limit: the raw plan goes first, then rows, with a pointer to the run', () => {
    const learners = Array.from({ length: 300 }, (_, i) => ({
      github_handle: `learner-${String(i).padStart(3, '0')}`,
      cohort_id: 'c1',
      action: 'provision' as const,
      resources: [{ address: `github_repository.learner-${i}`, actions: ['create'] }],
    }));
    const s = stack({
      learners,
      changes: learners.map((l) => ({ address: l.resources[0].address, actions: ['create'] })),
    });
    const full = renderPlanComment({ stacks: [s], runUrl: RUN });
    expect(full.length).toBeGreaterThan(10_000);
    const limited = renderPlanComment({ stacks: [s], runUrl: RUN }, 10_000);
    expect(limited.length).toBeLessThanOrEqual(10_000);
    expect(limited).not.toContain('<details>');
    expect(limited).toContain('The raw plan (300 resource changes) is too long for a comment');
    const shown = rows(limited).size;
    expect(shown).toBeGreaterThan(50);
    expect(limited).toContain(`… and **${300 - shown} more learners** not shown here`);
    // Rows are kept in order: the first learners are the ones shown.
    expect(rows(limited).has('learner-000')).toBe(true);
  });
});

describe('plan comment for 10,000 learners', () => {
  const { plan, index } = generated(10_000);
  const md = renderPlanComment({
    stacks: [stackPlanFrom(parsePlanJson(plan).plan, index)],
    runUrl: RUN,
    commit: 'abc123',
  });

  test('fits GitHub’s limit and still says what matters', () => {
    expect(md.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(md.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
    expect(md).toContain('| `2026-autumn` | 8000 | 1000 | 0 | **1000** | 0 | 0 | ✅ planned |');
    expect(md).toContain('1000 LEARNING ROOMS WOULD BE ARCHIVED');
    expect(md).toContain(', and 950 more.');
    expect(md).toMatch(/… and \*\*\d+ more learners\*\* not shown here/);
    expect(md).toContain(RUN);
    expect(md).not.toContain(TOKEN);
  });

  test('is readable: archives first, whole rows only, no raw plan', () => {
    const shown = [...rows(md).values()];
    expect(shown.length).toBeGreaterThan(100);
    expect(shown[0]).toBe('**ARCHIVE**');
    for (const line of md.split('\n').filter((l) => l.startsWith('| `learner-')))
      expect(line.split(' | ')).toHaveLength(5);
    expect(md).not.toContain('<details>');
  });

  test('the command writes the bounded comment and the full report', async () => {
    // 2,000 learners already overflow a comment; the 10,000 are rendered above.
    const small = generated(2_000);
    const dir = mkdtempSync(join(tmpdir(), 'plan-comment-'));
    writeFileSync(join(dir, 'plan.json'), small.plan);
    writeFileSync(join(dir, 'learners.json'), JSON.stringify(small.index));
    const r = await cli(
      [
        'plan-comment',
        '--plan',
        'plan.json',
        '--index',
        'learners.json',
        '--run-url',
        RUN,
        '--out',
        'c.md',
        '--full-out',
        'full.md',
      ],
      { cwd: dir },
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = readFileSync(join(dir, 'c.md'), 'utf8');
    const full = readFileSync(join(dir, 'full.md'), 'utf8');
    expect(out.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT + 1);
    expect(full.length).toBeGreaterThan(GITHUB_BODY_LIMIT);
    expect(rows(full).size).toBe(2_000);
    expect(full).not.toContain(TOKEN);
  });
});

describe('plan-comment command', () => {
  test('an invalid roster (validate --json output) is rendered as its problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-comment-'));
    writeFileSync(
      join(dir, 'v.json'),
      JSON.stringify({
        valid: false,
        errors: [
          {
            path: 'learners[0].github_handle',
            learner: { index: 0, handle: '-x' },
            expected: 'a GitHub handle',
            found: '"-x"',
          },
        ],
      }),
    );
    const r = await cli(['plan-comment', '--roster-errors', 'v.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The roster is invalid');
    expect(r.stdout).toContain('learner 1, github\\_handle: expected a GitHub handle');
  });

  test('a cohort with no plan at all is reported, not skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-comment-'));
    writeFileSync(join(dir, 'learners.json'), JSON.stringify(springIndex(ALL)));
    const r = await cli(['plan-comment', '--failed-index', 'learners.json'], { cwd: dir });
    expect(r.stdout).toContain('❌ no plan');
    expect(r.stdout).toContain('**The plan failed for `cohort-2026-spring`**');
  });

  test('plans and indexes must pair up when indexes are given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-comment-'));
    writeFileSync(join(dir, 'learners.json'), JSON.stringify(springIndex(ALL)));
    const r = await cli(
      [
        'plan-comment',
        '--plan',
        join(FIXTURES, '01-plan-create.json'),
        '--plan',
        join(FIXTURES, '09-plan-remove.json'),
        '--index',
        'learners.json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected one --index per --plan');
  });

  test('a plan on its own (no index) still names each learner from the plan', async () => {
    const r = await cli([
      'plan-comment',
      '--plan',
      join(FIXTURES, '09-plan-remove.json'),
      '--plan',
      join(FIXTURES, '01-plan-create.json'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 LEARNING ROOM WOULD BE ARCHIVED');
    expect(r.stdout).toMatch(/\| `carol` \| `09-plan-remove` \| `2026-spring-carol` \| \*\*ARCHIVE\*\*/);
    for (const h of ['alice', 'bob', 'carol'])
      expect(r.stdout).toMatch(new RegExp(`\\| \`${h}\` \\| \`01-plan-create\` \\|.*provision`, 'i'));
  });

  test('a pull request plan says whose code planned it and which settings it did not take', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-comment-'));
    writeFileSync(join(dir, 'pinned.txt'), 'LEARNING_ROOMS_BACKEND_CONFIG\nPROVISIONING_STUDENT_OWNER\n');
    const r = await cli(
      [
        'plan-comment',
        '--plan',
        join(FIXTURES, '01-plan-create.json'),
        '--commit',
        'a'.repeat(40),
        '--trusted-code',
        'b'.repeat(40),
        '--pinned-settings',
        'pinned.txt',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Planned from \`${'a'.repeat(12)}\` with main's code at \`${'b'.repeat(12)}\``);
    expect(r.stdout).toMatch(
      /> This pull request changes `LEARNING_ROOMS_BACKEND_CONFIG`, `PROVISIONING_STUDENT_OWNER`: settings that decide where credentials or state go are never taken from a pull request\./,
    );
    // No pinned file (nothing pinned): no note.
    const none = await cli(
      ['plan-comment', '--plan', join(FIXTURES, '01-plan-create.json'), '--pinned-settings', 'missing.txt'],
      { cwd: dir },
    );
    expect(none.stdout).not.toContain('[!NOTE]');
  });
});
