/** A course's learners on the facilitator's view: each assignment's status, k of n and room; needs action per room. */
import { buildDashboard, sharedSources } from '../../dashboard/model';
import { learnersMarkdown } from '../../dashboard/markdown';
import { renderDashboard } from '../../dashboard/render';
import { AssignmentRecord, buildReport, LearnerRecord } from '../../progress/report';
import type { Roster } from '../../roster/types';

const NOW = '2026-03-25T12:00:00Z';

const entry = (
  room: string,
  status: AssignmentRecord['status'],
  closed: number,
  total: number,
  extra: Partial<AssignmentRecord> = {},
): AssignmentRecord => ({
  status,
  room: `acme/${room}`,
  since: NOW,
  updated_at: NOW,
  challenges_closed: closed,
  challenges_total: total,
  evidence: [],
  ignored: [],
  ...extra,
});

function sources(): { roster: Roster; report: ReturnType<typeof buildReport> } {
  const provisioned = { state: 'provisioned' as const, provisioned_at: '2026-03-02T10:00:00Z' };
  const roster: Roster = {
    format_version: 1,
    cohorts: [
      {
        cohort_id: 'web',
        assignments: [
          { id: 'a1', opens: '2026-03-02T09:00:00Z', due: '2026-03-09T17:00:00Z' },
          {
            id: 'a2',
            opens: '2026-03-09T09:00:00Z',
            due: '2026-03-16T17:00:00Z',
            teams: [{ name: 'team-1', members: ['alice', 'bob'] }],
          },
        ],
      },
      { cohort_id: 'single' },
    ],
    learners: [
      { github_handle: 'alice', cohort_id: 'web', path: 'p', provisioning: provisioned },
      { github_handle: 'bob', cohort_id: 'web', path: 'p', provisioning: provisioned },
      { github_handle: 'erin', cohort_id: 'single', path: 'p', provisioning: provisioned },
    ],
  };
  const alice: LearnerRecord = {
    github_handle: 'alice',
    cohort_id: 'web',
    repository: 'acme/web-a2-team-1',
    status: 'in-progress',
    since: NOW,
    updated_at: NOW,
    challenges_closed: 1,
    challenges_total: 3,
    last_activity: '2026-03-24T10:00:00Z',
    evidence: [],
    ignored: [],
    assignments: {
      a1: entry('web-a1-alice', 'complete', 2, 2, { last_activity: '2026-03-08T10:00:00Z' }),
      a2: entry('web-a2-team-1', 'in-progress', 1, 3, { team: 'team-1', last_activity: '2026-03-24T10:00:00Z' }),
    },
  };
  const bob: LearnerRecord = {
    ...alice,
    github_handle: 'bob',
    repository: 'acme/web-a1-bob',
    status: 'not-started',
    challenges_closed: 0,
    challenges_total: 2,
    last_activity: '2026-03-10T10:00:00Z',
    assignments: {
      a1: entry('web-a1-bob', 'not-started', 0, 2),
      a2: entry('web-a2-team-1', 'invitation-expired', 1, 3, { team: 'team-1', last_activity: '2026-03-10T10:00:00Z' }),
    },
  };
  const erin: LearnerRecord = {
    ...alice,
    github_handle: 'erin',
    cohort_id: 'single',
    repository: 'acme/single-erin',
    last_activity: NOW,
  };
  delete erin.assignments;
  return { roster, report: buildReport('acme', [alice, bob, erin], NOW) };
}

describe("a course's learners on the dashboard", () => {
  it('each row carries every assignment; needs help reads the latest activity across the rooms', () => {
    const d = buildDashboard(sources());
    const rows = d.groups.flatMap((g) => g.rows);
    expect(rows.find((r) => r.handle === 'alice')!.assignments).toEqual([
      { id: 'a1', status: 'complete', closed: 2, total: 2, repository: 'acme/web-a1-alice' },
      { id: 'a2', status: 'in-progress', closed: 1, total: 3, repository: 'acme/web-a2-team-1', team: 'team-1' },
    ]);
    expect(rows.find((r) => r.handle === 'erin')!.assignments).toBeUndefined();
    // alice's a1 is 17 days old, but her team's room moved yesterday
    expect(d.help.map((h) => h.row.handle)).toEqual([]);
    // bob's expired invitation in the team's room needs the operator, though his current assignment is a1
    expect(d.action).toEqual([
      expect.objectContaining({ kind: 'invitation-expired', handle: 'bob', repository: 'acme/web-a2-team-1' }),
    ]);
  });

  it('the page shows an Assignments column for the course only, with status words and room links', () => {
    const html = renderDashboard(buildDashboard(sources()));
    expect(html).toContain('<th scope="col">Assignments</th>');
    expect(html.match(/<th scope="col">Assignments<\/th>/g)).toHaveLength(1);
    expect(html).toContain(
      'a2: <span class="st s-busy">in progress</span> 1 of 3 <span class="m">(team team-1)</span>',
    );
    expect(html).toContain('href="https://github.com/acme/web-a1-alice"');
  });

  it('the shared page keeps each assignment status and k of n, never a room', () => {
    const html = renderDashboard(buildDashboard(sharedSources(sources())), { redacted: true });
    expect(html).toContain('a1: <span class="st s-good">complete</span> 2 of 2</li>');
    expect(html).not.toContain('web-a1-alice');
  });

  it("progress.md lists a course learner's assignments after the status", () => {
    const md = learnersMarkdown(buildDashboard(sources()), 100_000);
    expect(md).toContain('| in-progress (a1 complete 2 of 2; a2 team-1 in-progress 1 of 3) |');
    expect(md).toMatch(/\| `erin` \| `single` \| `p` \| in-progress \|/);
  });
});
