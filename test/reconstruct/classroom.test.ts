import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapClassroomExport, prefixProblem } from '../../reconstruct/classroom';
import { findLearner, loadRoster, parseRoster, Roster, serializeRoster } from '../../roster';
import { cli } from '../helpers/cli';
import { learner, roster } from '../../test-kit/rosters';

const FIXTURE = join(__dirname, '..', 'fixtures', 'classroom', 'roster-export.csv');
const EXAMPLE = join(__dirname, '..', '..', 'examples', 'roster.example.json');
const exportText = readFileSync(FIXTURE, 'utf8');

/** The example roster, with carol-d already adopting another repository. */
function exampleRoster(): Roster {
  const r = loadRoster(EXAMPLE);
  return {
    ...r,
    learners: r.learners.map((l) => (l.github_handle === 'carol-d' ? { ...l, repository: 'carol-old-room' } : l)),
  };
}

describe('mapClassroomExport on a real-shaped awkward export', () => {
  const opts = { prefix: 'a11y-intro', cohortId: '2026-spring', path: 'web' };
  const result = mapClassroomExport(exportText, exampleRoster(), opts);

  it('maps every linked, valid, first-seen account and nothing else', () => {
    expect(result.fatal).toEqual([]);
    expect(result.added).toEqual(['gina-k', 'hal9000', 'ivy-lee']);
    expect(result.updated).toEqual(['alice-nguyen', 'BobOkafor']);
    expect(result.blankRows).toBe(2);
  });

  it('names each unmapped row by its line, with the reason', () => {
    const byLine = Object.fromEntries(result.unmapped.map((u) => [u.line, u.reason]));
    expect(
      Object.keys(byLine)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([4, 7, 8, 9, 10, 13]);
    expect(byLine[4]).toMatch(/already in cohort 2026-spring with the repository "carol-old-room"/);
    expect(byLine[7]).toMatch(/no GitHub account is linked/);
    expect(byLine[8]).toMatch(/not a GitHub login.*"_"/);
    expect(byLine[9]).toMatch(/must not start with a hyphen/);
    expect(byLine[10]).toMatch(/same learner as line 2/);
    expect(byLine[13]).toMatch(/github_id 1007\) as line 12/);
    expect(result.unmapped.find((u) => u.line === 7)?.identifier).toBe('dan@example.org');
  });

  it('gives new learners Classroom repository names, the path, the name with its quotes and commas, and the identifier as student id', () => {
    const hal = result.patches.find((p) => p.github_handle === 'hal9000');
    expect(hal).toEqual({
      github_handle: 'hal9000',
      cohort_id: '2026-spring',
      path: 'web',
      repository: 'a11y-intro-hal9000',
      name: 'Hal, "the" computer',
      student_id: 'hal@example.org',
      provisioning: { state: 'pending' },
    });
    const gina = result.patches.find((p) => p.github_handle === 'gina-k');
    expect(gina && 'name' in gina).toBe(false);
  });

  it('sets only the repository (and a missing student id) of learners already in the cohort, keeping the roster spelling', () => {
    expect(result.patches.find((p) => p.github_handle === 'BobOkafor')).toEqual({
      github_handle: 'BobOkafor',
      cohort_id: '2026-spring',
      repository: 'a11y-intro-BobOkafor',
      student_id: 'Bob "Bobby" Okafor',
    });
  });
});

describe('mapClassroomExport: fatal problems and idempotence', () => {
  const base = roster([learner('x')]);
  it('reports every fatal problem at once and maps nothing', () => {
    const r = mapClassroomExport('identifier,name\nx,y\n', base, { prefix: 'bad prefix', cohortId: 'nope', path: '' });
    expect(r.patches).toEqual([]);
    expect(r.fatal).toEqual([
      expect.stringContaining('--prefix'),
      expect.stringContaining('--cohort: expected a cohort of the roster (c1), found "nope"'),
      expect.stringContaining('--path'),
      expect.stringContaining('column "github_username"'),
    ]);
  });

  it('finds columns by name in any order and case', () => {
    const r = mapClassroomExport('Name,GitHub_Username,Identifier\n"Zed, Z",zed,z@example.org\n', base, {
      prefix: 'p',
      cohortId: 'c1',
      path: 'web',
    });
    expect(r.patches).toEqual([
      {
        github_handle: 'zed',
        cohort_id: 'c1',
        path: 'web',
        repository: 'p-zed',
        name: 'Zed, Z',
        student_id: 'z@example.org',
        provisioning: { state: 'pending' },
      },
    ]);
  });

  it('reports an unclosed quote as fatal', () => {
    expect(
      mapClassroomExport('identifier,github_username\n"a,b\n', base, { prefix: 'p', cohortId: 'c1', path: 'w' }).fatal,
    ).toEqual(['line 2: a quoted field is never closed (missing ")']);
  });

  it('changes nothing the second time', () => {
    const once = mapClassroomExport('identifier,github_username\na,x\nb,y\n', base, {
      prefix: 'p',
      cohortId: 'c1',
      path: 'w',
    });
    expect(once.updated).toEqual(['x']);
    expect(once.added).toEqual(['y']);
    const after = roster([
      learner('x', 'c1', { repository: 'p-x', student_id: 'a' }),
      learner('y', 'c1', { repository: 'p-y', student_id: 'b' }),
    ]);
    const twice = mapClassroomExport('identifier,github_username\na,X\nb,y\n', after, {
      prefix: 'p',
      cohortId: 'c1',
      path: 'w',
    });
    expect(twice.patches).toEqual([]);
    expect(twice.unchanged).toEqual(['x', 'y']);
  });

  it('keeps the identifier as student id, never over another one nor taken from another learner', () => {
    const r = roster([learner('x', 'c1', { student_id: 'S-1' }), learner('w', 'c1', { student_id: 'S-9' })]);
    const m = mapClassroomExport('identifier,github_username\nS-2,x\nS-9,y\nS-3,z\n', r, {
      prefix: 'p',
      cohortId: 'c1',
      path: 'w',
    });
    expect(m.patches.map((p) => [p.github_handle, p.student_id])).toEqual([
      ['x', undefined],
      ['y', undefined],
      ['z', 'S-3'],
    ]);
    expect(m.notes).toEqual([
      'line 2: identifier "S-2" not kept: x already has the student id "S-1"',
      'line 3: identifier "S-9" not kept as y\'s student id: the roster gives it to w (cohort c1)',
    ]);
  });

  it('names a grades export as such, instead of a missing column', () => {
    const grades =
      'assignment_name,assignment_url,starter_code_url,github_username,roster_identifier,student_repository_name,student_repository_url,submission_timestamp,points_awarded,points_available\nhw1,u,s,alice,a@x.org,hw1-alice,https://github.com/o/hw1-alice,2026-01-01,5,10\n';
    const r = mapClassroomExport(grades, base, { prefix: 'p', cohortId: 'c1', path: 'w' });
    expect(r.fatal).toEqual([
      expect.stringMatching(
        /^line 1: this is a GitHub Classroom grades export \(assignment results\), not a Classroom roster export: download the roster from GitHub Classroom instead/,
      ),
    ]);
    expect(r.patches).toEqual([]);
  });

  it('checks the prefix', () => {
    expect(prefixProblem('a11y-intro')).toBeUndefined();
    expect(prefixProblem('a11y-')).toMatch(/trailing hyphen/);
    expect(prefixProblem('')).toMatch(/found nothing/);
    expect(prefixProblem('a/b')).toMatch(/only A-Za-z0-9/);
  });
});

