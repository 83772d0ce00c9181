/**
 * What `enrol-request` and `enrol` share at their edge: the front door named in the settings, the
 * tokens (from the environment only: never a command-line value, which the process list shows),
 * the rooms' settings for the learner's status, the time of judgement, and the API client.
 */
import { parseFullName, readSettings, SETTINGS_ENV } from '../contracts/settings';
import { FRONT_DOOR_SETTING } from '../gitops/admin-repository';
import type { RoomSettings } from '../gitops/front-door-status';
import { createClient, htmlBaseUrl, type GitHubOctokit } from '../shared/github-client';
import type { OptionDef } from './option-defs';

/** The tokens, each minted for one repository and the permissions its job needs (docs/gitops.md). */
export const TOKEN_ENV = {
  /** The registration App on the front door: issues (read the request, comment, close). */
  frontDoor: 'FRONT_DOOR_TOKEN',
  /** The registration App on the admin repository: contents and pull requests (the review branch). */
  registration: 'REGISTRATION_TOKEN',
  /** The records App on the admin repository: contents (the roster on main, the ruleset's one bypass). */
  records: 'RECORDS_TOKEN',
} as const;

export const NOW_OPTION = {
  type: 'string',
  value: 'TIME',
  help: 'judge as at this ISO 8601 time instead of now (to rehearse an enrolment window)',
} as const satisfies OptionDef;

export const REQUEST_INTERVAL_OPTION = {
  type: 'string',
  value: 'MS',
  help: "spacing of writes to GitHub (default 1000, GitHub's advice against secondary rate limits; 0 for a local double)",
} as const satisfies OptionDef;

export function readNow(value: string | undefined, problems: string[]): number {
  if (value === undefined) return Date.now();
  const at = Date.parse(value);
  if (Number.isNaN(at))
    problems.push(`--now: expected an ISO 8601 time such as 2026-09-01T09:00:00Z, found ${JSON.stringify(value)}`);
  return at;
}

export function readInterval(value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    problems.push(`--request-interval: expected milliseconds (a whole number), found ${JSON.stringify(value)}`);
  return Number(value);
}

/** The configured front door (OWNER/NAME), or a problem saying how to set it. */
export function frontDoorRepository(env: NodeJS.ProcessEnv, problems: string[]): string {
  const value = env[FRONT_DOOR_SETTING]?.trim() ?? '';
  if (value === '')
    problems.push(
      `${FRONT_DOOR_SETTING}: not set; name the public front door (OWNER/NAME) in config/gitops.json (learning-rooms init --front-door writes it)`,
    );
  else if (!parseFullName(value))
    problems.push(
      `${FRONT_DOOR_SETTING}: expected OWNER/NAME of the public front door repository, found ${JSON.stringify(value)}`,
    );
  return value;
}

export function token(env: NodeJS.ProcessEnv, name: string, problems: string[]): string {
  const value = env[name]?.trim() ?? '';
  if (value === '')
    problems.push(`${name}: not set (the workflow mints it; see docs/gitops.md, "Permissions and secrets")`);
  return value;
}

/** Owner, room pattern and the API's base URL from the settings; the web address from the base URL. */
export function roomSettings(
  env: NodeJS.ProcessEnv,
  baseUrlOption: string | undefined,
  problems: string[],
): { rooms: RoomSettings; baseUrl: string } {
  const { settings, errors } = readSettings(
    baseUrlOption === undefined ? env : { ...env, [SETTINGS_ENV.baseUrl]: baseUrlOption },
  );
  problems.push(...errors);
  const baseUrl = settings?.baseUrl ?? 'https://api.github.com/';
  return {
    baseUrl,
    rooms: {
      owner: settings?.owner ?? '',
      repositoryPattern: settings?.repositoryPattern ?? '{cohort}-{handle}',
      htmlBase: htmlBaseUrl(baseUrl),
    },
  };
}

export function client(
  baseUrl: string,
  tokenValue: string,
  interval: number | undefined,
  warn: (m: string) => void,
): GitHubOctokit {
  return createClient({
    baseUrl,
    auth: { kind: 'token', token: tokenValue },
    userAgent: 'learning-rooms-enrol',
    warn,
    ...(interval !== undefined ? { minRequestIntervalMs: interval, retryAfterBaseMs: interval } : {}),
  });
}
