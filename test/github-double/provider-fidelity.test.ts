import { startGitHubDouble, type GitHubDouble } from '../../github-double';
import { acmeSeed, b64, call, type Answer } from './helpers';

/**
 * What the Terraform provider (integrations/github 6.9.0, go-github v67) reads from the double's
 * answers, step by step as its Go source does it (file and function named in each test). The
 * replay test checks statuses of recorded runs; this one checks the fields the provider parses,
 * for the paths the recordings do not cover (import, archive, App auth).
 */

/** go-github's `Response.NextPage`: the `page` of the `rel="next"` link, 0 without one. */
function nextPage(res: Answer): number {
  const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
  return m ? Number(new URL(m[1]).searchParams.get('page')) : 0;
}

/**
 * repository_utils.go `getFileCommit`: what `resourceGithubRepositoryFileRead` runs after an import
 * (no `commit_sha` in state yet): list the commits of `branch` touching `file`, then read each and
 * return the first whose `files` lists `file` with a status other than "removed".
 */
async function providerGetFileCommit(double: GitHubDouble, repo: string, file: string, branch: string): Promise<{ sha: string; message: string }> {
  const commits: { sha: string }[] = [];
  for (let page = 0; ; ) {
    const res = await call(double, 'GET', `/api/v3/repos/acme/${repo}/commits?path=${encodeURIComponent(file)}&sha=${branch}${page ? `&page=${page}` : ''}`);
    if (res.status !== 200) throw new Error(`ListCommits: ${res.status} ${JSON.stringify(res.body)}`);
    commits.push(...res.body);
    page = nextPage(res);
    if (page === 0) break;
  }
  for (const c of commits) {
    const res = await call(double, 'GET', `/api/v3/repos/acme/${repo}/commits/${c.sha}`);
    if (res.status !== 200) throw new Error(`GetCommit: ${res.status}`);
    if (String(res.body.commit.message).includes('Merge branch')) continue;
    for (const f of res.body.files ?? []) {
      if (f.filename === file && f.status !== 'removed') return { sha: res.body.sha, message: res.body.commit.message };
    }
  }
  throw new Error(`cannot find file ${file} in repo acme/${repo}`);
}

describe('the provider reads what the double answers', () => {
  let double: GitHubDouble;
  beforeAll(async () => {
    double = await startGitHubDouble({ seed: acmeSeed(), generateDelayMs: 1 });
  });
  afterAll(() => double.stop());

  test('file import (resource_github_repository_file.go importer + Read): the commit that last wrote the file is found', async () => {
    await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', { body: { name: 'imp', owner: 'acme', private: true } });
    await double.state.repo('acme', 'imp')!.ready;
    const first = await call(double, 'PUT', '/api/v3/repos/acme/imp/contents/.github/workflows/ack.yml', { body: { message: 'Add ack', content: b64('one\n') } });
    const second = await call(double, 'PUT', '/api/v3/repos/acme/imp/contents/.github/workflows/ack.yml', { body: { message: 'Update ack', content: b64('two\n'), sha: first.body.content.sha } });
    await call(double, 'PUT', '/api/v3/repos/acme/imp/contents/other.md', { body: { message: 'Add other', content: b64('x\n') } });
    // the importer's GetContents, and the branch Read takes from `url`'s `?ref=`
    const contents = await call(double, 'GET', '/api/v3/repos/acme/imp/contents/.github/workflows/ack.yml');
    expect(contents.status).toBe(200);
    const ref = new URL(contents.body.url).searchParams.get('ref');
    expect(ref).toBe('main');
    await expect(providerGetFileCommit(double, 'imp', '.github/workflows/ack.yml', ref!)).resolves.toEqual({ sha: second.body.commit.sha, message: 'Update ack' });
    // a file that came with the template is found in the copy's initial commit
    await expect(providerGetFileCommit(double, 'imp', 'README.md', 'main')).resolves.toMatchObject({ message: 'Initial commit' });
  });

  test('a file deleted and written again: the removal is skipped, the rewrite found; pages are followed', async () => {
    await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', { body: { name: 'paged', owner: 'acme', private: true } });
    await double.state.repo('acme', 'paged')!.ready;
    let put = await call(double, 'PUT', '/api/v3/repos/acme/paged/contents/f.md', { body: { message: 'v0', content: b64('v0\n') } });
    for (let i = 1; i <= 32; i++) {
      put = await call(double, 'PUT', '/api/v3/repos/acme/paged/contents/f.md', { body: { message: `v${i}`, content: b64(`v${i}\n`), sha: put.body.content.sha } });
    }
    const oldest = await call(double, 'GET', '/api/v3/repos/acme/paged/commits?sha=main&path=f.md&per_page=100');
    expect(oldest.body).toHaveLength(33);
    expect(oldest.body.at(-1).commit.message).toBe('v0');
    const firstPage = await call(double, 'GET', '/api/v3/repos/acme/paged/commits?sha=main&path=f.md');
    expect(firstPage.body).toHaveLength(30);
    expect(nextPage(firstPage)).toBe(2);
    double.admin('POST', '/_admin/delete_file', { repo: 'acme/paged', path: 'f.md' });
    const removal = await call(double, 'GET', '/api/v3/repos/acme/paged/commits?sha=main&path=f.md&per_page=1');
    const removed = await call(double, 'GET', `/api/v3/repos/acme/paged/commits/${removal.body[0].sha}`);
    expect(removed.body.files).toEqual([expect.objectContaining({ filename: 'f.md', status: 'removed', deletions: 1, additions: 0 })]);
    await expect(providerGetFileCommit(double, 'paged', 'f.md', 'main')).resolves.toEqual({ sha: put.body.commit.sha, message: 'v32' });
    expect((await call(double, 'GET', `/api/v3/repos/acme/paged/commits/${put.body.commit.sha}`)).body.files).toEqual([
      expect.objectContaining({ filename: 'f.md', status: 'modified', additions: 1, deletions: 1, changes: 2 }),
    ]);
  });
});
