import { deriveProgress } from '../../progress/derive';
import type { CommentSignal, IssueSignal, LearnerSignals, Membership, PullRequestSignal } from '../../progress/signals';

const REPO = 'org/c1-alice';

function challenge(number: number, extra: Partial<IssueSignal> = {}): IssueSignal {
  return { number, state: 'open', labels: ['challenge'], ...extra };
}
function pr(number: number, extra: Partial<PullRequestSignal> = {}): PullRequestSignal {
  return { number, title: `PR ${number}`, body: '', state: 'merged', author: 'alice', ...extra };
}
function comment(on: number, author: string | null, body: string): CommentSignal {
  return { on, author, body };
}
function learner(
  room: { issues?: IssueSignal[]; pullRequests?: PullRequestSignal[]; comments?: CommentSignal[]; archived?: boolean },
  membership: Membership = { kind: 'collaborator' },
  handle = 'alice',
): LearnerSignals {
  return {
    handle,
    challengeLabel: 'challenge',
    membership,
    room: {
      repository: REPO,
      archived: room.archived ?? false,
      issues: room.issues ?? [],
      pullRequests: room.pullRequests ?? [],
      comments: room.comments ?? [],
    },
  };
}

describe('deriveProgress: statuses and precedence', () => {
  it('a missing room is room-missing', () => {
    const d = deriveProgress({
      handle: 'alice',
      challengeLabel: 'challenge',
      membership: { kind: 'unknown' },
      room: 'missing',
    });
    expect(d.status).toBe('room-missing');
    expect(d.evidence[0].signal).toBe('room');
  });

  it('membership decides when there is no activity', () => {
    expect(deriveProgress(learner({}, { kind: 'invited', expired: false })).status).toBe('invited');
    expect(deriveProgress(learner({}, { kind: 'invited', expired: true })).status).toBe('invitation-expired');
    expect(deriveProgress(learner({}, { kind: 'collaborator' })).status).toBe('not-started');
    const none = deriveProgress(learner({}, { kind: 'no-invitation' }));
    expect(none.status).toBe('not-started');
    expect(none.evidence).toEqual([
      { signal: 'membership', detail: 'no pending invitation (accepted, or added directly)' },
    ]);
  });

  it('ack, then day1-complete, then challenges, then all challenges', () => {
    const issues = [challenge(1), challenge(2), { number: 9, state: 'open' as const, labels: [] }];
    expect(deriveProgress(learner({ issues, comments: [comment(9, 'alice', ' ACK \n')] })).status).toBe('acknowledged');
    const day1 = deriveProgress(
      learner({ issues, comments: [comment(9, 'alice', 'ack'), comment(9, 'Alice', 'Day1-Complete')] }),
    );
    expect(day1.status).toBe('day1-complete');
    expect(day1.evidence.map((e) => e.detail)).toEqual([
      '"ack" by the learner',
      '"day1-complete" by the learner',
      'collaborator on the room',
    ]);
    const one = deriveProgress(learner({ issues: [challenge(1, { state: 'closed' }), challenge(2)] }));
    expect(one).toMatchObject({ status: 'in-progress', challenges_closed: 1, challenges_total: 2 });
    const all = deriveProgress(
      learner({ issues: [challenge(1, { state: 'closed' }), challenge(2, { state: 'closed' })] }),
    );
    expect(all).toMatchObject({ status: 'complete', challenges_closed: 2, challenges_total: 2 });
  });

  it('activity outranks a stale invitation record', () => {
    expect(
      deriveProgress(learner({ comments: [comment(1, 'alice', 'ack')] }, { kind: 'invited', expired: true })).status,
    ).toBe('acknowledged');
  });

  it('a room without challenges is never complete', () => {
    expect(deriveProgress(learner({ issues: [{ number: 1, state: 'closed', labels: ['bug'] }] })).status).toBe(
      'not-started',
    );
  });

  it('the challenge label is configurable and case-insensitive', () => {
    const s = learner({ issues: [{ number: 1, state: 'closed', labels: ['Quest'] }, challenge(2)] });
    expect(deriveProgress({ ...s, challengeLabel: 'quest' })).toMatchObject({
      status: 'complete',
      challenges_total: 1,
    });
  });

  it('is deterministic: shuffled input gives the same result', () => {
    const issues = [challenge(3, { state: 'closed' }), challenge(1), challenge(2)];
    const prs = [pr(11, { body: 'closes #1' }), pr(10, { body: 'fixes #1', state: 'closed' })];
    const comments = [comment(2, 'bob', 'ack'), comment(1, 'alice', 'ack')];
    const a = deriveProgress(learner({ issues, pullRequests: prs, comments }));
    const b = deriveProgress(
      learner({ issues: [...issues].reverse(), pullRequests: [...prs].reverse(), comments: [...comments].reverse() }),
    );
    expect(b).toEqual(a);
    expect(a.status).toBe('in-progress');
    expect(a.challenges_closed).toBe(2);
  });
});

