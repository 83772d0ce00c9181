import {
  generateAppKeyPair,
  parseSeed,
  signAppJwt,
  startGitHubDouble,
  validateGithubQuery,
  type GitHubDouble,
} from '@learning-rooms/github-double';
import { acmeSeed, admin, call } from './helpers';

/**
 * Who closed an issue: recorded for seeded closes, REST and admin closes, and merges of pull
 * requests that close issues; served as REST `closed_by` (one issue) and GraphQL
 * `Issue.timelineItems` (ClosedEvent with actor and closer), over GitHub's schema.
 */

const keys = generateAppKeyPair();
const ROOM = 'acme/room';

const LAST_CLOSE = `query($n: Int!) { repository(owner: "acme", name: "room") { issue(number: $n) {
  state
  timelineItems(itemTypes: [CLOSED_EVENT], last: 1) { totalCount nodes {
    __typename
    ... on ClosedEvent { actor { __typename login } createdAt closer { __typename ... on PullRequest { number merged author { login } } } }
  } }
} } }`;

function seed(): Record<string, unknown> {
  return acmeSeed({
    app: {
      id: 9,
      slug: 'learning-rooms',
      publicKey: keys.publicKeyPem,
      installations: [{ id: 90, account: 'acme', permissions: { issues: 'write', pull_requests: 'read' } }],
    },
    repos: [
      { owner: 'acme', name: 'tmpl', issues: [{ number: 1, title: 'elsewhere', author: 'operator' }] },
      {
        owner: 'acme',
        name: 'room',
        collaborators: [{ login: 'alice', permission: 'push' }],
        issues: [
          {
            number: 1,
            title: 'by the learner',
            author: 'operator',
            state: 'closed',
            closed_at: '2026-03-02T10:00:00Z',
            closed_by: 'alice',
          },
          {
            number: 2,
            title: 'by a mentor',
            author: 'operator',
            state: 'closed',
            closed_at: '2026-03-02T11:00:00Z',
            closed_by: 'mentor',
          },
          {
            number: 3,
            title: 'by a workflow',
            author: 'operator',
            state: 'closed',
            closed_at: '2026-03-02T12:00:00Z',
            closed_by: 'github-actions[bot]',
          },
          {
            number: 4,
            title: 'by a merge',
            author: 'operator',
            state: 'closed',
            closed_at: '2026-03-02T13:00:00Z',
            closed_by_pull: 5,
          },
          {
            number: 6,
            title: 'imported, no history',
            author: 'operator',
            state: 'closed',
            closed_at: '2026-03-02T14:00:00Z',
          },
          { number: 7, title: 'open', author: 'operator' },
          { number: 8, title: 'to merge', author: 'operator' },
        ],
        pulls: [
          {
            number: 5,
            title: 'Fix',
            body: 'Closes #4',
            author: 'alice',
            merged: true,
            merged_at: '2026-03-02T13:00:00Z',
            closes: [4],
          },
          { number: 9, title: 'Fix 8', body: 'Fixes #8', author: 'alice', closes: [8, 'acme/tmpl#1'] },
        ],
      },
    ],
  });
}

