/**
 * Which rooms an update concerns: a cohort without assignments (today's rooms), and assignments
 * read through the one adapter (a roster carrying `assignments`, built here directly: today's
 * schema refuses such a file until the assignments model lands).
 */
import type { Learner, Roster } from '../../roster/types';
import { recordTemplateRefs } from '../../updates/record';
import { roomExists, selectUnits } from '../../updates/units';

const SHA = 'a'.repeat(40);
const learner = (handle: string, cohort: string, provisioning: Learner['provisioning'] = { state: 'provisioned' }) => ({
  github_handle: handle,
  cohort_id: cohort,
  path: 'web',
  provisioning,
});

const ROSTER: Roster = {
  format_version: 1,
  cohorts: [
    { cohort_id: 'c1', template_ref: SHA, repository_pattern: 'room-{handle}', required_files: ['ci.yml'] },
    { cohort_id: 'c2', template: 'acme/c2-template' },
  ],
  learners: [
    learner('Alice', 'c1'),
    { ...learner('bob', 'c1'), repository: 'adopted-bob' },
    learner('carol', 'c1', { state: 'pending' }),
    learner('dave', 'c1', { state: 'archived', provisioned_at: '2026-01-01T00:00:00Z' }),
    learner('erin', 'c1', { state: 'failed', provisioned_at: '2026-01-01T00:00:00Z' }),
    learner('frank', 'c2'),
  ],
};

const OPTIONS = {
  defaultTemplate: 'acme/default',
  defaultPattern: '{cohort}-{handle}',
  at: new Date('2026-04-01T00:00:00Z'),
};

const OPENS = { opens: '2026-03-02T09:00:00Z', due: '2026-03-09T17:00:00Z' };

/** A course (docs/course.md): assignments with their own templates, teams, one not open yet at AT. */
const WITH_ASSIGNMENTS: Roster = {
  ...ROSTER,
  cohorts: [
    {
      cohort_id: 'c3',
      template: 'acme/course',
      required_files: ['ci.yml'],
      assignments: [
        { id: 'hw1', title: 'Homework 1', template_ref: SHA, ...OPENS },
        { id: 'hw2', template: 'acme/hw2', repository_pattern: 'hw2-{handle}', required_files: [], ...OPENS },
        {
          id: 'project',
          template: 'acme/project',
          ...OPENS,
          teams: [
            { name: 'red', members: ['Gina', 'hal'] },
            { name: 'blue', members: ['ivan'] },
            { name: 'empty', members: ['nobody'] },
          ],
        },
        { id: 'groups-later', teams: [], ...OPENS },
        { id: 'hw9', opens: '2026-05-01T09:00:00Z', due: '2026-05-08T17:00:00Z' },
      ],
    },
  ],
  learners: [learner('gina', 'c3'), learner('hal', 'c3'), learner('ivan', 'c3')],
};

