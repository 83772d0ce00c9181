import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, b64, call } from './helpers';

/**
 * Branches (git refs), files on a branch, comparisons, trees and blobs, and pull requests: what a
 * feedback pull request and a starter-code update need.
 */

const READ_ONLY = 'token-contents-read';
const NO_PULLS = 'token-without-pull-requests';

describe('branches, trees, comparisons and pull requests', () => {
  let double: GitHubDouble;
  let initial: string;

  beforeEach(async () => {
    double = await startGitHubDouble({
      seed: acmeSeed({
        tokens: [
          { token: 'dummy-token-not-a-secret', login: 'operator' },
          { token: READ_ONLY, login: 'operator', permissions: { contents: 'read', pull_requests: 'read' } },
          { token: NO_PULLS, login: 'operator', permissions: { contents: 'write' } },
        ],
        repos: [
          {
            owner: 'acme',
            name: 'tmpl',
            is_template: true,
            files: { 'README.md': '# template\n', 'src/a.py': 'a = 1\n' },
          },
        ],
      }),
      generateDelayMs: 1,
    });
    await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name: 'room', owner: 'acme', private: true },
    });
    await double.state.repo('acme', 'room')!.ready;
    initial = double.state.repo('acme', 'room')!.headSha!;
  });
  afterEach(() => double.stop());

  const ref = (branch: string) => call(double, 'GET', `/api/v3/repos/acme/room/git/ref/heads/${branch}`);
  const createRef = (branch: string, sha: string, token?: string) =>
    call(double, 'POST', '/api/v3/repos/acme/room/git/refs', { token, body: { ref: `refs/heads/${branch}`, sha } });

  test('a branch made from a commit reads back by ref and as a branch; the same name again is 422 "Reference already exists"', async () => {
    const made = await createRef('feedback', initial);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ ref: 'refs/heads/feedback', object: { type: 'commit', sha: initial } });
    expect((await ref('feedback')).body.object.sha).toBe(initial);
    const branch = await call(double, 'GET', '/api/v3/repos/acme/room/branches/feedback');
    expect(branch.body).toMatchObject({ name: 'feedback', commit: { sha: initial }, protected: false });
    const list = await call(double, 'GET', '/api/v3/repos/acme/room/branches');
    expect(list.body.map((b: { name: string }) => b.name)).toEqual(['feedback', 'main']);
    const again = await createRef('feedback', initial);
    expect(again.status).toBe(422);
    // the provider tolerates exactly this message with no `errors` (`422 Reference already exists []`)
    expect(again.body.message).toBe('Reference already exists');
    expect(again.body.errors).toBeUndefined();
  });

  test('ref errors: 404 unknown branch, 422 bad name or unknown commit, 409 on an empty repository, 403 without contents:write', async () => {
    expect((await ref('nope')).status).toBe(404);
    expect(
      (await call(double, 'POST', '/api/v3/repos/acme/room/git/refs', { body: { ref: 'feedback', sha: initial } }))
        .status,
    ).toBe(422);
    const unknown = await createRef('x', 'f'.repeat(40));
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toBe('Object does not exist');
    expect(
      (await call(double, 'POST', '/api/v3/repos/acme/room/git/refs', { body: { ref: 'refs/heads/x' } })).status,
    ).toBe(422);
    await call(double, 'POST', '/api/v3/orgs/acme/repos', { body: { name: 'empty' } });
    expect((await call(double, 'GET', '/api/v3/repos/acme/empty/git/ref/heads/main')).status).toBe(409);
    const refused = await createRef('x', initial, READ_ONLY);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('contents=write');
    expect((await call(double, 'GET', '/api/v3/repos/acme/missing/git/ref/heads/main')).status).toBe(404);
  });

  test('a ref moves only forward unless forced; deleting removes it, the default branch stays (422)', async () => {
    await createRef('topic', initial);
    const c1 = await call(double, 'PUT', '/api/v3/repos/acme/room/contents/b.md', {
      body: { message: 'b', content: b64('b\n'), branch: 'topic' },
    });
    expect(c1.status).toBe(201);
    const topicHead = c1.body.commit.sha as string;
    expect(c1.body.content.url).toContain('?ref=topic');
    // main moves independently: the file is on topic only
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/contents/b.md')).status).toBe(404);
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/contents/b.md?ref=topic')).status).toBe(200);
    const back = await call(double, 'PATCH', '/api/v3/repos/acme/room/git/refs/heads/topic', {
      body: { sha: initial },
    });
    expect(back.status).toBe(422);
    expect(back.body.message).toBe('Update is not a fast forward');
    expect(
      (
        await call(double, 'PATCH', '/api/v3/repos/acme/room/git/refs/heads/topic', {
          body: { sha: initial, force: true },
        })
      ).body.object.sha,
    ).toBe(initial);
    expect(
      (await call(double, 'PATCH', '/api/v3/repos/acme/room/git/refs/heads/topic', { body: { sha: topicHead } }))
        .status,
    ).toBe(200);
    expect((await call(double, 'DELETE', '/api/v3/repos/acme/room/git/refs/heads/topic')).status).toBe(204);
    expect((await ref('topic')).status).toBe(404);
    expect((await call(double, 'DELETE', '/api/v3/repos/acme/room/git/refs/heads/topic')).status).toBe(422);
    expect((await call(double, 'DELETE', '/api/v3/repos/acme/room/git/refs/heads/main')).status).toBe(422);
    // a write to a branch that does not exist
    expect(
      (
        await call(double, 'PUT', '/api/v3/repos/acme/room/contents/c.md', {
          body: { message: 'c', content: b64('c\n'), branch: 'gone' },
        })
      ).status,
    ).toBe(404);
  });

  test('a starter-code update: compare two commits, read a template tree (recursive) and its blobs', async () => {
    const tmpl = double.state.repo('acme', 'tmpl')!;
    const before = tmpl.headSha!;
    double.admin('POST', '/_admin/push', {
      repo: 'acme/tmpl',
      files: { 'src/a.py': 'a = 2\n', 'src/b.py': 'b = 1\n', 'README.md': null },
      message: 'Fix a, add b',
    });
    const after = tmpl.headSha!;
    const cmp = await call(double, 'GET', `/api/v3/repos/acme/tmpl/compare/${before}...${after}`);
    expect(cmp.status).toBe(200);
    expect(cmp.body).toMatchObject({
      status: 'ahead',
      ahead_by: 1,
      behind_by: 0,
      total_commits: 1,
      merge_base_commit: { sha: before },
    });
    expect(cmp.body.commits.map((c: { commit: { message: string } }) => c.commit.message)).toEqual(['Fix a, add b']);
    expect(cmp.body.files.map((f: { filename: string; status: string }) => [f.filename, f.status])).toEqual([
      ['README.md', 'removed'],
      ['src/a.py', 'modified'],
      ['src/b.py', 'added'],
    ]);
    expect((await call(double, 'GET', `/api/v3/repos/acme/tmpl/compare/${after}...${before}`)).body).toMatchObject({
      status: 'behind',
      ahead_by: 0,
      behind_by: 1,
      files: [],
    });
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl/compare/main...main')).body.status).toBe('identical');
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl/compare/main...nope')).status).toBe(404);

    const top = await call(double, 'GET', '/api/v3/repos/acme/tmpl/git/trees/main');
    expect(top.body.tree.map((e: { path: string; type: string }) => [e.path, e.type])).toEqual([['src', 'tree']]);
    // GitHub: any value of `recursive`, even 0 or false, lists the whole tree
    const all = await call(double, 'GET', '/api/v3/repos/acme/tmpl/git/trees/main?recursive=0');
    expect(all.body.tree.map((e: { path: string }) => e.path)).toEqual(['src', 'src/a.py', 'src/b.py']);
    const sub = await call(double, 'GET', `/api/v3/repos/acme/tmpl/git/trees/${top.body.tree[0].sha}`);
    expect(sub.body.tree.map((e: { path: string }) => e.path)).toEqual(['a.py', 'b.py']);
    const blob = await call(double, 'GET', `/api/v3/repos/acme/tmpl/git/blobs/${all.body.tree[1].sha}`);
    expect(Buffer.from(blob.body.content, 'base64').toString()).toBe('a = 2\n');
    expect(
      (await call(double, 'GET', '/api/v3/repos/acme/tmpl/git/blobs/0000000000000000000000000000000000000000')).status,
    ).toBe(404);
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl/git/trees/nope')).status).toBe(404);
    // an older commit's files are still readable at that commit
    const old = await call(double, 'GET', `/api/v3/repos/acme/tmpl/contents/README.md?ref=${before}`);
    expect(Buffer.from(old.body.content, 'base64').toString()).toBe('# template\n');
  });

  test("the feedback pull request: refused with no commits between, opened once main moves, follows the learner's pushes", async () => {
    await createRef('feedback', initial);
    const open = (body: Record<string, unknown>, token?: string) =>
      call(double, 'POST', '/api/v3/repos/acme/room/pulls', { token, body });
    const early = await open({
      title: 'Feedback',
      head: 'main',
      base: 'feedback',
      body: '',
      maintainer_can_modify: false,
    });
    expect(early.status).toBe(422);
    expect(early.body.errors[0]).toMatchObject({
      resource: 'PullRequest',
      code: 'custom',
      message: 'No commits between feedback and main',
    });
    // a commit on main (GitHub Classroom pushed one: "Setting up GitHub Classroom Feedback")
    double.admin('POST', '/_admin/push', {
      repo: 'acme/room',
      files: { '.github/.keep': '' },
      message: 'Setting up feedback',
    });
    const pr = await open({
      title: 'Feedback',
      head: 'acme:main',
      base: 'feedback',
      body: 'Your teacher comments here.',
      maintainer_can_modify: false,
    });
    expect(pr.status).toBe(201);
    expect(pr.body).toMatchObject({
      state: 'open',
      title: 'Feedback',
      head: { ref: 'main' },
      base: { ref: 'feedback', sha: initial },
      commits: 1,
      maintainer_can_modify: false,
      draft: false,
    });
    expect((await open({ title: 'Again', head: 'main', base: 'feedback' })).body.errors[0].message).toBe(
      'A pull request already exists for acme:main.',
    );
    // the learner pushes to main: the pull request grows
    double.admin('POST', '/_admin/push', {
      repo: 'acme/room',
      files: { 'src/a.py': 'a = 3\n' },
      author: 'alice',
      message: 'My work',
    });
    const read = await call(double, 'GET', `/api/v3/repos/acme/room/pulls/${pr.body.number}`);
    expect(read.body).toMatchObject({
      commits: 2,
      changed_files: 2,
      head: { sha: double.state.repo('acme', 'room')!.headSha },
    });
    // listed by head and base, as a starter-code update looks for its own earlier pull request
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/pulls?head=acme:main&base=feedback')).body).toHaveLength(
      1,
    );
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/pulls?head=acme:other')).body).toHaveLength(0);
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/pulls?base=main')).body).toHaveLength(0);
  });

  test('pull request errors: 422 missing title or unknown branch, 403 without pull_requests:write, 404 unknown number', async () => {
    await createRef('topic', initial);
    double.admin('POST', '/_admin/push', { repo: 'acme/room', branch: 'topic', files: { 'x.md': 'x\n' } });
    const open = (body: Record<string, unknown>, token?: string) =>
      call(double, 'POST', '/api/v3/repos/acme/room/pulls', { token, body });
    expect((await open({ head: 'topic', base: 'main' })).body.errors[0]).toMatchObject({
      field: 'title',
      code: 'missing_field',
    });
    expect((await open({ title: 't', head: 'topic', base: 'nope' })).body.errors[0]).toMatchObject({
      field: 'base',
      code: 'invalid',
    });
    expect((await open({ title: 't', head: 'nope', base: 'main' })).body.errors[0]).toMatchObject({
      field: 'head',
      code: 'invalid',
    });
    expect((await open({ title: 't', head: 'someone-else:topic', base: 'main' })).status).toBe(422);
    const refused = await open({ title: 't', head: 'topic', base: 'main' }, NO_PULLS);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('pull_requests=write');
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/pulls/99')).status).toBe(404);
    expect((await call(double, 'PATCH', '/api/v3/repos/acme/room/pulls/99', { body: { title: 'x' } })).status).toBe(
      404,
    );
  });

  test('update: title, body, base; close and reopen; a closed one keeps its base; a merged one stays closed', async () => {
    await createRef('topic', initial);
    await createRef('other', initial);
    double.admin('POST', '/_admin/push', { repo: 'acme/room', branch: 'topic', files: { 'x.md': 'x\n' } });
    const pr = await call(double, 'POST', '/api/v3/repos/acme/room/pulls', {
      body: { title: 't', head: 'topic', base: 'main' },
    });
    const url = `/api/v3/repos/acme/room/pulls/${pr.body.number}`;
    const edited = await call(double, 'PATCH', url, {
      body: { title: 'T2', body: 'B2', maintainer_can_modify: false, base: 'other' },
    });
    expect(edited.body).toMatchObject({ title: 'T2', body: 'B2', base: { ref: 'other' } });
    expect((await call(double, 'PATCH', url, { body: { base: 'nope' } })).status).toBe(422);
    const closed = await call(double, 'PATCH', url, { body: { state: 'closed' } });
    expect(closed.body).toMatchObject({ state: 'closed', merged: false });
    expect((await call(double, 'GET', `/api/v3/repos/acme/room/issues/${pr.body.number}`)).body.closed_by.login).toBe(
      'operator',
    );
    expect((await call(double, 'PATCH', url, { body: { base: 'main' } })).status).toBe(422);
    expect((await call(double, 'PATCH', url, { body: { state: 'open' } })).body.state).toBe('open');
    expect((await call(double, 'PATCH', url, { body: { state: 'merged' } })).status).toBe(422);
    double.admin('PATCH', '/_admin/issues', { repo: 'acme/room', number: pr.body.number, merged: true });
    expect((await call(double, 'PATCH', url, { body: { state: 'open' } })).status).toBe(422);
    expect((await call(double, 'PATCH', url, { token: READ_ONLY, body: { title: 'x' } })).status).toBe(403);
  });
});
