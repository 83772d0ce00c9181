import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import { generateAppKeyPair, startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed } from './helpers';

/**
 * What a starter-code update (`propose-update`) does through Octokit, against the double with an
 * App installation: read the template's change (compare, tree, blobs), make a branch in the room
 * from its default branch, write the changed files on that branch, open one pull request, and find
 * it again by head on a second run. The learner's default branch never moves.
 */

const keys = generateAppKeyPair();

describe('a starter-code update through Octokit', () => {
  let double: GitHubDouble;
  beforeAll(async () => {
    double = await startGitHubDouble({
      seed: acmeSeed({
        app: {
          id: 9,
          publicKey: keys.publicKeyPem,
          installations: [
            {
              id: 90,
              account: 'acme',
              permissions: { contents: 'write', pull_requests: 'write', administration: 'write', metadata: 'read' },
            },
          ],
        },
        repos: [
          {
            owner: 'acme',
            name: 'tmpl',
            is_template: true,
            files: { 'README.md': '# template\n', 'src/a.py': 'a = 1\n' },
          },
          { owner: 'acme', name: 'room-alice', files: { 'README.md': '# template\n', 'src/a.py': 'a = 1\n' } },
        ],
      }),
      generateDelayMs: 1,
    });
  });
  afterAll(() => double.stop());

  test('compare, tree, blobs, branch, files on the branch, one pull request, found again by head', async () => {
    const octokit = new Octokit({
      baseUrl: double.apiUrl,
      authStrategy: createAppAuth,
      auth: { appId: 9, privateKey: keys.privateKeyPem, installationId: 90 },
    });
    const before = double.state.repo('acme', 'tmpl')!.headSha!;
    double.admin('POST', '/_admin/push', {
      repo: 'acme/tmpl',
      files: { 'src/a.py': 'a = 2\n', 'src/new/b.py': 'b = 1\n' },
      message: 'Starter: fix a, add b',
    });
    const roomMain = double.state.repo('acme', 'room-alice')!.headSha!;

    const { data: cmp } = await octokit.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'tmpl',
      basehead: `${before}...main`,
    });
    expect(cmp.files?.map((f) => `${f.status} ${f.filename}`)).toEqual(['modified src/a.py', 'added src/new/b.py']);
    const { data: tree } = await octokit.git.getTree({
      owner: 'acme',
      repo: 'tmpl',
      tree_sha: 'main',
      recursive: 'true',
    });
    const changed = new Map<string, string>();
    for (const f of cmp.files ?? []) {
      const entry = tree.tree.find((e) => e.path === f.filename)!;
      const { data: blob } = await octokit.git.getBlob({ owner: 'acme', repo: 'tmpl', file_sha: entry.sha! });
      changed.set(f.filename, blob.content.replace(/\n/g, ''));
    }

    const branch = 'starter-update-1';
    const { data: base } = await octokit.git.getRef({ owner: 'acme', repo: 'room-alice', ref: 'heads/main' });
    await octokit.git.createRef({
      owner: 'acme',
      repo: 'room-alice',
      ref: `refs/heads/${branch}`,
      sha: base.object.sha,
    });
    for (const [path, content] of changed) {
      const existing = await octokit.repos
        .getContent({ owner: 'acme', repo: 'room-alice', path, ref: branch })
        .catch(() => undefined);
      const sha = existing && !Array.isArray(existing.data) ? existing.data.sha : undefined;
      await octokit.repos.createOrUpdateFileContents({
        owner: 'acme',
        repo: 'room-alice',
        path,
        branch,
        message: `Starter update: ${path}`,
        content,
        sha,
      });
    }
    const { data: pr } = await octokit.pulls.create({
      owner: 'acme',
      repo: 'room-alice',
      head: branch,
      base: 'main',
      title: 'Starter code update',
      body: 'From the template.',
    });
    expect(pr).toMatchObject({ state: 'open', head: { ref: branch }, base: { ref: 'main', sha: roomMain } });

    // the learner's default branch did not move; the branch holds the template's change
    expect(double.state.repo('acme', 'room-alice')!.headSha).toBe(roomMain);
    const onBranch = await octokit.repos.getContent({
      owner: 'acme',
      repo: 'room-alice',
      path: 'src/a.py',
      ref: branch,
    });
    expect(Buffer.from((onBranch.data as { content: string }).content, 'base64').toString()).toBe('a = 2\n');
    const { data: full } = await octokit.pulls.get({ owner: 'acme', repo: 'room-alice', pull_number: pr.number });
    expect({ commits: full.commits, changed_files: full.changed_files }).toEqual({ commits: 2, changed_files: 2 });

    // a second run finds its pull request by head and opens no other
    const open = await octokit.paginate(octokit.pulls.list, {
      owner: 'acme',
      repo: 'room-alice',
      head: `acme:${branch}`,
      state: 'open',
    });
    expect(open.map((p) => p.number)).toEqual([pr.number]);
    await expect(
      octokit.pulls.create({ owner: 'acme', repo: 'room-alice', head: branch, base: 'main', title: 'again' }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
