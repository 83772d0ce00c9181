/**
 * The run's settings from the environment: one table of variables and defaults that synthesis, the
 * post-step, the plan guard, prepare-stack, progress and reconstruct all read the same way (so they
 * agree on the owner, the base URL and the room names). Every setting has a default, so the example
 * roster synthesizes with no environment at all. Credentials are deliberately NOT settings: the
 * provider reads them from its own environment at plan time (see constructs/cohort-stack.ts), so
 * nothing here can leak one into the configuration.
 */
import { isValidHandle } from '../roster/handle';

export const PROVISIONING_MODES = ['github-app', 'actions-bot'] as const;
export type ProvisioningMode = (typeof PROVISIONING_MODES)[number];

export interface SynthesisSettings {
  mode: ProvisioningMode;
  /** Organization (or user) that owns every learning room. */
  owner: string;
  /** Default template "owner/repo"; a cohort may override it. */
  templateRepo: string;
  /** GitHub API base URL, always with a trailing slash (provider v6.8.3 concatenates strings). */
  baseUrl: string;
  /** Default repository name pattern with {cohort} and {handle}; a cohort may override it. */
  repositoryPattern: string;
  /** Folder of required files (relative paths resolve against the working directory). */
  requiredFilesDir: string;
  /** Explicit number of new learners admitted per run, over all cohorts; overrides the derivation. */
  admissionBudget?: number;
  /** GitHub's content-creating request limit per hour, for the derived budget. */
  contentWritesPerHour: number;
  /** How often the provisioning workflow runs, for the derived budget. */
  runIntervalMinutes: number;
  /** Refuse a cohort whose archived share of rooms exceeds this (0..1)... */
  removalGuardShare: number;
  /** ...unless at most this many rooms would be archived (one learner leaving a small cohort is normal). */
  removalGuardMinimum: number;
  /** Explicit override of the removal guard. */
  allowMassArchive: boolean;
  /** Refreshing Terraform processes that may run at once under one installation; default: the workflows' limit (synthesis/rate-budget.ts). */
  concurrentApplies?: number;
  /** Most learners per shard (one stack each); default derived: about 100, lower when a shard's worst run would not fit the token's hour. */
  shardSize?: number;
  /** When this run started (ISO 8601), to say when queued learners get their room; default: not said. */
  runStartedAt?: string;
  /**
   * The instant a course is planned for (ISO 8601, `synth --at`): which assignments are open, whose
   * cutoff has passed, whether the course has ended. `synth` defaults it to the run's start (now).
   */
  at?: string;
  /** Explicit provider pacing overrides (see provider-tuning.ts for the derived defaults). */
  writeDelayMs?: number;
  readDelayMs?: number;
  maxRetries?: number;
  /** Folder of per-cohort state files, `<cohort>.tfstate` or `<cohort>.tfstate.json` (contracts/terraform-state.ts): rooms that exist. */
  stateDir?: string;
  /** Folder where each cohort's local backend keeps `terraform.<cohort>.tfstate`; default the working directory. */
  backendDir?: string;
  /** cdktf output folder. */
  outdir: string;
}

/** One line per environment variable: the settings table of docs/synthesis.md is this list. */
export const SETTINGS_ENV = {
  mode: 'PROVISIONING_MODE',
  owner: 'PROVISIONING_STUDENT_OWNER',
  templateRepo: 'LEARNING_ROOM_TEMPLATE_REPO',
  baseUrl: 'GITHUB_BASE_URL',
  repositoryPattern: 'LEARNING_ROOMS_REPOSITORY_PATTERN',
  requiredFilesDir: 'LEARNING_ROOMS_REQUIRED_FILES_DIR',
  admissionBudget: 'LEARNING_ROOMS_ADMISSION_BUDGET',
  contentWritesPerHour: 'LEARNING_ROOMS_CONTENT_WRITES_PER_HOUR',
  runIntervalMinutes: 'LEARNING_ROOMS_RUN_INTERVAL_MINUTES',
  removalGuardShare: 'LEARNING_ROOMS_REMOVAL_GUARD_SHARE',
  removalGuardMinimum: 'LEARNING_ROOMS_REMOVAL_GUARD_MINIMUM',
  allowMassArchive: 'LEARNING_ROOMS_ALLOW_MASS_ARCHIVE',
  concurrentApplies: 'LEARNING_ROOMS_CONCURRENT_APPLIES',
  shardSize: 'LEARNING_ROOMS_SHARD_SIZE',
  runStartedAt: 'LEARNING_ROOMS_RUN_STARTED_AT',
  at: 'LEARNING_ROOMS_AT',
  writeDelayMs: 'LEARNING_ROOMS_WRITE_DELAY_MS',
  readDelayMs: 'LEARNING_ROOMS_READ_DELAY_MS',
  maxRetries: 'LEARNING_ROOMS_MAX_RETRIES',
  stateDir: 'LEARNING_ROOMS_STATE_DIR',
  backendDir: 'LEARNING_ROOMS_BACKEND_DIR',
  outdir: 'LEARNING_ROOMS_OUTDIR',
} as const satisfies Record<keyof SynthesisSettings, string>;

