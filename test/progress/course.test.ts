/**
 * Progress of a course (docs/course.md, "Progress of a course"): the rooms a learner is read in at
 * an instant, the team rule (any member advances the team, `ack` stays personal), one read per
 * room, and the rollup of a learner's rooms into one status.
 */
import { currentAssignment, learnerCourseRooms } from '../../progress/course';
import { deriveProgress } from '../../progress/derive';
import { applyOutcomes, courseRoomId, roomRequests, selectTargets } from '../../progress/poll';
import type { RoomOutcome } from '../../progress/reader';
import type { ProgressReport } from '../../progress/report';
import type { IssueSignal, RoomSignals } from '../../progress/signals';
import { validateRoster } from '../../roster';
import type { Roster } from '../../roster/types';

const BEFORE = '2026-03-01T00:00:00Z';
const A2_OPEN = '2026-03-10T12:00:00Z';
const ALL_OPEN = '2026-03-20T12:00:00Z';
const LATER = '2026-03-21T12:00:00Z';

function course(): Roster {
  const provisioned = { state: 'provisioned' as const };
  return {
    format_version: 1,
    cohorts: [
      { cohort_id: 'single' },
      {
        cohort_id: 'web',
        assignments: [
          { id: 'a1', opens: '2026-03-02T09:00:00Z', due: '2026-03-09T17:00:00Z' },
          { id: 'a2', opens: '2026-03-09T09:00:00Z', due: '2026-03-16T17:00:00Z' },
          {
            id: 'a3',
            opens: '2026-03-16T09:00:00Z',
            due: '2026-03-30T17:00:00Z',
            teams: [
              { name: 'team-1', members: ['Alice', 'bob'] },
              { name: 'team-2', members: ['dan'] },
            ],
          },
        ],
      },
    ],
    learners: [
      { github_handle: 'Alice', cohort_id: 'web', path: 'p', provisioning: provisioned },
      { github_handle: 'bob', cohort_id: 'web', path: 'p', provisioning: provisioned },
      { github_handle: 'carol', cohort_id: 'web', path: 'p', provisioning: provisioned },
      { github_handle: 'dan', cohort_id: 'web', path: 'p', provisioning: { state: 'archived' } },
      { github_handle: 'erin', cohort_id: 'single', path: 'p', provisioning: provisioned },
    ],
  };
}

const challenge = (number: number, state: 'open' | 'closed' = 'open', extra: Partial<IssueSignal> = {}) =>
  ({ number, state, labels: ['challenge'], ...extra }) as IssueSignal;
const room = (repository: string, extra: Partial<RoomSignals> = {}): RoomSignals => ({
  repository,
  archived: false,
  issues: [],
  pullRequests: [],
  comments: [],
  ...extra,
});
const read = (r: RoomSignals, fingerprint?: string): RoomOutcome => ({
  kind: 'read',
  room: r,
  membership: { kind: 'collaborator' },
  ...(fingerprint ? { fingerprint } : {}),
});

test('the test roster is a valid roster', () => {
  expect(validateRoster(course())).toEqual([]);
});

describe('learnerCourseRooms', () => {
  const r = course();
  const web = r.cohorts[1];
  const names = (handle: string, at: string) =>
    learnerCourseRooms(
      web,
      r.learners,
      r.learners.find((l) => l.github_handle === handle)!,
      new Date(at),
    );

  it('reads only the assignments open at the instant (none before the first opens)', () => {
    expect(names('Alice', BEFORE)).toEqual([]);
    expect(names('Alice', A2_OPEN).map((x) => x.name)).toEqual(['web-a1-alice', 'web-a2-alice']);
  });

  it("names an individual room by the assignment's pattern and a team's room by the team, with its members", () => {
    expect(names('Alice', ALL_OPEN)).toEqual([
      { assignment: 'a1', name: 'web-a1-alice', members: ['Alice'] },
      { assignment: 'a2', name: 'web-a2-alice', members: ['Alice'] },
      { assignment: 'a3', name: 'web-a3-team-1', team: 'team-1', members: ['Alice', 'bob'] },
    ]);
  });

  it('a learner in no team of a group assignment has no room for it', () => {
    expect(names('carol', ALL_OPEN).map((x) => x.assignment)).toEqual(['a1', 'a2']);
  });

  it('a withdrawn learner keeps their rooms (archived on GitHub, read as such)', () => {
    expect(names('dan', ALL_OPEN).map((x) => x.name)).toEqual(['web-a1-dan', 'web-a2-dan', 'web-a3-team-2']);
  });
});

describe('currentAssignment: a course learner shows their earliest unfinished assignment', () => {
  it('is the first entry not complete, in roster order', () => {
    expect(
      currentAssignment([
        { assignment: 'a1', status: 'complete' },
        { assignment: 'a2', status: 'not-started' },
        { assignment: 'a3', status: 'in-progress' },
      ])?.assignment,
    ).toBe('a2');
  });
  it('is the last entry when every assignment is complete, and none without rooms', () => {
    expect(
      currentAssignment([
        { assignment: 'a1', status: 'complete' },
        { assignment: 'a2', status: 'complete' },
      ])?.assignment,
    ).toBe('a2');
    expect(currentAssignment([])).toBeUndefined();
  });
});

