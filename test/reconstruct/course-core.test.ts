/**
 * Reconstruction of a course's rooms, the pure cores: which rooms exist at an instant (open,
 * not open, archived), matching, import entries per resource, the report, the imports file, the
 * adoption check of a plan and synthesis's placement of the entries.
 */
import { matchRooms } from '../../reconstruct/match';
import { buildReconstruction } from '../../reconstruct/plan';
import { formatReport } from '../../reconstruct/report-text';
import { verifyAdoptionPlan } from '../../reconstruct/verify-plan';
import { synthesisNaming } from '../../reconstruct/naming';
import { CourseRoomInspection, expectedCourseRooms } from '../../reconstruct/course';
import { importsFileFor, parseImportsFile, serializeImportsFile } from '../../contracts/import-entries';
import type { ImportsFile } from '../../contracts/import-entries';
import {
  courseCollaboratorsAddress,
  courseFileAddress,
  courseRepositoryAddress,
  feedbackBranchAddress,
  feedbackPullRequestAddress,
  repositoryAddress,
} from '../../contracts/room-addresses';
import { combineImports, mergeImportedRooms } from '../../synthesis/imports';
import type { Cohort, Roster } from '../../roster';
import type { PlanResourceChanges } from '../../contracts/terraform-plan';
import { learner } from '../../test-kit/rosters';
import { stackName } from '../../contracts/stack-names';

const P = '.github/workflows/progress.yml';
const A = 'ack.md';
const AT = new Date('2026-03-20T12:00:00Z');

function course(extra: Partial<Cohort> = {}): Cohort {
  return {
    cohort_id: 'web',
    assignments: [
      { id: 'a1', opens: '2026-03-02T09:00:00Z', required_files: [P] },
      { id: 'a2', opens: '2026-03-09T09:00:00Z', required_files: [P, A], feedback_pull_request: true },
      {
        id: 'a3',
        opens: '2026-03-16T09:00:00Z',
        required_files: [P],
        teams: [
          { name: 'team-1', members: ['alice', 'Bob'] },
          { name: 'team-2', members: ['dora'] },
        ],
      },
      { id: 'a4', opens: '2026-04-01T09:00:00Z', required_files: [P] },
    ],
    ...extra,
  } as Cohort;
}

function theRoster(cohort = course()): Roster {
  return {
    format_version: 1,
    cohorts: [cohort, { cohort_id: 'solo', required_files: [P] }],
    learners: [
      learner('alice', 'web'),
      learner('Bob', 'web'),
      learner('dora', 'web', { provisioning: { state: 'archived' } }),
      learner('sam', 'solo'),
    ],
  } as Roster;
}

const naming = synthesisNaming('{cohort}-{handle}');
const repo = (name: string, archived = false) => ({ name, archived });

function full(files: string[], feedback = false): CourseRoomInspection {
  return {
    invited: [],
    collaborators: ['alice', 'Bob'],
    files: Object.fromEntries(files.map((f) => [f, true])),
    ...(feedback ? { feedbackBranch: true, feedbackPullRequest: { number: 1, state: 'open' } } : {}),
  };
}

