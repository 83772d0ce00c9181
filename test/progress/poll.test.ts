import { applyOutcomes, roomRequests, selectTargets } from '../../progress/poll';
import type { RoomOutcome } from '../../progress/reader';
import { renderMarkdown } from '../../progress/report';
import type { RoomSignals } from '../../progress/signals';
import { findLearner, validateRoster } from '../../roster';
import type { Roster } from '../../roster/types';

const T0 = '2026-04-01T10:00:00Z';
const T1 = '2026-04-03T10:00:00Z';

function roster(): Roster {
  const provisioned = { state: 'provisioned' as const };
  return {
    format_version: 1,
    cohorts: [
      { cohort_id: 'c1', challenge_label: 'quest' },
      { cohort_id: 'c2', repository_pattern: 'autumn-{handle}' },
    ],
    learners: [
      {
        github_handle: 'Alice',
        cohort_id: 'c1',
        path: 'web',
        provisioning: provisioned,
        progress: { status: 'acknowledged', since: T0, updated_at: T0 },
      },
      {
        github_handle: 'bob',
        cohort_id: 'c1',
        path: 'web',
        provisioning: provisioned,
        progress: { status: 'in-progress', since: T0, updated_at: T0, challenges_closed: 1, challenges_total: 2 },
      },
      { github_handle: 'carol', cohort_id: 'c2', path: 'web', provisioning: provisioned },
      { github_handle: 'dan', cohort_id: 'c1', path: 'web', repository: 'adopted-room', provisioning: provisioned },
    ],
  };
}

function room(repository: string, extra: Partial<RoomSignals> = {}): RoomSignals {
  return { repository, archived: false, issues: [], pullRequests: [], comments: [], ...extra };
}

const ids = (r: Roster) => selectTargets(r, 'org').targets.map((t) => t.id);

describe('selectTargets and roomRequests', () => {
  test('only learners with a room are polled: pending ones are not, failed-after-provisioning and archived ones are', () => {
    const r = roster();
    r.learners.push(
      { github_handle: 'erin', cohort_id: 'c1', path: 'web', provisioning: { state: 'pending' } },
      { github_handle: 'fay', cohort_id: 'c1', path: 'web', provisioning: { state: 'failed', cause: 'name-clash' } },
      { github_handle: 'gus', cohort_id: 'c1', path: 'web', provisioning: { state: 'failed', provisioned_at: T0 } },
      { github_handle: 'hal', cohort_id: 'c2', path: 'web', provisioning: { state: 'archived' } },
    );
    const handles = selectTargets(r, 'org').targets.map((t) => t.learner.github_handle);
    expect(handles).toEqual(['Alice', 'bob', 'carol', 'dan', 'gus', 'hal']);
  });

  it('names each room by pattern (handle lower-cased) or adopted repository, and filters cohorts', () => {
    const { targets } = selectTargets(roster(), 'org');
    expect(targets.map((t) => `${t.owner}/${t.name}`)).toEqual([
      'org/c1-alice',
      'org/c1-bob',
      'org/autumn-carol',
      'org/adopted-room',
    ]);
    expect(selectTargets(roster(), 'org', ['c2']).targets.map((t) => t.learner.github_handle)).toEqual(['carol']);
    expect(selectTargets(roster(), 'org', [], 'room-{handle}').targets.map((t) => t.name)).toEqual([
      'room-alice',
      'room-bob',
      'autumn-carol',
      'adopted-room',
    ]);
    expect(selectTargets(roster(), 'org', ['nope', 'c1']).errors).toEqual([
      'cohort "nope" is not in the roster (cohorts: c1, c2)',
    ]);
  });

  it('sends a previous fingerprint only for the same room read without error', () => {
    const r = roster();
    const { targets } = selectTargets(r, 'org');
    const rec = (handle: string, cohort: string, repository: string, extra: object = {}) => ({
      github_handle: handle,
      cohort_id: cohort,
      repository,
      status: 'not-started' as const,
      since: T0,
      updated_at: T0,
      challenges_closed: 0,
      challenges_total: 0,
      evidence: [],
      ignored: [],
      fingerprint: `fp-${handle}`,
      ...extra,
    });
    const previous = applyOutcomes({ roster: r, owner: 'org', targets, outcomes: new Map(), now: T0 }).report;
    previous.learners = [
      rec('ALICE', 'c1', 'ORG/c1-alice', { membership: 'collaborator' }),
      rec('bob', 'c1', 'org/old-name', { membership: 'collaborator' }),
      rec('carol', 'c2', 'org/autumn-carol', {
        membership: 'no-invitation',
        error: { cause: 'other', message: 'x', at: T0 },
      }),
    ];
    const reqs = roomRequests(targets, previous);
    expect(reqs.map((q) => q.previousFingerprint)).toEqual(['fp-ALICE', undefined, undefined, undefined]);
    expect(reqs.map((q) => q.previousMembership)).toEqual(['collaborator', undefined, 'no-invitation', undefined]);
    expect(reqs[0]).toMatchObject({ owner: 'org', name: 'c1-alice', handle: 'Alice' });
  });
});