describe('learning-rooms import-classroom', () => {
  function workspace(): string {
    const dir = mkdtempSync(join(tmpdir(), 'classroom-'));
    writeFileSync(join(dir, 'roster.json'), serializeRoster(exampleRoster()));
    copyFileSync(FIXTURE, join(dir, 'export.csv'));
    return dir;
  }
  const args = [
    'import-classroom',
    '--csv',
    'export.csv',
    '--prefix',
    'a11y-intro',
    '--cohort',
    '2026-spring',
    '--path',
    'web',
  ];

  it('upserts the mapped learners into a valid roster and lists the unmapped rows', async () => {
    const cwd = workspace();
    const res = await cli(args, { cwd });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /^3 added, 2 updated \(repository set\), 0 already adopted, 6 not mapped, 2 blank rows skipped/,
    );
    expect(res.stdout).toMatch(/line 7 \(identifier "dan@example.org"\): no GitHub account/);
    const { roster: written, errors } = parseRoster(readFileSync(join(cwd, 'roster.json'), 'utf8'));
    expect(errors).toEqual([]);
    expect(findLearner(written!, 'IVY-LEE', '2026-spring')?.repository).toBe('a11y-intro-ivy-lee');
    const alice = findLearner(written!, 'alice-nguyen', '2026-spring');
    expect(alice?.repository).toBe('a11y-intro-alice-nguyen');
    expect(alice?.progress?.status).toBe('complete');
    expect(findLearner(written!, 'carol-d', '2026-spring')?.repository).toBe('carol-old-room');
    expect(written!.learners).toHaveLength(exampleRoster().learners.length + 3);

    const again = await cli(args, { cwd });
    expect(again.stdout).toMatch(/^0 added, 0 updated \(repository set\), 5 already adopted/);
    expect(again.stdout).toMatch(/nothing to change/);
  });

  it('writes nothing on a dry run or a fatal problem', async () => {
    const cwd = workspace();
    const before = readFileSync(join(cwd, 'roster.json'), 'utf8');
    expect((await cli([...args, '--dry-run'], { cwd })).stdout).toMatch(/dry run: roster not written/);
    const bad = await cli([...args.slice(0, 6), 'no-such-cohort', '--path', 'web'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--cohort: expected a cohort of the roster .* found "no-such-cohort"/);
    expect(readFileSync(join(cwd, 'roster.json'), 'utf8')).toBe(before);
  });

  it('refuses a --path the roster rejects, naming the learners, on a dry run too', async () => {
    const cwd = workspace();
    const before = readFileSync(join(cwd, 'roster.json'), 'utf8');
    for (const extra of [['--dry-run'], []]) {
      const res = await cli([...args.slice(0, -1), 'Web Path', ...extra], { cwd });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(
        /^roster\.json: learner \d+ \(gina-k\), path: expected .*; found "Web Path"; write it as "web-path"$/m,
      );
      expect(res.stderr).toMatch(/nothing written\n$/);
      expect(res.stdout).toBe('');
    }
    expect(readFileSync(join(cwd, 'roster.json'), 'utf8')).toBe(before);
  });

  it('names missing flags', async () => {
    const res = await cli(['import-classroom', '--csv', 'x.csv'], { cwd: tmpdir() });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/: missing --prefix PREFIX\n.*: missing --cohort ID\n.*: missing --path PATH\n/);
  });
});
