/** The plan comment and the watchdog issue stay within GitHub's limit whatever the number of cohorts. */
import { fit, GITHUB_BODY_LIMIT } from '../../gitops/markdown';
import { PLAN_COMMENT_MARKER, renderPlanComment } from '../../gitops/plan-comment';
import type { StackPlan } from '../../gitops/stack-plan';
import { renderWatchdogReport, WATCHDOG_MARKER } from '../../gitops/watchdog-report';
import { learner, roster } from '../../test-kit/rosters';

const RUN = 'https://github.com/acme/admin/actions/runs/42';
const longId = (i: number) => `cohort-${String(i).padStart(4, '0')}-${'x'.repeat(300)}`;

function stack(i: number, status: StackPlan['status']): StackPlan {
  const id = longId(i);
  return {
    stack: id,
    cohort_id: id,
    status,
    learners:
      status !== 'planned'
        ? []
        : [
            {
              github_handle: `learner-${i}`,
              cohort_id: id,
              action: 'provision',
              resources: [{ address: `github_repository.learner-${i}`, actions: ['create'] }],
            },
          ],
    changes: status !== 'planned' ? [] : [{ address: `github_repository.learner-${i}`, actions: ['create'] }],
    drift: [],
    queuedReasons: {},
  };
}

/** 2,000 cohorts that plan, then 2,000 whose plan failed (every other one errored, the rest missing). */
const stacks = [
  ...Array.from({ length: 2000 }, (_, i) => stack(i, 'planned')),
  ...Array.from({ length: 2000 }, (_, i) => stack(2000 + i, i % 2 ? 'errored' : 'missing')),
];

describe('plan comment: 4,000 cohorts, 2,000 failed, ids of 300 characters', () => {
  const md = renderPlanComment({ stacks, runUrl: RUN, commit: 'abc123def456' });
  const lines = md.split('\n');

  test('fits the limit, the marker first; the unbounded report would not', () => {
    expect(renderPlanComment({ stacks, runUrl: RUN }, Number.MAX_SAFE_INTEGER).length).toBeGreaterThan(
      10 * GITHUB_BODY_LIMIT,
    );
    expect(md.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(lines[0]).toBe(PLAN_COMMENT_MARKER);
  });

  test('the warning names 20 failed cohorts and counts the rest', () => {
    const warning = lines.find((l) => l.startsWith('> **The plan failed for'))!;
    expect(warning.match(/`cohort-/g)).toHaveLength(20);
    expect(warning).toContain('and 1980 more cohorts**');
    expect(warning.length).toBeLessThan(4000);
  });

  test('the cohort table: failed cohorts first, what was left out and where, then the total row', () => {
    const start = lines.findIndex((l) => l.startsWith('| cohort |'));
    const body: string[] = [];
    for (let k = start + 2; lines[k]?.startsWith('|'); k++) body.push(lines[k]);
    expect(body.length).toBeLessThanOrEqual(100 + 2);
    expect(body[0]).toMatch(/^\| `cohort-2000-x+…` \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| ❌ no plan \|$/);
    const more = body[body.length - 2];
    expect(more).toMatch(
      /^\| … and \d+ more cohorts: see \[the workflow run\]\(https:\/\/github\.com\/acme\/admin\/actions\/runs\/42\) \(artifact `plan-comment`\) \|( {2}\|){7}$/,
    );
    expect(Number(/and (\d+) more cohorts/.exec(more)![1]) + body.length - 2).toBe(4000);
    expect(body[body.length - 1]).toBe('| **all** | 2000 | 0 | 0 | 0 | 0 | 0 |  |');
  });

  test('learners are listed as far as they fit, with a pointer to the full report', () => {
    expect(md).toMatch(
      /… and \*\*\d+ more learners\*\* not shown here .*the full report is in \[the workflow run\]\(https:\/\/github\.com\/acme\/admin\/actions\/runs\/42\) \(artifact `plan-comment`\)\./,
    );
    expect(md).toContain('The raw plan (2000 resource changes) is too long for a comment');
  });
});

describe('watchdog issue: 2,000 failed cohort plans and 2,000 drifted rooms', () => {
  const drifted = stacks
    .slice(0, 2000)
    .map((s) => ({ ...s, learners: s.learners.map((l) => ({ ...l, action: 'heal' as const })) }));
  const failedLearners = roster(
    Array.from({ length: 2000 }, (_, i) =>
      learner(`f-${i}`, longId(i), { provisioning: { state: 'failed', cause: 'other', detail: 'y'.repeat(400) } }),
    ),
    [],
  );
  const input = {
    stacks: [...drifted, ...stacks.slice(2000)],
    roster: failedLearners,
    healEnabled: false,
    runUrl: RUN,
    checkedAt: '2026-11-29T08:00:00Z',
  };
  const md = renderWatchdogReport(input);

  test('fits the limit, the marker first, each list saying how many were left out and where', () => {
    expect(renderWatchdogReport(input, Number.MAX_SAFE_INTEGER).length).toBeGreaterThan(10 * GITHUB_BODY_LIMIT);
    expect(md.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(md.split('\n')[0]).toBe(WATCHDOG_MARKER);
    expect(md).toContain(
      '**Needs attention:** 2000 rooms not as the roster says, 2000 cohort plans failed, 2000 failed learners.',
    );
    const failedShown = md.split('\n').filter((l) => /^- `cohort-\d+/.test(l)).length;
    expect(failedShown).toBeGreaterThan(0);
    expect(failedShown).toBeLessThanOrEqual(200);
    expect(md).toContain(
      `… and ${2000 - failedShown} more failed cohort plans: see [the workflow run](${RUN}) (artifact \`watchdog-report\`).`,
    );
    // the plans did not take the whole body: the rooms table starts too
    expect(md).toContain('### Rooms that differ from the roster');
  });
});

describe('fit: the last resort when the fixed text alone is too long', () => {
  test('cut at a line break, the marker kept first, the note saying where the rest is', () => {
    const out = fit(['<!-- marker -->', '# title', 'a'.repeat(50_000), 'b'.repeat(50_000)], 60_000, 'cut: see the run');
    expect(out.length).toBeLessThanOrEqual(60_000);
    expect(out).toBe(`<!-- marker -->\n# title\n${'a'.repeat(50_000)}\n\ncut: see the run`);
  });
});
