import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiBaseUrl } from '../../shared/github-client';
import { resolveSettings } from '../../progress/settings';
import { DEFAULT_OWNER } from '../../contracts/settings';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const dir = mkdtempSync(join(tmpdir(), 'progress-settings-'));
writeFileSync(join(dir, 'app.pem'), privateKey);
writeFileSync(join(dir, 'not-a-key.txt'), 'hello');

describe('resolveSettings', () => {
  it('reads the App from the environment, the PEM text with literal \\n as the provider does', () => {
    const env = {
      GITHUB_APP_ID: '12',
      GITHUB_APP_INSTALLATION_ID: '34',
      GITHUB_APP_PEM_FILE: privateKey.replace(/\n/g, '\\n'),
      PROVISIONING_STUDENT_OWNER: 'org',
    };
    const { settings, errors } = resolveSettings({}, env, dir);
    expect(errors).toEqual([]);
    expect(settings).toEqual({
      baseUrl: 'https://api.github.com',
      owner: 'org',
      auth: { kind: 'app', appId: '12', installationId: '34', privateKey },
      describe: 'GitHub App 12, installation 34',
    });
  });

  it('takes a key file path from a flag or from the environment', () => {
    const flag = resolveSettings({ appId: '1', installationId: '2', privateKeyFile: 'app.pem' }, {}, dir);
    expect(flag.settings?.auth).toEqual({ kind: 'app', appId: '1', installationId: '2', privateKey });
    const env = resolveSettings(
      {},
      { PROVISIONING_APP_ID: '1', PROVISIONING_APP_INSTALLATION_ID: '2', GITHUB_APP_PEM_FILE: join(dir, 'app.pem') },
      '/',
    );
    expect(env.settings?.auth).toMatchObject({ kind: 'app', privateKey });
  });

  it('uses a token when no App is configured, or when asked to', () => {
    expect(resolveSettings({}, { GITHUB_TOKEN: 'ghs_secret' }, dir).settings).toMatchObject({
      auth: { kind: 'token', token: 'ghs_secret' },
      describe: 'token from GITHUB_TOKEN',
      owner: DEFAULT_OWNER,
    });
    expect(resolveSettings({ token: true }, { GITHUB_APP_ID: '1', GITHUB_TOKEN: 't' }, dir).settings?.auth.kind).toBe(
      'token',
    );
    expect(resolveSettings({ token: true }, {}, dir).errors).toEqual([
      '--token: expected a token in GITHUB_TOKEN or PROVISIONING_TOKEN',
    ]);
  });

  it('reads the default room pattern from the same variable as synthesis, and checks it', () => {
    const ok = resolveSettings({}, { GITHUB_TOKEN: 't', LEARNING_ROOMS_REPOSITORY_PATTERN: 'room-{handle}' }, dir);
    expect(ok.settings?.repositoryPattern).toBe('room-{handle}');
    expect(resolveSettings({}, { GITHUB_TOKEN: 't' }, dir).settings?.repositoryPattern).toBeUndefined();
    const bad = resolveSettings({}, { GITHUB_TOKEN: 't', LEARNING_ROOMS_REPOSITORY_PATTERN: 'room-{nope}' }, dir);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatch(/^LEARNING_ROOMS_REPOSITORY_PATTERN: /);
  });

  it('reports every problem at once, never echoing a secret', () => {
    const { settings, errors } = resolveSettings(
      { baseUrl: 'ftp://x', appId: 'abc', privateKeyFile: 'not-a-key.txt' },
      { GITHUB_TOKEN: 'ghs_secret' },
      dir,
    );
    expect(settings).toBeUndefined();
    expect(errors).toEqual([
      '--base-url: expected an http(s) URL such as https://api.github.com or http://127.0.0.1:8080/, found "ftp://x"',
      `--private-key-file: the file ${join(dir, 'not-a-key.txt')} holds no PEM private key (expected "-----BEGIN RSA PRIVATE KEY-----")`,
      'GitHub App id: expected a number, found "abc"',
      'GitHub App installation id: expected --installation-id or GITHUB_APP_INSTALLATION_ID or PROVISIONING_APP_INSTALLATION_ID',
    ]);
    const missing = resolveSettings({ appId: '1', installationId: '2' }, {}, dir).errors;
    expect(missing).toEqual([
      'GitHub App private key: expected --private-key-file or GITHUB_APP_PEM_FILE or PROVISIONING_APP_PRIVATE_KEY (the PEM text or a path to it)',
    ]);
    expect(JSON.stringify(errors)).not.toContain('ghs_secret');
  });
});

describe('apiBaseUrl', () => {
  it.each([
    ['https://api.github.com', 'https://api.github.com'],
    ['https://api.github.com/', 'https://api.github.com'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/api/v3'],
    ['http://127.0.0.1:8080/api/v3/', 'http://127.0.0.1:8080/api/v3'],
    ['https://ghe.example.org', 'https://ghe.example.org/api/v3'],
    ['https://api.acme.ghe.com', 'https://api.acme.ghe.com'],
  ])('%s -> %s', (input, expected) => {
    expect(apiBaseUrl(input)).toBe(expected);
  });
});