describe('the rooms of an update', () => {
  test('a cohort without assignments: one room per learner whose room exists, named as synthesis names it', () => {
    const { units, problems } = selectUnits(ROSTER, OPTIONS);
    expect(problems).toEqual([]);
    expect(units).toEqual([
      {
        key: 'c1',
        cohort_id: 'c1',
        template: 'acme/default',
        template_ref: SHA,
        required_files: ['ci.yml'],
        rooms: [
          { repository: 'adopted-bob', learners: ['bob'] },
          { repository: 'room-alice', learners: ['Alice'] },
          { repository: 'room-erin', learners: ['erin'] },
        ],
      },
      {
        key: 'c2',
        cohort_id: 'c2',
        template: 'acme/c2-template',
        required_files: [],
        rooms: [{ repository: 'c2-frank', learners: ['frank'] }],
      },
    ]);
  });

  test('a room exists once made and until archived', () => {
    expect(roomExists(learner('a', 'c', { state: 'provisioned' }))).toBe(true);
    expect(roomExists(learner('a', 'c', { state: 'failed' }))).toBe(false);
    expect(roomExists(learner('a', 'c', { state: 'failed', provisioned_at: '2026-01-01T00:00:00Z' }))).toBe(true);
    expect(roomExists(learner('a', 'c', { state: 'archived', provisioned_at: '2026-01-01T00:00:00Z' }))).toBe(false);
    expect(roomExists(learner('a', 'c', { state: 'pending' }))).toBe(false);
  });

  test('assignments: each its own unit and template; rooms per learner or per team', () => {
    const { units, problems } = selectUnits(WITH_ASSIGNMENTS, OPTIONS);
    expect(problems).toEqual([]);
    expect(
      units.map((u) => ({
        key: u.key,
        template: u.template,
        ref: u.template_ref,
        req: u.required_files,
        rooms: u.rooms,
      })),
    ).toEqual([
      {
        key: 'c3/hw1',
        template: 'acme/course',
        ref: SHA,
        req: ['ci.yml'],
        rooms: [
          { repository: 'c3-hw1-gina', learners: ['gina'] },
          { repository: 'c3-hw1-hal', learners: ['hal'] },
          { repository: 'c3-hw1-ivan', learners: ['ivan'] },
        ],
      },
      {
        key: 'c3/hw2',
        template: 'acme/hw2',
        ref: undefined,
        req: [],
        rooms: [
          { repository: 'hw2-gina', learners: ['gina'] },
          { repository: 'hw2-hal', learners: ['hal'] },
          { repository: 'hw2-ivan', learners: ['ivan'] },
        ],
      },
      {
        key: 'c3/project',
        template: 'acme/project',
        ref: undefined,
        req: ['ci.yml'],
        rooms: [
          { repository: 'c3-project-blue', learners: ['ivan'] },
          { repository: 'c3-project-red', learners: ['gina', 'hal'] },
        ],
      },
      { key: 'c3/groups-later', template: 'acme/course', ref: undefined, req: ['ci.yml'], rooms: [] },
      { key: 'c3/hw9', template: 'acme/course', ref: undefined, req: ['ci.yml'], rooms: [] },
    ]);
  });

  test('--cohort and --assignment choose; what is not there is named with what is', () => {
    const both = { ...WITH_ASSIGNMENTS, cohorts: [...ROSTER.cohorts, ...WITH_ASSIGNMENTS.cohorts] };
    expect(selectUnits(both, { ...OPTIONS, assignments: ['hw2'] }).units.map((u) => u.key)).toEqual(['c3/hw2']);
    expect(selectUnits(both, { ...OPTIONS, cohorts: ['c2'] }).units.map((u) => u.key)).toEqual(['c2']);
    expect(selectUnits(both, { ...OPTIONS, cohorts: ['c9', 'c1'], assignments: ['hw1', 'hw7'] }).problems).toEqual([
      '--cohort: expected a cohort of the roster (c1, c2, c3), found "c9"',
      '--assignment: expected an assignment of the cohorts chosen (none: no cohort has assignments), found "hw1"',
      '--assignment: expected an assignment of the cohorts chosen (none: no cohort has assignments), found "hw7"',
    ]);
    expect(selectUnits(both, { ...OPTIONS, assignments: ['hw7'] }).problems).toEqual([
      '--assignment: expected an assignment of the roster (hw1, hw2, project, groups-later, hw9), found "hw7"',
    ]);
  });

  test('a course at an instant: no room before its assignment opens, none from the end of course, only rooms made', () => {
    const at = (iso: string) => ({ ...OPTIONS, at: new Date(iso) });
    const rooms = (r: Roster, iso: string) =>
      Object.fromEntries(selectUnits(r, at(iso)).units.map((u) => [u.key, u.rooms.map((x) => x.repository)]));
    expect(rooms(WITH_ASSIGNMENTS, '2026-03-01T00:00:00Z')['c3/hw1']).toEqual([]);
    expect(rooms(WITH_ASSIGNMENTS, '2026-05-01T09:00:00Z')['c3/hw9']).toEqual([
      'c3-hw9-gina',
      'c3-hw9-hal',
      'c3-hw9-ivan',
    ]);
    const ended: Roster = {
      ...WITH_ASSIGNMENTS,
      cohorts: [{ ...WITH_ASSIGNMENTS.cohorts[0], end_of_course: { at: '2026-04-01T00:00:00Z', mode: 'hand-over' } }],
    };
    expect(rooms(ended, '2026-03-31T23:59:59Z')['c3/hw1']).toHaveLength(3);
    expect(Object.values(rooms(ended, '2026-04-01T00:00:00Z')).flat()).toEqual([]);
    // hal withdrawn, ivan's room not made yet: the team keeps its room through Gina; blue has none.
    const fewer: Roster = {
      ...WITH_ASSIGNMENTS,
      learners: [
        learner('gina', 'c3'),
        learner('hal', 'c3', { state: 'archived' }),
        learner('ivan', 'c3', { state: 'pending' }),
      ],
    };
    expect(selectUnits(fewer, OPTIONS).units.find((u) => u.key === 'c3/project')?.rooms).toEqual([
      { repository: 'c3-project-red', learners: ['gina'] },
    ]);
    expect(rooms(fewer, '2026-04-01T00:00:00Z')['c3/hw1']).toEqual(['c3-hw1-gina']);
  });

  test('an empty assignments list is a course (no single rooms to update), not a cohort without assignments', () => {
    const r: Roster = { ...WITH_ASSIGNMENTS, cohorts: [{ cohort_id: 'c3', assignments: [] }] };
    expect(selectUnits(r, OPTIONS).units).toEqual([]);
  });
});

describe('recording template_ref', () => {
  const NEW = 'b'.repeat(40);

  test('on a cohort, and on an assignment through the adapter, leaving everything else as it was', () => {
    const moved = recordTemplateRefs(WITH_ASSIGNMENTS, [{ cohort_id: 'c3', assignment_id: 'hw2', sha: NEW }]);
    const [before, after] = [WITH_ASSIGNMENTS, moved].map((r) =>
      (r.cohorts[0].assignments ?? []).map((a) => a.template_ref),
    );
    expect(before).toEqual([SHA, undefined, undefined, undefined, undefined]);
    expect(after).toEqual([SHA, NEW, undefined, undefined, undefined]);
    expect(WITH_ASSIGNMENTS.cohorts[0]).not.toBe(moved.cohorts[0]);

    const cohort = recordTemplateRefs(ROSTER, [{ cohort_id: 'c2', sha: NEW }]);
    expect(cohort.cohorts.map((c) => c.template_ref)).toEqual([SHA, NEW]);
    expect(cohort.learners).toBe(ROSTER.learners);
    expect(recordTemplateRefs(ROSTER, [])).toBe(ROSTER);
  });
});
