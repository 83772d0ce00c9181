/**
 * When a learner last did something real, and when they completed: from the times of their own
 * signals, never from when a poll first saw a status (so a first poll does not make everyone
 * "0 days" idle, and a facilitator's comment does not make a learner look active).
 */
import { deriveProgress } from '../../progress/derive';
import { toCloseInfo, toComments, toPullRequest, IssueNode, PullRequestNode } from '../../progress/queries';
import type { CommentSignal, IssueSignal, LearnerSignals, PullRequestSignal } from '../../progress/signals';

const challenge = (number: number, extra: Partial<IssueSignal> = {}): IssueSignal => ({
  number,
  state: 'open',
  labels: ['challenge'],
  ...extra,
});
const pr = (number: number, extra: Partial<PullRequestSignal> = {}): PullRequestSignal => ({
  number,
  title: `PR ${number}`,
  body: '',
  state: 'merged',
  author: 'alice',
  ...extra,
});
const comment = (author: string | null, body: string, at?: string): CommentSignal => ({
  on: 1,
  author,
  body,
  ...(at ? { at } : {}),
});

function learner(room: {
  issues?: IssueSignal[];
  pullRequests?: PullRequestSignal[];
  comments?: CommentSignal[];
}): LearnerSignals {
  return {
    handle: 'alice',
    challengeLabel: 'challenge',
    membership: { kind: 'collaborator' },
    room: {
      repository: 'org/c1-alice',
      archived: false,
      issues: room.issues ?? [],
      pullRequests: room.pullRequests ?? [],
      comments: room.comments ?? [],
    },
  };
}

describe('last_activity', () => {
  it("is the latest of the learner's comments (any text), counted closes and merged pull requests", () => {
    const d = deriveProgress(
      learner({
        issues: [
          challenge(1, {
            state: 'closed',
            closedBy: { actor: 'alice', actorIsBot: false, at: '2026-04-03T10:00:00Z' },
          }),
          challenge(2),
        ],
        pullRequests: [pr(5, { mergedAt: '2026-04-02T10:00:00Z', body: 'Closes #2' })],
        comments: [
          comment('Alice', 'thanks, looking at it', '2026-04-04T08:00:00Z'),
          comment('alice', 'ack', '2026-04-01T08:00:00Z'),
        ],
      }),
    );
    expect(d.last_activity).toBe('2026-04-04T08:00:00Z');
  });

  it("ignores other people's signals: a facilitator's comment, their close, their pull request", () => {
    const d = deriveProgress(
      learner({
        issues: [
          challenge(1, {
            state: 'closed',
            closedBy: { actor: 'mentor', actorIsBot: false, at: '2026-04-09T00:00:00Z' },
          }),
        ],
        pullRequests: [pr(5, { author: 'mentor', mergedAt: '2026-04-09T00:00:00Z' })],
        comments: [comment('mentor', 'ack', '2026-04-09T00:00:00Z'), comment('alice', 'ack', '2026-04-01T08:00:00Z')],
      }),
    );
    expect(d.last_activity).toBe('2026-04-01T08:00:00Z');
  });

  it('counts a close by the automation (it acted on the learner’s push) but not a pull request closed unmerged', () => {
    const d = deriveProgress(
      learner({
        issues: [
          challenge(1, {
            state: 'closed',
            closedBy: { actor: 'github-actions[bot]', actorIsBot: true, at: '2026-04-05T00:00:00Z' },
          }),
        ],
        pullRequests: [pr(6, { state: 'closed', mergedAt: undefined })],
      }),
    );
    expect(d.last_activity).toBe('2026-04-05T00:00:00Z');
  });

  it('is absent when the learner did nothing, or GitHub gave no times; compares instants, not text', () => {
    expect(
      deriveProgress(learner({ comments: [comment('mentor', 'welcome', '2026-04-01T00:00:00Z')] })).last_activity,
    ).toBeUndefined();
    expect(deriveProgress(learner({ comments: [comment('alice', 'ack')] })).last_activity).toBeUndefined();
    const offsets = deriveProgress(
      learner({
        comments: [comment('alice', 'a', '2026-04-01T23:00:00-05:00'), comment('alice', 'b', '2026-04-02T01:00:00Z')],
      }),
    );
    expect(offsets.last_activity).toBe('2026-04-01T23:00:00-05:00');
  });
});

describe('completed_at', () => {
  it('is when the last challenge was done, for a complete learner only', () => {
    const done = deriveProgress(
      learner({
        issues: [
          challenge(1, {
            state: 'closed',
            closedBy: { actor: 'alice', actorIsBot: false, at: '2026-04-03T10:00:00Z' },
          }),
          challenge(2),
        ],
        pullRequests: [pr(5, { mergedAt: '2026-04-06T10:00:00Z', body: 'Closes #2' })],
        comments: [comment('alice', 'ack', '2026-04-07T08:00:00Z')],
      }),
    );
    expect(done).toMatchObject({
      status: 'complete',
      completed_at: '2026-04-06T10:00:00Z',
      last_activity: '2026-04-07T08:00:00Z',
    });
    const half = deriveProgress(
      learner({
        issues: [
          challenge(1, {
            state: 'closed',
            closedBy: { actor: 'alice', actorIsBot: false, at: '2026-04-03T10:00:00Z' },
          }),
          challenge(2),
        ],
      }),
    );
    expect(half.status).toBe('in-progress');
    expect(half.completed_at).toBeUndefined();
  });

  it('is left out when a close has no recorded time, rather than guessed', () => {
    const d = deriveProgress(
      learner({
        issues: [
          challenge(1, { state: 'closed' }),
          challenge(2, {
            state: 'closed',
            closedBy: { actor: 'alice', actorIsBot: false, at: '2026-04-03T10:00:00Z' },
          }),
        ],
      }),
    );
    expect(d.status).toBe('complete');
    expect(d.completed_at).toBeUndefined();
  });
});

describe('the reader carries GitHub’s times into the signals', () => {
  it('comment createdAt, the ClosedEvent createdAt and mergedAt', () => {
    expect(
      toComments(3, {
        totalCount: 1,
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: [{ author: { login: 'a' }, body: 'ack', createdAt: '2026-04-01T00:00:00Z' }],
      }),
    ).toEqual([{ on: 3, author: 'a', body: 'ack', at: '2026-04-01T00:00:00Z' }]);
    const issue = {
      number: 1,
      updatedAt: '',
      title: '',
      state: 'CLOSED',
      stateReason: 'COMPLETED',
      author: null,
      labels: null,
      comments: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] },
      timelineItems: {
        nodes: [{ createdAt: '2026-04-02T00:00:00Z', actor: { __typename: 'User', login: 'a' }, closer: null }],
      },
    } as IssueNode;
    expect(toCloseInfo(issue)).toEqual({ actor: 'a', actorIsBot: false, at: '2026-04-02T00:00:00Z' });
    const pull = {
      number: 2,
      updatedAt: '',
      title: '',
      body: '',
      state: 'MERGED',
      merged: true,
      mergedAt: '2026-04-03T00:00:00Z',
      author: { login: 'a' },
      comments: issue.comments,
    } as PullRequestNode;
    expect(toPullRequest(pull)).toMatchObject({ state: 'merged', mergedAt: '2026-04-03T00:00:00Z' });
  });
});
