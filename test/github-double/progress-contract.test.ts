import { readFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import { startGitHubDouble, validateGithubQuery, type GitHubDouble } from '@learning-rooms/github-double';
import { admin, call, TOKEN } from './helpers';

/** What the progress module reads: REST lists with pagination, and GraphQL over GitHub's schema. */

const example = JSON.parse(readFileSync(require.resolve('@learning-rooms/github-double/seed.example.json'), 'utf8'));

async function gql(double: GitHubDouble, query: string, variables?: Record<string, unknown>, path = '/api/graphql') {
  const res = await fetch(`${double.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL JSON under test
  const body: any = await res.json();
  return { status: res.status, headers: res.headers, body };
}

describe('progress contract', () => {
  let double: GitHubDouble;
  beforeAll(async () => {
    double = await startGitHubDouble({ seed: example });
    // 7 more issues in erin's room so that lists span pages
    for (let i = 0; i < 7; i++) {
      const r = double.admin('POST', '/_admin/issues', {
        repo: 'acme/2026-spring-erin',
        title: `extra ${i}`,
        author: 'erin',
        created_at: `2026-03-1${i}T08:00:00Z`,
      });
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => double.stop());

  test('REST issues paginate with Link headers that Octokit follows', async () => {
    const first = await call(double, 'GET', '/api/v3/repos/acme/2026-spring-erin/issues?state=all&per_page=4');
    expect(first.body).toHaveLength(4);
    const link = first.headers.get('link')!;
    expect(link).toContain('rel="next"');
    expect(link).toContain('rel="last"');
    expect(link).toMatch(
      /<http:\/\/127\.0\.0\.1:\d+\/api\/v3\/repos\/acme\/2026-spring-erin\/issues\?state=all&per_page=4&page=2>; rel="next"/,
    );
    const octokit = new Octokit({ baseUrl: double.apiUrl, auth: TOKEN });
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: 'acme',
      repo: '2026-spring-erin',
      state: 'all',
      per_page: 4,
    });
    expect(all.map((i) => i.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(all.filter((i) => i.pull_request).map((i) => i.number)).toEqual([3]);
  });

  test('REST comments, pulls, labels, collaborators and invitations', async () => {
    const comments = await call(double, 'GET', '/api/v3/repos/acme/2026-spring-erin/issues/1/comments');
    expect(
      comments.body.map((c: { user: { login: string }; body: string; created_at: string }) => [
        c.user.login,
        c.body,
        c.created_at,
      ]),
    ).toEqual([['erin', 'hello!', '2026-03-03T10:00:00Z']]);
    const pulls = await call(double, 'GET', '/api/v3/repos/acme/2026-spring-erin/pulls?state=all');
    expect(
      pulls.body.map((p: { number: number; body: string; merged_at: string | null }) => [
        p.number,
        p.body,
        p.merged_at,
      ]),
    ).toEqual([[3, 'Closes #2', null]]);
    const labels = await call(double, 'GET', '/api/v3/repos/acme/2026-spring-erin/labels?per_page=1');
    expect(labels.body.map((l: { name: string }) => l.name)).toEqual(['step']);
    expect(labels.headers.get('link')).toContain('page=2>; rel="next"');
    const collaborators = await call(double, 'GET', '/api/v3/repos/acme/2026-spring-erin/collaborators');
    expect(collaborators.body.map((c: { login: string; role_name: string }) => [c.login, c.role_name])).toEqual([
      ['erin', 'write'],
    ]);
    expect((await call(double, 'GET', '/api/v3/repos/acme/2026-spring-erin/invitations')).body).toEqual([]);
  });

  test('GraphQL: a repository with issues, labels, comments and pull requests with closing references', async () => {
    const query = `query($owner: String!, $name: String!) {
      rateLimit { cost remaining limit resetAt }
      repository(owner: $owner, name: $name) {
        id name nameWithOwner owner { login } isArchived updatedAt pushedAt
        issues(first: 2, states: [OPEN, CLOSED], orderBy: {field: CREATED_AT, direction: ASC}) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes {
            id number title body state stateReason closedAt createdAt updatedAt author { login }
            labels(first: 10) { nodes { name } }
            comments(first: 10) { totalCount pageInfo { hasNextPage endCursor } nodes { id author { login } body createdAt updatedAt } }
          }
        }
        pullRequests(first: 10, states: [OPEN, CLOSED, MERGED]) {
          totalCount
          nodes { number title body state merged mergedAt closedAt author { login }
            closingIssuesReferences(first: 5) { nodes { number repository { nameWithOwner } } } }
        }
        labels(first: 10) { totalCount nodes { name } }
        issue(number: 1) { title }
      }
    }`;
    const res = await gql(double, query, { owner: 'ACME', name: '2026-spring-erin' });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const repo = res.body.data.repository;
    expect(repo.nameWithOwner).toBe('acme/2026-spring-erin');
    expect(repo.owner.login).toBe('acme');
    expect(repo.issues.totalCount).toBe(9);
    expect(repo.issues.pageInfo.hasNextPage).toBe(true);
    const [one, two] = repo.issues.nodes;
    expect(one).toMatchObject({
      number: 1,
      state: 'CLOSED',
      stateReason: 'COMPLETED',
      closedAt: '2026-03-03T10:15:00Z',
      author: { login: 'operator' },
    });
    expect(one.labels.nodes.map((l: { name: string }) => l.name)).toEqual(['step', 'done']);
    expect(one.comments.totalCount).toBe(1);
    expect(one.comments.nodes[0]).toMatchObject({
      author: { login: 'erin' },
      body: 'hello!',
      createdAt: '2026-03-03T10:00:00Z',
    });
    expect(two).toMatchObject({ number: 2, state: 'OPEN', stateReason: null });
    expect(repo.pullRequests.nodes).toEqual([
      {
        number: 3,
        title: 'Add my first exercise',
        body: 'Closes #2',
        state: 'OPEN',
        merged: false,
        mergedAt: null,
        closedAt: null,
        author: { login: 'erin' },
        closingIssuesReferences: { nodes: [{ number: 2, repository: { nameWithOwner: 'acme/2026-spring-erin' } }] },
      },
    ]);
    expect(repo.labels.nodes.map((l: { name: string }) => l.name)).toEqual(['step', 'done']);
    expect(repo.issue.title).toBe('Step 1: say hello');
    expect(res.body.data.rateLimit).toMatchObject({ cost: 1, limit: 5000 });
  });

  test('GraphQL: cursors page through issues; filterBy and labels narrow them', async () => {
    const q = `query($after: String) { repository(owner: "acme", name: "2026-spring-erin") {
      issues(first: 4, after: $after) { pageInfo { hasNextPage endCursor } nodes { number } } } }`;
    const seen: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res = await gql(double, q, { after });
      const conn: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Array<{ number: number }> } =
        res.body.data.repository.issues;
      seen.push(...conn.nodes.map((n) => n.number));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10]);
    const filtered = await gql(
      double,
      `{ repository(owner: "acme", name: "2026-spring-erin") {
      done: issues(first: 10, labels: ["done"]) { nodes { number } }
      recent: issues(first: 10, filterBy: {since: "2026-03-15T00:00:00Z", states: [OPEN]}) { nodes { number } } } }`,
    );
    expect(filtered.body.data.repository.done.nodes).toEqual([{ number: 1 }]);
    expect(filtered.body.data.repository.recent.nodes.map((n: { number: number }) => n.number)).toEqual([9, 10]);
  });

  test('GraphQL: aliases fetch several repositories in one request, counted as one', async () => {
    const since = double.requests().at(-1)?.seq ?? 0;
    const res = await gql(
      double,
      `{ a: repository(owner: "acme", name: "2026-spring-erin") { name issues(first: 1) { totalCount } }
         b: repository(owner: "acme", name: "tmpl") { name isArchived labels(first: 5) { nodes { name } } } }`,
      undefined,
      '/graphql',
    );
    expect(res.body.data).toEqual({
      a: { name: '2026-spring-erin', issues: { totalCount: 9 } },
      b: { name: 'tmpl', isArchived: false, labels: { nodes: [{ name: 'step' }] } },
    });
    const counted = double.counters(since);
    expect(counted.total).toBe(1);
    expect(counted.contentCreating).toBe(0);
    expect(res.headers.get('x-ratelimit-resource')).toBe('graphql');
  });

  test("validateGithubQuery checks a query against GitHub's schema without a server", () => {
    expect(
      validateGithubQuery('{ repository(owner: "a", name: "b") { issues(first: 1) { nodes { number } } } }'),
    ).toEqual([]);
    expect(validateGithubQuery('{ repository(owner: "a") { nope } }')).toEqual([
      'Cannot query field "nope" on type "Repository". Did you mean "name"?',
      'Field "repository" argument "name" of type "String!" is required, but it was not provided.',
    ]);
    expect(validateGithubQuery('{ unbalanced')[0]).toMatch(/Syntax Error/);
  });

  test("GraphQL: GitHub's rules and errors (schema validation, pagination bounds, NOT_FOUND)", async () => {
    const invalid = await gql(double, '{ repository(owner: "acme", name: "tmpl") { noSuchField } }');
    expect(invalid.body.errors[0].message).toMatch(/Cannot query field "noSuchField" on type "Repository"/);
    const unbounded = await gql(double, '{ repository(owner: "acme", name: "tmpl") { issues { totalCount } } }');
    expect(unbounded.body.errors[0]).toMatchObject({ type: 'MISSING_PAGINATION_BOUNDARIES' });
    const tooMany = await gql(
      double,
      '{ repository(owner: "acme", name: "tmpl") { issues(first: 101) { totalCount } } }',
    );
    expect(tooMany.body.errors[0]).toMatchObject({ type: 'EXCESSIVE_PAGINATION' });
    const missing = await gql(double, '{ repository(owner: "acme", name: "nope") { name } }');
    expect(missing.body.data.repository).toBeNull();
    expect(missing.body.errors[0]).toMatchObject({ type: 'NOT_FOUND', path: ['repository'] });
  });

  test('out-of-band changes (comments, closing, merging) show up in GraphQL', async () => {
    expect(
      (
        await admin(double, 'POST', '/_admin/comments', {
          repo: 'acme/2026-spring-erin',
          number: 2,
          author: 'erin',
          body: 'done?',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await admin(double, 'PATCH', '/_admin/issues', {
          repo: 'acme/2026-spring-erin',
          number: 3,
          merged: true,
          at: '2026-03-20T10:00:00Z',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin(double, 'POST', '/_admin/pulls', {
          repo: 'acme/2026-spring-erin',
          title: 'More',
          author: 'erin',
          closes: ['acme/2026-spring-erin#1'],
        })
      ).body.number,
    ).toBe(11);
    const bad = await admin(double, 'POST', '/_admin/issues', {
      repo: 'acme/2026-spring-erin',
      title: '',
      author: 'not a login!',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('title');
    expect(bad.body.message).toContain('author');
    const res = await gql(
      double,
      `{ repository(owner: "acme", name: "2026-spring-erin") {
      issue(number: 2) { comments(last: 1) { nodes { body author { login } } } }
      pullRequest(number: 3) { state merged mergedAt closedAt } } }`,
    );
    expect(res.body.data.repository).toEqual({
      issue: { comments: { nodes: [{ body: 'done?', author: { login: 'erin' } }] } },
      pullRequest: {
        state: 'MERGED',
        merged: true,
        mergedAt: '2026-03-20T10:00:00Z',
        closedAt: '2026-03-20T10:00:00Z',
      },
    });
  });
});