describe('who closed an issue', () => {
  let double: GitHubDouble;
  beforeEach(async () => {
    double = await startGitHubDouble({ seed: seed() });
  });
  afterEach(() => double.stop());

  async function lastClose(n: number) {
    const res = await call(double, 'POST', '/api/graphql', { body: { query: LAST_CLOSE, variables: { n } } });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.repository.issue;
  }

  test("the query is valid against GitHub's schema", () => {
    expect(validateGithubQuery(LAST_CLOSE)).toEqual([]);
  });

  test("seeded closes: a person, an App's bot, a merged pull request; none when the seed names no closer", async () => {
    expect(await lastClose(1)).toEqual({
      state: 'CLOSED',
      timelineItems: {
        totalCount: 1,
        nodes: [
          {
            __typename: 'ClosedEvent',
            actor: { __typename: 'User', login: 'alice' },
            createdAt: '2026-03-02T10:00:00Z',
            closer: null,
          },
        ],
      },
    });
    expect((await lastClose(2)).timelineItems.nodes[0].actor).toEqual({ __typename: 'User', login: 'mentor' });
    // GraphQL names an App's bot without the [bot] suffix
    expect((await lastClose(3)).timelineItems.nodes[0].actor).toEqual({ __typename: 'Bot', login: 'github-actions' });
    expect((await lastClose(4)).timelineItems.nodes[0]).toMatchObject({
      actor: { login: 'alice' },
      closer: { __typename: 'PullRequest', number: 5, merged: true, author: { login: 'alice' } },
    });
    expect((await lastClose(6)).timelineItems).toEqual({ totalCount: 0, nodes: [] });
    expect((await lastClose(7)).timelineItems.totalCount).toBe(0);

    const one = await call(double, 'GET', '/api/v3/repos/acme/room/issues/3');
    expect(one.body.closed_by).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' });
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/issues/6')).body.closed_by).toBeNull();
    // lists do not carry closed_by, as on GitHub
    const list = await call(double, 'GET', '/api/v3/repos/acme/room/issues?state=closed');
    expect(list.body.every((i: Record<string, unknown>) => !('closed_by' in i))).toBe(true);
  });

  test("a REST close records the caller: a person by token, the App's bot by installation token", async () => {
    const closed = await call(double, 'PATCH', '/api/v3/repos/acme/room/issues/7', { body: { state: 'closed' } });
    expect(closed.body.closed_by).toMatchObject({ login: 'operator' });
    expect((await lastClose(7)).timelineItems.nodes[0].actor).toEqual({ __typename: 'User', login: 'operator' });

    await call(double, 'PATCH', '/api/v3/repos/acme/room/issues/7', { body: { state: 'open' } });
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/issues/7')).body.closed_by).toBeNull();
    const jwt = signAppJwt({ appId: 9, privateKeyPem: keys.privateKeyPem });
    const minted = await call(double, 'POST', '/api/v3/app/installations/90/access_tokens', { token: jwt });
    const asApp = await call(double, 'PATCH', '/api/v3/repos/acme/room/issues/7', {
      token: minted.body.token,
      body: { state: 'closed' },
    });
    expect(asApp.body.closed_by).toMatchObject({ login: 'learning-rooms[bot]', type: 'Bot' });
    const all = await call(double, 'POST', '/api/graphql', {
      body: {
        query:
          '{ repository(owner: "acme", name: "room") { issue(number: 7) { timelineItems(first: 10) { nodes { __typename ... on ClosedEvent { actor { login } } ... on ReopenedEvent { actor { login } } } } } } }',
      },
    });
    expect(all.body.data.repository.issue.timelineItems.nodes).toEqual([
      { __typename: 'ClosedEvent', actor: { login: 'operator' } },
      { __typename: 'ReopenedEvent', actor: { login: 'operator' } },
      { __typename: 'ClosedEvent', actor: { login: 'learning-rooms' } },
    ]);
  });

  test('admin: closing names the closer (default the author); merging closes the issues it references in its repository', async () => {
    expect(
      (await admin(double, 'PATCH', '/_admin/issues', { repo: ROOM, number: 7, state: 'closed', closed_by: 'mentor' }))
        .status,
    ).toBe(200);
    expect((await lastClose(7)).timelineItems.nodes[0].actor.login).toBe('mentor');
    await admin(double, 'PATCH', '/_admin/issues', { repo: ROOM, number: 1, state: 'open' });
    await admin(double, 'PATCH', '/_admin/issues', { repo: ROOM, number: 1, state: 'closed' });
    expect(await lastClose(1)).toMatchObject({
      state: 'CLOSED',
      timelineItems: { totalCount: 2, nodes: [{ actor: { login: 'operator' } }] },
    });

    const merged = await admin(double, 'PATCH', '/_admin/issues', {
      repo: ROOM,
      number: 9,
      merged: true,
      closed_by: 'mentor',
      at: '2026-03-05T10:00:00Z',
    });
    expect(merged.body).toEqual({ number: 9, state: 'closed', closed_issues: [8] });
    // the merger is the actor, the pull request the closer (the learner's own work)
    expect((await lastClose(8)).timelineItems.nodes[0]).toEqual({
      __typename: 'ClosedEvent',
      actor: { __typename: 'User', login: 'mentor' },
      createdAt: '2026-03-05T10:00:00Z',
      closer: { __typename: 'PullRequest', number: 9, merged: true, author: { login: 'alice' } },
    });
    // another repository's issue is left alone
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl/issues/1')).body).toMatchObject({
      state: 'open',
      closed_by: null,
    });

    const added = await admin(double, 'POST', '/_admin/issues', {
      repo: ROOM,
      title: 'late',
      author: 'operator',
      state: 'closed',
      closed_by_pull: 9,
    });
    expect(added.status).toBe(201);
    expect((await lastClose(added.body.number)).timelineItems.nodes[0]).toMatchObject({
      actor: { login: 'alice' },
      closer: { number: 9 },
    });
    const bad = await admin(double, 'POST', '/_admin/issues', {
      repo: ROOM,
      title: 'x',
      author: 'operator',
      state: 'closed',
      closed_by_pull: 7,
    });
    expect(bad).toMatchObject({
      status: 400,
      body: {
        message: expect.stringContaining('closed_by_pull: expected the number of a pull request of acme/room, got 7'),
      },
    });
  });

  test('the seed refuses a closer on an open issue and a closing pull request that is not one', () => {
    const { errors } = parseSeed({
      repos: [
        {
          owner: 'acme',
          name: 'r',
          issues: [
            { number: 1, title: 'a', author: 'x', closed_by: 'y' },
            { number: 2, title: 'b', author: 'x', state: 'closed', closed_by_pull: 1 },
          ],
        },
      ],
    });
    expect(errors).toEqual([
      'seed: repos.0.issues.0.closed_by: only a closed issue has a closer (set "state": "closed")',
      'seed: repos.0.issues.1.closed_by_pull: expected the number of a pull request of acme/r (pulls[].number), got 1',
    ]);
  });
});
