/**
 * `learning-rooms init`: the files of a new admin repository, from a release's templates. Pure: the
 * release's files come in, the file map goes out, every problem with the inputs at once. The
 * command edge reads the release and writes the map.
 */
import { serializeRoster, validateRoster, formatRosterError, isValidHandle } from '../roster';
import type { Roster } from '../roster';
import { parseFullName, readSettings } from '../contracts/settings';
import { GITOPS_CONFIG_FILE, gitopsEnv } from './gitops-config';
import {
  CALLER_DIR,
  CALLER_WORKFLOWS,
  MANIFEST_FILE,
  pinProblems,
  serializeManifest,
  type ToolPin,
} from './admin-repository';

/** What a release brings to `init` (read by the edge from this project's checkout). */
export interface ReleaseFiles {
  /** `templates/admin-repository/`, path (relative to it) -> text. */
  templates: ReadonlyMap<string, string>;
  /** `.github/ISSUE_TEMPLATE/register.yml`. */
  issueForm: string;
  /** `required-files/`, path (relative to it) -> content. */
  requiredFiles: ReadonlyMap<string, Buffer>;
}

export interface ScaffoldOptions {
  pin: ToolPin;
  /** The organization or user that owns the learning rooms. */
  owner: string;
  /** `owner/name` of the template repository the rooms are made from. */
  template: string;
  /** The first cohort's id. */
  cohort: string;
}

const PLACEHOLDER = /\{\{([a-z-]+)\}\}/g;

/** `{{name}}` replaced by `vars[name]`; a placeholder without a value is a problem of the release. */
export function renderTemplate(
  source: string,
  text: string,
  vars: Readonly<Record<string, string>>,
): { text: string; problems: string[] } {
  const missing = new Set<string>();
  const out = text.replace(PLACEHOLDER, (whole, name: string) => {
    if (Object.prototype.hasOwnProperty.call(vars, name)) return vars[name];
    missing.add(name);
    return whole;
  });
  return { text: out, problems: [...missing].map((n) => `${source}: no value for the placeholder {{${n}}}`) };
}

export function templateVars(options: ScaffoldOptions): Record<string, string> {
  return {
    'tool-repository': options.pin.repository,
    'tool-ref': options.pin.ref,
    version: options.pin.version,
    owner: options.owner,
    template: options.template,
    cohort: options.cohort,
  };
}

/** The caller workflows of a release, rendered with a pin: path in the admin repository -> text. */
export function renderCallers(
  release: Pick<ReleaseFiles, 'templates'>,
  vars: Readonly<Record<string, string>>,
): { files: Map<string, string>; problems: string[] } {
  const files = new Map<string, string>();
  const problems: string[] = [];
  for (const name of CALLER_WORKFLOWS) {
    const path = `${CALLER_DIR}/${name}`;
    const source = release.templates.get(path);
    if (source === undefined) {
      problems.push(`templates/admin-repository/${path}: missing from this release`);
      continue;
    }
    const r = renderTemplate(`templates/admin-repository/${path}`, source, vars);
    problems.push(...r.problems);
    files.set(path, r.text);
  }
  return { files, problems };
}

function firstRoster(options: ScaffoldOptions, requiredFiles: string[]): Roster {
  return { format_version: 1, cohorts: [{ cohort_id: options.cohort, required_files: requiredFiles }], learners: [] };
}

function settingsFile(options: ScaffoldOptions): string {
  return `${JSON.stringify(
    {
      PROVISIONING_MODE: 'github-app',
      PROVISIONING_STUDENT_OWNER: options.owner,
      LEARNING_ROOM_TEMPLATE_REPO: options.template,
      LEARNING_ROOMS_BACKEND: 'git',
      LEARNING_ROOMS_HEAL: false,
    },
    null,
    2,
  )}\n`;
}

/** Every problem with the options, each naming the option, before anything is built. */
export function scaffoldOptionProblems(options: ScaffoldOptions): string[] {
  const problems = pinProblems(options.pin, {
    repository: '--tool-repository',
    ref: '--tool-ref',
    version: '--version',
  });
  if (!isValidHandle(options.owner))
    problems.push(`--owner: expected a GitHub organization or user name, found ${JSON.stringify(options.owner)}`);
  if (!parseFullName(options.template))
    problems.push(
      `--template: expected owner/name of the template repository, found ${JSON.stringify(options.template)}`,
    );
  return problems;
}

/**
 * The admin repository: path -> content. `.terraform.lock.hcl` is not among them: its hashes must
 * come from the registry (`lock-providers --run`), never be written by hand.
 */
export function scaffoldAdminRepository(
  release: ReleaseFiles,
  options: ScaffoldOptions,
): { files: Map<string, string | Buffer>; problems: string[] } {
  const roster = firstRoster(options, [...release.requiredFiles.keys()].sort());
  const problems = [
    ...scaffoldOptionProblems(options),
    // The roster's own rules judge the cohort id, in the roster's words.
    ...validateRoster(roster).map((e) => `--cohort: ${formatRosterError(e, 'roster.json')}`),
  ];
  if (problems.length > 0) return { files: new Map(), problems };

  const files = new Map<string, string | Buffer>();
  const vars = templateVars(options);
  files.set('roster.json', serializeRoster(roster));
  const settings = settingsFile(options);
  // A safety net: what init writes, the workflows must accept.
  const env = gitopsEnv(settings);
  problems.push(...env.errors, ...readSettings(env.env).errors.map((e) => `${GITOPS_CONFIG_FILE}: ${e}`));
  files.set(GITOPS_CONFIG_FILE, settings);
  files.set(MANIFEST_FILE, serializeManifest(options.pin));
  const callers = renderCallers(release, vars);
  problems.push(...callers.problems);
  for (const [path, text] of callers.files) files.set(path, text);
  for (const [path, text] of release.templates) {
    if (files.has(path)) continue;
    const r = renderTemplate(`templates/admin-repository/${path}`, text, vars);
    problems.push(...r.problems);
    files.set(path, r.text);
  }
  files.set('.github/ISSUE_TEMPLATE/register.yml', release.issueForm);
  for (const [path, content] of release.requiredFiles) files.set(`required-files/${path}`, content);
  return problems.length > 0 ? { files: new Map(), problems } : { files, problems };
}
