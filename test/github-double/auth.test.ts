import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { generateAppKeyPair, signAppJwt, startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, b64, call } from './helpers';

const APP_ID = 4242;
const keys = generateAppKeyPair();
const other = generateAppKeyPair();

function seed() {
  return acmeSeed({
    orgs: [{ login: 'acme' }, { login: 'elsewhere' }],
    repos: [
      { owner: 'acme', name: 'tmpl', is_template: true, files: { 'README.md': 'x' } },
      { owner: 'elsewhere', name: 'secret', files: { 'a.md': 'a' } },
    ],
    tokens: [
      { token: 'dummy-token-not-a-secret', login: 'operator' },
      { token: 'reader-token', login: 'mentor', permissions: { contents: 'read', issues: 'read' } },
    ],
    app: {
      id: APP_ID,
      publicKey: keys.publicKeyPem,
      installations: [
        { id: 1, account: 'acme', permissions: { administration: 'write', contents: 'write', issues: 'write' } },
        { id: 2, account: 'acme', permissions: { contents: 'read', issues: 'read' } },
      ],
    },
  });
}

describe('GitHub App authentication and permissions', () => {
  let double: GitHubDouble;
  beforeEach(async () => {
    double = await startGitHubDouble({ seed: seed() });
  });
  afterEach(() => double.stop());

  async function mint(installation: number, jwt = signAppJwt({ appId: APP_ID, privateKeyPem: keys.privateKeyPem })) {
    return call(double, 'POST', `/api/v3/app/installations/${installation}/access_tokens`, { token: jwt });
  }

  test('the key pair is PKCS#1, the form the provider requires', () => {
    expect(keys.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  });

  test('a valid JWT mints an installation token: 201 with token, expires_at and permissions', async () => {
    const res = await mint(1);
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^ghs_/);
    expect(Date.parse(res.body.expires_at)).toBeGreaterThan(Date.now());
    expect(res.body.permissions).toEqual({ administration: 'write', contents: 'write', issues: 'write' });
    const repo = await call(double, 'GET', '/api/v3/repos/acme/tmpl', { token: res.body.token });
    expect(repo.status).toBe(200);
  });

  test('bad JWTs get 401: wrong key, wrong issuer, expired, too long-lived, not RS256; unknown installation 404', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases = {
      wrongKey: signAppJwt({ appId: APP_ID, privateKeyPem: other.privateKeyPem }),
      wrongIssuer: signAppJwt({ appId: 999, privateKeyPem: keys.privateKeyPem }),
      expired: signAppJwt({ appId: APP_ID, privateKeyPem: keys.privateKeyPem, iat: now - 900, exp: now - 300 }),
      tooLong: signAppJwt({ appId: APP_ID, privateKeyPem: keys.privateKeyPem, iat: now - 60, exp: now + 3600 }),
      future: signAppJwt({ appId: APP_ID, privateKeyPem: keys.privateKeyPem, iat: now + 600, exp: now + 900 }),
      hs256: signAppJwt({ appId: APP_ID, privateKeyPem: keys.privateKeyPem, alg: 'HS256' }),
    };
    for (const [name, jwt] of Object.entries(cases)) {
      const res = await mint(1, jwt);
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
    }
    expect((await mint(77)).status).toBe(404);
  });

  test('unknown and expired tokens get 401; a JWT cannot call repository endpoints', async () => {
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl', { token: 'ghs_nope' })).status).toBe(401);
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl', { token: null })).status).toBe(401);
    const token = (await mint(1)).body.token as string;
    double.advanceClock(3600_000 + 1000);
    const expired = await call(double, 'GET', '/api/v3/repos/acme/tmpl', { token });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe('Bad credentials');
    const jwt = signAppJwt({
      appId: APP_ID,
      privateKeyPem: keys.privateKeyPem,
      nowSeconds: Math.floor((Date.now() + 3601_000) / 1000),
    });
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl', { token: jwt })).status).toBe(403);
    expect(
      (await call(double, 'POST', '/api/v3/app/installations/1/access_tokens', { token: 'dummy-token-not-a-secret' }))
        .status,
    ).toBe(401);
  });

  test('least privilege: contents:read cannot write a file (403 naming the permission), but can read', async () => {
    const token = (await mint(2)).body.token as string;
    const put = await call(double, 'PUT', '/api/v3/repos/acme/tmpl/contents/new.md', {
      token,
      body: { message: 'm', content: b64('x') },
    });
    expect(put.status).toBe(403);
    expect(put.body.message).toBe('Resource not accessible by integration');
    expect(put.headers.get('x-accepted-github-permissions')).toBe('contents=write');
    expect(double.state.repo('acme', 'tmpl')!.files.has('new.md')).toBe(false);
    expect((await call(double, 'GET', '/api/v3/repos/acme/tmpl/contents/README.md', { token })).status).toBe(200);
    const gen = await call(double, 'POST', '/api/v3/repos/acme/tmpl/generate', {
      token,
      body: { name: 'r', owner: 'acme' },
    });
    expect(gen.status).toBe(403);
    const write = (await mint(1)).body.token as string;
    expect(
      (
        await call(double, 'PUT', '/api/v3/repos/acme/tmpl/contents/new.md', {
          token: write,
          body: { message: 'm', content: b64('x') },
        })
      ).status,
    ).toBe(201);
  });

  test('a static token with permissions is bound by them; without, it may do anything', async () => {
    const put = await call(double, 'PUT', '/api/v3/repos/acme/tmpl/contents/new.md', {
      token: 'reader-token',
      body: { message: 'm', content: b64('x') },
    });
    expect(put.status).toBe(403);
    expect(
      (await call(double, 'PATCH', '/api/v3/repos/acme/tmpl', { token: 'reader-token', body: { description: 'x' } }))
        .status,
    ).toBe(403);
    expect((await call(double, 'PATCH', '/api/v3/repos/acme/tmpl', { body: { description: 'x' } })).status).toBe(200);
  });

  test('an installation sees only its own account', async () => {
    const token = (await mint(1)).body.token as string;
    expect((await call(double, 'GET', '/api/v3/repos/elsewhere/secret', { token })).status).toBe(404);
    expect((await call(double, 'GET', '/api/v3/repos/elsewhere/secret')).status).toBe(200);
  });

  test('Octokit with @octokit/auth-app authenticates as the installation against the double', async () => {
    const octokit = new Octokit({
      baseUrl: double.apiUrl,
      authStrategy: createAppAuth,
      auth: { appId: APP_ID, privateKey: keys.privateKeyPem, installationId: 1 },
    });
    const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'tmpl' });
    expect(data.full_name).toBe('acme/tmpl');
    const mints = double.requests().filter((r) => r.route === 'POST /app/installations/:id/access_tokens');
    expect(mints.map((r) => r.status)).toEqual([201]);
  });
});