export const DEFAULT_OWNER = 'learning-rooms-example';
export const DEFAULT_TEMPLATE_NAME = 'learning-room-template';
export const DEFAULT_BASE_URL = 'https://api.github.com/';
export const DEFAULT_REPOSITORY_PATTERN = '{cohort}-{handle}';
/** GitHub: "no more than 500 content-generating requests per hour" (secondary rate limits). */
export const GITHUB_CONTENT_WRITES_PER_HOUR = 500;
/** The provisioning workflow's schedule (every 30 minutes in the operator guide). */
export const DEFAULT_RUN_INTERVAL_MINUTES = 30;

const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** "owner/repo" -> parts, or undefined when it is not that shape. */
export function parseFullName(fullName: string): { owner: string; repository: string } | undefined {
  const parts = fullName.split('/');
  if (parts.length !== 2) return undefined;
  const [owner, repository] = parts;
  if (!isValidHandle(owner) || !REPO_NAME.test(repository) || repository === '.' || repository === '..')
    return undefined;
  return { owner, repository };
}

export interface SettingsResult {
  settings?: SynthesisSettings;
  /** Every problem at once, each naming the variable, the value and what was expected. */
  errors: string[];
}

/** Reads the settings from an environment (pure: pass `process.env` at the edge). */
export function readSettings(env: NodeJS.ProcessEnv): SettingsResult {
  const errors: string[] = [];
  const text = (key: keyof SynthesisSettings): string | undefined => {
    const v = env[SETTINGS_ENV[key]];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const number = (
    key: keyof SynthesisSettings,
    opts: { min: number; max?: number; integer: boolean },
  ): number | undefined => {
    const raw = text(key);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    const ok =
      Number.isFinite(n) &&
      n >= opts.min &&
      (opts.max === undefined || n <= opts.max) &&
      (!opts.integer || Number.isInteger(n));
    if (!ok) {
      const range = opts.max === undefined ? `at least ${opts.min}` : `between ${opts.min} and ${opts.max}`;
      errors.push(
        `${SETTINGS_ENV[key]}: expected ${opts.integer ? 'a whole number' : 'a number'} ${range}, found "${raw}"`,
      );
      return undefined;
    }
    return n;
  };

  const modeRaw = text('mode') ?? 'github-app';
  const mode = (PROVISIONING_MODES as readonly string[]).includes(modeRaw) ? (modeRaw as ProvisioningMode) : undefined;
  if (!mode) errors.push(`${SETTINGS_ENV.mode}: expected one of ${PROVISIONING_MODES.join(', ')}, found "${modeRaw}"`);

  const owner = text('owner') ?? DEFAULT_OWNER;
  if (!isValidHandle(owner))
    errors.push(`${SETTINGS_ENV.owner}: expected a GitHub organization or user name, found "${owner}"`);

  const templateRepo = text('templateRepo') ?? `${owner}/${DEFAULT_TEMPLATE_NAME}`;
  if (!parseFullName(templateRepo)) {
    errors.push(`${SETTINGS_ENV.templateRepo}: expected "owner/repository", found "${templateRepo}"`);
  }

  let baseUrl = text('baseUrl') ?? DEFAULT_BASE_URL;
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
    if (u.username || u.password) {
      // A URL with credentials would be written into the configuration verbatim.
      errors.push(`${SETTINGS_ENV.baseUrl}: expected a URL without user name or password`);
    }
    if (!baseUrl.endsWith('/')) baseUrl += '/';
  } catch {
    errors.push(`${SETTINGS_ENV.baseUrl}: expected an http(s) URL such as ${DEFAULT_BASE_URL}, found "${baseUrl}"`);
  }

  const repositoryPattern = text('repositoryPattern') ?? DEFAULT_REPOSITORY_PATTERN;
  const patternProblem = checkRepositoryPattern(repositoryPattern);
  if (patternProblem) errors.push(`${SETTINGS_ENV.repositoryPattern}: ${patternProblem}`);

  const share = number('removalGuardShare', { min: 0, max: 1, integer: false });
  const allowRaw = (text('allowMassArchive') ?? 'false').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(allowRaw)) {
    errors.push(`${SETTINGS_ENV.allowMassArchive}: expected true or false, found "${allowRaw}"`);
  }

  const runStartedAt = text('runStartedAt');
  if (runStartedAt !== undefined && Number.isNaN(Date.parse(runStartedAt))) {
    errors.push(
      `${SETTINGS_ENV.runStartedAt}: expected an ISO 8601 time such as 2026-09-28T10:07:00Z, found "${runStartedAt}"`,
    );
  }

  const at = text('at');
  if (at !== undefined && (Number.isNaN(Date.parse(at)) || !/^\d{4}-\d{2}-\d{2}T/.test(at))) {
    errors.push(`${SETTINGS_ENV.at}: expected an ISO 8601 time such as 2026-09-28T10:07:00Z, found "${at}"`);
  }

  const settings: SynthesisSettings = {
    mode: mode ?? 'github-app',
    owner,
    templateRepo,
    baseUrl,
    repositoryPattern,
    requiredFilesDir: text('requiredFilesDir') ?? 'required-files',
    admissionBudget: number('admissionBudget', { min: 0, integer: true }),
    contentWritesPerHour: number('contentWritesPerHour', { min: 1, integer: true }) ?? GITHUB_CONTENT_WRITES_PER_HOUR,
    runIntervalMinutes:
      number('runIntervalMinutes', { min: 1, max: 1440, integer: false }) ?? DEFAULT_RUN_INTERVAL_MINUTES,
    removalGuardShare: share ?? 0.1,
    removalGuardMinimum: number('removalGuardMinimum', { min: 0, integer: true }) ?? 1,
    allowMassArchive: ['true', '1', 'yes'].includes(allowRaw),
    concurrentApplies: number('concurrentApplies', { min: 1, integer: true }),
    shardSize: number('shardSize', { min: 1, max: 10_000, integer: true }),
    runStartedAt,
    at,
    writeDelayMs: number('writeDelayMs', { min: 1, integer: true }),
    readDelayMs: number('readDelayMs', { min: 0, integer: true }),
    maxRetries: number('maxRetries', { min: 0, integer: true }),
    stateDir: text('stateDir'),
    backendDir: text('backendDir'),
    // CDKTF_OUTDIR is what the cdktf CLI sets when it runs the app.
    outdir: text('outdir') ?? env.CDKTF_OUTDIR ?? 'cdktf.out',
  };
  return errors.length ? { errors } : { settings, errors };
}

/** Why a repository name pattern is unusable, or undefined when it is fine. */
export function checkRepositoryPattern(pattern: string): string | undefined {
  const placeholders = pattern.match(/\{[^}]*\}/g) ?? [];
  const unknown = placeholders.filter((p) => p !== '{cohort}' && p !== '{handle}');
  if (unknown.length)
    return `expected only the placeholders {cohort} and {handle}, found ${unknown.join(', ')} in "${pattern}"`;
  if (!pattern.includes('{handle}'))
    return `expected a pattern containing {handle} (one room per learner), found "${pattern}"`;
  const literal = pattern.replace(/\{cohort\}|\{handle\}/g, '');
  if (!/^[A-Za-z0-9._-]*$/.test(literal)) {
    return `expected only A-Za-z0-9 . _ - around the placeholders, found "${pattern}"`;
  }
  return undefined;
}
