/**
 * The one reader of GitHub credentials, for every command that calls GitHub itself (progress,
 * reconstruct): a GitHub App installation (id, installation id, private key) or a token, from the
 * variables the Terraform provider reads (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID,
 * GITHUB_APP_PEM_FILE, GITHUB_TOKEN), so one set of secrets serves Terraform and our commands.
 * Credentials come only from the environment or a key file (never a command-line value, which other
 * users could read in the process list), and no message ever shows a key or a token.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type GitHubAuth =
  { kind: 'app'; appId: string; installationId: string; privateKey: string } | { kind: 'token'; token: string };

/** The provider's variables. */
export const CREDENTIAL_ENV = {
  appId: 'GITHUB_APP_ID',
  installationId: 'GITHUB_APP_INSTALLATION_ID',
  /** The PEM text itself (a literal "\n" for a line break, as the provider reads it), or where allowed a path to it. */
  privateKey: 'GITHUB_APP_PEM_FILE',
  token: 'GITHUB_TOKEN',
} as const;

/** Older names the progress command accepts after the provider's (from before it read those). */
export const CREDENTIAL_ENV_ALIASES = {
  appId: 'PROVISIONING_APP_ID',
  installationId: 'PROVISIONING_APP_INSTALLATION_ID',
  privateKey: 'PROVISIONING_APP_PRIVATE_KEY',
  token: 'PROVISIONING_TOKEN',
} as const;

export type CredentialPart = keyof typeof CREDENTIAL_ENV;

/** The first of `names` set to something other than blanks, with its name (for messages). */
export function firstVariable(
  env: NodeJS.ProcessEnv,
  names: readonly string[],
): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return { name, value };
  }
  return undefined;
}

/** PEM private key text: `-----BEGIN RSA PRIVATE KEY-----` (GitHub's form) or PKCS#8. */
export const PEM_PRIVATE_KEY = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/;

const count = (value: string) => `${value.length.toLocaleString('en-US')} character${value.length === 1 ? '' : 's'}`;

/**
 * Checks PEM text of the App's private key: the markers, and that Node can load it (so a damaged
 * or passphrase-protected key is named now, not as an obscure failure at the first request).
 * The message says what is wrong and how long the text is, never the text.
 */
export function checkPrivateKeyPem(origin: string, pem: string): string | undefined {
  if (!pem.includes('-----BEGIN'))
    return `${origin}: expected PEM text beginning with -----BEGIN; found ${count(pem)} that are not PEM (value not shown)`;
  if (!PEM_PRIVATE_KEY.test(pem)) {
    return `${origin}: expected a PEM private key ("-----BEGIN RSA PRIVATE KEY-----"); found ${count(pem)} of PEM text that is not an unencrypted private key (value not shown)`;
  }
  try {
    createPrivateKey(pem);
  } catch {
    return `${origin}: the PEM private key cannot be loaded (damaged or cut short?); found ${count(pem)} (value not shown)`;
  }
  return undefined;
}

/**
 * The App's private key from a variable (GITHUB_APP_PEM_FILE, PROVISIONING_APP_PRIVATE_KEY): the
 * PEM text itself, where a literal "\n" stands for a line break as for the Terraform provider, or,
 * when `readKeyFile` is given, the path of a key file. The value is a secret, or may be one pasted
 * into the wrong variable: no message ever shows it, not even as a path.
 */
export function appPrivateKey(
  name: string,
  value: string,
  readKeyFile?: (path: string) => string,
): { privateKey: string } | { error: string } {
  const text = value.replace(/\\n/g, '\n');
  if (text.includes('-----BEGIN') || !readKeyFile) {
    const problem = checkPrivateKeyPem(name, text);
    return problem ? { error: problem } : { privateKey: text };
  }
  let file: string;
  try {
    file = readKeyFile(value.trim());
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return {
      error: `${name}: expected PEM text beginning with -----BEGIN, or the path of a key file; found ${count(value)} that are neither PEM nor a readable file (${code}; value not shown)`,
    };
  }
  const problem = checkPrivateKeyPem(`${name}: the key file it names (path not shown)`, file);
  return problem ? { error: problem } : { privateKey: file };
}

