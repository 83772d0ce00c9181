/**
 * Where the progress command finds GitHub: base URL, owner and credentials, from flags and the
 * environment. Credentials come only from the environment or a key file (never a command-line
 * value, which other users could read in the process list) and never appear in a message.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkRepositoryPattern, DEFAULT_OWNER, SETTINGS_ENV } from '../contracts/settings';
import { appPrivateKey, checkPrivateKeyPem, PEM_PRIVATE_KEY, type GitHubAuth } from '../shared/github-client';

export const DEFAULT_BASE_URL = 'https://api.github.com';

/** Owner, base URL and room pattern are read from the same variables as synthesis (contracts/settings.ts). */
export const ENV = {
  baseUrl: [SETTINGS_ENV.baseUrl],
  owner: [SETTINGS_ENV.owner],
  repositoryPattern: [SETTINGS_ENV.repositoryPattern],
  appId: ['GITHUB_APP_ID', 'PROVISIONING_APP_ID'],
  installationId: ['GITHUB_APP_INSTALLATION_ID', 'PROVISIONING_APP_INSTALLATION_ID'],
  /** The PEM text itself (as the Terraform provider reads it), or a path to the key file. */
  privateKey: ['GITHUB_APP_PEM_FILE', 'PROVISIONING_APP_PRIVATE_KEY'],
  token: ['GITHUB_TOKEN', 'PROVISIONING_TOKEN'],
} as const;

export interface SettingsFlags {
  baseUrl?: string;
  owner?: string;
  appId?: string;
  installationId?: string;
  privateKeyFile?: string;
  /** Use the token from the environment even when App settings are present. */
  token?: boolean;
}

export interface GitHubSettings {
  baseUrl: string;
  owner: string;
  /** Default room name pattern, when the environment sets one. */
  repositoryPattern?: string;
  auth: GitHubAuth;
  /** For the operator: which identity is used, never the secret. */
  describe: string;
}

function fromEnv(env: NodeJS.ProcessEnv, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return { name, value };
  }
  return undefined;
}

/** The key file named by --private-key-file (a path on the command line, not a secret: it is named). */
function readKeyFile(path: string, errors: string[]): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    errors.push(`--private-key-file: cannot read the key file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  const problem = PEM_PRIVATE_KEY.test(text)
    ? checkPrivateKeyPem(`--private-key-file: the file ${path}`, text)
    : `--private-key-file: the file ${path} holds no PEM private key (expected "-----BEGIN RSA PRIVATE KEY-----")`;
  if (problem) errors.push(problem);
  return problem ? undefined : text;
}

/** Every problem at once; settings only when there is none. */
export function resolveSettings(flags: SettingsFlags, env: NodeJS.ProcessEnv, cwd: string): { settings?: GitHubSettings; errors: string[] } {
  const errors: string[] = [];
  const baseUrl = flags.baseUrl ?? fromEnv(env, ENV.baseUrl)?.value ?? DEFAULT_BASE_URL;
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    errors.push(`--base-url: expected an http(s) URL such as https://api.github.com or http://127.0.0.1:8080/, found "${baseUrl}"`);
  }
  const owner = flags.owner ?? fromEnv(env, ENV.owner)?.value ?? DEFAULT_OWNER;
  const pattern = fromEnv(env, ENV.repositoryPattern);
  const patternProblem = pattern ? checkRepositoryPattern(pattern.value) : undefined;
  if (pattern && patternProblem) errors.push(`${pattern.name}: ${patternProblem}`);

  const appId = flags.appId ?? fromEnv(env, ENV.appId)?.value;
  const installationId = flags.installationId ?? fromEnv(env, ENV.installationId)?.value;
  const token = fromEnv(env, ENV.token);
  let auth: GitHubAuth | undefined;
  let describe = '';
  if (flags.token || (!appId && !installationId && token)) {
    if (!token) errors.push(`--token: expected a token in ${ENV.token.join(' or ')}`);
    else {
      auth = { kind: 'token', token: token.value };
      describe = `token from ${token.name}`;
    }
  } else {
    let privateKey: string | undefined;
    const errorsBeforeKey = errors.length;
    if (flags.privateKeyFile) privateKey = readKeyFile(resolve(cwd, flags.privateKeyFile), errors);
    else {
      const key = fromEnv(env, ENV.privateKey);
      if (key) {
        // The PEM text or a path to it; either way a secret, never shown in a message.
        const read = appPrivateKey(key.name, key.value, (path) => readFileSync(resolve(cwd, path), 'utf8'));
        if ('error' in read) errors.push(read.error);
        else privateKey = read.privateKey;
      }
    }
    const keyUnreadable = errors.length > errorsBeforeKey;
    if (!appId) errors.push(`GitHub App id: expected --app-id or ${ENV.appId.join(' or ')} (or a token in ${ENV.token[0]})`);
    else if (!/^\d+$/.test(appId)) errors.push(`GitHub App id: expected a number, found "${appId}"`);
    if (!installationId) errors.push(`GitHub App installation id: expected --installation-id or ${ENV.installationId.join(' or ')}`);
    else if (!/^\d+$/.test(installationId)) errors.push(`GitHub App installation id: expected a number, found "${installationId}"`);
    if (!privateKey && !keyUnreadable) {
      errors.push(`GitHub App private key: expected --private-key-file or ${ENV.privateKey.join(' or ')} (the PEM text or a path to it)`);
    }
    if (appId && installationId && privateKey) {
      auth = { kind: 'app', appId, installationId, privateKey };
      describe = `GitHub App ${appId}, installation ${installationId}`;
    }
  }
  if (errors.length > 0 || !auth) return { errors };
  return { settings: { baseUrl, owner, auth, describe, ...(pattern ? { repositoryPattern: pattern.value } : {}) }, errors: [] };
}