describe('expectedCourseRooms', () => {
  it('names each open assignment room per active learner or team, the rest not open or archived', () => {
    const rooms = expectedCourseRooms(course(), theRoster().learners, AT);
    const summary = rooms.map((r) => `${r.key} ${r.repository} ${r.status}`).sort();
    expect(summary).toEqual([
      'a1--alice web-a1-alice configured',
      'a1--bob web-a1-bob configured',
      'a1--dora web-a1-dora archived',
      'a2--alice web-a2-alice configured',
      'a2--bob web-a2-bob configured',
      'a2--dora web-a2-dora archived',
      'a3--team-1 web-a3-team-1 configured',
      'a3--team-2 web-a3-team-2 archived',
      'a4--alice web-a4-alice not-open',
      'a4--bob web-a4-bob not-open',
      'a4--dora web-a4-dora not-open',
    ]);
    const team = rooms.find((r) => r.key === 'a3--team-1');
    expect(team).toMatchObject({ team: true, members: ['alice', 'Bob'], owner: 'team-1', feedback: false });
    expect(rooms.find((r) => r.key === 'a2--bob')).toMatchObject({ feedback: true, required_files: [P, A] });
  });

  it('without an instant nothing is open', () => {
    expect(expectedCourseRooms(course(), theRoster().learners, undefined).every((r) => r.status === 'not-open')).toBe(
      true,
    );
  });

  it('an end of course in archive mode archives every room; hand-over keeps them configured', () => {
    const end = { at: '2026-03-19T00:00:00Z', mode: 'archive', allow_mass_change: true } as const;
    const archived = expectedCourseRooms(course({ end_of_course: end }), theRoster().learners, AT);
    expect(archived.filter((r) => r.status === 'configured')).toEqual([]);
    const handOver = expectedCourseRooms(
      course({ end_of_course: { ...end, mode: 'hand-over' } }),
      theRoster().learners,
      AT,
    );
    expect(handOver.filter((r) => r.status === 'configured').map((r) => r.key)).toContain('a1--alice');
  });
});

