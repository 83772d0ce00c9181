import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, b64, call } from './helpers';

describe('REST: repositories, files, collaborators', () => {
  let double: GitHubDouble;
  beforeEach(async () => {
    double = await startGitHubDouble({ seed: acmeSeed({ users: ['alice', 'bob', 'Carol'] }), generateDelayMs: 1 });
  });
  afterEach(() => double.stop());

  async function generate(name: string, owner = 'acme') {
    return call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name, owner, description: '', include_all_branches: false, private: true },
    });
  }

  test('generate answers 201 with the template, and a second generate of the name is a 422 clash', async () => {
    const first = await generate('room-alice');
    expect(first.status).toBe(201);
    expect(first.body.name).toBe('room-alice');
    expect(first.body.template_repository.owner.login).toBe('acme');
    expect(first.body.template_repository.name).toBe('tmpl');
    const clash = await generate('ROOM-alice');
    expect(clash.status).toBe(422);
    expect(clash.body.message).toBe('Repository creation failed.');
    expect(clash.body.errors[0].message).toBe('name already exists on this account');
  });

  test('a generated repository is empty until the template copy finishes', async () => {
    const slow = await startGitHubDouble({ seed: acmeSeed(), generateDelayMs: 3_600_000 });
    await call(slow, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name: 'room-bob', owner: 'acme', private: true },
    });
    const early = await call(slow, 'GET', '/api/v3/repos/acme/room-bob/contents/README.md');
    expect(early.status).toBe(404);
    expect((await call(slow, 'GET', '/api/v3/repos/acme/room-bob')).status).toBe(200);
    expect(slow.admin('POST', '/_admin/finish_generation').body).toEqual({ finished: 1 });
    const later = await call(slow, 'GET', '/api/v3/repos/acme/room-bob/contents/README.md');
    await slow.stop();
    expect(later.status).toBe(200);
    expect(Buffer.from(later.body.content, 'base64').toString()).toBe('# template\n');
  });

  test('a file written right after generate ends up beside the template files, whatever the timing', async () => {
    await generate('room-bob');
    const put = await call(double, 'PUT', '/api/v3/repos/acme/room-bob/contents/notes.md', {
      body: { message: 'm', content: b64('n') },
    });
    expect(put.status).toBe(201);
    const later = await call(double, 'GET', '/api/v3/repos/acme/room-bob/contents/README.md');
    expect(later.status).toBe(200);
    expect(Buffer.from(later.body.content, 'base64').toString()).toBe('# template\n');
    expect([...double.state.repo('acme', 'room-bob')!.files.keys()].sort()).toEqual(['README.md', 'notes.md']);
  });

  test('file create, read (url with ?ref=), commit lookup, update with sha, conflict, delete', async () => {
    await generate('room');
    const path = '/api/v3/repos/acme/room/contents/.github/workflows/ack.yml';
    const created = await call(double, 'PUT', path, { body: { message: 'Add ack', content: b64('on: push\n') } });
    expect(created.status).toBe(201);
    const commitSha = created.body.commit.sha as string;
    expect(commitSha).toMatch(/^[0-9a-f]{40}$/);
    const read = await call(double, 'GET', path);
    expect(read.status).toBe(200);
    expect(read.body.url).toContain('?ref=main');
    expect(Buffer.from(read.body.content, 'base64').toString()).toBe('on: push\n');
    expect((await call(double, 'GET', `/api/v3/repos/acme/room/commits/${commitSha}`)).body.sha).toBe(commitSha);
    const noSha = await call(double, 'PUT', path, { body: { message: 'again', content: b64('x') } });
    expect(noSha.status).toBe(422);
    const stale = await call(double, 'PUT', path, {
      body: { message: 'again', content: b64('x'), sha: 'f'.repeat(40) },
    });
    expect(stale.status).toBe(409);
    const updated = await call(double, 'PUT', path, {
      body: { message: 'update', content: b64('on: pull_request\n'), sha: read.body.sha },
    });
    expect(updated.status).toBe(200);
    const del = await call(double, 'DELETE', path, { body: { message: 'rm', sha: updated.body.content.sha } });
    expect(del.status).toBe(200);
    expect(del.body.content).toBeNull();
    expect((await call(double, 'GET', path)).status).toBe(404);
  });

  test('collaborators: a non-member is invited (201), a member is added (204); logins are case-insensitive', async () => {
    await generate('room');
    const invited = await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/CAROL', {
      body: { permission: 'push' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.invitee.login).toBe('Carol');
    expect(invited.body.permissions).toBe('write');
    const again = await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/carol', {
      body: { permission: 'push' },
    });
    expect(again.body.id).toBe(invited.body.id);
    const member = await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/mentor', {
      body: { permission: 'push' },
    });
    expect(member.status).toBe(204);
    const invitations = await call(double, 'GET', '/api/v3/repos/acme/room/invitations?per_page=100');
    expect(invitations.body.map((i: { invitee: { login: string } }) => i.invitee.login)).toEqual(['Carol']);
    const collabs = await call(double, 'GET', '/api/v3/repos/acme/room/collaborators?per_page=100');
    expect(collabs.body.map((c: { login: string; role_name: string }) => `${c.login}:${c.role_name}`)).toEqual([
      'mentor:write',
    ]);
    expect(
      (await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/nobody', { body: { permission: 'push' } }))
        .status,
    ).toBe(404);
  });

  test('invitations: pending, expired (still listed), accepted (then a collaborator)', async () => {
    await generate('room');
    await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/alice', { body: { permission: 'push' } });
    await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/bob', { body: { permission: 'push' } });
    expect(double.admin('POST', '/_admin/expire_invitation', { repo: 'acme/room', login: 'bob' }).status).toBe(200);
    const accepted = double.admin('POST', '/_admin/accept_invites', { repo: 'acme/room' });
    expect(accepted.body).toEqual({ accepted: ['acme/room:alice'] });
    const inv = await call(double, 'GET', '/api/v3/repos/acme/room/invitations');
    expect(
      inv.body.map((i: { invitee: { login: string }; expired: boolean }) => `${i.invitee.login}:${i.expired}`),
    ).toEqual(['bob:true']);
    const collabs = await call(double, 'GET', '/api/v3/repos/acme/room/collaborators');
    expect(collabs.body.map((c: { login: string }) => c.login)).toEqual(['alice']);
    // re-inviting after expiry issues a fresh invitation
    const fresh = await call(double, 'PUT', '/api/v3/repos/acme/room/collaborators/bob', {
      body: { permission: 'push' },
    });
    expect(fresh.status).toBe(201);
    expect(fresh.body.expired).toBe(false);
  });

  test('ETag on every GET and 304 for a matching If-None-Match, which is not charged', async () => {
    const first = await call(double, 'GET', '/api/v3/repos/acme/tmpl');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const used = Number(first.headers.get('x-ratelimit-used'));
    const second = await call(double, 'GET', '/api/v3/repos/acme/tmpl', { headers: { 'If-None-Match': etag } });
    expect(second.status).toBe(304);
    expect(second.body).toBeUndefined();
    expect(Number(second.headers.get('x-ratelimit-used'))).toBe(used);
    await call(double, 'PATCH', '/api/v3/repos/acme/tmpl', { body: { description: 'changed' } });
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl', { headers: { 'If-None-Match': etag } })).status).toBe(
      200,
    );
    for (const path of [
      '/api/v3/orgs/acme',
      '/api/v3/repos/acme/tmpl/labels',
      '/api/v3/repos/acme/tmpl/contents/README.md',
    ]) {
      expect((await call(double, 'GET', path)).headers.get('etag')).toBeTruthy();
    }
  });

  test('REST is served at the root too, with links under the base the client used', async () => {
    const root = await call(double, 'GET', '/repos/ACME/Tmpl');
    expect(root.status).toBe(200);
    expect(root.body.url).toBe(`${double.url}/repos/acme/tmpl`);
    const ghes = await call(double, 'GET', '/api/v3/repos/acme/tmpl');
    expect(ghes.body.url).toBe(`${double.url}/api/v3/repos/acme/tmpl`);
  });

  test('404 for what is missing; archived repositories refuse writes', async () => {
    expect((await call(double, 'GET', '/api/v3/repos/acme/nope')).status).toBe(404);
    expect((await call(double, 'GET', '/api/v3/no/such/route')).status).toBe(404);
    expect((await call(double, 'GET', '/api/v3/orgs/alice')).status).toBe(404);
    double.admin('POST', '/_admin/archive_repo', { repo: 'acme/tmpl' });
    const put = await call(double, 'PUT', '/api/v3/repos/acme/tmpl/contents/x.md', {
      body: { message: 'm', content: b64('x') },
    });
    expect(put.status).toBe(403);
    expect(put.body.message).toBe('Repository was archived so is read-only.');
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl')).body.archived).toBe(true);
  });

  test('PATCH keeps the settings sent, so a re-read shows no drift; vulnerability alerts toggle', async () => {
    await generate('room');
    const settings = {
      has_issues: true,
      has_wiki: false,
      allow_merge_commit: false,
      squash_merge_commit_title: 'PR_TITLE',
      homepage: '',
    };
    expect((await call(double, 'PATCH', '/api/v3/repos/acme/room', { body: settings })).status).toBe(200);
    const read = await call(double, 'GET', '/api/v3/repos/acme/room');
    expect(read.body).toMatchObject({ ...settings, private: true, visibility: 'private' });
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/vulnerability-alerts')).status).toBe(404);
    expect((await call(double, 'PUT', '/api/v3/repos/acme/room/vulnerability-alerts')).status).toBe(204);
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/vulnerability-alerts')).status).toBe(204);
    const bad = await call(double, 'PATCH', '/api/v3/repos/acme/room', { body: { merge_commit_title: 'NOPE' } });
    expect(bad.status).toBe(422);
  });

  test('labels and issues: create, read, update, close; a clash on label names', async () => {
    const label = await call(double, 'POST', '/api/v3/repos/acme/tmpl/labels', {
      body: { name: 'step', color: '0E8A16' },
    });
    expect(label.status).toBe(201);
    expect((await call(double, 'POST', '/api/v3/repos/acme/tmpl/labels', { body: { name: 'STEP' } })).status).toBe(422);
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl/labels/Step')).body.color).toBe('0e8a16');
    const issue = await call(double, 'POST', '/api/v3/repos/acme/tmpl/issues', {
      body: { title: 'Step 1', body: 'do it', labels: ['step'] },
    });
    expect(issue.status).toBe(201);
    expect(issue.body.user.login).toBe('operator');
    const closed = await call(double, 'PATCH', `/api/v3/repos/acme/tmpl/issues/${issue.body.number}`, {
      body: { state: 'closed' },
    });
    expect(closed.body).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(closed.body.closed_at).toEqual(expect.any(String));
    const comment = await call(double, 'POST', `/api/v3/repos/acme/tmpl/issues/${issue.body.number}/comments`, {
      body: { body: 'ack' },
    });
    expect(comment.status).toBe(201);
    const edited = await call(double, 'PATCH', `/api/v3/repos/acme/tmpl/issues/comments/${comment.body.id}`, {
      body: { body: 'ack, edited' },
    });
    expect(edited.status).toBe(200);
    const listed = await call(double, 'GET', `/api/v3/repos/acme/tmpl/issues/${issue.body.number}/comments`);
    expect(listed.body.map((c: { body: string }) => c.body)).toEqual(['ack, edited']);
    expect(
      (await call(double, 'GET', '/api/v3/repos/acme/tmpl/issues?state=closed&labels=step')).body.map(
        (i: { number: number }) => i.number,
      ),
    ).toEqual([issue.body.number]);
  });
});
