import {
  commentPageQuery,
  fingerprintQuery,
  nextPageQuery,
  roomsQuery,
  toIssue,
  toPullRequest,
} from '../../progress/queries';
import type { IssueNode, PullRequestNode } from '../../progress/queries';
import { validateGithubQuery as schemaErrors } from '@learning-rooms/github-double';

const rooms = [
  { owner: 'org', name: 'c1-alice', handle: 'alice' },
  { owner: 'org', name: 'c1-bob', handle: 'Bob' },
];

describe("every query the reader sends is valid against GitHub's published schema", () => {
  it.each([
    ['fingerprints', fingerprintQuery(rooms).query],
    ['rooms', roomsQuery(rooms).query],
    ['issue pages', nextPageQuery('issues', 'org', 'r', 'c').query],
    ['pull request pages', nextPageQuery('pullRequests', 'org', 'r', 'c').query],
    ['comment pages', commentPageQuery('org', 'r', 3, 'c').query],
  ])('%s', (_, query) => {
    expect(schemaErrors(query)).toEqual([]);
  });

  it('the validator does reject a wrong field (the check can fail)', () => {
    expect(schemaErrors('query { repository(owner: "o", name: "n") { closers } }')).not.toEqual([]);
  });

  it('passes owners, names and handles as variables, one alias per room', () => {
    const q = roomsQuery(rooms);
    expect(q.variables).toEqual({ o0: 'org', n0: 'c1-alice', h0: 'alice', o1: 'org', n1: 'c1-bob', h1: 'Bob' });
    expect(q.query).toMatch(/r1: repository\(owner: \$o1, name: \$n1\)/);
    expect(q.query).not.toContain('c1-alice');
  });
});

describe('answers become signals', () => {
  const comments = { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] };
  it('an issue: state, reason, author and labels', () => {
    const node: IssueNode = {
      number: 3,
      updatedAt: 't',
      title: 'Challenge 3',
      state: 'CLOSED',
      stateReason: 'NOT_PLANNED',
      author: { login: 'fac' },
      labels: { nodes: [{ name: 'challenge' }, null] },
      comments,
    };
    expect(toIssue(node)).toEqual({
      number: 3,
      title: 'Challenge 3',
      author: 'fac',
      state: 'closed',
      stateReason: 'not_planned',
      labels: ['challenge'],
    });
    expect(toIssue({ ...node, state: 'OPEN', stateReason: null, author: null, labels: null })).toMatchObject({
      state: 'open',
      stateReason: null,
      author: null,
      labels: [],
    });
  });
  it("who closed an issue: the last ClosedEvent's actor and closing pull request", () => {
    const node = (
      actor: { __typename: string; login: string } | null,
      closer: Record<string, unknown> | null = null,
      state: 'OPEN' | 'CLOSED' = 'CLOSED',
    ): IssueNode => ({
      number: 1,
      updatedAt: 't',
      title: 't',
      state,
      stateReason: state === 'CLOSED' ? 'COMPLETED' : null,
      author: null,
      labels: null,
      comments,
      timelineItems: { nodes: [{ actor, closer }] },
    });
    expect(toIssue(node({ __typename: 'User', login: 'Alice' })).closedBy).toEqual({
      actor: 'Alice',
      actorIsBot: false,
    });
    // GraphQL drops an App bot's [bot] suffix; the signal names it as REST does
    expect(toIssue(node({ __typename: 'Bot', login: 'github-actions' })).closedBy).toEqual({
      actor: 'github-actions[bot]',
      actorIsBot: true,
    });
    expect(
      toIssue(node({ __typename: 'User', login: 'mentor' }, { number: 7, merged: true, author: { login: 'alice' } }))
        .closedBy,
    ).toEqual({ actor: 'mentor', actorIsBot: false, pullRequest: { number: 7, merged: true, author: 'alice' } });
    // a commit closed it: the closer matches no fragment; a deleted account is a null actor
    expect(toIssue(node({ __typename: 'User', login: 'alice' }, {})).closedBy).toEqual({
      actor: 'alice',
      actorIsBot: false,
    });
    expect(toIssue(node(null)).closedBy).toEqual({ actor: null, actorIsBot: false });
    // reopened: the old close says nothing; no event recorded: the core is told nothing
    expect(toIssue(node({ __typename: 'User', login: 'alice' }, null, 'OPEN'))).not.toHaveProperty('closedBy');
    expect(toIssue({ ...node(null), timelineItems: { nodes: [] } })).not.toHaveProperty('closedBy');
  });
  it('pull request states and references', () => {
    const base: PullRequestNode = {
      number: 5,
      updatedAt: 't',
      title: 't',
      body: 'closes #1',
      state: 'CLOSED',
      merged: false,
      author: null,
      comments,
      closingIssuesReferences: null,
    };
    expect(toPullRequest(base)).toMatchObject({ state: 'closed', author: null, closingIssues: [] });
    expect(toPullRequest({ ...base, state: 'MERGED', merged: true, author: { login: 'a' } })).toMatchObject({
      state: 'merged',
      author: 'a',
    });
    expect(
      toPullRequest({
        ...base,
        state: 'OPEN',
        closingIssuesReferences: { nodes: [{ number: 2, repository: { nameWithOwner: 'o/r' } }] },
      }),
    ).toMatchObject({ state: 'open', closingIssues: [{ repository: 'o/r', number: 2 }] });
  });
});
