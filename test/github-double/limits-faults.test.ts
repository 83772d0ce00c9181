import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, admin, b64, call } from './helpers';

describe('rate limits', () => {
  let double: GitHubDouble;
  afterEach(() => double.stop());

  test('rate-limit headers on every response, success or error', async () => {
    double = await startGitHubDouble({ seed: acmeSeed() });
    for (const [method, path, token] of [
      ['GET', '/api/v3/repos/acme/tmpl', undefined],
      ['GET', '/api/v3/repos/acme/nope', undefined],
      ['GET', '/api/v3/repos/acme/tmpl', 'wrong'],
    ] as const) {
      const res = await call(double, method, path, { token });
      for (const h of [
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-used',
        'x-ratelimit-reset',
        'x-ratelimit-resource',
      ]) {
        expect({ path, h, present: res.headers.get(h) !== null }).toEqual({ path, h, present: true });
      }
    }
  });

  test('primary limit: 403 with Remaining 0 and Reset; no success ever shows Remaining 0; resets after the hour', async () => {
    double = await startGitHubDouble({ seed: acmeSeed(), limits: { primary: 4 } });
    const statuses: Array<[number, string | null]> = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(double, 'GET', '/api/v3/orgs/acme');
      statuses.push([res.status, res.headers.get('x-ratelimit-remaining')]);
      if (res.status === 403) {
        expect(Number(res.headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThan(Date.now());
        expect(res.body.message).toMatch(/API rate limit exceeded/);
      }
    }
    expect(statuses).toEqual([
      [200, '3'],
      [200, '2'],
      [200, '1'],
      [403, '0'],
      [403, '0'],
    ]);
    double.advanceClock(3600_000);
    expect((await call(double, 'GET', '/api/v3/orgs/acme')).status).toBe(200);
  });

  test('secondary limit per minute: 403 with Retry-After and a secondary-rate-limits documentation_url', async () => {
    double = await startGitHubDouble({ seed: acmeSeed(), limits: { secondaryPerMinute: 2 } });
    const write = (n: number) =>
      call(double, 'PUT', `/api/v3/repos/acme/tmpl/contents/f${n}.md`, { body: { message: 'm', content: b64('x') } });
    expect((await write(1)).status).toBe(201);
    expect((await write(2)).status).toBe(201);
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl')).status).toBe(200);
    const limited = await write(3);
    expect(limited.status).toBe(403);
    expect(limited.body.documentation_url).toMatch(/secondary-rate-limits$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
    expect(double.state.repo('acme', 'tmpl')!.files.has('f3.md')).toBe(false);
    double.advanceClock(60_000);
    expect((await write(3)).status).toBe(201);
    expect(double.counters().byStatus).toEqual({ '200': 1, '201': 3, '403': 1 });
    expect(double.counters().contentCreating).toBe(4);
  });

  test('secondary limit per hour, answered as 429 when configured', async () => {
    double = await startGitHubDouble({ seed: acmeSeed(), limits: { secondaryPerHour: 1, secondaryStatus: 429 } });
    const patch = () => call(double, 'PATCH', '/api/v3/repos/acme/tmpl', { body: { description: 'd' } });
    expect((await patch()).status).toBe(200);
    double.advanceClock(120_000);
    const limited = await patch();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(60);
    double.advanceClock(3600_000);
    expect((await patch()).status).toBe(200);
  });

  test('limits can be changed live through the admin API', async () => {
    double = await startGitHubDouble({ seed: acmeSeed() });
    const res = await admin(double, 'POST', '/_admin/limits', { secondaryPerMinute: 1 });
    expect(res.body.secondaryPerMinute).toBe(1);
    const bad = await admin(double, 'POST', '/_admin/limits', { nope: 1 });
    expect(bad.status).toBe(400);
    await call(double, 'PATCH', '/api/v3/repos/acme/tmpl', { body: {} });
    expect((await call(double, 'PATCH', '/api/v3/repos/acme/tmpl', { body: {} })).status).toBe(403);
  });
});

describe('faults and the request log', () => {
  let double: GitHubDouble;
  beforeEach(async () => {
    double = await startGitHubDouble({ seed: acmeSeed() });
  });
  afterEach(() => double.stop());

  test('a fault answers its status, body and headers for `times` matching requests, then stops', async () => {
    const posted = await admin(double, 'POST', '/_admin/faults', [
      {
        method: 'GET',
        path_re: '^/api/v3/repos/acme/tmpl$',
        status: 502,
        body: { message: 'Bad Gateway' },
        headers: { 'X-Fault': 'yes' },
        times: 2,
      },
    ]);
    expect(posted.status).toBe(200);
    const a = await call(double, 'GET', '/api/v3/repos/acme/tmpl');
    const b = await call(double, 'GET', '/api/v3/repos/acme/tmpl');
    const c = await call(double, 'GET', '/api/v3/repos/acme/tmpl');
    const other = await call(double, 'GET', '/api/v3/repos/acme/tmpl/labels');
    expect([a.status, b.status, c.status, other.status]).toEqual([502, 502, 200, 200]);
    expect(a.headers.get('x-fault')).toBe('yes');
    expect(a.body).toEqual({ message: 'Bad Gateway' });
    const listed = await admin(double, 'GET', '/_admin/faults');
    expect(listed.body[0]).toMatchObject({ hits: 2, remaining: 0 });
  });

  test('faults match the request body, and may add latency only', async () => {
    double.setFaults([
      {
        method: 'POST',
        path_re: '/generate$',
        req_body_re: '"name":\\s*"room-b"',
        status: 422,
        body: { message: 'Repository creation failed.' },
        times: 1,
      },
      { method: 'GET', path_re: '/orgs/acme$', latency_ms: 5 },
    ]);
    const ga = await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name: 'room-a', owner: 'acme' },
    });
    const gb = await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name: 'room-b', owner: 'acme' },
    });
    expect([ga.status, gb.status]).toEqual([201, 422]);
    expect(double.state.repo('acme', 'room-b')).toBeUndefined();
    expect((await call(double, 'GET', '/api/v3/orgs/acme')).status).toBe(200);
    expect(double.core.faults.list()[1]).toMatchObject({ hits: 1, remaining: null });
  });

  test('bad fault lists are refused with every problem named', async () => {
    const res = await admin(double, 'POST', '/_admin/faults', [{ status: 99, path_re: '(' }, { method: 'GET' }]);
    expect(res.status).toBe(400);
    const { message } = res.body;
    expect(message).toContain('faults[0].status');
    expect(message).toContain('faults[0].path_re');
    expect(message).toContain('faults[1]: give a status');
  });

  test('the log and counters record method, path, status, content-creating and repository; admin calls are not logged', async () => {
    await call(double, 'GET', '/api/v3/orgs/acme');
    await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name: 'room-x', owner: 'acme', private: true },
    });
    await call(double, 'GET', '/api/v3/repos/acme/room-x');
    await call(double, 'GET', '/api/v3/repos/acme/missing');
    await admin(double, 'GET', '/_admin/counters');
    const log = (await admin(double, 'GET', '/_admin/requests')).body;
    expect(
      log.map((e: { method: string; path: string; status: number; contentCreating: boolean }) => [
        e.method,
        e.path,
        e.status,
        e.contentCreating,
      ]),
    ).toEqual([
      ['GET', '/api/v3/orgs/acme', 200, false],
      ['POST', '/api/v3/repos/acme/tmpl/generate', 201, true],
      ['GET', '/api/v3/repos/acme/room-x', 200, false],
      ['GET', '/api/v3/repos/acme/missing', 404, false],
    ]);
    const counters = (await admin(double, 'GET', '/_admin/counters?since=1')).body;
    expect(counters.total).toBe(3);
    expect(counters.byRepo['acme/room-x']).toEqual({ total: 2, contentCreating: 1 });
    expect(counters.byRoute['GET /repos/:owner/:repo']).toBe(2);
    await admin(double, 'POST', '/_admin/reset', {});
    expect(double.counters().total).toBe(0);
    expect(double.state.repo('acme', 'room-x')).toBeUndefined();
  });
});
