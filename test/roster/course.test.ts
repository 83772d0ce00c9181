import { validateRoster, formatRosterError, serializeRoster, parseRoster } from '../../roster';
import type { Roster } from '../../roster/types';
import { assignmentRoomName } from '../../contracts/course-rooms';
import {
  adoptPatternProblem,
  assignmentPatternProblem,
  assignmentRepositoryName,
  cutoffPassed,
  DAY_MS,
  effectiveCutoff,
  endOfCourseReached,
  hasOpened,
  isCourse,
  memberPermission,
  upcomingCutoffs,
} from '../../roster/course';
import { courseLearner, courseRoster, T } from '../../test-kit/course';

const messages = (r: unknown) => validateRoster(r).map((e) => formatRosterError(e, 'roster.json'));

describe('a course in the roster: validation', () => {
  test('the reference course is valid, and so is an extension after the cutoff', () => {
    const r = courseRoster({ learners: 8 });
    r.learners[2].extensions = { 'a1-html': '2026-03-12T17:00:00Z' };
    r.cohorts[0].end_of_course = { at: T.end, mode: 'hand-over', allow_mass_change: true };
    expect(validateRoster(r)).toEqual([]);
  });

  test('every problem at once, each naming the cohort, assignment, team or learner and what was expected', () => {
    const r: Roster = courseRoster({ learners: 6 });
    const [a1, a2, team] = r.cohorts[0].assignments ?? [];
    a1.due = a1.opens; // not after opens
    a2.cutoff = '2026-03-15T00:00:00Z'; // before due
    team.teams = [
      { name: 'team-1', members: ['l1', 'l2', 'ghost'] },
      { name: 'team-1', members: ['L2', 'l3'] },
    ];
    team.repository_pattern = '{cohort}-{assignment}-{handle}';
    (r.cohorts[0].assignments ?? []).push({ ...a1, id: 'a1-html', due: a1.due });
    r.cohorts[0].facilitators = { handles: ['tina-ta', 'TINA-TA', 'l4'] };
    r.cohorts[0].end_of_course = { at: '2026-03-01T00:00:00Z', mode: 'archive' };
    r.learners[0].extensions = { 'a9-nope': '2026-04-01T00:00:00Z', 'a2-css': '2026-03-14T00:00:00Z' };
    r.learners[1].repository = 'old-room';
    r.cohorts.push({ cohort_id: 'plain' });
    r.learners.push(courseLearner('zed', 'plain', { extensions: { 'a1-html': '2026-04-01T00:00:00Z' } }));
    const out = messages(r);
    const expectLine = (re: RegExp) => expect(out.filter((m) => re.test(m))).toHaveLength(1);
    expectLine(
      /^roster\.json: cohort 1, assignments\[0\]\.due: expected a due time after assignment "a1-html" opens \(2026-03-02T09:00:00Z\); found "2026-03-02T09:00:00Z"$/,
    );
    expectLine(
      /assignments\[1\]\.cutoff: expected a cutoff at or after assignment "a2-css" is due \(2026-03-16T17:00:00Z\)/,
    );
    expectLine(
      /assignments\[2\]\.teams\[0\]\.members\[2\]: expected a learner of cohort "web-101" \(the members of team "team-1" of assignment "a3-project".*found "ghost"/,
    );
    expectLine(
      /assignments\[2\]\.teams\[1\]\.name: expected a team name not used before in assignment "a3-project".*team 1 already has it/,
    );
    expectLine(
      /assignments\[2\]\.teams\[1\]\.members\[0\]: expected each learner in at most one team.*found "L2"; already in team 1 \("team-1"\)/,
    );
    expectLine(/assignments\[2\]\.repository_pattern: .*\{handle\} names the rooms of an individual assignment/);
    expectLine(
      /assignments\[3\]\.id: expected an assignment id not used before in cohort "web-101" \(assignment 1 has it\)/,
    );
    expectLine(/facilitators\.handles\[1\]: expected each facilitator once/);
    expectLine(/facilitators\.handles\[2\]: expected a facilitator who is not a learner of cohort "web-101"/);
    expectLine(/end_of_course\.at: expected an end of course after every assignment opens/);
    expectLine(
      /learner 1 \(l1\).*extensions\["a9-nope"\]: expected an assignment of cohort "web-101" \(a1-html, a2-css, a3-project\)/,
    );
    expectLine(
      /learner 1 \(l1\).*extensions\["a2-css"\]: expected a time after the assignment's cutoff 2026-03-15T00:00:00Z/,
    );
    expectLine(/learner 2 \(l2\).*repository: expected no "repository" for a learner of a cohort with assignments/);
    expectLine(
      /learner 7 \(zed\).*extensions\["a1-html"\]: expected extensions only for a learner of a cohort with assignments/,
    );
  });

  test('adopt_pattern: the placeholder of the kind, once, a name GitHub accepts; every problem at once, each placed', () => {
    const r: Roster = courseRoster({ learners: 4 });
    const [a1, a2, team] = r.cohorts[0].assignments ?? [];
    a1.adopt_pattern = 'classroom-a1-{handle}';
    team.adopt_pattern = 'classroom-project-{team}';
    expect(validateRoster(r)).toEqual([]);
    a1.adopt_pattern = 'classroom-a1-{team}';
    a2.adopt_pattern = 'x'.repeat(70) + '-{handle}';
    a2.repository_pattern = '{cohort}-{handle}';
    team.adopt_pattern = 'classroom-{handle}';
    const out = messages(r);
    const expectLine = (re: RegExp) => expect(out.filter((m) => re.test(m))).toHaveLength(1);
    expectLine(
      /^roster\.json: cohort 1, assignments\[0\]\.adopt_pattern: expected the names of the existing repositories assignment "a1-html" of cohort "web-101" adopts; found "classroom-a1-\{team\}"; expected only the placeholder \{handle\}.*\{team\} names the repositories of a group assignment/,
    );
    expectLine(
      /assignments\[1\]\.adopt_pattern: expected the names .*"a2-css".*at most 61 characters around \{handle\}/,
    );
    expectLine(
      /assignments\[1\]\.repository_pattern: expected either "adopt_pattern" or "repository_pattern" for assignment "a2-css" of cohort "web-101".*found both/,
    );
    expectLine(/assignments\[2\]\.adopt_pattern: .*"a3-project".*only the placeholder \{team\}/);
    expect(out).toHaveLength(4);
    // what the schema refuses: characters GitHub would rewrite, and an empty pattern
    a1.adopt_pattern = 'class room-{handle}';
    a2.adopt_pattern = '';
    delete a2.repository_pattern;
    team.adopt_pattern = 'p-{team}';
    const schema = messages(r);
    expect(schema.filter((m) => /assignments\[0\]\.adopt_pattern/.test(m))).toHaveLength(1);
    expect(schema.filter((m) => /assignments\[1\]\.adopt_pattern/.test(m))).toHaveLength(1);
    expect(schema).toHaveLength(2);
  });

  test('a feedback pull request needs a required file; an extension needs a cutoff to move; the end needs assignments', () => {
    const r = courseRoster({ learners: 2 });
    const [a1, a2] = r.cohorts[0].assignments ?? [];
    a2.required_files = [];
    delete a1.cutoff;
    r.learners[0].extensions = { 'a1-html': '2026-04-01T00:00:00Z' };
    r.cohorts.push({ cohort_id: 'plain', end_of_course: { at: T.end, mode: 'archive' } });
    const out = messages(r);
    expect(
      out.some((m) => /assignments\[1\]\.feedback_pull_request: expected at least one required file/.test(m)),
    ).toBe(true);
    expect(
      out.some((m) => /extensions\["a1-html"\]: expected an extension of an assignment with a cutoff/.test(m)),
    ).toBe(true);
    expect(
      out.some((m) => /cohort 2, end_of_course: expected an end of course only in a cohort with "assignments"/.test(m)),
    ).toBe(true);
  });

  test('the schema: ids, team names, permissions and modes', () => {
    const r = courseRoster({ learners: 2 });
    const a = (r.cohorts[0].assignments ?? [])[0];
    a.id = 'learner-x';
    a.template_ref = 'v1.2';
    r.cohorts[0].facilitators = { permission: 'write' as never, team: { id: 0 } };
    r.cohorts[0].end_of_course = { at: T.end, mode: 'give-away' as never };
    const out = messages(r).join('\n');
    expect(out).toMatch(/assignments\[0\]\.id: expected an assignment id: .*not starting with "learner"/);
    expect(out).toMatch(/facilitators\.permission: expected one of "pull", "triage", "push", "maintain", "admin"/);
    expect(out).toMatch(/facilitators\.team\.id: expected a number of at least 1/);
    expect(out).toMatch(/end_of_course\.mode: expected one of "archive", "hand-over", "portfolio"/);
    expect(out).toMatch(/assignments\[0\]\.template_ref: .*40.*found "v1\.2"/);
  });
});

describe('a course at an instant', () => {
  const a = { id: 'a1-html', opens: T.a1Opens, due: T.a1Due, cutoff: T.a1Cutoff };

  test('an assignment opens at its instant; the cutoff instant itself is past', () => {
    expect(hasOpened(a, new Date(Date.parse(T.a1Opens) - 1))).toBe(false);
    expect(hasOpened(a, new Date(T.a1Opens))).toBe(true);
    expect(cutoffPassed(T.a1Cutoff, new Date(Date.parse(T.a1Cutoff) - 1))).toBe(false);
    expect(cutoffPassed(T.a1Cutoff, new Date(T.a1Cutoff))).toBe(true);
    expect(cutoffPassed(undefined, new Date('2100-01-01T00:00:00Z'))).toBe(false);
  });

  test('push until the cutoff, pull from it, admin when handed over; an extension moves only its learner', () => {
    const late = new Date('2026-03-11T00:00:00Z');
    const ext = { extensions: { 'a1-html': '2026-03-12T17:00:00Z' } };
    expect(memberPermission(effectiveCutoff(a, {}), late, 'running')).toBe('pull');
    expect(memberPermission(effectiveCutoff(a, ext), late, 'running')).toBe('push');
    expect(memberPermission(effectiveCutoff(a, ext), new Date('2026-03-12T17:00:00Z'), 'running')).toBe('pull');
    expect(memberPermission(effectiveCutoff(a, {}), late, 'hand-over')).toBe('admin');
    expect(memberPermission(undefined, late, 'running')).toBe('push');
  });

  test('room names: the lower-cased handle or the team, the default patterns, and the pattern rules', () => {
    expect(assignmentRepositoryName('web-101', a, 'Alice')).toBe('web-101-a1-html-alice');
    expect(assignmentRepositoryName('web-101', { id: 'a3', teams: [] }, 'team-1')).toBe('web-101-a3-team-1');
    expect(assignmentRepositoryName('web-101', { id: 'a3', repository_pattern: 'p-{team}', teams: [] }, 'team-1')).toBe(
      'p-team-1',
    );
    expect(assignmentPatternProblem({ repository_pattern: '{cohort}-{assignment}' })).toMatch(/containing \{handle\}/);
    expect(assignmentPatternProblem({ repository_pattern: 'x-{team}', teams: [] })).toBeUndefined();
    expect(assignmentPatternProblem({ repository_pattern: 'x-{handle}-{who}' })).toMatch(/found \{who\}/);
    // an adopted room keeps the existing repository's name: the handle as the roster spells it
    const adopting = { ...a, adopt_pattern: 'classroom-a1-{handle}' };
    expect(assignmentRoomName('web-101', adopting, 'Alice')).toBe('classroom-a1-Alice');
    expect(assignmentRoomName('web-101', a, 'Alice')).toBe('web-101-a1-html-alice');
    expect(assignmentRoomName('web-101', { id: 'a3', adopt_pattern: 'cr-{team}', teams: [] }, 'team-1')).toBe(
      'cr-team-1',
    );
    expect(adoptPatternProblem({ adopt_pattern: 'cr-{handle}-{handle}' })).toMatch(/exactly once.*found 2/);
    expect(adoptPatternProblem({ adopt_pattern: 'cr' })).toMatch(/exactly once.*found none/);
    expect(adoptPatternProblem({ adopt_pattern: 'cr-{cohort}-{handle}' })).toMatch(/found \{cohort\}/);
    expect(adoptPatternProblem({ adopt_pattern: 'x'.repeat(61) + '{handle}' })).toBeUndefined();
    expect(adoptPatternProblem({ adopt_pattern: 'x'.repeat(62) + '{handle}' })).toMatch(/at most 61/);
    expect(isCourse({ assignments: [] })).toBe(true);
    expect(isCourse({})).toBe(false);
  });

  test('upcoming cutoffs: the next 7 days, an extension on its own line, withdrawn learners left out, teams named', () => {
    const r = courseRoster({ learners: 6, teamSize: 3 });
    r.learners[1].extensions = { 'a2-css': '2026-03-18T17:00:00Z' };
    r.learners[5].provisioning = { state: 'archived' };
    const at = new Date('2026-03-12T00:00:00Z');
    const week = upcomingCutoffs(r, at, 7 * DAY_MS);
    expect(week.map((u) => [u.assignment, u.at, u.learners.join(' ')])).toEqual([
      ['a2-css', '2026-03-17T17:00:00.000Z', 'l1 l3 l4 l5'],
      ['a2-css', '2026-03-18T17:00:00.000Z', 'l2'],
    ]);
    const later = upcomingCutoffs(r, new Date('2026-03-25T00:00:00Z'), 7 * DAY_MS);
    expect(later).toEqual([
      {
        cohort_id: 'web-101',
        assignment: 'a3-project',
        title: 'Team project',
        at: '2026-03-31T17:00:00.000Z',
        learners: ['l1', 'l2', 'l3', 'l4', 'l5'],
        teams: ['team-1', 'team-2'],
      },
    ]);
    r.cohorts[0].end_of_course = { at: '2026-03-24T00:00:00Z', mode: 'archive', allow_mass_change: true };
    expect(upcomingCutoffs(r, new Date('2026-03-25T00:00:00Z'), 7 * DAY_MS)).toEqual([]);
    expect(endOfCourseReached(r.cohorts[0], new Date('2026-03-24T00:00:00Z'))).toBe(true);
  });
});

test('the records keep a course whole: serialized, read back and serialized again, byte for byte, in canonical order', () => {
  const r = courseRoster({
    learners: 4,
    teamSize: 2,
    facilitators: { permission: 'triage', team: { slug: 'staff', id: 7 }, handles: ['tina-ta'] },
  });
  r.cohorts[0].end_of_course = { allow_mass_change: true, mode: 'portfolio', at: T.end };
  // starter-code updates' record (docs/starter-code-updates.md), on the cohort and on an assignment
  r.cohorts[0].template_ref = 'c'.repeat(40);
  // the front door's enrolment rule on the same cohort
  r.cohorts[0].enrolment = { closes: '2026-03-31T17:00:00Z', review: 'auto', opens: '2026-02-01' };
  (r.cohorts[0].assignments ?? [])[0].template_ref = 'a'.repeat(40);
  ((r.cohorts[0].assignments ?? [])[2].teams ?? [])[0].shard = 1;
  // a course moved from GitHub Classroom: written last by hand, read back in canonical place
  (r.cohorts[0].assignments ?? [])[1] = {
    feedback_pull_request: true,
    adopt_pattern: 'classroom-a2-{handle}',
    ...(r.cohorts[0].assignments ?? [])[1],
  };
  r.learners[0].extensions = { 'a1-html': '2026-03-12T17:00:00Z' };
  const text = serializeRoster(r);
  const back = parseRoster(text);
  expect(back.errors).toEqual([]);
  expect(back.roster).toEqual(JSON.parse(JSON.stringify(r)));
  expect(serializeRoster(back.roster as Roster)).toBe(text);
  expect(Object.keys(JSON.parse(text).cohorts[0]).slice(0, 3)).toEqual(['cohort_id', 'template', 'template_ref']);
  expect(Object.keys(JSON.parse(text).cohorts[0]).slice(-4)).toEqual([
    'enrolment',
    'assignments',
    'facilitators',
    'end_of_course',
  ]);
  expect(Object.keys(JSON.parse(text).cohorts[0].assignments[1]).slice(0, 3)).toEqual(['id', 'title', 'adopt_pattern']);
  expect(Object.keys(JSON.parse(text).cohorts[0].assignments[1]).indexOf('adopt_pattern')).toBeLessThan(
    Object.keys(JSON.parse(text).cohorts[0].assignments[1]).indexOf('opens'),
  );
  expect(Object.keys(JSON.parse(text).cohorts[0].enrolment)).toEqual(['review', 'opens', 'closes']);
  expect(Object.keys(JSON.parse(text).cohorts[0].facilitators)).toEqual(['handles', 'team', 'permission']);
  expect(Object.keys(JSON.parse(text).cohorts[0].end_of_course)).toEqual(['at', 'mode', 'allow_mass_change']);
});
