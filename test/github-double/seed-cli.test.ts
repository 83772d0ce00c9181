import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateAppKeyPair,
  optionsFromArgs,
  parseSeed,
  signAppJwt,
  startGitHubDouble,
} from '@learning-rooms/github-double';
import { call } from './helpers';

describe('seed validation', () => {
  test('the example seed is valid', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the seed is a JSON file of the package, read as Node resolves it
    const { errors } = parseSeed(require('@learning-rooms/github-double/seed.example.json'));
    expect(errors).toEqual([]);
  });

  test('every problem is reported at once, naming where it is', () => {
    const { seed, errors } = parseSeed(
      {
        orgs: [{ login: 'acme', memebers: [] }],
        repos: [
          {
            owner: 'acme',
            name: 'r',
            issues: [{ title: 'a', author: 'x', number: 1 }],
            pulls: [{ title: 'p', author: 'x', number: 1 }],
          },
          { owner: 'ACME', name: 'R' },
          { owner: 'acme', name: 'q', issues: [{ title: 'no author', state: 'done' }] },
        ],
        tokens: [
          { token: 't', login: 'a' },
          { token: 't', login: 'b' },
        ],
      },
      'seed.json',
    );
    expect(seed).toBeUndefined();
    expect(errors).toEqual([
      'seed.json: orgs.0: must NOT have additional properties "memebers"',
      expect.stringContaining("repos.2.issues.0: must have required property 'author'"),
      expect.stringContaining('repos.2.issues.0.state: must be equal to one of the allowed values'),
    ]);
    const semantic = parseSeed(
      {
        repos: [
          {
            owner: 'acme',
            name: 'r',
            issues: [{ title: 'a', author: 'x', number: 1 }],
            pulls: [{ title: 'p', author: 'x', number: 1 }],
          },
          { owner: 'ACME', name: 'R' },
        ],
        tokens: [
          { token: 't', login: 'a' },
          { token: 't', login: 'b' },
        ],
      },
      's',
    );
    expect(semantic.errors).toEqual([
      's: repos.0.pulls.0.number: 1 is already used in acme/r (issues and pull requests share numbers)',
      's: repos.1: repository ACME/R appears twice',
      's: tokens.1.token: the same token appears twice',
    ]);
  });

  test('startGitHubDouble refuses an invalid seed', async () => {
    await expect(startGitHubDouble({ seed: { repos: [{ name: 'x' }] } })).rejects.toThrow(
      /repos\.0: must have required property 'owner'/,
    );
  });
});

describe('the command-line options', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gh-double-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('flags and environment become start options; an App installation can be given on the command line', async () => {
    const keys = generateAppKeyPair();
    writeFileSync(
      join(dir, 'seed.json'),
      JSON.stringify({ orgs: [{ login: 'acme' }], repos: [{ owner: 'acme', name: 'tmpl' }] }),
    );
    writeFileSync(join(dir, 'app.pub.pem'), keys.publicKeyPem);
    writeFileSync(
      join(dir, 'faults.json'),
      JSON.stringify([{ method: 'GET', path_re: '^/api/v3/orgs/acme$', status: 500, times: 1 }]),
    );
    const { options, errors } = optionsFromArgs(
      [
        '--seed',
        'seed.json',
        '--app-id',
        '99',
        '--app-public-key',
        'app.pub.pem',
        '--installation-id',
        '5',
        '--installation-account',
        'acme',
        '--installation-permissions',
        'contents:read',
        '--secondary-per-minute',
        '3',
        '--generate-delay-ms',
        '0',
      ],
      { GITHUB_DOUBLE_PORT: '0', GITHUB_DOUBLE_FAULTS: 'faults.json' },
      dir,
    );
    expect(errors).toEqual([]);
    expect(options!.limits).toEqual({ secondaryPerMinute: 3 });
    const double = await startGitHubDouble(options!);
    try {
      const jwt = signAppJwt({ appId: 99, privateKeyPem: keys.privateKeyPem });
      const minted = await call(double, 'POST', '/api/v3/app/installations/5/access_tokens', { token: jwt });
      expect(minted.status).toBe(201);
      expect(minted.body.permissions).toEqual({ contents: 'read' });
      expect((await call(double, 'GET', '/api/v3/orgs/acme', { token: minted.body.token })).status).toBe(500);
      expect((await call(double, 'GET', '/api/v3/orgs/acme', { token: minted.body.token })).status).toBe(200);
    } finally {
      await double.stop();
    }
  });

  test('bad flags and files are all reported', () => {
    writeFileSync(join(dir, 'bad-seed.json'), JSON.stringify({ repos: [{}] }));
    const { options, errors } = optionsFromArgs(
      [
        '--port',
        'x',
        '--seed',
        'bad-seed.json',
        '--faults',
        'missing.json',
        '--installation-id',
        '3',
        '--secondary-status',
        '500',
      ],
      {},
      dir,
    );
    expect(options).toBeUndefined();
    expect(errors).toEqual([
      '--port: expected a whole number, got "x"',
      expect.stringContaining("bad-seed.json: repos.0: must have required property 'owner'"),
      expect.stringContaining('faults'),
      '--installation-id needs --installation-account LOGIN',
      '--secondary-status: expected 403 or 429',
    ]);
  });
});
