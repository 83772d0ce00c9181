import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, TOKEN } from './helpers';

/**
 * The provider's calls for the resources issue 16 synthesizes (integrations/github 6.9.0 with
 * go-github v67), written as its Go source sends them and reading the double's answers as it reads
 * them; each block names the file and function it follows (docs/github-double.md, "Provider calls
 * for course resources"). The sequences are asserted from the double's request log, so a change of
 * the double that the provider would notice fails here.
 */

/** go-github's answer: any status outside 2xx is an ErrorResponse (304 included). */
class GoError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message?: string; errors?: unknown[] } | undefined,
  ) {
    super(`${status} ${body?.message ?? ''} ${JSON.stringify(body?.errors ?? [])}`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read field by field as Go does
type Json = any;

interface GoResponse {
  status: number;
  body: Json;
  etag: string | null;
  nextPage: number;
}

/** One go-github call: `/api/v3` + path, JSON body, the provider's ETag transport (`If-None-Match`) and an optional Accept. */
async function gh(
  double: GitHubDouble,
  method: string,
  path: string,
  opts: { body?: unknown; etag?: string; accept?: string } = {},
): Promise<GoResponse> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${TOKEN}`,
    Accept: opts.accept ?? 'application/vnd.github.v3+json',
  };
  if (opts.etag) headers['If-None-Match'] = opts.etag;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${double.url}/api/v3${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
  const out = {
    status: res.status,
    body,
    etag: res.headers.get('etag'),
    nextPage: m ? Number(new URL(m[1]).searchParams.get('page')) : 0,
  };
  if (res.status < 200 || res.status > 299) throw new GoError(res.status, body);
  return out;
}

/** util_permissions.go getPermission */
const getPermission = (p: string): string => (p === 'read' ? 'pull' : p === 'write' ? 'push' : p);

/** What the double's log shows since `seq`: `METHOD path?query status`, without `/api/v3`. */
function calls(double: GitHubDouble, since: number): string[] {
  return double
    .requests(since)
    .map((r) => `${r.method} ${r.path.replace(/^\/api\/v3/, '')}${r.query ? `?${r.query}` : ''} ${r.status}`);
}
const lastSeq = (double: GitHubDouble): number => double.requests().at(-1)?.seq ?? 0;

// ---------------------------------------------------------------------------------------------
// resource_github_repository_collaborators.go

interface UserWant {
  username: string;
  permission: string;
}
interface TeamWant {
  team_id: string;
  permission: string;
}
interface Has {
  users: { username: string; permission: string }[];
  invites: { username: string; permission: string; id: number }[];
  teams: { teamID: number; slug: string; permission: string }[];
}

/** listAllCollaborators: collaborators ?affiliation=direct, then =outside (all pages), invitations, teams (an org owner). */
async function listAllCollaborators(
  double: GitHubDouble,
  owner: string,
  repo: string,
  ignoreTeamIds: number[],
): Promise<Has> {
  const has: Has = { users: [], invites: [], teams: [] };
  for (const affiliation of ['direct', 'outside']) {
    for (let page = 0; ;) {
      const r = await gh(
        double,
        'GET',
        `/repos/${owner}/${repo}/collaborators?affiliation=${affiliation}${page ? `&page=${page}` : ''}&per_page=100`,
      );
      for (const c of r.body) has.users.push({ username: c.login, permission: getPermission(c.role_name) });
      if (!(page = r.nextPage)) break;
    }
  }
  for (let page = 0; ;) {
    const r = await gh(double, 'GET', `/repos/${owner}/${repo}/invitations?${page ? `page=${page}&` : ''}per_page=100`);
    for (const i of r.body)
      has.invites.push({ username: i.invitee.login, permission: getPermission(i.permissions), id: i.id });
    if (!(page = r.nextPage)) break;
  }
  for (let page = 0; ;) {
    const r = await gh(double, 'GET', `/repos/${owner}/${repo}/teams?${page ? `page=${page}&` : ''}per_page=100`);
    for (const t of r.body)
      if (!ignoreTeamIds.includes(t.id))
        has.teams.push({ teamID: t.id, slug: t.slug, permission: getPermission(t.permission) });
    if (!(page = r.nextPage)) break;
  }
  return has;
}

/** util.go getTeamID: a number is an id; anything else a slug, looked up each time it is called. */
async function getTeamID(double: GitHubDouble, org: string, idOrSlug: string): Promise<number> {
  if (/^-?\d+$/.test(idOrSlug)) return Number(idOrSlug);
  return (await gh(double, 'GET', `/orgs/${org}/teams/${idOrSlug}`)).body.id;
}

/** repository_utils.go handleArchivedRepoDelete: a 403 whose message mentions "archived" is skipped. */
async function skipArchived(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof GoError && e.status === 403 && /archived/i.test(e.body?.message ?? ''))) throw e;
  }
}

/** Create (= Update): list, matchTeamCollaborators, matchUserCollaboratorsAndInvites, then Read. */
async function collaboratorsApply(
  double: GitHubDouble,
  o: { org: string; orgId: number; repo: string; users: UserWant[]; teams: TeamWant[]; ignoreTeams?: string[] },
): Promise<Json> {
  const ignore = [];
  for (const t of o.ignoreTeams ?? []) ignore.push(await getTeamID(double, o.org, t));
  const has = await listAllCollaborators(double, o.org, o.repo, ignore);
  // matchTeamCollaborators: changes in place, additions, then removals
  const remove = [];
  for (const h of has.teams) {
    let want = '';
    for (const w of o.teams)
      if ((await getTeamID(double, o.org, w.team_id)) === h.teamID) {
        want = w.permission;
        break;
      }
    if (!want) remove.push(h);
    else if (want !== h.permission)
      await gh(double, 'PUT', `/organizations/${o.orgId}/team/${h.teamID}/repos/${o.org}/${o.repo}`, {
        body: { permission: want },
      });
  }
  for (const w of o.teams) {
    const id = await getTeamID(double, o.org, w.team_id);
    if (!has.teams.some((h) => h.teamID === id))
      await gh(double, 'PUT', `/organizations/${o.orgId}/team/${id}/repos/${o.org}/${o.repo}`, {
        body: { permission: w.permission },
      });
  }
  for (const h of remove)
    await skipArchived(gh(double, 'DELETE', `/organizations/${o.orgId}/team/${h.teamID}/repos/${o.org}/${o.repo}`));
  // matchUserCollaboratorsAndInvites: usernames compared with == (case matters)
  for (const h of has.users) {
    const want = o.users.find((u) => u.username === h.username)?.permission ?? '';
    if (!want) await skipArchived(gh(double, 'DELETE', `/repos/${o.org}/${o.repo}/collaborators/${h.username}`));
    else if (want !== h.permission)
      await gh(double, 'PUT', `/repos/${o.org}/${o.repo}/collaborators/${h.username}`, { body: { permission: want } });
  }
  for (const h of has.invites) {
    const want = o.users.find((u) => u.username === h.username)?.permission ?? '';
    if (!want) await skipArchived(gh(double, 'DELETE', `/repos/${o.org}/${o.repo}/invitations/${h.id}`));
    else if (want !== h.permission)
      await gh(double, 'PATCH', `/repos/${o.org}/${o.repo}/invitations/${h.id}`, { body: { permissions: want } });
  }
  for (const w of o.users) {
    if (has.users.some((h) => h.username === w.username) || has.invites.some((h) => h.username === w.username))
      continue;
    await gh(double, 'PUT', `/repos/${o.org}/${o.repo}/collaborators/${w.username}`, {
      body: { permission: w.permission },
    });
  }
  return collaboratorsRead(double, o.org, o.repo, ignore);
}

/** Read: the state the provider stores (a TypeSet drops the duplicate an outside collaborator makes). */
async function collaboratorsRead(
  double: GitHubDouble,
  org: string,
  repo: string,
  ignore: number[] = [],
): Promise<{ user: string[]; team: string[]; invitation_ids: Record<string, string> }> {
  const has = await listAllCollaborators(double, org, repo, ignore);
  const user = [...new Set([...has.users, ...has.invites].map((u) => `${u.username}:${u.permission}`))].sort();
  return {
    user,
    team: has.teams.map((t) => `${t.teamID}:${t.permission}`),
    invitation_ids: Object.fromEntries(has.invites.map((i) => [i.username, String(i.id)])),
  };
}

// ---------------------------------------------------------------------------------------------

describe("the provider's calls for course resources, replayed against the double", () => {
  let double: GitHubDouble;
  let orgId: number;
  let staffId: number;
  let initial: string;

  beforeEach(async () => {
    double = await startGitHubDouble({
      seed: acmeSeed({
        orgs: [
          {
            login: 'acme',
            members: ['operator', 'mentor'],
            teams: [{ name: 'Staff', members: ['tina'] }, { name: 'Admins' }],
          },
        ],
        repos: [
          { owner: 'acme', name: 'tmpl', is_template: true, files: { 'README.md': '# template\n' } },
          {
            owner: 'acme',
            name: 'room',
            visibility: 'private',
            files: { 'README.md': '# template\n' },
            teams: [{ team: 'admins', permission: 'admin' }],
          },
        ],
      }),
      generateDelayMs: 1,
    });
    orgId = (await gh(double, 'GET', '/orgs/acme')).body.id; // config.go ConfigureOwner
    staffId = double.state.team('acme', 'staff')!.id;
    initial = double.state.repo('acme', 'room')!.headSha!;
  });
  afterEach(() => double.stop());

  test('github_repository_collaborators create: users and a team, one Read that matches the configuration', async () => {
    const since = lastSeq(double);
    const state = await collaboratorsApply(double, {
      org: 'acme',
      orgId,
      repo: 'room',
      ignoreTeams: ['admins'],
      users: [
        { username: 'alice', permission: 'push' },
        { username: 'mentor', permission: 'maintain' },
      ],
      teams: [{ team_id: String(staffId), permission: 'maintain' }],
    });
    const admins = double.state.team('acme', 'admins')!.id;
    expect(calls(double, since)).toEqual([
      'GET /orgs/acme/teams/admins 200', // getIgnoreTeamIds: a slug costs a call
      'GET /repos/acme/room/collaborators?affiliation=direct&per_page=100 200',
      'GET /repos/acme/room/collaborators?affiliation=outside&per_page=100 200',
      'GET /repos/acme/room/invitations?per_page=100 200',
      'GET /repos/acme/room/teams?per_page=100 200',
      `PUT /organizations/${orgId}/team/${staffId}/repos/acme/room 204`,
      'PUT /repos/acme/room/collaborators/alice 201', // an outside collaborator: invited
      'PUT /repos/acme/room/collaborators/mentor 204', // an org member: added at once
      'GET /repos/acme/room/collaborators?affiliation=direct&per_page=100 200',
      'GET /repos/acme/room/collaborators?affiliation=outside&per_page=100 200',
      'GET /repos/acme/room/invitations?per_page=100 200',
      'GET /repos/acme/room/teams?per_page=100 200',
    ]);
    // the ignored team (admin) stays, unread and untouched; the pending invitation reads as present
    expect(state).toEqual({
      user: ['alice:push', 'mentor:maintain'],
      team: [`${staffId}:maintain`],
      invitation_ids: { alice: expect.any(String) },
    });
    expect(double.state.repo('acme', 'room')!.teams.get(admins)?.role).toBe('admin');
  });

  test('a cutoff (push -> pull) once accepted: PUT on the existing collaborator, twice (direct and outside lists), access kept', async () => {
    const cfg = { org: 'acme', orgId, repo: 'room', ignoreTeams: ['admins'], teams: [] };
    await collaboratorsApply(double, { ...cfg, users: [{ username: 'alice', permission: 'push' }] });
    double.admin('POST', '/_admin/accept_invites', { repo: 'acme/room' });
    const since = lastSeq(double);
    const state = await collaboratorsApply(double, { ...cfg, users: [{ username: 'alice', permission: 'pull' }] });
    expect(calls(double, since).filter((c) => !c.startsWith('GET'))).toEqual([
      'PUT /repos/acme/room/collaborators/alice 204',
      'PUT /repos/acme/room/collaborators/alice 204',
    ]);
    expect(state.user).toEqual(['alice:pull']);
    expect(double.state.repo('acme', 'room')!.invitations).toEqual([]);
  });

  test('a cutoff while the invitation is pending: PATCH {permissions: "pull"}, which GitHub\'s enum does not list (the double: 422)', async () => {
    const cfg = { org: 'acme', orgId, repo: 'room', ignoreTeams: ['admins'], teams: [] };
    await collaboratorsApply(double, { ...cfg, users: [{ username: 'alice', permission: 'push' }] });
    const err = await collaboratorsApply(double, { ...cfg, users: [{ username: 'alice', permission: 'pull' }] }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GoError);
    expect((err as GoError).status).toBe(422);
    expect(calls(double, lastSeq(double) - 1).at(-1)).toMatch(/^PATCH \/repos\/acme\/room\/invitations\/\d+ 422$/);
  });

  test('removing a facilitator removes their access; a handle spelt in another case is removed and invited again', async () => {
    const cfg = { org: 'acme', orgId, repo: 'room', ignoreTeams: ['admins'], teams: [] };
    await collaboratorsApply(double, {
      ...cfg,
      users: [
        { username: 'alice', permission: 'push' },
        { username: 'mentor', permission: 'maintain' },
      ],
    });
    double.admin('POST', '/_admin/accept_invites', { repo: 'acme/room' });
    let since = lastSeq(double);
    await collaboratorsApply(double, { ...cfg, users: [{ username: 'alice', permission: 'push' }] });
    expect(calls(double, since).filter((c) => !c.startsWith('GET'))).toEqual([
      'DELETE /repos/acme/room/collaborators/mentor 204',
    ]);
    // "Alice" in the configuration, "alice" on GitHub: == differs, so DELETE (twice) and a new invitation
    since = lastSeq(double);
    const state = await collaboratorsApply(double, { ...cfg, users: [{ username: 'Alice', permission: 'push' }] });
    expect(calls(double, since).filter((c) => !c.startsWith('GET'))).toEqual([
      'DELETE /repos/acme/room/collaborators/alice 204',
      'DELETE /repos/acme/room/collaborators/alice 204',
      'PUT /repos/acme/room/collaborators/Alice 201',
    ]);
    expect(state.user).toEqual(['alice:push']); // read back in GitHub's case: a permanent diff against "Alice"
  });

  test('github_branch create from source_branch, Read with the ETag (304), a second create tolerated, delete', async () => {
    // resource_github_branch.go resourceGithubBranchCreate: GetRef(source) unless source_sha, CreateRef, then Read
    let since = lastSeq(double);
    const source = await gh(double, 'GET', '/repos/acme/room/git/ref/heads/main');
    await gh(double, 'POST', '/repos/acme/room/git/refs', {
      body: { ref: 'refs/heads/feedback', sha: source.body.object.sha },
    });
    const read = await gh(double, 'GET', '/repos/acme/room/git/ref/heads/feedback');
    expect(calls(double, since)).toEqual([
      'GET /repos/acme/room/git/ref/heads/main 200',
      'POST /repos/acme/room/git/refs 201',
      'GET /repos/acme/room/git/ref/heads/feedback 200',
    ]);
    expect({ ref: read.body.ref, sha: read.body.object.sha }).toEqual({ ref: 'refs/heads/feedback', sha: initial });
    // resourceGithubBranchRead on a later plan: If-None-Match with the stored etag; 304 keeps state
    await expect(
      gh(double, 'GET', '/repos/acme/room/git/ref/heads/feedback', { etag: read.etag! }),
    ).rejects.toMatchObject({ status: 304 });
    // a create over an existing branch: only this exact error text is tolerated
    const again = await gh(double, 'POST', '/repos/acme/room/git/refs', {
      body: { ref: 'refs/heads/feedback', sha: initial },
    }).catch((e: GoError) => e);
    expect(String((again as GoError).message)).toMatch(/^422 Reference already exists \[\]$/);
    // the branch moved (a push): the ETag no longer matches
    double.admin('POST', '/_admin/push', { repo: 'acme/room', branch: 'feedback', files: { 'x.md': 'x\n' } });
    expect((await gh(double, 'GET', '/repos/acme/room/git/ref/heads/feedback', { etag: read.etag! })).status).toBe(200);
    since = lastSeq(double);
    await gh(double, 'DELETE', '/repos/acme/room/git/refs/heads/feedback'); // resourceGithubBranchDelete
    // Read after a delete: 404 removes it from state
    await expect(gh(double, 'GET', '/repos/acme/room/git/ref/heads/feedback')).rejects.toMatchObject({ status: 404 });
    expect(calls(double, since)).toEqual([
      'DELETE /repos/acme/room/git/refs/heads/feedback 204',
      'GET /repos/acme/room/git/ref/heads/feedback 404',
    ]);
  });

  test('github_repository_pull_request: create the feedback pull request, Read without drift, update, delete closes it', async () => {
    await gh(double, 'POST', '/repos/acme/room/git/refs', { body: { ref: 'refs/heads/feedback', sha: initial } });
    double.admin('POST', '/_admin/push', { repo: 'acme/room', files: { 'progress.yml': 'on: push\n' } }); // the required files land on main after the branch
    const cfg = {
      title: 'Feedback',
      body: 'Your teacher leaves feedback here.',
      base_ref: 'feedback',
      head_ref: 'main',
      maintainer_can_modify: false,
    };
    // resource_github_repository_pull_request.go Create: NewPullRequest {title, head, base, body, maintainer_can_modify}
    const created = await gh(double, 'POST', '/repos/acme/room/pulls', {
      body: { title: cfg.title, head: cfg.head_ref, base: cfg.base_ref, body: cfg.body, maintainer_can_modify: false },
    });
    const id = `acme:room:${created.body.number}`; // buildThreePartID: also the import id
    // Read: PullRequests.Get; any error (404 included) fails the plan
    const pr = (await gh(double, 'GET', `/repos/acme/room/pulls/${id.split(':')[2]}`)).body;
    const read = {
      title: pr.title,
      body: pr.body ?? '',
      base_ref: pr.base.ref,
      head_ref: pr.head.ref,
      maintainer_can_modify: pr.maintainer_can_modify,
    };
    expect(read).toEqual(cfg);
    expect({ state: pr.state, opened_by: pr.user.login, draft: pr.draft, base_sha: pr.base.sha }).toEqual({
      state: 'open',
      opened_by: 'operator',
      draft: false,
      base_sha: initial,
    });
    // Update: PullRequests.Edit {title, body, maintainer_can_modify} (+ base when it changed)
    const since = lastSeq(double);
    await gh(double, 'PATCH', `/repos/acme/room/pulls/${pr.number}`, {
      body: { title: 'Feedback', body: 'Edited', maintainer_can_modify: false },
    });
    // Delete of an open one: Edit {state: "closed"}; a closed or merged one: no call
    await gh(double, 'PATCH', `/repos/acme/room/pulls/${pr.number}`, { body: { state: 'closed' } });
    expect(calls(double, since)).toEqual([
      `PATCH /repos/acme/room/pulls/${pr.number} 200`,
      `PATCH /repos/acme/room/pulls/${pr.number} 200`,
    ]);
    expect((await gh(double, 'GET', `/repos/acme/room/pulls/${pr.number}`)).body).toMatchObject({
      state: 'closed',
      body: 'Edited',
    });
  });

  test('github_team_repository: PUT by ids, Read asks for the repository media type (role_name), ETag 304, update, delete', async () => {
    const path = `/organizations/${orgId}/team/${staffId}/repos/acme/room`;
    const accept = 'application/vnd.github.v3.repository+json';
    const since = lastSeq(double);
    await gh(double, 'PUT', path, { body: { permission: 'maintain' } }); // resourceGithubTeamRepositoryCreate (AddTeamRepoByID)
    const read = await gh(double, 'GET', path, { accept }); // resourceGithubTeamRepositoryRead (IsTeamRepoByID)
    expect({ repository: read.body.name, permission: getPermission(read.body.role_name) }).toEqual({
      repository: 'room',
      permission: 'maintain',
    });
    await expect(gh(double, 'GET', path, { accept, etag: read.etag! })).rejects.toMatchObject({ status: 304 });
    await gh(double, 'PUT', path, { body: { permission: 'push' } }); // Update: the same PUT
    expect(getPermission((await gh(double, 'GET', path, { accept, etag: read.etag! })).body.role_name)).toBe('push');
    await gh(double, 'DELETE', path);
    await expect(gh(double, 'GET', path, { accept })).rejects.toMatchObject({ status: 404 }); // Read: 404 removes it from state
    expect(calls(double, since)).toEqual([
      `PUT ${path} 204`,
      `GET ${path} 200`,
      `GET ${path} 304`,
      `PUT ${path} 204`,
      `GET ${path} 200`,
      `DELETE ${path} 204`,
      `GET ${path} 404`,
    ]);
  });

  test('github_repository: archive then make public in one apply fails on the second PATCH; public first, then archive, works', async () => {
    // resourceGithubRepositoryUpdate: PATCH without visibility (archived: true), then, visibility having changed, PATCH with it
    const settings = { name: 'room', description: '', has_issues: true, archived: true };
    await gh(double, 'PATCH', '/repos/acme/room', { body: settings });
    const second = await gh(double, 'PATCH', '/repos/acme/room', { body: { ...settings, visibility: 'public' } }).catch(
      (e: GoError) => e,
    );
    expect(second).toMatchObject({ status: 403, body: { message: 'Repository was archived so is read-only.' } });
    expect((await gh(double, 'GET', '/repos/acme/room')).body).toMatchObject({ archived: true, visibility: 'private' });
    // the next plan: d.Get("archived") && !HasChange("archived") -> "Skipping update of archived repository": no call, the diff stays
    // portfolio order instead: visibility first (archived still false), archive in a later apply
    double.admin('POST', '/_admin/archive_repo', { repo: 'acme/room', archived: false });
    await gh(double, 'PATCH', '/repos/acme/room', { body: { ...settings, archived: false } });
    await gh(double, 'PATCH', '/repos/acme/room', { body: { ...settings, archived: false, visibility: 'public' } });
    await gh(double, 'PATCH', '/repos/acme/room', { body: { ...settings, archived: true } });
    expect((await gh(double, 'GET', '/repos/acme/room')).body).toMatchObject({ archived: true, visibility: 'public' });
  });
});
