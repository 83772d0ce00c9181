/**
 * import-classroom for a course (docs/course.md, "Moving a course from GitHub Classroom"): the
 * assignment adopts Classroom's repositories through its adopt_pattern; the export's learners join
 * the cohort with their student ids and no repository of their own.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapClassroomExport, withAdoptPattern } from '../../reconstruct/classroom';
import { findLearner, parseRoster, serializeRoster, upsertLearners, validateRoster } from '../../roster';
import type { Roster } from '../../roster/types';
import { courseRoster } from '../../test-kit/course';
import { learner, roster } from '../../test-kit/rosters';
import { cli } from '../helpers/cli';

const CSV =
  'identifier,github_username,github_id,name\n' +
  's-001,l1,101,Ell One\n' + // already in the cohort, no student id yet
  's-002,Newbie,102,"New, Learner"\n' +
  's-003,,,\n';

/** The reference course with two learners, l2 already holding a student id. */
function course(): Roster {
  const r = courseRoster({ learners: 2 });
  r.learners[1].student_id = 's-999';
  return r;
}

const opts = { prefix: 'classroom-a1', cohortId: 'web-101', path: 'web', assignment: 'a1-html' };

describe('mapClassroomExport for a course assignment', () => {
  it('sets the assignment adopt_pattern and adds the learners without a repository, keeping student ids', () => {
    const result = mapClassroomExport(CSV, course(), opts);
    expect(result.fatal).toEqual([]);
    expect(result.adoption).toEqual({
      cohort_id: 'web-101',
      assignment: 'a1-html',
      adopt_pattern: 'classroom-a1-{handle}',
      change: 'set',
    });
    expect(result.patches).toEqual([
      { github_handle: 'l1', cohort_id: 'web-101', student_id: 's-001' },
      {
        github_handle: 'Newbie',
        cohort_id: 'web-101',
        path: 'web',
        name: 'New, Learner',
        student_id: 's-002',
        provisioning: { state: 'pending' },
      },
    ]);
    expect([result.added, result.updated, result.unmapped.map((u) => u.line)]).toEqual([['Newbie'], ['l1'], [4]]);

    const written = withAdoptPattern(upsertLearners(course(), result.patches), result.adoption!);
    expect(validateRoster(written)).toEqual([]);
    expect(written.cohorts[0].assignments?.map((a) => a.adopt_pattern)).toEqual([
      'classroom-a1-{handle}',
      undefined,
      undefined,
    ]);
    expect(written.learners.some((l) => l.repository !== undefined)).toBe(false);

    const again = mapClassroomExport(CSV, written, opts);
    expect([again.patches, again.unchanged, again.adoption?.change]).toEqual([[], ['l1', 'Newbie'], 'unchanged']);
  });

  it('gives a group assignment the team placeholder', () => {
    const result = mapClassroomExport(CSV, course(), {
      ...opts,
      prefix: 'classroom-project',
      assignment: 'a3-project',
    });
    expect(result.fatal).toEqual([]);
    expect(result.adoption?.adopt_pattern).toBe('classroom-project-{team}');
  });

  it('refuses what cannot be adopted, every problem at once', () => {
    const cases: [Roster, Partial<typeof opts> & { assignment?: string }, RegExp][] = [
      [
        course(),
        { assignment: undefined },
        /^--assignment: expected the assignment .*cohort web-101 has assignments: a1-html, a2-css, a3-project/,
      ],
      [
        course(),
        { assignment: 'a9' },
        /^--assignment: expected an assignment of cohort web-101 \(a1-html, a2-css, a3-project\), found "a9"/,
      ],
      [
        roster([learner('x')]),
        { cohortId: 'c1' },
        /^--assignment: expected a cohort with assignments, found cohort c1/,
      ],
      [course(), { prefix: 'x'.repeat(62) }, /^--prefix: expected at most 61 characters around \{handle\}/],
    ];
    for (const [r, o, re] of cases) {
      const { assignment, ...rest } = { ...opts, ...o };
      const result = mapClassroomExport(CSV, r, { ...rest, ...(assignment !== undefined ? { assignment } : {}) });
      expect(result.fatal).toEqual([expect.stringMatching(re)]);
      expect(result.patches).toEqual([]);
    }
    const other = course();
    (other.cohorts[0].assignments ?? [])[0].adopt_pattern = 'old-{handle}';
    expect(mapClassroomExport(CSV, other, opts).fatal).toEqual([
      expect.stringMatching(
        /without another adopt_pattern, found "old-\{handle\}" \(this export gives "classroom-a1-\{handle\}"\)/,
      ),
    ]);
  });
});

describe('learning-rooms import-classroom --assignment', () => {
  it('writes the adopt_pattern and the learners, and changes nothing the second time', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'classroom-course-'));
    writeFileSync(join(cwd, 'roster.json'), serializeRoster(course()));
    writeFileSync(join(cwd, 'export.csv'), CSV);
    const args = ['import-classroom', '--csv', 'export.csv', '--prefix', 'classroom-a1', '--cohort', 'web-101'];
    const res = await cli([...args, '--assignment', 'a1-html', '--path', 'web'], { cwd });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^1 added, 1 updated \(student id set\), 0 already in the cohort, 1 not mapped/);
    expect(res.stdout).toMatch(/assignment a1-html of cohort web-101 adopts "classroom-a1-\{handle\}"\n/);
    const { roster: written, errors } = parseRoster(readFileSync(join(cwd, 'roster.json'), 'utf8'));
    expect(errors).toEqual([]);
    expect(written?.cohorts[0].assignments?.[0].adopt_pattern).toBe('classroom-a1-{handle}');
    expect(findLearner(written!, 'newbie', 'web-101')?.student_id).toBe('s-002');

    const before = readFileSync(join(cwd, 'roster.json'), 'utf8');
    const again = await cli([...args, '--assignment', 'a1-html', '--path', 'web', '--json'], { cwd });
    expect(JSON.parse(again.stdout)).toMatchObject({ adoption: { change: 'unchanged' }, written: null });
    expect(readFileSync(join(cwd, 'roster.json'), 'utf8')).toBe(before);

    const without = await cli([...args, '--path', 'web'], { cwd });
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/--assignment: expected the assignment whose Classroom repositories these are/);
    expect(readFileSync(join(cwd, 'roster.json'), 'utf8')).toBe(before);
  });
});
