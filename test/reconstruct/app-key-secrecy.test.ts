/**
 * The App's private key (GITHUB_APP_PEM_FILE, PROVISIONING_APP_PRIVATE_KEY) is read in one place,
 * shared/github-credentials.ts, for both readers of GitHub (progress, reconstruct). A value that is not
 * a usable PEM key is refused with what is wrong and how long it is, never with the value: not
 * as a path, not in part.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeRoster } from '../../roster';
import { appPrivateKey } from '../../shared/github-credentials';
import { cli } from '../helpers/cli';
import { learner, roster } from '../../test-kit/rosters';

/** A deterministic secret-looking value: base64 of hashes, as a key pasted without its PEM markers would look. */
function secret(length: number, seed: string): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${seed}${i}`).digest('base64');
  return out.slice(0, length);
}

/** Every 8-character window of the secret: none may appear in what the command prints. */
function leaks(output: string, value: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 8 <= value.length; i++)
    if (output.includes(value.slice(i, i + 8))) found.push(value.slice(i, i + 8));
  return found;
}

const { privateKey: pem } = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const body = pem.split('\n').slice(1, -2).join('');

describe('appPrivateKey', () => {
  test('the PEM text, with literal \\n for line breaks, is the key', () => {
    expect(appPrivateKey('GITHUB_APP_PEM_FILE', pem.replace(/\n/g, '\\n'))).toEqual({ privateKey: pem });
  });

  test.each([
    [
      'a key without its PEM markers',
      body,
      /^GITHUB_APP_PEM_FILE: expected PEM text beginning with -----BEGIN; found [\d,]+ characters that are not PEM \(value not shown\)$/,
    ],
    [
      'a token in the wrong variable',
      'ghs_' + secret(36, 't'),
      /^GITHUB_APP_PEM_FILE: expected PEM text beginning with -----BEGIN; found 40 characters that are not PEM \(value not shown\)$/,
    ],
    [
      'a damaged key',
      pem.slice(0, 200) + pem.slice(400),
      /^GITHUB_APP_PEM_FILE: the PEM private key cannot be loaded \(damaged or cut short\?\); found [\d,]+ characters \(value not shown\)$/,
    ],
    [
      'a public key',
      '-----BEGIN PUBLIC KEY-----\n' + secret(300, 'p') + '\n-----END PUBLIC KEY-----',
      /^GITHUB_APP_PEM_FILE: expected a PEM private key .*; found 352 characters of PEM text that is not an unencrypted private key \(value not shown\)$/,
    ],
  ])('%s: refused, saying what is wrong, without the value', (_what, value, message) => {
    const r = appPrivateKey('GITHUB_APP_PEM_FILE', value);
    expect('error' in r && r.error).toMatch(message);
    expect(leaks(JSON.stringify(r), value.replace(/-----[A-Z ]+-----|\n/g, ''))).toEqual([]);
  });

  test('where a path is allowed: a value that is neither PEM nor a readable file is not shown as a path', () => {
    const value = secret(1234, 'k');
    const r = appPrivateKey('PROVISIONING_APP_PRIVATE_KEY', value, (p) => {
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
    });
    expect(r).toEqual({
      error:
        'PROVISIONING_APP_PRIVATE_KEY: expected PEM text beginning with -----BEGIN, or the path of a key file; found 1,234 characters that are neither PEM nor a readable file (ENOENT; value not shown)',
    });
  });
});

describe('the commands print no part of a secret-looking key', () => {
  const value = secret(1234, 'cmd');
  const dir = mkdtempSync(join(tmpdir(), 'app-key-'));
  writeFileSync(join(dir, 'roster.json'), serializeRoster(roster([learner('alice')])));
  const app = { GITHUB_APP_ID: '12', GITHUB_APP_INSTALLATION_ID: '34', PROVISIONING_STUDENT_OWNER: 'acme' };

  test.each([
    ['progress, GITHUB_APP_PEM_FILE', ['progress', 'roster.json'], { ...app, GITHUB_APP_PEM_FILE: value }, 2],
    [
      'progress, PROVISIONING_APP_PRIVATE_KEY',
      ['progress', 'roster.json'],
      { ...app, PROVISIONING_APP_PRIVATE_KEY: value },
      2,
    ],
    [
      'progress, multi-line',
      ['progress', 'roster.json'],
      { ...app, GITHUB_APP_PEM_FILE: `${value.slice(0, 600)}\n${value.slice(600)}` },
      2,
    ],
    ['reconstruct', ['reconstruct', '--roster', 'roster.json'], { ...app, GITHUB_APP_PEM_FILE: value }, 1],
  ])('%s', async (_what, args, env, code) => {
    const r = await cli(args, { cwd: dir, env });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(
      /(GITHUB_APP_PEM_FILE|PROVISIONING_APP_PRIVATE_KEY): expected PEM text beginning with -----BEGIN.*found 1,23\d characters .*\(.*value not shown\)/,
    );
    expect(leaks(r.stdout + r.stderr, value.replace(/\n/g, ''))).toEqual([]);
  });
});
