import { startGitHubDouble, type GitHubDouble } from '../../github-double';
import { acmeSeed, admin, call } from './helpers';

describe('admin API: drift and control out of band', () => {
  let double: GitHubDouble;
  beforeEach(async () => {
    double = await startGitHubDouble({ seed: acmeSeed({ repos: [{ owner: 'acme', name: 'room', files: { 'a.md': 'a' }, collaborators: [{ login: 'alice' }] }] }) });
  });
  afterEach(() => double.stop());

  test('write_file and delete_file make commits the API then shows', async () => {
    expect((await admin(double, 'POST', '/_admin/write_file', { repo: 'acme/room', path: 'b.md', content: 'bee' })).status).toBe(200);
    const b = await call(double, 'GET', '/api/v3/repos/acme/room/contents/b.md');
    expect(Buffer.from(b.body.content, 'base64').toString()).toBe('bee');
    expect((await admin(double, 'POST', '/_admin/delete_file', { repo: 'acme/room', path: 'a.md' })).status).toBe(200);
    expect((await call(double, 'GET', '/api/v3/repos/acme/room/contents/a.md')).status).toBe(404);
    const missing = await admin(double, 'POST', '/_admin/delete_file', { repo: 'acme/room', path: 'a.md' });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('no file a.md in acme/room');
  });

  test('collaborators, archive and delete out of band; /_admin/state summarizes', async () => {
    await admin(double, 'POST', '/_admin/remove_collaborator', { repo: 'acme/room', login: 'ALICE' });
    await admin(double, 'POST', '/_admin/add_collaborator', { repo: 'acme/room', login: 'bob', permission: 'maintain' });
    await admin(double, 'POST', '/_admin/archive_repo', { repo: 'acme/room' });
    const state = await admin(double, 'GET', '/_admin/state');
    expect(state.body.repos.find((r: { full_name: string }) => r.full_name === 'acme/room')).toMatchObject({ archived: true, collaborators: [{ login: 'bob', role: 'maintain' }], files: ['a.md'] });
    await admin(double, 'POST', '/_admin/delete_repo', { repo: 'acme/room' });
    expect((await call(double, 'GET', '/api/v3/repos/acme/room')).status).toBe(404);
  });

  test('bad admin input names the field; unknown endpoints are 404', async () => {
    const bad = await admin(double, 'POST', '/_admin/delete_file', { repo: 'acme/nope', path: 'x' });
    expect(bad.status).toBe(404);
    expect(bad.body.message).toContain('repo: no repository acme/nope');
    expect((await admin(double, 'POST', '/_admin/delete_file', { repo: 'acme/room' })).body.message).toContain('path: expected a non-empty string');
    expect((await admin(double, 'POST', '/_admin/clock', { advance_ms: -1 })).status).toBe(400);
    expect((await admin(double, 'POST', '/_admin/nothing', {})).status).toBe(404);
    expect((await admin(double, 'POST', '/_admin/reset', '{not json')).status).toBe(400);
  });

  test('the clock moves over HTTP: the rate-limit window rolls over', async () => {
    const before = await call(double, 'GET', '/api/v3/rate_limit');
    const reset = before.body.resources.core.reset as number;
    await admin(double, 'POST', '/_admin/clock', { advance_ms: 3600_000 });
    const after = await call(double, 'GET', '/api/v3/rate_limit');
    expect(after.body.resources.core.reset).toBeGreaterThanOrEqual(reset + 3600);
  });
});
