import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed } from './helpers';
import { calls, collaboratorsApply, getPermission, gh, GoError, lastSeq } from './provider-calls';

/**
 * The provider's calls for the resources issue 16 synthesizes (integrations/github 6.9.0 with
 * go-github v67), written as its Go source sends them and reading the double's answers as it reads
 * them; each block names the file and function it follows (docs/github-double.md, "Provider calls
 * for course resources"). The sequences are asserted from the double's request log, so a change of
 * the double that the provider would notice fails here.
 */

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
