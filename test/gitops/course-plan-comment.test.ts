/**
 * What the plan comment says before each step of a course (docs/course.md): the plan JSON is built
 * the way `terraform show -json` shapes it (test-kit/course-world.ts, after the recorded fixtures),
 * from the synthesized configuration and the state the previous apply left.
 */
import { renderPlanComment } from '../../gitops/plan-comment';
import { stackPlanFrom } from '../../gitops/stack-plan';
import {
  confirmedEndOfCourse,
  planArchivesRosterLearner,
  plannedArchives,
  wantedFromIndex,
} from '../../synthesis/plan-guard';
import { stackWork } from '../../gitops/stack-scope';
import { courseRoster, T } from '../../test-kit/course';
import type { StateResource } from '../../test-kit/course-world';
import type { Roster } from '../../roster/types';
import { appliedAll, only, planned, synthAt } from '../helpers/course';

/** The comment for the course at `at`, planned against `state`; and the state after applying it. */
function comment(r: Roster, at: string, state: StateResource[]) {
  const s = only(synthAt(r, at, { 'web-101': state }));
  const { plan } = planned(s, state);
  const stack = stackPlanFrom(plan, s.index);
  return {
    text: renderPlanComment({ stacks: [stack] }),
    stack,
    plan,
    index: s.index,
    next: appliedAll(synthAt(r, at, { 'web-101': state }))['web-101'],
  };
}

const section = (text: string, heading: string) => {
  const start = text.indexOf(heading);
  if (start < 0) return '';
  const end = text.indexOf('\n### ', start + heading.length);
  return text.slice(start, end < 0 ? undefined : end);
};

describe('the plan comment before each step of a course', () => {
  const roster = () => {
    const r = courseRoster({
      learners: 6,
      teamSize: 3,
      endOfCourse: { at: T.end, mode: 'hand-over', allow_mass_change: true },
    });
    r.learners[1].extensions = { 'a1-html': '2026-03-12T17:00:00Z' };
    return r;
  };

  test('opening: rooms to provision, no access change, the cutoffs of the next 7 days with the extension on its own line', () => {
    const c = comment(roster(), '2026-03-04T09:00:00Z', []);
    expect(c.text).not.toContain('### Access changes');
    expect(section(c.text, '### Upcoming cutoffs')).toBe(
      [
        '### Upcoming cutoffs (next 7 days)',
        '',
        '| when | cohort | assignment | lose write access (push → pull) |',
        '|---|---|---|---|',
        '| 2026-03-10 17:00 UTC | `web-101` | `a1-html` | 5: `l1`, `l3`, `l4`, `l5`, `l6` |',
        '',
        '<sub>Planned for 2026-03-04 09:00 UTC. The scheduled apply (every 30 minutes by default) applies each cutoff in its first run after it passes.</sub>',
        '',
      ].join('\n'),
    );
    expect(c.stack.learners.filter((l) => l.action === 'provision')).toHaveLength(6);
  });

  test('the cutoff: "Access changes" names exactly who loses write access to which assignment, before it happens', () => {
    const r = roster();
    const before = comment(r, '2026-03-10T12:00:00Z', []);
    const c = comment(r, '2026-03-10T17:05:00Z', before.next);
    expect(section(c.text, '### Access changes')).toBe(
      [
        '### Access changes',
        '',
        '**Loses write access when this plan is applied** (push → pull: they keep reading their room):',
        '',
        '- `web-101` `a1-html`: **5 learners**: `l1`, `l3`, `l4`, `l5`, `l6`',
        '',
      ].join('\n'),
    );
    // l2 (extended) and a2-css are not in it; the per-learner table names the room that changes
    expect(c.text).toContain('| `l1` | `web-101` | `web-101-a1-html-l1` | update | 1 update |');
    expect(c.text).not.toMatch(/\| `l2` \|/);
    expect(section(c.text, '### Upcoming cutoffs')).toContain(
      '| 2026-03-12 17:00 UTC | `web-101` | `a1-html` | 1: `l2` |',
    );
    // the apply's scope plans this stack: the configuration changed with time, state does not have it yet
    expect(stackWork(c.index, r)).toEqual([
      '5 rooms whose access changes (a cutoff, an extension, a team or facilitator change, a hand-over)',
    ]);
    // and the next run, once applied, has no work left
    expect(stackWork(only(synthAt(r, '2026-03-10T17:35:00Z', { 'web-101': c.next })).index, r)).toEqual([]);
  });

  test('a facilitator removed and a team change are listed as other access changes', () => {
    const r = roster();
    const before = comment(r, '2026-03-16T10:00:00Z', []);
    r.cohorts[0].facilitators = { handles: ['sam-teacher'] };
    const teams = (r.cohorts[0].assignments ?? [])[2].teams ?? [];
    teams[0].members = ['l1', 'l2'];
    teams[1].members = ['l3', 'l4', 'l5', 'l6'];
    const c = comment(r, '2026-03-16T10:00:00Z', before.next);
    const access = section(c.text, '### Access changes');
    expect(access).toContain(
      '| `l3` | `web-101` | `a3-project` `team-1` | `web-101-a3-project-team-1` | **removed** (was push) |',
    );
    expect(access).toContain(
      '| `l3` | `web-101` | `a3-project` `team-2` | `web-101-a3-project-team-2` | added (push) |',
    );
    expect(access).toContain(
      '| `tina-ta` | `web-101` | `a1-html` | `web-101-a1-html-l1` | **removed** (was maintain) |',
    );
    expect(access.match(/`tina-ta`/g)).toHaveLength(6 + 6 + 2);
  });

  test('the end of course, said loudly: hand-over, then the archive in a later run; check-plan lets the confirmed archive through', () => {
    const r = roster();
    const running = comment(r, '2026-04-02T12:00:00Z', []);
    expect(running.text).toContain('End of course for `web-101` at 2026-04-03 17:00 UTC (hand-over).');
    const handOver = comment(r, T.end, running.next);
    expect(handOver.text).toContain('> ## ⚠️ END OF COURSE: `web-101` (hand-over)');
    expect(handOver.text).toContain(
      '**Becomes admin of their room** (the end of course hands it over):\n\n- `web-101` `a1-html`: **6 learners**: `l1`, `l2`, `l3`, `l4`, `l5`, `l6`\n',
    );
    expect(handOver.text).toContain(
      '> This plan hands **14 rooms** over: every learner becomes **admin** of their room. A later run archives them once this is applied.',
    );
    const archive = comment(r, '2026-04-03T17:30:00Z', handOver.next);
    expect(archive.text).toContain(
      '> This plan **archives 14 rooms** (read only; the learners stay admin of their rooms).',
    );
    // not also the alarm for learners who leave the roster
    expect(archive.text).not.toContain('WOULD BE ARCHIVED');
    expect(wantedFromIndex(archive.index).byRoom?.size).toBe(0);
    expect(planArchivesRosterLearner(archive.plan, wantedFromIndex(archive.index))).toEqual([]);
    expect(plannedArchives(archive.plan, confirmedEndOfCourse(archive.index))).toEqual({
      archived: [],
      existing: 14,
      confirmed: 14,
    });
  });

  test("check-plan refuses a plan that would archive a course's room the index keeps", () => {
    const r = roster();
    const s = only(synthAt(r, '2026-03-20T12:00:00Z', {}));
    const state = appliedAll(synthAt(r, '2026-03-20T12:00:00Z', {}))['web-101'];
    const { plan } = planned(
      { ...s, config: { ...s.config, resource: { ...s.config.resource, github_repository: {} } } },
      state,
    );
    const refusals = planArchivesRosterLearner(plan, wantedFromIndex(s.index));
    expect(refusals.map((x) => x.github_handle)).toContain('l1 (a1-html)');
    expect(refusals.map((x) => x.github_handle)).toContain('team-1 (a3-project)');
    expect(plannedArchives(plan, confirmedEndOfCourse(s.index)).confirmed).toBe(0);
  });
});

