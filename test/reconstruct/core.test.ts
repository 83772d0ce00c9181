import { matchRooms, roomShape } from '../../reconstruct/match';
import { synthesisNaming } from '../../reconstruct/naming';
import { buildReconstruction, collaboratorPresence } from '../../reconstruct/plan';
import { OwnerRepository, RoomInspection } from '../../reconstruct/types';
import { Roster } from '../../roster';
import { collaboratorAddress, fileAddress, repositoryAddress } from '../../contracts/room-addresses';
import { learner } from '../../test-kit/rosters';

const FILES = ['.github/workflows/progress.yml', 'README-rules.md'];
const naming = synthesisNaming('{cohort}-{handle}');
const repos = (...names: string[]): OwnerRepository[] => names.map((name) => ({ name, archived: false }));

function twoCohorts(): Roster {
  return {
    format_version: 1,
    cohorts: [
      { cohort_id: 'spring', required_files: FILES },
      { cohort_id: 'autumn', repository_pattern: 'au26-{handle}' },
    ],
    learners: [
      learner('Alice', 'spring'),
      learner('bob', 'spring'),
      learner('carol', 'spring', { repository: 'intro-Carol' }),
      learner('dev', 'spring', { provisioning: { state: 'archived' } }),
      learner('erin', 'autumn'),
      learner('Alice', 'autumn'),
    ],
  };
}

describe('matchRooms', () => {
  it('matches by pattern and by explicit repository, case-insensitively, per cohort', () => {
    const m = matchRooms({
      roster: twoCohorts(),
      naming,
      repositories: repos('SPRING-alice', 'intro-carol', 'au26-Erin', 'website', 'spring-dev'),
    });
    expect(m.matched.map((r) => [r.cohort_id, r.github_handle, r.repository, r.github_name])).toEqual([
      ['spring', 'Alice', 'spring-alice', 'SPRING-alice'],
      ['spring', 'carol', 'intro-Carol', 'intro-carol'],
      ['autumn', 'erin', 'au26-erin', 'au26-Erin'],
    ]);
    expect(m.absent.map((r) => `${r.cohort_id}/${r.github_handle}`)).toEqual(['spring/bob', 'autumn/Alice']);
    expect(m.archived).toEqual([
      expect.objectContaining({ github_handle: 'dev', repository: 'spring-dev', exists: true }),
    ]);
    expect(m.unmatched_repositories).toEqual([]);
    expect(m.other_repositories).toBe(1);
    expect(m.matched[0].required_files).toEqual(FILES);
    expect(m.matched[2].required_files).toEqual([]);
  });

  it('lists repositories shaped like rooms that no learner claims, including siblings of adopted Classroom names', () => {
    const m = matchRooms({
      roster: twoCohorts(),
      naming,
      repositories: repos('spring-zoe', 'au26-yann', 'intro-xavier', 'autumn-zed', 'spring--bad', 'spring-'),
    });
    expect(m.unmatched_repositories).toEqual(['au26-yann', 'intro-xavier', 'spring-zoe']);
    expect(m.other_repositories).toBe(3);
  });

  it('restricts to the selected cohorts', () => {
    const m = matchRooms({
      roster: twoCohorts(),
      cohortIds: ['autumn'],
      naming,
      repositories: repos('spring-alice', 'au26-erin'),
    });
    expect(m.matched.map((r) => r.github_handle)).toEqual(['erin']);
    expect(m.absent.map((r) => r.github_handle)).toEqual(['Alice']);
    // spring is not selected: its rooms are not "unmatched learning rooms"
    expect(m.unmatched_repositories).toEqual([]);
  });

  it('matches nobody when two managed learners claim one repository name', () => {
    const roster = twoCohorts();
    roster.learners.push(learner('zed', 'autumn', { repository: 'SPRING-BOB' }));
    const m = matchRooms({ roster, naming, repositories: repos('spring-bob') });
    expect(m.conflicts).toEqual([
      {
        repository: 'spring-bob',
        learners: [
          { cohort_id: 'spring', github_handle: 'bob' },
          { cohort_id: 'autumn', github_handle: 'zed' },
        ],
      },
    ]);
    expect([...m.matched, ...m.absent].map((r) => r.github_handle)).not.toContain('bob');
    expect([...m.matched, ...m.absent].map((r) => r.github_handle)).not.toContain('zed');
  });

  it('lets an archived learner share a name without a conflict', () => {
    const roster = twoCohorts();
    roster.learners.push(learner('dev2', 'autumn', { repository: 'spring-dev' }));
    const m = matchRooms({ roster, naming, repositories: repos('spring-dev') });
    expect(m.conflicts).toEqual([]);
    expect(m.matched.map((r) => r.github_handle)).toEqual(['dev2']);
  });

  it('builds room shapes that accept only handles', () => {
    const shape = roomShape('x.{cohort}_{handle}', 'c.1');
    expect(shape.test('x.c.1_Some-One')).toBe(true);
    expect(shape.test('x.cx1_someone')).toBe(false);
    expect(shape.test('x.c.1_-someone')).toBe(false);
  });
});