describe('applyOutcomes', () => {
  function firstPoll() {
    const r = roster();
    const { targets } = selectTargets(r, 'org');
    const [a, b, c, d] = ids(r);
    const outcomes = new Map<string, RoomOutcome>([
      [
        a,
        {
          kind: 'read',
          room: room('org/c1-alice', { comments: [{ on: 1, author: 'alice', body: 'ack' }] }),
          membership: { kind: 'collaborator' },
          fingerprint: 'fa',
        },
      ],
      [b, { kind: 'error', cause: 'network-or-server', message: 'Bad Gateway' }],
      [c, { kind: 'read', room: 'missing', membership: { kind: 'unknown' }, fingerprint: 'missing' }],
      [
        d,
        {
          kind: 'read',
          room: room('org/adopted-room', { issues: [{ number: 1, state: 'closed', labels: ['Quest'] }] }),
          membership: { kind: 'collaborator' },
          fingerprint: 'fd',
        },
      ],
    ]);
    return { r, targets, outcomes, result: applyOutcomes({ roster: r, owner: 'org', targets, outcomes, now: T1 }) };
  }

  it('derives statuses, keeps since when the status stays, and writes only changed learners', () => {
    const { r, result } = firstPoll();
    const alice = findLearner(result.roster, 'alice', 'c1')!;
    expect(alice.progress).toEqual({
      status: 'acknowledged',
      since: T0,
      updated_at: T1,
      challenges_closed: 0,
      challenges_total: 0,
    });
    expect(findLearner(result.roster, 'carol', 'c2')!.progress).toMatchObject({ status: 'room-missing', since: T1 });
    expect(findLearner(result.roster, 'dan', 'c1')!.progress).toMatchObject({
      status: 'complete',
      challenges_closed: 1,
      challenges_total: 1,
      since: T1,
    });
    expect(result.changes).toEqual([
      { github_handle: 'carol', cohort_id: 'c2', from: undefined, to: 'room-missing' },
      { github_handle: 'dan', cohort_id: 'c1', from: undefined, to: 'complete' },
    ]);
    expect(validateRoster(result.roster)).toEqual([]);
    expect(r.learners[0].progress?.updated_at).toBe(T0); // pure: the input roster is untouched
  });

  it("one room's error keeps that learner's previous status and is reported, the others still advance", () => {
    const { r, result } = firstPoll();
    expect(findLearner(result.roster, 'bob', 'c1')).toEqual(r.learners[1]);
    const bob = result.report.learners.find((l) => l.github_handle === 'bob')!;
    expect(bob).toMatchObject({
      status: 'in-progress',
      since: T0,
      challenges_closed: 1,
      error: { cause: 'network-or-server', message: 'Bad Gateway', at: T1 },
    });
    expect(result.report.errors).toBe(1);
    expect(renderMarkdown(result.report)).toContain('| @bob | c1 | org/c1-bob | network-or-server | Bad Gateway |');
  });

  it('an unchanged room keeps its previous derivation without touching the roster', () => {
    const { result, targets } = firstPoll();
    const [a, b, c, d] = ids(result.roster);
    const outcomes = new Map<string, RoomOutcome>([
      [a, { kind: 'unchanged', fingerprint: 'fa' }],
      [b, { kind: 'unchanged', fingerprint: 'fb' }], // no previous record (it errored): still an error
      [c, { kind: 'unchanged', fingerprint: 'missing' }],
      [d, { kind: 'unchanged', fingerprint: 'fd' }],
    ]);
    const second = applyOutcomes({
      roster: result.roster,
      owner: 'org',
      targets: selectTargets(result.roster, 'org').targets,
      outcomes,
      previous: result.report,
      now: '2026-04-05T00:00:00Z',
    });
    expect(second.roster).toBe(result.roster);
    expect(second.changes).toEqual([]);
    const alice = second.report.learners.find((l) => l.github_handle === 'Alice')!;
    expect(alice).toMatchObject({
      status: 'acknowledged',
      updated_at: T1,
      evidence: [
        { signal: 'comment', ref: '#1', detail: '"ack" by the learner' },
        { signal: 'membership', detail: 'collaborator on the room' },
      ],
    });
    expect(second.report.learners.find((l) => l.github_handle === 'bob')!.error).toBeDefined();
    expect(targets).toHaveLength(4);
  });

  it('a poll of one cohort carries the other cohorts over and counts everyone', () => {
    const { result } = firstPoll();
    const { targets } = selectTargets(result.roster, 'org', ['c2']);
    const outcomes = new Map<string, RoomOutcome>([
      [
        targets[0].id,
        {
          kind: 'read',
          room: room('org/autumn-carol'),
          membership: { kind: 'invited', expired: true },
          fingerprint: 'fc',
        },
      ],
    ]);
    const next = applyOutcomes({
      roster: result.roster,
      owner: 'org',
      targets,
      outcomes,
      previous: result.report,
      now: '2026-04-04T00:00:00Z',
    });
    expect(next.report.learners.map((l) => `${l.github_handle}:${l.status}`)).toEqual([
      'Alice:acknowledged',
      'bob:in-progress',
      'carol:invitation-expired',
      'dan:complete',
    ]);
    expect(next.report.counts).toMatchObject({
      acknowledged: 1,
      'in-progress': 1,
      'invitation-expired': 1,
      complete: 1,
      unknown: 0,
    });
    expect(next.report.counts_by_cohort).toEqual({
      c1: { acknowledged: 1, 'in-progress': 1, complete: 1 },
      c2: { 'invitation-expired': 1 },
    });
  });

  it('lists the learners stuck longest, oldest first, complete learners excluded', () => {
    const { result } = firstPoll();
    expect(result.report.stuck.map((s) => [s.github_handle, s.since, s.days])).toEqual([
      ['Alice', T0, 2],
      ['bob', T0, 2],
      ['carol', T1, 0],
    ]);
    const md = renderMarkdown(result.report);
    expect(md).toContain('| complete | 1 |');
    expect(md).toContain('| @Alice | c1 | acknowledged | 2026-04-01T10:00:00Z | 2 |');
  });
});