describe("deriveProgress in a team's room", () => {
  const teamRoom = room('org/web-a3-team-1', {
    issues: [challenge(1), challenge(2, 'closed', { closedBy: { actor: 'bob', actorIsBot: false, at: LATER } })],
    pullRequests: [
      {
        number: 3,
        title: 'closes #1',
        body: '',
        state: 'merged',
        author: 'bob',
        mergedAt: '2026-03-20T10:00:00Z',
      },
    ],
    comments: [
      { on: 1, author: 'bob', body: 'ack', at: '2026-03-19T10:00:00Z' },
      { on: 1, author: 'mentor', body: 'day1-complete' },
    ],
  });
  const base = { room: teamRoom, membership: { kind: 'collaborator' as const }, challengeLabel: 'challenge' };

  it("counts a teammate's merged pull request and close for the team", () => {
    const d = deriveProgress({ ...base, handle: 'Alice', team: ['Alice', 'bob'] });
    expect(d).toMatchObject({ status: 'complete', challenges_closed: 2, challenges_total: 2 });
    expect(d.evidence.map((e) => e.detail)).toEqual([
      "challenge closed by the team member @bob's merged pull request #3",
      'challenge closed by the team member @bob',
      'collaborator on the room',
    ]);
    expect(d.last_activity).toBe(LATER);
  });

  it("keeps `ack` personal: a teammate's counts for its writer only, a non-member's never", () => {
    const trimmed = { ...teamRoom, issues: [challenge(1)], pullRequests: [] };
    const alice = deriveProgress({ ...base, room: trimmed, handle: 'Alice', team: ['Alice', 'bob'] });
    expect(alice.status).toBe('not-started');
    expect(alice.ignored.map((e) => e.detail)).toEqual([
      '"ack" by @bob, a team member: it counts for its writer only',
      '"day1-complete" by @mentor, not the learner',
    ]);
    // the teammate's comment is the team's activity
    expect(alice.last_activity).toBe('2026-03-19T10:00:00Z');
    const bob = deriveProgress({ ...base, room: trimmed, handle: 'bob', team: ['Alice', 'bob'] });
    expect(bob.status).toBe('acknowledged');
  });

  it("without a team only the learner's own signals count (the single room's rule)", () => {
    const d = deriveProgress({ ...base, handle: 'Alice' });
    expect(d).toMatchObject({ status: 'not-started', challenges_closed: 0 });
    expect(d.ignored.map((e) => e.detail)).toContain('challenge closed by @bob, not the learner');
  });
});

