/**
 * Where the progress command finds GitHub: base URL, owner and credentials, from flags and the
 * environment. Credentials come from the one reader (shared/github-credentials.ts), which also
 * accepts the older PROVISIONING_* names here.
 */
import { checkRepositoryPattern, DEFAULT_OWNER, SETTINGS_ENV } from '../contracts/settings';
import {
  CREDENTIAL_ENV,
  CREDENTIAL_ENV_ALIASES,
  firstVariable,
  readGitHubCredentials,
  type CredentialFlags,
  type GitHubAuth,
} from '../shared/github-credentials';

export const DEFAULT_BASE_URL = 'https://api.github.com';

/** Owner, base URL and room pattern are read from the same variables as synthesis (contracts/settings.ts). */
export const ENV = {
  baseUrl: [SETTINGS_ENV.baseUrl],
  owner: [SETTINGS_ENV.owner],
  repositoryPattern: [SETTINGS_ENV.repositoryPattern],
  appId: [CREDENTIAL_ENV.appId, CREDENTIAL_ENV_ALIASES.appId],
  installationId: [CREDENTIAL_ENV.installationId, CREDENTIAL_ENV_ALIASES.installationId],
  /** The PEM text itself (as the Terraform provider reads it), or a path to the key file. */
  privateKey: [CREDENTIAL_ENV.privateKey, CREDENTIAL_ENV_ALIASES.privateKey],
  token: [CREDENTIAL_ENV.token, CREDENTIAL_ENV_ALIASES.token],
} as const;

export interface SettingsFlags extends CredentialFlags {
  baseUrl?: string;
  owner?: string;
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

/** Every problem at once; settings only when there is none. */
export function resolveSettings(
  flags: SettingsFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
): { settings?: GitHubSettings; errors: string[] } {
  const errors: string[] = [];
  const baseUrl = flags.baseUrl ?? firstVariable(env, ENV.baseUrl)?.value ?? DEFAULT_BASE_URL;
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    errors.push(
      `--base-url: expected an http(s) URL such as https://api.github.com or http://127.0.0.1:8080/, found "${baseUrl}"`,
    );
  }
  const owner = flags.owner ?? firstVariable(env, ENV.owner)?.value ?? DEFAULT_OWNER;
  const pattern = firstVariable(env, ENV.repositoryPattern);
  const patternProblem = pattern ? checkRepositoryPattern(pattern.value) : undefined;
  if (pattern && patternProblem) errors.push(`${pattern.name}: ${patternProblem}`);

  const { appId, installationId, privateKeyFile, token } = flags;
  const { credentials, errors: credentialErrors } = readGitHubCredentials(env, {
    aliases: true,
    flags: { appId, installationId, privateKeyFile, token },
    cwd,
  });
  errors.push(...credentialErrors);
  if (errors.length > 0 || !credentials) return { errors };
  return {
    settings: {
      baseUrl,
      owner,
      auth: credentials.auth,
      describe: credentials.describe,
      ...(pattern ? { repositoryPattern: pattern.value } : {}),
    },
    errors: [],
  };
}
