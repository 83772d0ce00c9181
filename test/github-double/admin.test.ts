import { request as httpRequest } from 'node:http';
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, admin, call, TOKEN } from './helpers';

describe('admin API: drift and control out of band', () => {
  let double: GitHubDouble;
  beforeEach(async () => {
    double = await startGitHubDouble({
      seed: acmeSeed({
        repos: [{ owner: 'acme', name: 'room', files: { 'a.md': 'a' }, collaborators: [{ login: 'alice' }] }],
      }),
    });
  });
  afterEach(() => double.stop());

  test('write_file and delete_file make commits the API then shows', async () => {
    expect(
      (await admin(double, 'POST', '/_admin/write_file', { repo: 'acme/room', path: 'b.md', content: 'bee' })).status,
    ).toBe(200);
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
    await admin(double, 'POST', '/_admin/add_collaborator', {
      repo: 'acme/room',
      login: 'bob',
      permission: 'maintain',
    });
    await admin(double, 'POST', '/_admin/archive_repo', { repo: 'acme/room' });
    const state = await admin(double, 'GET', '/_admin/state');
    expect(state.body.repos.find((r: { full_name: string }) => r.full_name === 'acme/room')).toMatchObject({
      archived: true,
      collaborators: [{ login: 'bob', role: 'maintain' }],
      files: ['a.md'],
    });
    await admin(double, 'POST', '/_admin/delete_repo', { repo: 'acme/room' });
    expect((await call(double, 'GET', '/api/v3/repos/acme/room')).status).toBe(404);
  });

  test('bad admin input names the field; unknown endpoints are 404', async () => {
    const bad = await admin(double, 'POST', '/_admin/delete_file', { repo: 'acme/nope', path: 'x' });
    expect(bad.status).toBe(404);
    expect(bad.body.message).toContain('repo: no repository acme/nope');
    expect((await admin(double, 'POST', '/_admin/delete_file', { repo: 'acme/room' })).body.message).toContain(
      'path: expected a non-empty string',
    );
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

describe('admin API: only from this machine, never from a web page', () => {
  let double: GitHubDouble;
  let port: number;
  beforeEach(async () => {
    double = await startGitHubDouble({ seed: acmeSeed({ repos: [{ owner: 'acme', name: 'room' }] }) });
    port = Number(new URL(double.url).port);
  });
  afterEach(() => double.stop());

  /** A raw request to 127.0.0.1 with the given headers (fetch would not let a test set Host). */
  function raw(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: { message?: string } }> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          headers: { ...(data ? { 'Content-Type': 'application/json' } : {}), ...headers },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }
  const repoExists = async () => (await call(double, 'GET', '/api/v3/repos/acme/room')).status === 200;

  test.each(['127.0.0.1', `127.0.0.1:${9}`, 'localhost', 'LOCALHOST:8080', '[::1]', '[::1]:1234'])(
    'Host %s is served',
    async (host) => {
      expect((await raw('GET', '/_admin/state', { Host: host })).status).toBe(200);
    },
  );

  test.each(['evil.example', `evil.example:PORT`, '127.0.0.1.evil.example', 'localhost.evil.example:80', '[::2]:80'])(
    'Host %s (DNS rebinding) is refused with 403, changing nothing',
    async (host) => {
      const r = await raw(
        'POST',
        '/_admin/delete_repo',
        { Host: host.replace('PORT', String(port)) },
        { repo: 'acme/room' },
      );
      expect(r.status).toBe(403);
      expect(r.body.message).toMatch(
        /^admin API: expected a loopback Host \(127\.0\.0\.1, localhost or \[::1\], with any port\), found "/,
      );
      expect(await repoExists()).toBe(true);
    },
  );

  test('an Origin other than the double’s own is refused; its own is served', async () => {
    for (const origin of [
      'https://evil.example',
      `http://localhost:${port + 1}`,
      'null',
      `https://127.0.0.1:${port}`,
    ]) {
      const r = await raw(
        'POST',
        '/_admin/delete_repo',
        { Host: `127.0.0.1:${port}`, Origin: origin },
        { repo: 'acme/room' },
      );
      expect(r.status).toBe(403);
      expect(r.body.message).toBe(
        `admin API: cross-site request refused: expected no Origin or the double's own (http://127.0.0.1:${port}), found ${JSON.stringify(origin)}`,
      );
    }
    expect(await repoExists()).toBe(true);
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      expect((await raw('GET', '/_admin/state', { Host: `127.0.0.1:${port}`, Origin: origin })).status).toBe(200);
    }
  });

  test('a browser’s Sec-Fetch-Site other than same-origin or none is refused', async () => {
    const r = await raw(
      'POST',
      '/_admin/delete_repo',
      { Host: `localhost:${port}`, 'Sec-Fetch-Site': 'same-site' },
      { repo: 'acme/room' },
    );
    expect(r.status).toBe(403);
    expect(r.body.message).toContain('Sec-Fetch-Site: "same-site"');
    expect(await repoExists()).toBe(true);
    expect(
      (
        await raw(
          'POST',
          '/_admin/delete_repo',
          { Host: `localhost:${port}`, 'Sec-Fetch-Site': 'none' },
          { repo: 'acme/room' },
        )
      ).status,
    ).toBe(200);
    expect(await repoExists()).toBe(false);
  });

  test('the guard is for the admin API only: the REST API answers as before', async () => {
    expect(
      (await raw('GET', '/api/v3/repos/acme/room', { Host: 'evil.example', Authorization: `Bearer ${TOKEN}` })).status,
    ).toBe(200);
  });
});