describe('course rooms: match and reconstruct', () => {
  const repositories = [
    repo('web-a1-alice'),
    repo('WEB-a1-bob', true),
    repo('web-a2-alice'),
    repo('web-a3-team-1'),
    repo('web-a1-dora'),
    repo('web-a4-alice'),
    repo('web-a1-zed'),
    repo('website'),
    repo('solo-sam'),
  ];
  const matching = matchRooms({ roster: theRoster(), naming, repositories, at: AT });
  const inspections = new Map<string, CourseRoomInspection>([
    ['web-a1-alice', full([P])],
    ['web-a1-bob', { invited: ['bob'], collaborators: [], files: {} }],
    [
      'web-a2-alice',
      {
        invited: [],
        collaborators: ['alice'],
        files: { [P]: true, [A]: false },
        feedbackBranch: true,
        feedbackPullRequest: { number: 7, state: 'closed' },
      },
    ],
    ['web-a3-team-1', { invited: [], collaborators: ['alice'], files: { [P]: true } }],
  ]);
  const report = buildReconstruction(
    'acme',
    ['web', 'solo'],
    matching,
    new Map([['solo-sam', full([P])]]),
    inspections,
  );
  const web = report.cohorts.find((c) => c.cohort_id === 'web')!;

  it('matches course rooms by the assignment pattern, and keeps single rooms as before', () => {
    expect(matching.course?.matched.map((m) => m.key).sort()).toEqual([
      'a1--alice',
      'a1--bob',
      'a2--alice',
      'a3--team-1',
    ]);
    expect(matching.course?.absent.map((m) => m.key)).toEqual(['a2--bob']);
    expect(matching.matched.map((m) => m.github_handle)).toEqual(['sam']);
    expect(matching.unmatched_repositories).toEqual(['web-a1-zed']);
    expect(matching.other_repositories).toBe(1);
  });

  it('imports the repository, the collaborators list and each file that exists, with the provider ids', () => {
    const alice = web.imports.filter((e) => e.room === 'a1--alice');
    expect(alice).toEqual([
      {
        cohort_id: 'web',
        github_handle: 'alice',
        room: 'a1--alice',
        address: courseRepositoryAddress('a1--alice'),
        id: 'web-a1-alice',
      },
      {
        cohort_id: 'web',
        github_handle: 'alice',
        room: 'a1--alice',
        address: courseCollaboratorsAddress('a1--alice'),
        id: 'web-a1-alice',
      },
      {
        cohort_id: 'web',
        github_handle: 'alice',
        room: 'a1--alice',
        address: courseFileAddress('a1--alice', P),
        id: `web-a1-alice/${P}`,
      },
    ]);
    expect(web.rooms?.find((r) => r.room === 'a1--alice')).toMatchObject({
      outcome: 'adopted',
      missing: [],
      notes: [],
    });
  });

  it('imports the feedback branch and the pull request (closed too) by their ids, a missing file left to the plan', () => {
    const room = web.rooms?.find((r) => r.room === 'a2--alice');
    expect(room?.outcome).toBe('partly-adopted');
    expect(room?.missing).toEqual([courseFileAddress('a2--alice', A)]);
    const ids = Object.fromEntries(web.imports.filter((e) => e.room === 'a2--alice').map((e) => [e.address, e.id]));
    expect(ids[feedbackBranchAddress('a2--alice')]).toBe('web-a2-alice:feedback');
    expect(ids[feedbackPullRequestAddress('a2--alice')]).toBe('acme:web-a2-alice:7');
    expect(room?.notes.join('\n')).toMatch(/#7 is closed/);
  });

  it('a missing branch and pull request are reported missing, not imported', () => {
    const m = matchRooms({ roster: theRoster(), naming, repositories: [repo('web-a2-bob')], at: AT });
    const r = buildReconstruction(
      'acme',
      ['web'],
      m,
      new Map(),
      new Map([
        ['web-a2-bob', { invited: [], collaborators: ['Bob'], files: { [P]: true, [A]: true }, feedbackBranch: false }],
      ]),
    );
    const room = r.cohorts[0].rooms?.find((x) => x.room === 'a2--bob');
    expect(room?.missing).toEqual([feedbackBranchAddress('a2--bob'), feedbackPullRequestAddress('a2--bob')]);
    expect(r.cohorts[0].imports.map((e) => e.address)).not.toContain(feedbackBranchAddress('a2--bob'));
  });

  it('notes case differences, pending invitations, members without access and an archived repository', () => {
    const bob = web.rooms?.find((r) => r.room === 'a1--bob');
    expect(bob?.notes.join('\n')).toMatch(/spells the repository "WEB-a1-bob"/);
    expect(bob?.notes.join('\n')).toMatch(/archived on GitHub/);
    expect(bob?.notes.join('\n')).toMatch(/GitHub spells the login "bob", the roster "Bob"/);
    expect(web.imports.find((e) => e.room === 'a1--bob' && e.address.startsWith('github_repository.'))?.id).toBe(
      'web-a1-bob',
    );
    const team = web.rooms?.find((r) => r.room === 'a3--team-1');
    expect(team).toMatchObject({ team: true, owner: 'team-1', outcome: 'adopted' });
    expect(team?.notes).toEqual(['Bob has no access yet: the plan invites them (the list changes in place)']);
  });

  it('rooms not configured are reported and never imported; absent rooms are to create', () => {
    const outcome = (k: string) => web.rooms?.find((r) => r.room === k)?.outcome;
    expect(outcome('a1--dora')).toBe('archived');
    expect(outcome('a4--alice')).toBe('not-open');
    expect(outcome('a2--bob')).toBe('to-create');
    expect(web.rooms?.find((r) => r.room === 'a1--dora')?.notes[0]).toMatch(/repository exists, not imported/);
    expect(web.rooms?.find((r) => r.room === 'a2--bob')?.missing).toHaveLength(6);
    const rooms = new Set(web.imports.map((e) => e.room));
    expect([...rooms].sort()).toEqual(['a1--alice', 'a1--bob', 'a2--alice', 'a3--team-1']);
  });

  it('a matched room without its inspection is an error of the caller', () => {
    expect(() => buildReconstruction('acme', ['web'], matching, new Map([['solo-sam', full([P])]]), new Map())).toThrow(
      /no inspection.*web-a1-alice/,
    );
  });

  it('two configured rooms sharing a name are conflicts, nothing imported for them', () => {
    const c = course();
    c.assignments![0].repository_pattern = 'same-{handle}';
    c.assignments![1].repository_pattern = 'same-{handle}';
    const m = matchRooms({ roster: theRoster(c), naming, repositories: [repo('same-alice')], at: AT });
    expect(m.course?.conflicts.map((l) => l.map((r) => r.key))).toContainEqual(['a1--alice', 'a2--alice']);
    const r = buildReconstruction('acme', ['web'], m, new Map(), new Map());
    expect(
      r.cohorts[0].rooms
        ?.filter((x) => x.outcome === 'conflict')
        .map((x) => x.room)
        .sort(),
    ).toEqual(['a1--alice', 'a1--bob', 'a2--alice', 'a2--bob']);
    expect(r.cohorts[0].imports).toEqual([]);
  });

  it('the report lists the course rooms by outcome', () => {
    const text = formatReport(report);
    expect(text).toMatch(
      /cohort web \(course\): 13 imports; 4 rooms matched \(2 complete, 2 with missing parts\), 1 room without a repository, 3 archived, 3 not open, 0 conflicts/,
    );
    expect(text).toMatch(/a2--bob -> web-a2-bob/);
    expect(text).toMatch(/cohort solo: 2 imports; 1 matched/);
  });

  it('the imports file round-trips through its schema; a single-room cohort has no rooms', () => {
    const file = importsFileFor('acme', web, '2026-03-20T12:00:00.000Z');
    const parsed = parseImportsFile(serializeImportsFile(file));
    expect(parsed.errors).toEqual([]);
    expect(parsed.file?.rooms).toHaveLength(web.rooms!.length);
    const solo = importsFileFor(
      'acme',
      report.cohorts.find((c) => c.cohort_id === 'solo')!,
      '2026-03-20T12:00:00.000Z',
    );
    expect('rooms' in solo).toBe(false);
    const bad = parseImportsFile(
      JSON.stringify({ ...file, imports: [{ ...file.imports[0], address: 'github_branch.learner-x--feedback' }] }),
    );
    expect(bad.errors.join('\n')).toMatch(/address/);
  });
});

describe('verifyAdoptionPlan on a course', () => {
  const key = 'a2--alice';
  const file: ImportsFile = {
    format_version: 1,
    cohort_id: 'web',
    owner: 'acme',
    generated_at: '2026-03-20T12:00:00.000Z',
    imports: [
      {
        cohort_id: 'web',
        github_handle: 'alice',
        room: key,
        address: courseRepositoryAddress(key),
        id: 'web-a2-alice',
      },
      {
        cohort_id: 'web',
        github_handle: 'alice',
        room: key,
        address: feedbackPullRequestAddress(key),
        id: 'acme:web-a2-alice:7',
      },
    ],
    learners: [],
    rooms: [
      {
        cohort_id: 'web',
        assignment: 'a2',
        room: key,
        owner: 'alice',
        members: ['alice'],
        repository: 'web-a2-alice',
        outcome: 'partly-adopted',
        imported: [],
        missing: [courseFileAddress(key, A)],
        notes: [],
      },
    ],
  };
  const rc = (address: string, actions: string[], id?: string) => ({
    address,
    mode: 'managed',
    change: { actions, ...(id ? { importing: { id } } : {}) },
    ...(id ? { importing: { id } } : {}),
  });
  const plan = (changes: ReturnType<typeof rc>[]) => ({ resource_changes: changes }) as unknown as PlanResourceChanges;

  it('accepts imports with their ids and the creation of what was reported missing', () => {
    const check = verifyAdoptionPlan(
      plan([
        rc(courseRepositoryAddress(key), ['no-op'], 'web-a2-alice'),
        rc(feedbackPullRequestAddress(key), ['update'], 'acme:web-a2-alice:7'),
        rc(courseFileAddress(key, A), ['create']),
      ]),
      file,
    );
    expect(check).toEqual({ imported: 2, expectedCreations: 1, updatedInPlace: 1, problems: [] });
  });

  it('refuses a course resource created that exists, destroyed, or imported with another id', () => {
    const check = verifyAdoptionPlan(
      plan([
        rc(courseRepositoryAddress(key), ['no-op'], 'web-a2-alice'),
        rc(feedbackPullRequestAddress(key), ['no-op'], 'acme:web-a2-alice:8'),
        rc(courseCollaboratorsAddress(key), ['create']),
        rc(feedbackBranchAddress('a2--bob'), ['delete']),
        rc(courseFileAddress(key, A), ['create']),
      ]),
      file,
    );
    expect(check.problems).toEqual([
      `${feedbackPullRequestAddress(key)} (${key}): the plan imports "acme:web-a2-alice:8", the entry says "acme:web-a2-alice:7"`,
      `${courseCollaboratorsAddress(key)}: the plan creates it, but reconstruct did not report it missing (the roster or GitHub changed since; run reconstruct again)`,
      `${feedbackBranchAddress('a2--bob')}: the plan destroys a course room's resource`,
    ]);
  });

  it('refuses an entry missing from the plan, naming the room', () => {
    const check = verifyAdoptionPlan(plan([rc(courseRepositoryAddress(key), ['no-op'], 'web-a2-alice')]), file);
    expect(check.problems).toEqual([
      `${feedbackPullRequestAddress(key)} (${key}): not in the plan; was it synthesized with --imports, and is the room configured this run?`,
    ]);
  });
});

describe('synthesis of course import entries', () => {
  const roster = theRoster();
  roster.cohorts[0].assignments![2].teams![0].shard = 2;
  roster.learners[0].provisioning = { state: 'provisioned', shard: 1 };
  const entry = (room: string, address: string, id: string) => ({
    cohort_id: 'web',
    github_handle: room.split('--')[1],
    room,
    address,
    id,
  });
  const file: ImportsFile = {
    format_version: 1,
    cohort_id: 'web',
    owner: 'acme',
    generated_at: '2026-03-20T12:00:00.000Z',
    imports: [
      entry('a1--alice', courseRepositoryAddress('a1--alice'), 'web-a1-alice'),
      entry('a1--alice', courseFileAddress('a1--alice', P), `web-a1-alice/${P}`),
      entry('a3--team-1', courseRepositoryAddress('a3--team-1'), 'web-a3-team-1'),
      entry('a9--alice', courseRepositoryAddress('a9--alice'), 'web-a9-alice'),
    ],
    learners: [],
  };

  it('imported rooms join the known rooms of their learner or team shard; rooms the roster lost do not', () => {
    const known = mergeImportedRooms(new Map(), new Map([['web', file]]), roster);
    expect(known.get(stackName('web', 1))?.courseRooms?.get('a1--alice')).toMatchObject({
      repository: 'web-a1-alice',
      addresses: [courseRepositoryAddress('a1--alice'), courseFileAddress('a1--alice', P)],
    });
    expect([...(known.get(stackName('web', 2))?.courseRooms?.keys() ?? [])]).toEqual(['a3--team-1']);
    expect([...known.values()].some((k) => k.courseRooms?.has('a9--alice'))).toBe(false);
  });

  it('entries become import blocks only where a course room is configured', () => {
    const placed = combineImports(
      [],
      file,
      [],
      [{ key: 'a1--alice', requiredFiles: [{ path: P }], feedbackPullRequest: false }],
    );
    expect(placed.blocks).toEqual([
      { to: courseRepositoryAddress('a1--alice'), id: 'web-a1-alice' },
      { to: courseFileAddress('a1--alice', P), id: `web-a1-alice/${P}` },
    ]);
    expect(placed.unplaced.map((e) => e.room)).toEqual(['a3--team-1', 'a9--alice']);
  });

  it('a course entry does not drop a learner single room planner import', () => {
    const planner = [{ to: repositoryAddress('alice'), id: 'x' }];
    expect(combineImports(planner, file, [], []).blocks).toEqual(planner);
  });
});