describe('buildReconstruction', () => {
  const inspection = (over: Partial<RoomInspection> = {}): RoomInspection => ({
    invited: [],
    collaborators: [],
    files: {},
    ...over,
  });

  function reconstruct(repositories: OwnerRepository[], inspections: Record<string, RoomInspection>) {
    const roster = twoCohorts();
    const m = matchRooms({ roster, naming, repositories });
    return buildReconstruction('org', ['spring', 'autumn'], m, new Map(Object.entries(inspections)));
  }

  it('imports exactly what exists, with the provider import ids, and reports the rest as missing', () => {
    const report = reconstruct(repos('spring-alice', 'intro-carol', 'au26-erin'), {
      'spring-alice': inspection({
        collaborators: ['owner-admin', 'ALICE'],
        files: { [FILES[0]]: true, [FILES[1]]: true },
      }),
      'intro-carol': inspection({
        invited: [],
        collaborators: ['someone-else'],
        files: { [FILES[0]]: false, [FILES[1]]: true },
      }),
      'au26-erin': inspection({ invited: ['Erin'] }),
    });
    const spring = report.cohorts[0];
    expect(spring.imports).toEqual([
      { cohort_id: 'spring', github_handle: 'Alice', address: repositoryAddress('Alice'), id: 'spring-alice' },
      { cohort_id: 'spring', github_handle: 'Alice', address: collaboratorAddress('Alice'), id: 'spring-alice:Alice' },
      {
        cohort_id: 'spring',
        github_handle: 'Alice',
        address: fileAddress('Alice', FILES[0]),
        id: 'spring-alice/.github/workflows/progress.yml',
      },
      {
        cohort_id: 'spring',
        github_handle: 'Alice',
        address: fileAddress('Alice', FILES[1]),
        id: 'spring-alice/README-rules.md',
      },
      { cohort_id: 'spring', github_handle: 'carol', address: repositoryAddress('carol'), id: 'intro-Carol' },
      {
        cohort_id: 'spring',
        github_handle: 'carol',
        address: fileAddress('carol', FILES[1]),
        id: 'intro-Carol/README-rules.md',
      },
    ]);
    const byHandle = Object.fromEntries(spring.learners.map((l) => [l.github_handle, l]));
    expect(byHandle.Alice.outcome).toBe('adopted');
    expect(byHandle.carol).toMatchObject({
      outcome: 'partly-adopted',
      missing: [collaboratorAddress('carol'), fileAddress('carol', FILES[0])],
    });
    expect(byHandle.carol.notes.join()).toMatch(/GitHub spells the repository "intro-carol"/);
    expect(byHandle.bob).toMatchObject({
      outcome: 'to-create',
      imported: [],
      missing: [repositoryAddress('bob'), collaboratorAddress('bob'), ...FILES.map((f) => fileAddress('bob', f))],
    });
    expect(byHandle.dev).toMatchObject({ outcome: 'archived', imported: [], missing: [] });

    const autumn = report.cohorts[1];
    expect(autumn.imports.map((i) => i.id)).toEqual(['au26-erin', 'au26-erin:erin']);
    expect(autumn.learners.find((l) => l.github_handle === 'erin')?.notes).toEqual([
      'invitation pending (the provider counts it as present)',
    ]);
  });

  it('never imports what was not seen: a file not inspected or a learner missing from both lists', () => {
    const report = reconstruct(repos('spring-bob'), {
      'spring-bob': inspection({ invited: ['bobby'], collaborators: undefined, files: { [FILES[1]]: true } }),
    });
    expect(report.cohorts[0].imports.map((i) => i.address)).toEqual([
      repositoryAddress('bob'),
      fileAddress('bob', FILES[1]),
    ]);
  });

  it('notes a repository archived on GitHub', () => {
    const report = reconstruct([{ name: 'au26-erin', archived: true }], {
      'au26-erin': inspection({ collaborators: ['erin'] }),
    });
    expect(report.cohorts[1].learners.find((l) => l.github_handle === 'erin')?.notes.join()).toMatch(
      /archived on GitHub/,
    );
  });

  it('refuses to report a matched room that was not inspected', () => {
    expect(() => reconstruct(repos('spring-bob'), {})).toThrow(
      /no inspection of the repository org\/spring-bob \(learner bob, cohort spring\)/,
    );
  });

  it('reports conflicts for each learner involved, importing nothing for them', () => {
    const roster = twoCohorts();
    roster.learners.push(learner('zed', 'spring', { repository: 'spring-bob' }));
    const m = matchRooms({ roster, naming, repositories: repos('spring-bob') });
    const report = buildReconstruction('org', ['spring'], m, new Map());
    const conflicts = report.cohorts[0].learners.filter((l) => l.outcome === 'conflict');
    expect(conflicts.map((l) => [l.github_handle, l.notes[0]])).toEqual([
      ['bob', expect.stringContaining('zed (cohort spring)')],
      ['zed', expect.stringContaining('bob (cohort spring)')],
    ]);
    expect(report.cohorts[0].imports).toEqual([]);
  });
});

