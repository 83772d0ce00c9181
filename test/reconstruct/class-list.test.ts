/**
 * A plain CSV class list into the roster: headers in their usual spellings, every problem named
 * by line and column (and nothing written then), the student id kept as the link to the school's
 * records and never taken from another learner, known learners updated in place.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatClassListProblem, mapClassList } from '../../reconstruct/class-list';
import { findLearner, parseRoster, serializeRoster, type Roster } from '../../roster';
import { cli } from '../helpers/cli';
import { learner } from '../../test-kit/rosters';

const base = (): Roster => ({
  format_version: 1,
  cohorts: [{ cohort_id: '2026-spring' }, { cohort_id: '2026-autumn' }],
  learners: [
    learner('alice', '2026-spring', {
      student_id: 'S-001',
      email: 'old@example.org',
      provisioning: { state: 'provisioned', provisioned_at: '2026-09-01T10:00:00Z' },
    }),
    learner('carol', '2026-spring', { provisioning: { state: 'archived' } }),
  ],
});

const GOOD = [
  'GitHub Username,First name,Last name,E-mail,Student ID,Cohort,Learning Path,Notes',
  'Alice,Alice,Nguyen,alice@example.org,S-001,2026-spring,,likes tea',
  'bob-k,"Okafor, Bob",,bob@example.org,S-002,,data,',
  ',Dan,,dan@example.org,S-004,2026-spring,web,',
  'carol,Carol,,carol@example.org,,2026-spring,,',
  '',
].join('\n');

describe('mapClassList', () => {
  test('headers in any case and spelling; new learners pending, known ones updated, rows without a user name skipped', () => {
    const r = mapClassList(GOOD, base(), { cohort: '2026-autumn', path: 'web' });
    expect({ fatal: r.fatal, problems: r.problems }).toEqual({ fatal: [], problems: [] });
    expect(r.patches).toEqual([
      {
        github_handle: 'alice',
        cohort_id: '2026-spring',
        name: 'Alice Nguyen',
        email: 'alice@example.org',
        student_id: 'S-001',
      },
      {
        github_handle: 'bob-k',
        cohort_id: '2026-autumn',
        path: 'data',
        name: 'Okafor, Bob',
        email: 'bob@example.org',
        student_id: 'S-002',
        provisioning: { state: 'pending' },
      },
      { github_handle: 'carol', cohort_id: '2026-spring', name: 'Carol', email: 'carol@example.org' },
    ]);
    expect(r.added).toEqual(['bob-k']);
    expect(r.updated).toEqual([
      { handle: 'alice', fields: ['name', 'email'] },
      { handle: 'carol', fields: ['name', 'email'] },
    ]);
    expect(r.skipped).toEqual([{ line: 4, reason: 'no GitHub user name yet: add it when the learner has an account' }]);
    expect(r.archived).toEqual(['carol']);
    expect(r.ignoredColumns).toEqual(['Notes']);
  });

  test('every problem at once, each with its line and column as the file writes it', () => {
    const csv = [
      'github_username,email,student_id,cohort,path',
      '@bob,bob@example.org,S-010,2026-spring,web',
      'https://github.com/erin,erin@example.org,,2026-spring,web',
      'frank,not-an-email,S-011,2026-sping,web',
      'gina,gina@example.org,S-001,2026-spring,Web Design',
      'hal,hal@example.org,,2026-spring,',
      'Ivy,ivy@example.org,S-012,2026-spring,web',
      'ivy,ivy2@example.org,S-013,2026-spring,web',
      'jo,jo@example.org,S-012,2026-spring,web',
      'alice,,S-999,2026-spring,',
    ].join('\n');
    const r = mapClassList(csv, base());
    expect(r.problems.map(formatClassListProblem)).toEqual([
      'line 2, column "github_username": expected a GitHub user name; found "@bob"; drop the @: write "bob"',
      'line 3, column "github_username": expected a GitHub user name; found "https://github.com/erin"; this is a link to a GitHub profile: write only the user name, "erin"',
      'line 4, column "cohort": expected a cohort of the roster (2026-spring, 2026-autumn), found "2026-sping"; did you mean "2026-spring"?',
      'line 5, column "path": expected a learning path name (lower-case letters, digits, ".", "_" and "-", such as "web"), found "Web Design"',
      'line 5, column "student_id": "S-001" is the student id of "alice" in the roster (cohort 2026-spring); never given to another learner: correct the row or the roster',
      'line 6, column "path": no learning path for this new learner: fill the cell, or give --path for rows without one',
      'line 8, column "github_username": the same learner as line 7 ("ivy" in 2026-spring; GitHub user names ignore upper and lower case): keep one row',
      'line 9, column "student_id": "S-012" is also on line 7, for "Ivy": one student id per person',
      'line 10, column "student_id": the roster has "alice" in 2026-spring with the student id "S-001", the list says "S-999": a different person? Correct one of them (the roster\'s is never overwritten)',
    ]);
    expect(r.patches.map((p) => p.github_handle)).toEqual(['Ivy']);
  });

  test('a missing email is fine; a wrong one is named', () => {
    const r = mapClassList('handle,email\nzoe,zoe at example\n', base(), { cohort: '2026-spring', path: 'web' });
    expect(r.problems.map(formatClassListProblem)).toEqual([
      'line 2, column "email": expected an email address, found "zoe at example"',
    ]);
  });

  test('the wrong file is named: a Classroom grades export, a Canvas gradebook, a list without user names', () => {
    const grades =
      'assignment_name,assignment_url,starter_code_url,github_username,roster_identifier,student_repository_name,student_repository_url,submission_timestamp,points_awarded,points_available\nhw1,u,s,alice,a,hw1-alice,https://x,2026-01-01,5,10\n';
    expect(mapClassList(grades, base(), { cohort: '2026-spring' }).fatal).toEqual([
      'line 1: this is a GitHub Classroom grades export (assignment results), not a class list: export the class list from your school system, or the roster from GitHub Classroom (your classroom → Students → Download), with a column of GitHub user names',
    ]);
    expect(
      mapClassList('Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1\nAnn,1,S1,ann,A,3\n', base(), {
        cohort: '2026-spring',
      }).fatal[0],
    ).toMatch(/^line 1: this is a Canvas gradebook export, which has no GitHub user names, not a class list/);
    expect(mapClassList('Name,Email\nAnn,ann@example.org\n', base(), { cohort: '2026-spring' }).fatal).toEqual([
      'line 1: expected a column of GitHub user names (named github_username, handle or github), found "Name", "Email"',
    ]);
    expect(mapClassList('handle\nann\n', base()).fatal).toEqual([
      'line 1: no cohort column: add one, or give --cohort ID for every row',
    ]);
    expect(mapClassList('handle\nann\n', base(), { cohort: 'nope', path: 'Web' }).fatal).toEqual([
      '--cohort: expected a cohort of the roster (2026-spring, 2026-autumn), found "nope"; add the cohort to the roster first',
      '--path: expected a learning path name (lower-case letters, digits, ".", "_" and "-"), found "Web"',
    ]);
  });

  test('a Classroom roster export is a class list too: its identifier is the student id', () => {
    const r = mapClassList(
      '"identifier","github_username","github_id","name"\n"ann@school.example","ann-k","1001","Ann K"\n',
      base(),
      { cohort: '2026-spring', path: 'web' },
    );
    expect(r.patches).toEqual([
      {
        github_handle: 'ann-k',
        cohort_id: '2026-spring',
        path: 'web',
        name: 'Ann K',
        student_id: 'ann@school.example',
        provisioning: { state: 'pending' },
      },
    ]);
    expect(r.ignoredColumns).toEqual(['github_id']);
  });
});

describe('learning-rooms import-class-list', () => {
  function workspace(csv: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'class-list-'));
    writeFileSync(join(dir, 'roster.json'), serializeRoster(base()));
    writeFileSync(join(dir, 'class.csv'), csv);
    return dir;
  }
  const args = ['import-class-list', 'roster.json', '--csv', 'class.csv', '--cohort', '2026-autumn', '--path', 'web'];

  test('writes the roster, says what changed, and a second run changes nothing', async () => {
    const cwd = workspace(GOOD);
    const r = await cli(args, { cwd });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      [
        '1 added, 2 updated, 0 unchanged, 1 skipped (no GitHub user name), 0 blank rows',
        '  updated alice: name, email',
        '  updated carol: name, email',
        '  skipped line 4: no GitHub user name yet: add it when the learner has an account',
        '  withdrawn, and still withdrawn (reinstate by hand if they come back): carol',
        '  columns not read: Notes',
        'wrote roster.json: commit it in a pull request (never the CSV)',
        '',
      ].join('\n'),
    );
    const written = parseRoster(readFileSync(join(cwd, 'roster.json'), 'utf8')).roster!;
    expect(findLearner(written, 'bob-k', '2026-autumn')).toMatchObject({
      student_id: 'S-002',
      provisioning: { state: 'pending' },
    });
    expect(findLearner(written, 'alice', '2026-spring')).toMatchObject({
      email: 'alice@example.org',
      provisioning: { state: 'provisioned', provisioned_at: '2026-09-01T10:00:00Z' },
    });
    expect(findLearner(written, 'carol', '2026-spring')?.provisioning.state).toBe('archived');
    const again = await cli(args, { cwd });
    expect(again.stdout).toMatch(/^0 added, 0 updated, 3 unchanged, 1 skipped/);
    expect(again.stdout).toMatch(/nothing to change\n$/);
  });

  test('problems: exit 1, every one listed, nothing written; --dry-run writes nothing', async () => {
    const cwd = workspace('handle,email\n@zed,zed@example.org\nyan,nope\n');
    const before = readFileSync(join(cwd, 'roster.json'), 'utf8');
    const r = await cli(args, { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'class.csv: line 2, column "handle": expected a GitHub user name; found "@zed"; drop the @: write "zed"\nclass.csv: line 3, column "email": expected an email address, found "nope"\nclass.csv: 2 problems; nothing written\n',
    );
    expect(readFileSync(join(cwd, 'roster.json'), 'utf8')).toBe(before);
    const ok = workspace(GOOD);
    const dry = await cli([...args, '--dry-run'], { cwd: ok });
    expect(dry.stdout).toMatch(/dry run: roster not written\n$/);
    expect(readFileSync(join(ok, 'roster.json'), 'utf8')).toBe(serializeRoster(base()));
  });
});
