import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, b64, call, TOKEN, type Answer } from './helpers';

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
async function providerGetFileCommit(
  double: GitHubDouble,
  repo: string,
  file: string,
  branch: string,
): Promise<{ sha: string; message: string }> {
  const commits: { sha: string }[] = [];
  for (let page = 0; ;) {
    const res = await call(
      double,
      'GET',
      `/api/v3/repos/acme/${repo}/commits?path=${encodeURIComponent(file)}&sha=${branch}${page ? `&page=${page}` : ''}`,
    );
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

/**
 * resource_github_repository.go `resourceGithubRepositoryRead`: the attributes it sets from
 * `GET /repos/{o}/{r}` (a missing field reads as go-github's zero value: false, "" or empty).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's JSON, read field by field as Go does
function providerRepositoryRead(r: any): Record<string, unknown> {
  const out: Record<string, unknown> = {
    description: r.description ?? '',
    homepage_url: r.homepage ?? '',
    private: r.private ?? false,
    visibility: r.visibility ?? '',
    has_issues: r.has_issues ?? false,
    has_discussions: r.has_discussions ?? false,
    has_projects: r.has_projects ?? false,
    has_wiki: r.has_wiki ?? false,
    is_template: r.is_template ?? false,
    archived: r.archived ?? false,
    topics: r.topics ?? [],
    default_branch: r.default_branch ?? '',
    fork: r.fork ? 'true' : 'false',
    // `repo.TemplateRepository.Owner.Login`: a template without an owner panics the provider
    template: r.template_repository
      ? [{ owner: r.template_repository.owner.login, repository: r.template_repository.name }]
      : [],
    security_and_analysis: r.security_and_analysis ? ['set'] : [],
  };
  if (!out.archived) {
    Object.assign(out, {
      allow_auto_merge: r.allow_auto_merge ?? false,
      allow_merge_commit: r.allow_merge_commit ?? false,
      allow_rebase_merge: r.allow_rebase_merge ?? false,
      allow_squash_merge: r.allow_squash_merge ?? false,
      allow_update_branch: r.allow_update_branch ?? false,
      delete_branch_on_merge: r.delete_branch_on_merge ?? false,
      web_commit_signoff_required: r.web_commit_signoff_required ?? false,
      has_downloads: r.has_downloads ?? false,
      merge_commit_message: r.merge_commit_message ?? '',
      merge_commit_title: r.merge_commit_title ?? '',
      squash_merge_commit_message: r.squash_merge_commit_message ?? '',
      squash_merge_commit_title: r.squash_merge_commit_title ?? '',
    });
  }
  return out;
}

/**
 * What our synthesized room (`has_issues = true`, `visibility = "private"`, a template) plans for
 * each attribute the Read sets: the configuration plus the schema's defaults (Optional without a
 * default reads as false / ""). Computed attributes (topics, default_branch, fork,
 * security_and_analysis) show no diff whatever the Read finds, so they are left out.
 */
const PLANNED_ROOM: Record<string, unknown> = {
  description: '',
  homepage_url: '',
  private: true,
  visibility: 'private',
  has_issues: true,
  has_discussions: false,
  has_projects: false,
  has_wiki: false,
  is_template: false,
  archived: false,
  allow_auto_merge: false,
  allow_merge_commit: true,
  allow_rebase_merge: true,
  allow_squash_merge: true,
  allow_update_branch: false,
  delete_branch_on_merge: false,
  web_commit_signoff_required: false,
  has_downloads: false,
  merge_commit_message: 'PR_TITLE',
  merge_commit_title: 'MERGE_MESSAGE',
  squash_merge_commit_message: 'COMMIT_MESSAGES',
  squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
};

/** The provider's first PATCH after the generate, as go-github serializes `resourceGithubRepositoryObject` (recorded). */
function createPatch(name: string): Record<string, unknown> {
  return {
    name,
    description: '',
    homepage: '',
    auto_init: false,
    allow_rebase_merge: true,
    allow_update_branch: false,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    web_commit_signoff_required: false,
    delete_branch_on_merge: false,
    squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
    squash_merge_commit_message: 'COMMIT_MESSAGES',
    merge_commit_title: 'MERGE_MESSAGE',
    merge_commit_message: 'PR_TITLE',
    archived: false,
    has_issues: true,
    has_wiki: false,
    has_projects: false,
    has_downloads: false,
    has_discussions: false,
    is_template: false,
    license_template: '',
    gitignore_template: '',
  };
}

describe('the provider reads what the double answers', () => {
  let double: GitHubDouble;
  beforeAll(async () => {
    double = await startGitHubDouble({ seed: acmeSeed(), generateDelayMs: 1 });
  });
  afterAll(() => double.stop());

  test('file import (resource_github_repository_file.go importer + Read): the commit that last wrote the file is found', async () => {
    await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name: 'imp', owner: 'acme', private: true },
    });
    await double.state.repo('acme', 'imp')!.ready;
    const first = await call(double, 'PUT', '/api/v3/repos/acme/imp/contents/.github/workflows/ack.yml', {
      body: { message: 'Add ack', content: b64('one\n') },
    });
    const second = await call(double, 'PUT', '/api/v3/repos/acme/imp/contents/.github/workflows/ack.yml', {
      body: { message: 'Update ack', content: b64('two\n'), sha: first.body.content.sha },
    });
    await call(double, 'PUT', '/api/v3/repos/acme/imp/contents/other.md', {
      body: { message: 'Add other', content: b64('x\n') },
    });
    // the importer's GetContents, and the branch Read takes from `url`'s `?ref=`
    const contents = await call(double, 'GET', '/api/v3/repos/acme/imp/contents/.github/workflows/ack.yml');
    expect(contents.status).toBe(200);
    const ref = new URL(contents.body.url).searchParams.get('ref');
    expect(ref).toBe('main');
    await expect(providerGetFileCommit(double, 'imp', '.github/workflows/ack.yml', ref!)).resolves.toEqual({
      sha: second.body.commit.sha,
      message: 'Update ack',
    });
    // a file that came with the template is found in the copy's initial commit
    await expect(providerGetFileCommit(double, 'imp', 'README.md', 'main')).resolves.toMatchObject({
      message: 'Initial commit',
    });
  });

  test('a file deleted and written again: the removal is skipped, the rewrite found; pages are followed', async () => {
    await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name: 'paged', owner: 'acme', private: true },
    });
    await double.state.repo('acme', 'paged')!.ready;
    let put = await call(double, 'PUT', '/api/v3/repos/acme/paged/contents/f.md', {
      body: { message: 'v0', content: b64('v0\n') },
    });
    for (let i = 1; i <= 32; i++) {
      put = await call(double, 'PUT', '/api/v3/repos/acme/paged/contents/f.md', {
        body: { message: `v${i}`, content: b64(`v${i}\n`), sha: put.body.content.sha },
      });
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
    expect(removed.body.files).toEqual([
      expect.objectContaining({ filename: 'f.md', status: 'removed', deletions: 1, additions: 0 }),
    ]);
    await expect(providerGetFileCommit(double, 'paged', 'f.md', 'main')).resolves.toEqual({
      sha: put.body.commit.sha,
      message: 'v32',
    });
    expect((await call(double, 'GET', `/api/v3/repos/acme/paged/commits/${put.body.commit.sha}`)).body.files).toEqual([
      expect.objectContaining({ filename: 'f.md', status: 'modified', additions: 1, deletions: 1, changes: 2 }),
    ]);
  });

  test('repository create then Read (resourceGithubRepositoryCreate/Update/Read): no attribute differs from the plan', async () => {
    const gen = await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name: 'room', owner: 'acme', description: '', include_all_branches: false, private: true },
    });
    expect(gen.body.name).toBe('room'); // `*repo.Name`: a missing name panics
    expect((await call(double, 'DELETE', '/api/v3/repos/acme/room/vulnerability-alerts')).status).toBe(204);
    expect((await call(double, 'PATCH', '/api/v3/repos/acme/room', { body: createPatch('room') })).body.name).toBe(
      'room',
    );
    expect(
      (
        await call(double, 'PATCH', '/api/v3/repos/acme/room', {
          body: { ...createPatch('room'), visibility: 'private' },
        })
      ).status,
    ).toBe(200);
    const read = await call(double, 'GET', '/api/v3/repos/acme/room');
    expect(read.headers.get('etag')).toBeTruthy();
    const got = providerRepositoryRead(read.body);
    expect(Object.fromEntries(Object.keys(PLANNED_ROOM).map((k) => [k, got[k]]))).toEqual(PLANNED_ROOM);
    expect(got.template).toEqual([{ owner: 'acme', repository: 'tmpl' }]);
    expect(got.security_and_analysis).toEqual([]); // left out: an archive PATCH would otherwise send it back
    // GetVulnerabilityAlerts: 404 reads as false, 204 as true; anything else fails the Read
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/vulnerability-alerts')).status).toBe(404);
  });

  test('an imported repository (importer sets only auto_init) reads its GitHub defaults: updates in place, never a replacement', async () => {
    const read = providerRepositoryRead((await call(double, 'GET', '/api/v3/repos/acme/tmpl')).body);
    // GitHub's defaults for a new repository; our config differs on has_wiki/has_projects/has_downloads (an in-place update)
    expect(read).toMatchObject({
      allow_merge_commit: true,
      allow_squash_merge: true,
      allow_rebase_merge: true,
      merge_commit_title: 'MERGE_MESSAGE',
      merge_commit_message: 'PR_TITLE',
      squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
      squash_merge_commit_message: 'COMMIT_MESSAGES',
      has_wiki: true,
      fork: 'false',
    });
  });

  test('collaborator Read (resourceGithubRepositoryCollaboratorRead): invitation then collaborator both read as "push"', async () => {
    const put = await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/alice', {
      body: { permission: 'push' },
    });
    expect(put.status).toBe(201);
    const invitations = await call(double, 'GET', '/api/v3/repos/acme/room/invitations?per_page=100');
    const inv = invitations.body.find((i: { invitee: { login: string } }) => i.invitee.login.toLowerCase() === 'alice');
    // getPermission (util_permissions.go): "write" -> "push", "read" -> "pull"; invitation_id from the integer id
    expect(inv).toMatchObject({ permissions: 'write', id: expect.any(Number) });
    double.admin('POST', '/_admin/accept_invites', { repo: 'acme/room' });
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/invitations?per_page=100')).body).toEqual([]);
    const collaborators = await call(double, 'GET', '/api/v3/repos/acme/room/collaborators?per_page=100');
    // go-github: `User.Permissions` is map[string]bool, `RepositoryInvitation.Permissions` a string
    expect(collaborators.body.find((c: { login: string }) => c.login === 'alice')).toMatchObject({
      role_name: 'write',
      permissions: { push: true, admin: false },
    });
  });

  test('file Create/Read (resourceGithubRepositoryFileCreate/Read): 404 first, commit.sha, content decodes, url has ?ref=', async () => {
    await double.state.repo('acme', 'room')!.ready;
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/contents/.github/workflows/progress.yml')).status).toBe(
      404,
    );
    const text = 'on: push\nenv:\n  A: ${{ github.actor }}\n';
    const put = await call(double, 'PUT', '/api/v3/repos/acme/room/contents/.github/workflows/progress.yml', {
      body: { message: 'Add .github/workflows/progress.yml', content: b64(text) },
    });
    expect(put.body.commit.sha).toMatch(/^[0-9a-f]{40}$/);
    const read = await call(double, 'GET', '/api/v3/repos/acme/room/contents/.github/workflows/progress.yml');
    expect(read.body.encoding).toBe('base64');
    // Go's base64 decoder skips the line breaks GitHub puts every 60 characters
    expect(Buffer.from(String(read.body.content).replace(/\n/g, ''), 'base64').toString('utf8')).toBe(text);
    expect(new URL(read.body.url).searchParams.getAll('ref')).toEqual(['main']);
    const commit = await call(double, 'GET', `/api/v3/repos/acme/room/commits/${put.body.commit.sha}`);
    expect(commit.body.commit).toMatchObject({
      message: 'Add .github/workflows/progress.yml',
      committer: { name: expect.any(String), email: expect.any(String) },
    });
  });
});