describe('permission of an adopted collaborator', () => {
  const run = (over: Partial<RoomInspection>) => {
    const m = matchRooms({ roster: twoCohorts(), cohortIds: ['autumn'], naming, repositories: repos('au26-erin') });
    return buildReconstruction(
      'org',
      ['autumn'],
      m,
      new Map([['au26-erin', { invited: [], collaborators: [], files: {}, ...over }]]),
    ).cohorts[0].learners.find((l) => l.github_handle === 'erin')!;
  };
  it('warns that a different permission replaces the collaborator, in the provider spelling', () => {
    expect(run({ collaborators: ['erin'], learnerPermission: 'admin' }).notes).toEqual([
      expect.stringMatching(/"admin" access, the configuration gives "push": the plan REPLACES the collaborator/),
    ]);
    expect(run({ invited: ['erin'], learnerPermission: 'read' }).notes.join()).toMatch(/"pull" access/);
  });
  it('says nothing when GitHub spells the configured permission its own way, or the learner is absent', () => {
    expect(run({ collaborators: ['erin'], learnerPermission: 'write' }).notes).toEqual([]);
    expect(run({ collaborators: ['erin'], learnerPermission: 'push' }).notes).toEqual([]);
    expect(run({ collaborators: [], learnerPermission: 'admin' }).notes).toEqual([]);
  });
});

describe('collaboratorPresence', () => {
  it('counts an invitation before a collaboration, both case-insensitively', () => {
    expect(collaboratorPresence('Bob', { invited: ['bob'], collaborators: ['BOB'], files: {} })).toBe('invited');
    expect(collaboratorPresence('Bob', { invited: [], collaborators: ['BOB'], files: {} })).toBe('collaborator');
    expect(collaboratorPresence('Bob', { invited: ['bobby'], files: {} })).toBe('absent');
  });
});
