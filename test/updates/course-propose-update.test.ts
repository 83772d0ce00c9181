/**
 * Starter-code updates in a course (docs/course.md, docs/starter-code-updates.md): each assignment
 * is its own unit, with its own template and template_ref; its rooms are the ones synthesis makes
 * (contracts/course-rooms.ts names them for both). Against the GitHub double with the provisioning App.
 */
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { parseRoster, serializeRoster } from '../../roster';
import type { Roster } from '../../roster/types';
import { recordTemplateRefs } from '../../updates/record';
import { proposeUpdates, templateRefMoves, type ProposeResult } from '../../updates/run';
import { selectUnits } from '../../updates/units';
import { appClient, fileOn, head, OWNER, pullsOf, seed, STARTER } from './world';
import { courseRoster, T, teamsOf } from '../../test-kit/course';
import { only, synthAt } from '../helpers/course';

const HANDLES = ['alice', 'bob', 'carol'];
const TEAM_STARTER = { 'README.md': '# Team project\n', 'app/main.py': 'print(1)\n' };
const OPENS = { opens: '2026-03-02T09:00:00Z', due: '2026-03-09T17:00:00Z', cutoff: '2026-03-10T17:00:00Z' };
const AT = new Date('2026-03-20T12:00:00Z');

/** Rooms as synthesis names them: {cohort}-{assignment}-{handle}, and the team's {cohort}-{assignment}-{team}. */
const ROOMS = {
  a1: HANDLES.map((h) => `web-a1-${h}`),
  a2: HANDLES.map((h) => `web-a2-${h}`),
  team: ['web-project-team-1'],
};

function courseSeed() {
  const base = seed([]);
  const room = (name: string, files: Record<string, string>, people: string[]) => ({
    owner: OWNER,
    name,
    visibility: 'private',
    files,
    collaborators: people.map((login) => ({ login, permission: 'push' })),
  });
  return {
    ...base,
    repos: [
      ...base.repos,
      { owner: OWNER, name: 'tmpl-a1', is_template: true, files: STARTER },
      { owner: OWNER, name: 'tmpl-team', is_template: true, files: TEAM_STARTER },
      ...HANDLES.map((h, i) => room(ROOMS.a1[i], STARTER, [h])),
      ...HANDLES.map((h, i) => room(ROOMS.a2[i], STARTER, [h])),
      room(ROOMS.team[0], TEAM_STARTER, ['alice', 'bob']),
    ],
  };
}

function course(refs: { a1: string; a2: string; team: string }): Roster {
  return {
    format_version: 1,
    cohorts: [
      {
        cohort_id: 'web',
        template: 'acme/tmpl',
        required_files: ['.github/workflows/progress.yml'],
        assignments: [
          { id: 'a1', template: 'acme/tmpl-a1', template_ref: refs.a1, ...OPENS },
          { id: 'a2', template_ref: refs.a2, ...OPENS },
          {
            id: 'project',
            template: 'acme/tmpl-team',
            template_ref: refs.team,
            required_files: [],
            ...OPENS,
            teams: [{ name: 'team-1', members: ['alice', 'bob'] }],
          },
          // not open at AT: no room to propose anything in
          { id: 'a9', template: 'acme/tmpl-a1', opens: '2026-05-01T09:00:00Z', due: '2026-05-08T17:00:00Z' },
        ],
      },
    ],
    learners: HANDLES.map((h) => ({
      github_handle: h,
      cohort_id: 'web',
      path: 'web',
      provisioning: { state: 'provisioned' as const },
    })),
  };
}

const outcomes = (res: ProposeResult) => Object.fromEntries(res.rooms.map((r) => [r.repository, r.outcome]));