describe('deriveProgress: only the learner advances the learner', () => {
  it('ignores ack and day1-complete written by a facilitator', () => {
    const d = deriveProgress(
      learner({
        comments: [
          comment(1, 'facilitator', 'ack'),
          comment(1, 'facilitator', 'day1-complete'),
          comment(1, null, 'ack'),
        ],
      }),
    );
    expect(d.status).toBe('not-started');
    expect(d.ignored.map((e) => e.detail)).toEqual([
      '"ack" by @facilitator, not the learner',
      '"day1-complete" by @facilitator, not the learner',
      '"ack" by a deleted account, not the learner',
    ]);
  });

  it('does not count "acknowledged" or "ack!" and says so', () => {
    const d = deriveProgress(
      learner({
        comments: [comment(1, 'alice', 'acknowledged'), comment(1, 'alice', 'ack!'), comment(1, 'alice', 'ack ack')],
      }),
    );
    expect(d.status).toBe('not-started');
    expect(d.ignored).toHaveLength(3);
  });

  it('compares the handle case-insensitively', () => {
    const s = learner(
      {
        issues: [challenge(3)],
        pullRequests: [pr(4, { author: 'ALICE', body: 'Closes #3' })],
        comments: [comment(3, 'aLiCe', 'ack')],
      },
      { kind: 'collaborator' },
      'Alice',
    );
    expect(deriveProgress(s)).toMatchObject({ status: 'complete', challenges_closed: 1 });
  });

  it('a merged pull request of the learner closes a challenge even while the issue is open', () => {
    const d = deriveProgress(
      learner({ issues: [challenge(3), challenge(4)], pullRequests: [pr(5, { title: 'Fixes #3' })] }),
    );
    expect(d).toMatchObject({ status: 'in-progress', challenges_closed: 1 });
    expect(d.evidence[0]).toEqual({
      signal: 'issue',
      ref: '#3',
      detail: "challenge closed by the learner's merged pull request #5",
    });
  });

  it('a pull request "closes #3" closed without merging, or still open, does not count', () => {
    const d = deriveProgress(
      learner({
        issues: [challenge(3)],
        pullRequests: [pr(5, { body: 'closes #3', state: 'closed' }), pr(6, { body: 'closes #3', state: 'open' })],
      }),
    );
    expect(d.status).toBe('not-started');
    expect(d.ignored.map((e) => `${e.ref} ${e.detail}`)).toEqual([
      '#5 claims to close #3 but was closed without merging',
      '#6 claims to close #3 but is not merged yet',
    ]);
  });

  it('a closing keyword naming another repository does not count; the same repository named in full does', () => {
    const other = deriveProgress(
      learner({ issues: [challenge(3)], pullRequests: [pr(5, { body: 'closes org/c1-bob#3' })] }),
    );
    expect(other.status).toBe('not-started');
    expect(other.ignored).toEqual([
      { signal: 'pull-request', ref: '#5', detail: 'closes org/c1-bob#3, an issue of another repository' },
    ]);
    const same = deriveProgress(
      learner({ issues: [challenge(3)], pullRequests: [pr(5, { body: 'closes ORG/C1-Alice#3' })] }),
    );
    expect(same.status).toBe('complete');
  });

  it("uses GitHub's closingIssuesReferences, only for the same repository", () => {
    const refs = [
      { repository: 'org/c1-bob', number: 4 },
      { repository: REPO, number: 3 },
    ];
    const d = deriveProgress(
      learner({ issues: [challenge(3), challenge(4)], pullRequests: [pr(5, { closingIssues: refs })] }),
    );
    expect(d).toMatchObject({ status: 'in-progress', challenges_closed: 1 });
    expect(d.evidence[0].ref).toBe('#3');
    expect(d.ignored).toEqual([
      { signal: 'pull-request', ref: '#5', detail: 'closes org/c1-bob#4, an issue of another repository' },
    ]);
  });

  it('a merged pull request written by someone else does not count', () => {
    const d = deriveProgress(
      learner({ issues: [challenge(3)], pullRequests: [pr(5, { author: 'facilitator', body: 'closes #3' })] }),
    );
    expect(d.status).toBe('not-started');
    expect(d.ignored[0].detail).toBe('closes #3 but was written by @facilitator, not the learner');
  });

  it('a closed challenge counts by who closed it, when GitHub says', () => {
    const closed = (closedBy: IssueSignal['closedBy'], stateReason: IssueSignal['stateReason'] = 'completed') =>
      deriveProgress(learner({ issues: [challenge(1, { state: 'closed', stateReason, closedBy })] }));
    expect(closed({ actor: 'Alice', actorIsBot: false }).status).toBe('complete');
    expect(closed({ actor: 'github-actions', actorIsBot: true }).status).toBe('complete');
    expect(
      closed({ actor: 'facilitator', actorIsBot: false, pullRequest: { number: 2, merged: true, author: 'alice' } })
        .status,
    ).toBe('complete');
    const byFacilitator = closed({ actor: 'facilitator', actorIsBot: false });
    expect(byFacilitator.status).toBe('not-started');
    expect(byFacilitator.ignored[0].detail).toBe('challenge closed by @facilitator, not the learner');
    expect(
      closed({ actor: 'alice', actorIsBot: false, pullRequest: { number: 2, merged: true, author: 'bob' } }).status,
    ).toBe('not-started');
    expect(closed(undefined).status).toBe('complete');
    expect(closed({ actor: 'alice', actorIsBot: false }, 'not_planned').status).toBe('not-started');
    expect(closed({ actor: 'alice', actorIsBot: false }, 'duplicate').ignored[0].detail).toBe(
      'challenge closed as duplicate',
    );
  });

  it('an archived room is still read, and says so', () => {
    const d = deriveProgress(learner({ archived: true, issues: [challenge(1, { state: 'closed' })] }));
    expect(d.status).toBe('complete');
    expect(d.evidence[0]).toEqual({ signal: 'room', detail: 'the learning room is archived (read-only)' });
  });
});
