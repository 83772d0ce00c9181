import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, b64, call } from './helpers';

/**
 * Access that changes during a course: a collaborator's permission changed in place, a pending
 * invitation's updated, teams and their repository access, and what an archived repository refuses.
 */

const NO_MEMBERS = 'token-without-members';

describe('collaborators, invitations and teams', () => {
  let double: GitHubDouble;
  let orgId: number;
  let staffId: number;

  beforeEach(async () => {
    double = await startGitHubDouble({
      seed: acmeSeed({
        orgs: [
          {
            login: 'acme',
            members: ['operator', 'mentor'],
            teams: [{ name: 'Course Staff', members: ['mentor'], maintainers: ['tina'] }, { name: 'Other' }],
          },
        ],
        tokens: [
          { token: 'dummy-token-not-a-secret', login: 'operator' },
          { token: NO_MEMBERS, login: 'operator', permissions: { administration: 'write', contents: 'write' } },
        ],
        repos: [
          { owner: 'acme', name: 'tmpl', is_template: true, files: { 'README.md': '# template\n' } },
          {
            owner: 'acme',
            name: 'room',
            files: { 'README.md': 'r\n' },
            collaborators: [{ login: 'alice', permission: 'push' }],
            invitations: [{ login: 'bob', permission: 'push' }],
          },
          {
            owner: 'acme',
            name: 'staffed',
            files: { 'README.md': 's\n' },
            teams: [{ team: 'course-staff', permission: 'maintain' }],
          },
        ],
      }),
      generateDelayMs: 1,
    });
    orgId = (await call(double, 'GET', '/api/v3/orgs/acme')).body.id;
    staffId = (await call(double, 'GET', '/api/v3/orgs/acme/teams/course-staff')).body.id;
  });
  afterEach(() => double.stop());

  const permissionOf = async (repo: string, user: string) =>
    (await call(double, 'GET', `/api/v3/repos/acme/${repo}/collaborators/${user}/permission`)).body;

  test("a collaborator's permission changes in place (PUT again: 204), with no new invitation", async () => {
    const res = await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/alice', {
      body: { permission: 'pull' },
    });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(await permissionOf('room', 'alice')).toMatchObject({ permission: 'read', role_name: 'read' });
    const invites = await call(double, 'GET', '/api/v3/repos/acme/room/invitations');
    expect(invites.body.map((i: { invitee: { login: string } }) => i.invitee.login)).toEqual(['bob']);
    // and back up again, still without an invitation
    expect(
      (await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/alice', { body: { permission: 'admin' } }))
        .status,
    ).toBe(204);
    expect(await permissionOf('room', 'alice')).toMatchObject({ permission: 'admin', role_name: 'admin' });
  });

  test("a pending invitation's permission is updated in place (PATCH, the same id); the PUT's old names are refused there", async () => {
    const [inv] = (await call(double, 'GET', '/api/v3/repos/acme/room/invitations')).body;
    const patched = await call(double, 'PATCH', `/api/v3/repos/acme/room/invitations/${inv.id}`, {
      body: { permissions: 'read' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: inv.id, permissions: 'read', invitee: { login: 'bob' } });
    // GitHub's description lists read, write, maintain, triage, admin; the provider sends "pull"
    const old = await call(double, 'PATCH', `/api/v3/repos/acme/room/invitations/${inv.id}`, {
      body: { permissions: 'pull' },
    });
    expect(old.status).toBe(422);
    expect(old.body.message).toContain('"pull" is not one of');
    expect(
      (await call(double, 'PATCH', `/api/v3/repos/acme/room/invitations/${inv.id}`, { body: { permission: 'read' } }))
        .body.message,
    ).toContain('"permissions" wasn\'t supplied');
    expect(
      (await call(double, 'PATCH', '/api/v3/repos/acme/room/invitations/1', { body: { permissions: 'read' } })).status,
    ).toBe(404);
    double.admin('POST', '/_admin/accept_invites', { repo: 'acme/room', login: 'bob' });
    expect(await permissionOf('room', 'bob')).toMatchObject({ role_name: 'read' });
  });

  test('collaborators by affiliation: an outside collaborator is in both direct and outside; team members only in all', async () => {
    await call(double, 'PUT', '/api/v3/repos/acme/staffed/collaborators/mentor', { body: { permission: 'push' } }); // an org member: added at once
    await call(double, 'PUT', '/api/v3/repos/acme/staffed/collaborators/alice', { body: { permission: 'push' } });
    double.admin('POST', '/_admin/accept_invites', { repo: 'acme/staffed' });
    const list = async (affiliation?: string) =>
      (
        await call(
          double,
          'GET',
          `/api/v3/repos/acme/staffed/collaborators${affiliation ? `?affiliation=${affiliation}&per_page=100` : ''}`,
        )
      ).body
        .map((c: { login: string; role_name: string }) => `${c.login}:${c.role_name}`)
        .sort();
    expect(await list('direct')).toEqual(['alice:write', 'mentor:write']);
    expect(await list('outside')).toEqual(['alice:write']);
    // mentor is also in the staff team (maintain): the higher role wins; tina reaches it through the team only
    expect(await list()).toEqual(['alice:write', 'mentor:maintain', 'tina:maintain']);
    expect((await call(double, 'GET', '/api/v3/repos/acme/staffed/collaborators/tina')).status).toBe(204);
    expect(await permissionOf('staffed', 'tina')).toMatchObject({ permission: 'write', role_name: 'maintain' });
    expect((await call(double, 'GET', '/api/v3/repos/acme/staffed/collaborators?affiliation=nobody')).status).toBe(422);
  });

  test('teams: list, get by slug (team-full), members; 404 for an unknown team; members:read needed', async () => {
    const teams = await call(double, 'GET', '/api/v3/orgs/acme/teams');
    expect(teams.body.map((t: { slug: string }) => t.slug)).toEqual(['course-staff', 'other']);
    const staff = await call(double, 'GET', '/api/v3/orgs/acme/teams/course-staff');
    expect(staff.body).toMatchObject({
      id: staffId,
      name: 'Course Staff',
      members_count: 2,
      repos_count: 1,
      organization: { login: 'acme' },
    });
    const members = await call(double, 'GET', '/api/v3/orgs/acme/teams/course-staff/members?role=maintainer');
    expect(members.body.map((m: { login: string }) => m.login)).toEqual(['tina']);
    expect((await call(double, 'GET', '/api/v3/orgs/acme/teams/nope')).status).toBe(404);
    const refused = await call(double, 'GET', '/api/v3/orgs/acme/teams', { token: NO_MEMBERS });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('members=read');
  });

  test("team repository access by slug and by id (the provider's path): add, change, check (204 or the repository), list, remove", async () => {
    const byId = `/api/v3/organizations/${orgId}/team/${staffId}/repos/acme/room`;
    expect((await call(double, 'GET', byId)).status).toBe(404);
    expect((await call(double, 'PUT', byId, { body: { permission: 'push' } })).status).toBe(204);
    expect((await call(double, 'GET', '/api/v3/orgs/acme/teams/course-staff/repos/acme/room')).status).toBe(204);
    const full = await call(double, 'GET', byId, { headers: { Accept: 'application/vnd.github.v3.repository+json' } });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ name: 'room', role_name: 'write', permissions: { push: true, maintain: false } });
    expect(full.headers.get('etag')).toBeTruthy();
    expect(
      (
        await call(double, 'PUT', '/api/v3/orgs/acme/teams/course-staff/repos/acme/room', {
          body: { permission: 'maintain' },
        })
      ).status,
    ).toBe(204);
    const listed = await call(double, 'GET', '/api/v3/repos/acme/room/teams');
    expect(listed.body).toEqual([
      expect.objectContaining({ id: staffId, slug: 'course-staff', permission: 'maintain' }),
    ]);
    expect((await call(double, 'PUT', byId, { body: { permission: 'owner' } })).status).toBe(422);
    const refused = await call(double, 'PUT', byId, { token: NO_MEMBERS, body: { permission: 'push' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('administration=write,members=read');
    expect((await call(double, 'DELETE', byId)).status).toBe(204);
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/teams')).body).toEqual([]);
    expect(
      (await call(double, 'PUT', `/api/v3/organizations/${orgId}/team/999999/repos/acme/room`, { body: {} })).status,
    ).toBe(404);
  });

  test('moving a learner between teams moves their access and nothing else', async () => {
    double.admin('POST', '/_admin/teams', { org: 'acme', name: 'Team A', members: ['carol'] });
    double.admin('POST', '/_admin/teams', { org: 'acme', name: 'Team B' });
    double.admin('POST', '/_admin/team_repo', { repo: 'acme/room', team: 'team-a', permission: 'push' });
    double.admin('POST', '/_admin/team_repo', { repo: 'acme/staffed', team: 'team-b', permission: 'push' });
    expect((await permissionOf('room', 'carol')).role_name).toBe('write');
    expect((await permissionOf('staffed', 'carol')).role_name).toBe('none');
    double.admin('POST', '/_admin/team_members', { org: 'acme', team: 'team-a', login: 'carol', remove: true });
    double.admin('POST', '/_admin/team_members', { org: 'acme', team: 'team-b', login: 'carol' });
    expect((await permissionOf('room', 'carol')).role_name).toBe('none');
    expect((await permissionOf('staffed', 'carol')).role_name).toBe('write');
    expect((await permissionOf('room', 'alice')).role_name).toBe('write');
  });

  test('an archived repository refuses writes: files, refs, pull requests, collaborators, team access, a visibility change', async () => {
    double.admin('POST', '/_admin/archive_repo', { repo: 'acme/room' });
    const sha = double.state.repo('acme', 'room')!.headSha!;
    const refusals = [
      await call(double, 'PUT', '/api/v3/repos/acme/room/contents/x.md', { body: { message: 'x', content: b64('x') } }),
      await call(double, 'POST', '/api/v3/repos/acme/room/git/refs', { body: { ref: 'refs/heads/feedback', sha } }),
      await call(double, 'POST', '/api/v3/repos/acme/room/pulls', { body: { title: 't', head: 'main', base: 'main' } }),
      await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/alice', { body: { permission: 'admin' } }),
      await call(double, 'PUT', `/api/v3/organizations/${orgId}/team/${staffId}/repos/acme/room`, {
        body: { permission: 'push' },
      }),
      await call(double, 'PATCH', '/api/v3/repos/acme/room', { body: { visibility: 'public' } }),
      // the provider's visibility PATCH after an archive in the same apply carries archived: true
      await call(double, 'PATCH', '/api/v3/repos/acme/room', {
        body: { archived: true, has_issues: true, visibility: 'public' },
      }),
    ];
    expect(refusals.map((r) => [r.status, r.body.message])).toEqual(
      refusals.map(() => [403, 'Repository was archived so is read-only.']),
    );
    // reads still work; repeating the archive is a no-op; unarchiving is allowed
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/git/ref/heads/main')).status).toBe(200);
    expect(
      (await call(double, 'PATCH', '/api/v3/repos/acme/room', { body: { archived: true, visibility: 'private' } }))
        .status,
    ).toBe(200);
    expect((await call(double, 'PATCH', '/api/v3/repos/acme/room', { body: { archived: false } })).body.archived).toBe(
      false,
    );
    expect(
      (await call(double, 'PATCH', '/api/v3/repos/acme/room', { body: { visibility: 'public' } })).body.visibility,
    ).toBe('public');
  });

  test('the default branch moves to an existing branch only', async () => {
    const sha = double.state.repo('acme', 'room')!.headSha!;
    await call(double, 'POST', '/api/v3/repos/acme/room/git/refs', { body: { ref: 'refs/heads/trunk', sha } });
    expect((await call(double, 'PATCH', '/api/v3/repos/acme/room', { body: { default_branch: 'nope' } })).status).toBe(
      422,
    );
    expect(
      (await call(double, 'PATCH', '/api/v3/repos/acme/room', { body: { default_branch: 'trunk' } })).body
        .default_branch,
    ).toBe('trunk');
    expect((await call(double, 'DELETE', '/api/v3/repos/acme/room/git/refs/heads/main')).status).toBe(204);
    expect((await call(double, 'DELETE', '/api/v3/repos/acme/room/git/refs/heads/trunk')).status).toBe(422);
  });
});