describe("a template update in a course: one assignment's rooms get pull requests, from its own template", () => {
  let double: GitHubDouble;
  afterEach(() => double.stop());

  test('the moved templates propose pull requests in their assignment rooms only; template_ref moves per assignment', async () => {
    double = await startGitHubDouble({ seed: courseSeed(), generateDelayMs: 1 });
    let r = course({ a1: head(double, 'tmpl-a1'), a2: head(double, 'tmpl'), team: head(double, 'tmpl-team') });
    const units = () => {
      const { units: u, problems } = selectUnits(r, {
        defaultTemplate: 'acme/other',
        defaultPattern: '{cohort}-{handle}',
        at: AT,
      });
      expect(problems).toEqual([]);
      return u;
    };
    expect(units().map((u) => [u.key, u.template, u.rooms.map((x) => x.repository)])).toEqual([
      ['web/a1', 'acme/tmpl-a1', ROOMS.a1],
      ['web/a2', 'acme/tmpl', ROOMS.a2],
      ['web/project', 'acme/tmpl-team', ROOMS.team],
      ['web/a9', 'acme/tmpl-a1', []],
    ]);

    double.admin('POST', '/_admin/push', { repo: 'acme/tmpl-a1', files: { 'src/a.py': 'a = 2\n' }, message: 'fix a' });
    double.admin('POST', '/_admin/push', {
      repo: 'acme/tmpl-team',
      files: { 'app/main.py': 'print(2)\n' },
      message: 'fix main',
    });
    const res = await proposeUpdates({
      octokit: appClient(double),
      owner: OWNER,
      units: units(),
      budget: { maxWrites: 1000 },
    });
    // a2's template did not move: its rooms are not even read
    expect(outcomes(res)).toEqual({
      'web-a1-alice': 'opened',
      'web-a1-bob': 'opened',
      'web-a1-carol': 'opened',
      'web-project-team-1': 'opened',
    });
    for (const repo of ROOMS.a2) expect(pullsOf(double, repo)).toEqual([]);
    const a1 = head(double, 'tmpl-a1');
    const team = head(double, 'tmpl-team');
    for (const repo of ROOMS.a1)
      expect(fileOn(double, repo, `learning-rooms/starter-update-${a1.slice(0, 7)}`, 'src/a.py')).toBe('a = 2\n');
    expect(
      fileOn(double, 'web-project-team-1', `learning-rooms/starter-update-${team.slice(0, 7)}`, 'app/main.py'),
    ).toBe('print(2)\n');
    expect(pullsOf(double, 'web-project-team-1')[0].title).toContain('acme/tmpl-team');

    // every room of a1 and of the project done: each assignment's template_ref moves, a2's stays
    expect(templateRefMoves(res)).toEqual([
      { cohort_id: 'web', assignment_id: 'a1', sha: a1 },
      { cohort_id: 'web', assignment_id: 'project', sha: team },
    ]);
    const before = r.cohorts[0].assignments?.[1].template_ref;
    r = recordTemplateRefs(r, templateRefMoves(res));
    expect(r.cohorts[0].assignments?.map((a) => a.template_ref)).toEqual([a1, before, team, undefined]);
    // the recorded roster is one the schema accepts, and reads back whole
    const back = parseRoster(serializeRoster(r));
    expect(back.errors).toEqual([]);
    expect(back.roster?.cohorts[0].assignments?.map((a) => a.template_ref)).toEqual([a1, before, team, undefined]);
  });
});

test("propose-update finds exactly the rooms synthesis made: the same names for every open assignment's rooms, individual and team", () => {
  const r = courseRoster({ learners: 8, teamSize: 4 });
  for (const l of r.learners) l.provisioning = { state: 'provisioned', provisioned_at: '2026-03-02T09:30:00Z' };
  r.learners[3].provisioning = { state: 'archived', provisioned_at: '2026-03-02T09:30:00Z' };
  r.cohorts[0].assignments![2].teams = teamsOf(
    r.learners.map((l) => l.github_handle),
    3,
  );
  const s = only(synthAt(r, T.teamOpens, undefined));
  const made = (s.index.course?.rooms ?? []).filter((x) => x.admitted && !x.archived);
  expect(made.length).toBeGreaterThan(8);
  const bySynthesis = made.map((x) => `${x.assignment} ${x.repository} ${x.members.map((m) => m.github_handle)}`);
  const { units } = selectUnits(r, {
    defaultTemplate: 'acme/other',
    defaultPattern: '{cohort}-{handle}',
    at: new Date(T.teamOpens),
  });
  const byUpdate = units.flatMap((u) => u.rooms.map((x) => `${u.assignment_id} ${x.repository} ${x.learners}`));
  expect(byUpdate.sort()).toEqual(bySynthesis.sort());
});