describe('workflow files need the workflows permission (GitHub refuses an App without it)', () => {
  let double: GitHubDouble;
  const WITH = 'token-with-workflows';
  const WITHOUT = 'token-without-workflows';
  beforeAll(async () => {
    double = await startGitHubDouble({
      seed: acmeSeed({
        tokens: [
          { token: TOKEN, login: 'operator' },
          {
            token: WITH,
            login: 'operator',
            permissions: { administration: 'write', contents: 'write', workflows: 'write' },
          },
          { token: WITHOUT, login: 'operator', permissions: { administration: 'write', contents: 'write' } },
        ],
      }),
      generateDelayMs: 1,
    });
    await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name: 'wf', owner: 'acme', private: true },
    });
    await double.state.repo('acme', 'wf')!.ready;
  });
  afterAll(() => double.stop());

  test('a bound token (as an installation) without workflows:write gets 403 on .github/workflows/, not elsewhere', async () => {
    const refused = await call(double, 'PUT', '/api/v3/repos/acme/wf/contents/.github/workflows/ack.yml', {
      token: WITHOUT,
      body: { message: 'Add', content: b64('on: push\n') },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Resource not accessible by integration');
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('contents=write,workflows=write');
    expect(
      (
        await call(double, 'PUT', '/api/v3/repos/acme/wf/contents/docs/a.md', {
          token: WITHOUT,
          body: { message: 'Add', content: b64('a\n') },
        })
      ).status,
    ).toBe(201);
    const ok = await call(double, 'PUT', '/api/v3/repos/acme/wf/contents/.github/workflows/ack.yml', {
      token: WITH,
      body: { message: 'Add', content: b64('on: push\n') },
    });
    expect(ok.status).toBe(201);
    const del = await call(double, 'DELETE', '/api/v3/repos/acme/wf/contents/.github/workflows/ack.yml', {
      token: WITHOUT,
      body: { message: 'Delete', sha: ok.body.content.sha },
    });
    expect(del.status).toBe(403);
    // an unbound token (a classic token with the workflow scope) may write them
    expect(
      (
        await call(double, 'PUT', '/api/v3/repos/acme/wf/contents/.github/workflows/b.yml', {
          body: { message: 'Add', content: b64('on: push\n') },
        })
      ).status,
    ).toBe(201);
  });
});