describe('polling a course', () => {
  const at = new Date(ALL_OPEN);

  it("targets a course's learners with their rooms and a single-room learner as before", () => {
    const { targets } = selectTargets(course(), 'org', [], undefined, at);
    const alice = targets.find((t) => t.learner.github_handle === 'Alice')!;
    expect(alice.rooms!.map((r) => r.id)).toEqual([
      'room:org/web-a1-alice',
      'room:org/web-a2-alice',
      'room:org/web-a3-team-1',
    ]);
    const erin = targets.find((t) => t.learner.github_handle === 'erin')!;
    expect(erin).toMatchObject({ name: 'single-erin' });
    expect(erin.rooms).toBeUndefined();
    expect(selectTargets(course(), 'org', [], undefined, new Date(BEFORE)).targets.map((t) => t.id)).toEqual([
      expect.stringContaining('erin'),
    ]);
  });

  it("reads a team's room once, with every member, the collaborator check for a member not withdrawn", () => {
    const { targets } = selectTargets(course(), 'org', ['web'], undefined, at);
    const requests = roomRequests(targets, undefined);
    expect(requests).toHaveLength(10); // a1 and a2 of alice, bob, carol and dan; team-1; team-2
    expect(requests.filter((r) => r.name === 'web-a3-team-1')).toEqual([
      {
        id: courseRoomId('org', 'web-a3-team-1'),
        owner: 'org',
        name: 'web-a3-team-1',
        handle: 'Alice',
        members: ['Alice', 'bob'],
      },
    ]);
    expect(requests.find((r) => r.name === 'web-a1-alice')!.members).toBeUndefined();
  });

  function firstPoll(): { roster: Roster; report: ProgressReport; outcomes: Map<string, RoomOutcome> } {
    const r = course();
    const { targets } = selectTargets(r, 'org', ['web'], undefined, at);
    const outcomes = new Map<string, RoomOutcome>();
    for (const req of roomRequests(targets, undefined))
      outcomes.set(req.id, read(room(`org/${req.name}`), `fp-${req.name}`));
    outcomes.set(
      courseRoomId('org', 'web-a1-alice'),
      read(
        room('org/web-a1-alice', {
          issues: [
            challenge(1, 'closed', { closedBy: { actor: 'Alice', actorIsBot: false, at: '2026-03-05T10:00:00Z' } }),
          ],
        }),
        'fp-a1-done',
      ),
    );
    outcomes.set(
      courseRoomId('org', 'web-a3-team-1'),
      read(
        room('org/web-a3-team-1', {
          issues: [challenge(1), challenge(2)],
          comments: [{ on: 1, author: 'bob', body: 'ack', at: '2026-03-18T10:00:00Z' }],
        }),
        'fp-team',
      ),
    );
    const result = applyOutcomes({ roster: r, owner: 'org', targets, outcomes, now: ALL_OPEN });
    return { roster: result.roster, report: result.report, outcomes };
  }

  it('records each assignment, and rolls up: earliest unfinished status, latest activity across rooms', () => {
    const { report, roster } = firstPoll();
    const alice = report.learners.find((l) => l.github_handle === 'Alice')!;
    expect(alice).toMatchObject({
      repository: 'org/web-a2-alice',
      status: 'not-started',
      challenges_closed: 0,
      challenges_total: 0,
      last_activity: '2026-03-18T10:00:00Z',
      evidence: [],
    });
    expect(Object.keys(alice.assignments!)).toEqual(['a1', 'a2', 'a3']);
    expect(alice.assignments!.a1).toMatchObject({
      status: 'complete',
      room: 'org/web-a1-alice',
      challenges_closed: 1,
      challenges_total: 1,
      completed_at: '2026-03-05T10:00:00Z',
      fingerprint: 'fp-a1-done',
    });
    expect(alice.assignments!.a3).toMatchObject({ status: 'not-started', team: 'team-1', room: 'org/web-a3-team-1' });
    const bob = report.learners.find((l) => l.github_handle === 'bob')!;
    expect(bob.assignments!.a3.status).toBe('acknowledged');
    // the roster keeps the rolled-up status
    expect(roster.learners.find((l) => l.github_handle === 'Alice')!.progress).toMatchObject({ status: 'not-started' });
    // a single-room learner's record has no assignments
    expect(report.learners.every((l) => l.cohort_id === 'web' || l.assignments === undefined)).toBe(true);
  });

  it('an unchanged room keeps its record; one failed room keeps its previous record, with the error rolled up', () => {
    const first = firstPoll();
    const { targets } = selectTargets(first.roster, 'org', ['web'], undefined, new Date(LATER));
    const requests = roomRequests(targets, first.report);
    expect(requests.find((r) => r.name === 'web-a3-team-1')!.previousFingerprint).toBe('fp-team');
    const outcomes = new Map<string, RoomOutcome>();
    for (const req of requests) outcomes.set(req.id, { kind: 'unchanged', fingerprint: req.previousFingerprint! });
    outcomes.set(courseRoomId('org', 'web-a2-alice'), { kind: 'error', cause: 'network-or-server', message: 'boom' });
    const { report } = applyOutcomes({
      roster: first.roster,
      owner: 'org',
      targets,
      outcomes,
      previous: first.report,
      now: LATER,
    });
    const alice = report.learners.find((l) => l.github_handle === 'Alice')!;
    expect(alice.assignments!.a1).toEqual(
      first.report.learners.find((l) => l.github_handle === 'Alice')!.assignments!.a1,
    );
    expect(alice.assignments!.a2).toMatchObject({
      status: 'not-started',
      error: { cause: 'network-or-server', at: LATER },
    });
    expect(alice.error).toMatchObject({ cause: 'network-or-server', message: 'a2 (org/web-a2-alice): boom' });
    expect(alice.status).toBe('not-started');
    expect(report.errors).toBe(1);
  });

  it("a new team member's first read reads the team's room in full (no fingerprint shared)", () => {
    const first = firstPoll();
    const report: ProgressReport = {
      ...first.report,
      learners: first.report.learners.filter((l) => l.github_handle !== 'bob'),
    };
    const { targets } = selectTargets(first.roster, 'org', ['web'], undefined, new Date(LATER));
    const requests = roomRequests(targets, report);
    expect(requests.find((r) => r.name === 'web-a3-team-1')!.previousFingerprint).toBeUndefined();
    expect(requests.find((r) => r.name === 'web-a1-alice')!.previousFingerprint).toBe('fp-a1-done');
  });

  it('complete once every open assignment is, at the latest completion', () => {
    const r = course();
    const { targets } = selectTargets(r, 'org', ['web'], undefined, at);
    const carol = targets.filter((t) => t.learner.github_handle === 'carol');
    const outcomes = new Map<string, RoomOutcome>();
    carol[0].rooms!.forEach((x, i) =>
      outcomes.set(
        x.id,
        read(
          room(`org/${x.name}`, {
            issues: [
              challenge(1, 'closed', {
                closedBy: { actor: 'carol', actorIsBot: false, at: `2026-03-1${i}T00:00:00Z` },
              }),
            ],
          }),
        ),
      ),
    );
    const { report, changes } = applyOutcomes({ roster: r, owner: 'org', targets: carol, outcomes, now: ALL_OPEN });
    expect(report.learners.find((l) => l.github_handle === 'carol')).toMatchObject({
      status: 'complete',
      repository: 'org/web-a2-carol',
      completed_at: '2026-03-11T00:00:00Z',
    });
    expect(changes).toEqual([{ github_handle: 'carol', cohort_id: 'web', from: undefined, to: 'complete' }]);
  });
});