test("the starter-code section and the course's sections side by side: a moved assignment template, the cutoff's access changes, the upcoming cutoffs", () => {
  const r = courseRoster({ learners: 3 });
  r.learners[1].extensions = { 'a1-html': '2026-03-12T17:00:00Z' };
  const opened = comment(r, T.a2Opens, []);
  const s = only(synthAt(r, '2026-03-10T17:05:00Z', { 'web-101': opened.next }));
  const stack = stackPlanFrom(planned(s, opened.next).plan, s.index);
  const text = renderPlanComment({
    stacks: [stack],
    starterCode: [
      {
        cohort_id: 'web-101',
        assignment_id: 'a2-css',
        template: 'acme-school/css-starter',
        state: 'changed',
        from: '0'.repeat(40),
        to: '1'.repeat(40),
        files: 2,
        refused: 0,
        rooms: 3,
      },
    ],
  });
  const starter = section(text, '### Starter code');
  expect(starter).toContain('assignment a2-css of cohort web-101');
  expect(starter).toContain('3 rooms');
  expect(section(text, '### Access changes')).toContain('`web-101` `a1-html`: **2 learners**: `l1`, `l3`');
  expect(section(text, '### Upcoming cutoffs')).toContain('| 2026-03-12 17:00 UTC | `web-101` | `a1-html` | 1: `l2` |');
  const order = ['### Starter code', '### Access changes', '### Upcoming cutoffs', '### Changes per learner'];
  expect(order.map((h) => text.indexOf(h))).toEqual([...order.map((h) => text.indexOf(h))].sort((a, b) => a - b));
  expect(order.every((h) => text.includes(h))).toBe(true);
});
