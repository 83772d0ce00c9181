import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseFaults, type FaultSpec } from './faults';
import type { LimitConfig } from './limits';
import type { Seed } from './seed';
import { seedOrThrow, startGitHubDouble, type GitHubDoubleOptions } from './server';
import type { AppPermissions } from './types';

export const USAGE = `Usage: npm run github-double -- [options]

Starts the GitHub double on 127.0.0.1 (REST at / and /api/v3, GraphQL at /api/graphql).
  --port N                      port (env GITHUB_DOUBLE_PORT; default 0 = any free port)
  --seed FILE                   seed JSON (env GITHUB_DOUBLE_SEED; default: an empty world)
  --faults FILE                 fault list JSON armed at start (env GITHUB_DOUBLE_FAULTS)
  --generate-delay-ms N         how long a generated repository stays empty (default 20)
  --app-id N                    GitHub App id (overrides the seed's app.id)
  --app-public-key FILE         the App's public key PEM (env GITHUB_DOUBLE_APP_PUBLIC_KEY)
  --installation-id N           an installation of the App (with --installation-account)
  --installation-account LOGIN  the account it is installed on
  --installation-permissions P  name:level,... (default administration:write,contents:write,
                                issues:write,metadata:read,pull_requests:read,workflows:write)
  --primary-limit N             requests per hour per caller (default 5000)
  --secondary-per-minute N      content-creating requests per minute (default 80)
  --secondary-per-hour N        content-creating requests per hour (default 500)
  --secondary-status 403|429    how a secondary limit answers (default 403)
`;

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${what} ${path}: ${(e as Error).message}`, { cause: e });
  }
}

function int(value: string | undefined, flag: string, errors: string[]): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) errors.push(`${flag}: expected a whole number, got "${value}"`);
  return n;
}

function parsePermissions(text: string, errors: string[]): AppPermissions {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, level] = part.split(':');
    if (!name || !['read', 'write', 'admin'].includes(level))
      errors.push(`--installation-permissions: "${part}" should be name:read|write|admin`);
    else out[name] = level;
  }
  return out as AppPermissions;
}

/** Flags and environment to start options; every problem at once. Reads the files it names. */
export function optionsFromArgs(
  argv: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): { options?: GitHubDoubleOptions; errors: string[]; help?: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      'generate-delay-ms': { type: 'string' },
      'app-id': { type: 'string' },
      'app-public-key': { type: 'string' },
      'installation-id': { type: 'string' },
      'installation-account': { type: 'string' },
      'installation-permissions': { type: 'string' },
      'primary-limit': { type: 'string' },
      'secondary-per-minute': { type: 'string' },
      'secondary-per-hour': { type: 'string' },
      'secondary-status': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return { errors: [], help: true };
  const errors: string[] = [];
  const port = int(values.port ?? env.GITHUB_DOUBLE_PORT, '--port', errors);
  const seedPath = values.seed ?? env.GITHUB_DOUBLE_SEED;
  let seed: Seed = {};
  try {
    if (seedPath) seed = seedOrThrow(readJson(resolve(cwd, seedPath), 'seed'), seedPath);
  } catch (e) {
    errors.push((e as Error).message);
  }
  let faults: FaultSpec[] | undefined;
  const faultsPath = values.faults ?? env.GITHUB_DOUBLE_FAULTS;
  if (faultsPath) {
    try {
      const parsed = parseFaults(readJson(resolve(cwd, faultsPath), 'faults'));
      if (parsed.faults) faults = parsed.faults;
      else errors.push(...parsed.errors.map((e) => `${faultsPath}: ${e}`));
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  const keyPath =
    values['app-public-key'] ??
    env.GITHUB_DOUBLE_APP_PUBLIC_KEY ??
    (seed.app?.publicKeyFile && seedPath
      ? resolve(dirname(resolve(cwd, seedPath)), seed.app.publicKeyFile)
      : undefined);
  let appPublicKeyPem: string | undefined;
  if (keyPath) {
    try {
      appPublicKeyPem = readFileSync(resolve(cwd, keyPath), 'utf8');
    } catch (e) {
      errors.push(`--app-public-key ${keyPath}: ${(e as Error).message}`);
    }
  }
  const appId = int(values['app-id'], '--app-id', errors);
  const installationId = int(values['installation-id'], '--installation-id', errors);
  if (appId !== undefined || installationId !== undefined) {
    const app = { ...(seed.app ?? { id: appId ?? 1 }) };
    if (appId !== undefined) app.id = appId;
    if (installationId !== undefined) {
      const account = values['installation-account'];
      if (!account) errors.push('--installation-id needs --installation-account LOGIN');
      const permissions = parsePermissions(
        values['installation-permissions'] ??
          'administration:write,contents:write,issues:write,metadata:read,pull_requests:read,workflows:write',
        errors,
      );
      app.installations = [
        ...(app.installations ?? []).filter((i) => i.id !== installationId),
        { id: installationId, account: account ?? '', permissions },
      ];
    }
    seed = { ...seed, app };
  }
  const limits: Partial<LimitConfig> = {};
  const lim = (flag: string, key: keyof LimitConfig) => {
    const n = int(values[flag as 'port'], `--${flag}`, errors);
    if (n !== undefined) (limits as Record<string, number>)[key] = n;
  };
  lim('primary-limit', 'primary');
  lim('secondary-per-minute', 'secondaryPerMinute');
  lim('secondary-per-hour', 'secondaryPerHour');
  if (values['secondary-status'] !== undefined) {
    if (values['secondary-status'] === '403' || values['secondary-status'] === '429')
      limits.secondaryStatus = Number(values['secondary-status']) as 403 | 429;
    else errors.push('--secondary-status: expected 403 or 429');
  }
  const generateDelayMs = int(values['generate-delay-ms'], '--generate-delay-ms', errors);
  if (errors.length) return { errors };
  return { options: { seed, port, faults, appPublicKeyPem, limits, generateDelayMs }, errors };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof optionsFromArgs>;
  try {
    parsed = optionsFromArgs(process.argv.slice(2), process.env, process.cwd());
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!parsed.options) {
    process.stderr.write(`${parsed.errors.join('\n')}\n`);
    return 2;
  }
  const double = await startGitHubDouble(parsed.options);
  process.stdout.write(
    `GitHub double listening on ${double.baseUrl}\n  REST    ${double.apiUrl} (and at the root)\n  GraphQL ${double.graphqlUrl}\n  admin   ${double.url}/_admin/counters, /_admin/requests, /_admin/faults ...\nCtrl-C to stop.\n`,
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await double.stop();
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