/** The key file named by --private-key-file (a path on the command line, not a secret: it is named). */
function readKeyFileFlag(path: string, errors: string[]): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    errors.push(
      `--private-key-file: cannot read the key file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
    return undefined;
  }
  const problem = PEM_PRIVATE_KEY.test(text)
    ? checkPrivateKeyPem(`--private-key-file: the file ${path}`, text)
    : `--private-key-file: the file ${path} holds no PEM private key (expected "-----BEGIN RSA PRIVATE KEY-----")`;
  if (problem) errors.push(problem);
  return problem ? undefined : text;
}

export interface CredentialFlags {
  appId?: string;
  installationId?: string;
  privateKeyFile?: string;
  /** Use the token even when App settings are present. */
  token?: boolean;
}

export interface CredentialOptions {
  /** Accept CREDENTIAL_ENV_ALIASES after the provider's names. */
  aliases?: boolean;
  /**
   * Command-line values, which win over the environment. The two commands report problems as they
   * always have (changing that changes what they print): with flags (progress) the App is chosen by
   * its ids and each missing or invalid part is a line naming every place it may come from;
   * without (reconstruct) any App variable chooses the App, and an incomplete one is one line
   * naming the variables still to set.
   */
  flags?: CredentialFlags;
  /** Where a key file path resolves. Without it the key variable must hold the PEM text itself. */
  cwd?: string;
}

export interface GitHubCredentials {
  auth: GitHubAuth;
  /** Which identity is used, for the operator; never the secret. */
  describe: string;
}

/** Every problem at once; the credentials only when there is none. */
export function readGitHubCredentials(
  env: NodeJS.ProcessEnv,
  options: CredentialOptions = {},
): { credentials?: GitHubCredentials; errors: string[] } {
  const names = (part: CredentialPart): string[] => [
    CREDENTIAL_ENV[part],
    ...(options.aliases ? [CREDENTIAL_ENV_ALIASES[part]] : []),
  ];
  const fromEnv = (part: CredentialPart) => firstVariable(env, names(part));
  const flags = options.flags;
  const perPart = flags !== undefined;
  const appId = (flags?.appId ?? fromEnv('appId')?.value)?.trim();
  const installationId = (flags?.installationId ?? fromEnv('installationId')?.value)?.trim();
  const keyVariable = fromEnv('privateKey');
  const token = fromEnv('token');
  const errors: string[] = [];

  const appGiven = Boolean(appId || installationId || (!perPart && keyVariable));
  if (flags?.token || (!appGiven && token)) {
    if (!token) return { errors: [`--token: expected a token in ${names('token').join(' or ')}`] };
    return {
      credentials: { auth: { kind: 'token', token: token.value.trim() }, describe: `token from ${token.name}` },
      errors,
    };
  }
  if (!appGiven && !perPart) {
    return {
      errors: [
        `no GitHub credentials: set ${CREDENTIAL_ENV.appId}, ${CREDENTIAL_ENV.installationId} and ${CREDENTIAL_ENV.privateKey} (the App), or ${CREDENTIAL_ENV.token}`,
      ],
    };
  }

  let privateKey: string | undefined;
  if (flags?.privateKeyFile) privateKey = readKeyFileFlag(resolve(options.cwd ?? '.', flags.privateKeyFile), errors);
  else if (keyVariable && (perPart || (appId && installationId))) {
    // The PEM text or a path to it; either way a secret, never shown in a message.
    const cwd = options.cwd;
    const read = appPrivateKey(
      keyVariable.name,
      keyVariable.value,
      cwd === undefined ? undefined : (path) => readFileSync(resolve(cwd, path), 'utf8'),
    );
    if ('error' in read) errors.push(read.error);
    else privateKey = read.privateKey;
  }
  const keyUnreadable = errors.length > 0;

  if (perPart) {
    const flagOr = (flag: string, part: CredentialPart) => [flag, ...names(part)].join(' or ');
    if (!appId)
      errors.push(`GitHub App id: expected ${flagOr('--app-id', 'appId')} (or a token in ${CREDENTIAL_ENV.token})`);
    else if (!/^\d+$/.test(appId)) errors.push(`GitHub App id: expected a number, found "${appId}"`);
    if (!installationId)
      errors.push(`GitHub App installation id: expected ${flagOr('--installation-id', 'installationId')}`);
    else if (!/^\d+$/.test(installationId))
      errors.push(`GitHub App installation id: expected a number, found "${installationId}"`);
    if (!privateKey && !keyUnreadable)
      errors.push(
        `GitHub App private key: expected ${flagOr('--private-key-file', 'privateKey')} (the PEM text or a path to it)`,
      );
  } else if (!keyUnreadable) {
    const missing = (
      [
        ['appId', appId],
        ['installationId', installationId],
        ['privateKey', keyVariable],
      ] as const
    )
      .filter(([, v]) => !v)
      .map(([part]) => CREDENTIAL_ENV[part]);
    if (missing.length) errors.push(`GitHub App credentials are incomplete: set ${missing.join(' and ')} as well`);
  }
  if (errors.length > 0 || !appId || !installationId || !privateKey) return { errors };
  return {
    credentials: {
      auth: { kind: 'app', appId, installationId, privateKey },
      describe: `GitHub App ${appId}, installation ${installationId}`,
    },
    errors,
  };
}
