/**
 * The options several commands share, defined once so they mean one thing everywhere:
 * the roster (the argument or --roster FILE), --state-dir, --owner and --base-url, --dry-run,
 * --required-files-dir, and the output rule: --out FILE for a file, --out-dir DIR for a folder.
 */
import { DEFAULT_BASE_URL, DEFAULT_OWNER, SETTINGS_ENV } from '../contracts/settings';
import { STATE_FILE_SUFFIXES } from '../contracts/terraform-state';
import type { ArgumentDef, OptionDef } from './option-defs';

/** The roster as the argument, also accepted as --roster FILE (both naming one file is fine). */
export function rosterArgument(help: string, how: Pick<ArgumentDef, 'default' | 'required'> = {}): ArgumentDef {
  return { name: 'roster.json', option: 'roster', value: 'FILE', help, ...how };
}

export const STATE_DIR = {
  type: 'string',
  value: 'DIR',
  help: `the folder of Terraform state files, one per stack (a cohort's shard 0 is named as the cohort, shard k as <cohort>.shard-<k>): <stack>${STATE_FILE_SUFFIXES[0]} (raw state, as the git backend keeps it) or <stack>${STATE_FILE_SUFFIXES[1]} (terraform state pull, or show -json)`,
  env: SETTINGS_ENV.stateDir,
} as const satisfies OptionDef;

/** Where the rooms are: the settings synthesis reads (contracts/settings.ts), so every command agrees. */
export const GITHUB_OPTIONS = {
  owner: {
    type: 'string',
    value: 'NAME',
    help: `owner of the rooms (default: ${DEFAULT_OWNER})`,
    env: SETTINGS_ENV.owner,
  },
  'base-url': {
    type: 'string',
    value: 'URL',
    help: `GitHub API (default: ${DEFAULT_BASE_URL}); any other host is GitHub Enterprise Server (REST /api/v3, GraphQL /api/graphql)`,
    env: SETTINGS_ENV.baseUrl,
  },
} as const satisfies Record<string, OptionDef>;

/** The instant a course is read at (docs/course.md): synthesis plans for it, propose-update finds the rooms open then. */
export const AT = {
  type: 'string',
  value: 'ISO',
  help: "the instant a course is planned for (which assignments are open, whose cutoff passed, the end of course), e.g. 2026-03-10T17:00:00Z; default: the run's start, now (docs/course.md)",
  env: SETTINGS_ENV.at,
} as const satisfies OptionDef;

export const DRY_RUN = {
  type: 'boolean',
  help: 'say what would be written, write nothing',
} as const satisfies OptionDef;

export const REQUIRED_FILES_DIR = {
  type: 'string',
  value: 'DIR',
  help: 'the folder of the required files every room receives (default: required-files)',
  env: SETTINGS_ENV.requiredFilesDir,
} as const satisfies OptionDef;

/** The output rule: `--out FILE` names a file, `--out-dir DIR` a folder. */
export function outFile(help: string, aliases?: readonly string[]): OptionDef {
  return { type: 'string', value: 'FILE', help, ...(aliases ? { aliases } : {}) };
}

export function outDir(help: string, aliases?: readonly string[]): OptionDef {
  return { type: 'string', value: 'DIR', help, ...(aliases ? { aliases } : {}) };
}
