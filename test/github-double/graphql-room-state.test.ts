/**
 * What the watchdog's fingerprint reads through GraphQL, served by the double as GitHub does:
 * a repository's direct collaborators with their permission, and a file's blob on the default
 * branch (`object(expression: "HEAD:<path>")`) whose oid is git's blob sha1 of the content.
 */
import { spawnSync } from 'node:child_process';
import { GitHubDouble, startGitHubDouble, validateGithubQuery } from '@learning-rooms/github-double';
import { acmeSeed, call } from './helpers';

const CONTENT = 'on: push\njobs: {}\n# ${{ github.actor }} é\n';

let double: GitHubDouble;
beforeAll(async () => {
  double = await startGitHubDouble({
    seed: acmeSeed({
      orgs: [
        { login: 'acme', members: ['operator', 'mentor'], teams: [{ name: 'Course Staff', members: ['mentor'] }] },
      ],
      repos: [
        {
          owner: 'acme',
          name: 'room',
          visibility: 'private',
          files: { '.github/workflows/ack.yml': CONTENT },
          collaborators: [
            { login: 'alice', permission: 'push' },
            { login: 'bob', permission: 'pull' },
          ],
          teams: [{ team: 'course-staff', permission: 'maintain' }],
        },
        { owner: 'acme', name: 'empty' },
      ],
    }),
  });
});
afterAll(() => double.stop());

const QUERY = `query RoomState($o: String!, $n: String!, $h: String!, $e: String!, $missing: String!) {
  repository(owner: $o, name: $n) {
    name isArchived visibility hasIssuesEnabled
    collaborators(affiliation: DIRECT, login: $h, first: 1) { edges { permission node { login } } }
    file: object(expression: $e) { ... on Blob { oid } }
    missing: object(expression: $missing) { ... on Blob { oid } }
  }
}`;

async function roomState(name: string, handle: string, path = '.github/workflows/ack.yml') {
  const res = await call(double, 'POST', '/api/graphql', {
    body: { query: QUERY, variables: { o: 'acme', n: name, h: handle, e: `HEAD:${path}`, missing: 'HEAD:nope.txt' } },
  });
  expect(res.status).toBe(200);
  return res.body;
}

test("the query is valid against GitHub's published schema", () => {
  expect(validateGithubQuery(QUERY)).toEqual([]);
});

test("a blob's oid is git's own object id of the content; a missing file is null", async () => {
  const git = spawnSync('git', ['hash-object', '--stdin'], { input: CONTENT, encoding: 'utf8' });
  const body = await roomState('room', 'alice');
  expect(body.data.repository).toMatchObject({
    name: 'room',
    isArchived: false,
    visibility: 'PRIVATE',
    hasIssuesEnabled: true,
    file: { oid: git.stdout.trim() },
    missing: null,
  });
});

test('collaborators filtered by login, with the permission GraphQL names', async () => {
  expect((await roomState('room', 'ALICE')).data.repository.collaborators.edges).toEqual([
    { permission: 'WRITE', node: { login: 'alice' } },
  ]);
  expect((await roomState('room', 'bob')).data.repository.collaborators.edges).toEqual([
    { permission: 'READ', node: { login: 'bob' } },
  ]);
  expect((await roomState('room', 'carol')).data.repository.collaborators.edges).toEqual([]);
});

test('an empty repository has no blob at HEAD', async () => {
  expect((await roomState('empty', 'alice')).data.repository.file).toBeNull();
});

test('affiliation as in the REST list: a team member is among ALL (the default), not DIRECT or OUTSIDE', async () => {
  const logins = async (affiliation: string) => {
    const res = await call(double, 'POST', '/api/graphql', {
      body: {
        query: `query { repository(owner: "acme", name: "room") { collaborators(${affiliation}first: 10) { edges { permission node { login } } } } }`,
      },
    });
    expect(res.status).toBe(200);
    return res.body.data.repository.collaborators.edges.map(
      (e: { permission: string; node: { login: string } }) => `${e.node.login}:${e.permission}`,
    );
  };
  expect(await logins('')).toEqual(['alice:WRITE', 'bob:READ', 'mentor:MAINTAIN']);
  expect(await logins('affiliation: ALL, ')).toEqual(['alice:WRITE', 'bob:READ', 'mentor:MAINTAIN']);
  expect(await logins('affiliation: DIRECT, ')).toEqual(['alice:WRITE', 'bob:READ']);
  expect(await logins('affiliation: OUTSIDE, ')).toEqual(['alice:WRITE', 'bob:READ']);
});
