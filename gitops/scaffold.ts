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
  FRONT_DOOR_CALLER_WORKFLOWS,
  FRONT_DOOR_SETTING,
  MANIFEST_FILE,
  pinProblems,
  serializeManifest,
  toolRepositoryProblem,
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
  /** `templates/front-door/`, path (relative to it) -> text: the public repository `init --front-door` writes. */
  frontDoorTemplates: ReadonlyMap<string, string>;
}

/** The public front door beside the admin repository (`init --front-door`). */
export interface FrontDoorOptions {
  /** `owner/name` of the public front door repository. */
  repository: string;
  /** `owner/name` of the admin repository, which takes its requests. */
  adminRepository: string;
}

export interface ScaffoldOptions {
  pin: ToolPin;
  /** The organization or user that owns the learning rooms. */
  owner: string;
  /** `owner/name` of the template repository the rooms are made from. */
  template: string;
  /** The first cohort's id. */
  cohort: string;
  /** With a public front door: its settings in the admin repository, and the Enrol workflow. */
  frontDoor?: FrontDoorOptions;
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
    'front-door-repository': options.frontDoor?.repository ?? '',
    'admin-repository': options.frontDoor?.adminRepository ?? '',
    'front-door-steps': options.frontDoor ? FRONT_DOOR_STEPS(options.frontDoor) : NO_FRONT_DOOR,
  };
}

/** The admin README's words about the front door, with one and without. */
const NO_FRONT_DOOR = [
  'Learners cannot open issues in this private repository. To let them register themselves (the',
  "replacement for GitHub Classroom's invitation link), give them a public front door: see",
  'learning-rooms\' docs/gitops.md, "The public front door".',
].join('\n');

function FRONT_DOOR_STEPS(f: FrontDoorOptions): string {
  return [
    `Learners register in the public front door \`${f.repository}\` (written beside this one by`,
    '`init --front-door`), never here. Once the steps above are done:',
    '',
    `1. **Push the front door** to a new **public** repository \`${f.repository}\`, default branch \`main\`;`,
    '   create its label `registration`.',
    `2. **Install the registration App on it too** (Repository access: this repository and \`${f.repository}\`),`,
    '   and give the App Issues: write besides Contents and Pull requests: write.',
    '3. **In the front door, create the environment `learning-rooms-front-door`**, limited to `main`, with',
    '   `REGISTER_APP_ID` and `REGISTER_APP_PRIVATE_KEY`.',
    '4. **Here, create the environment `learning-rooms-enrol`**, limited to `main`, with',
    '   `REGISTER_APP_ID`, `REGISTER_APP_PRIVATE_KEY`, `RECORDS_APP_ID` and `RECORDS_APP_PRIVATE_KEY`.',
    '5. **Set each cohort\'s enrolment** in `roster.json` (`"enrolment"`: dates, `"review": "auto"` or',
    '   `"manual"`, an allow-list or an enrolment code; see learning-rooms\' docs/roster.md). The first',
    '   cohort starts with `{"review": "manual"}`: every registration waits for you in one pull request.',
    '   With `"auto"` they are enrolled in one commit and the scheduled Apply makes their rooms: no merge.',
    `6. **Share the link**: Register here: https://github.com/${f.repository}/issues/new?template=register.yml`,
  ].join('\n');
}

/**
 * The caller workflows of a release, rendered with a pin: path in the admin repository -> text.
 * `names`: the callers to render (the Enrol workflow only with a front door).
 */
export function renderCallers(
  release: Pick<ReleaseFiles, 'templates'>,
  vars: Readonly<Record<string, string>>,
  names: readonly string[] = CALLER_WORKFLOWS,
): { files: Map<string, string>; problems: string[] } {
  const files = new Map<string, string>();
  const problems: string[] = [];
  for (const name of names) {
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
  // With a front door the first cohort takes registrations at once, each reviewed by a facilitator.
  const enrolment = options.frontDoor ? { enrolment: { review: 'manual' as const } } : {};
  return {
    format_version: 1,
    cohorts: [{ cohort_id: options.cohort, required_files: requiredFiles, ...enrolment }],
    learners: [],
  };
}

function settingsFile(options: ScaffoldOptions): string {
  return `${JSON.stringify(
    {
      PROVISIONING_MODE: 'github-app',
      PROVISIONING_STUDENT_OWNER: options.owner,
      LEARNING_ROOM_TEMPLATE_REPO: options.template,
      LEARNING_ROOMS_BACKEND: 'git',
      LEARNING_ROOMS_HEAL: false,
      ...(options.frontDoor ? { [FRONT_DOOR_SETTING]: options.frontDoor.repository } : {}),
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
  if (options.frontDoor) {
    const fd = toolRepositoryProblem(options.frontDoor.repository);
    if (fd)
      problems.push(
        `--front-door-repository: ${fd.replace('e.g. learning-rooms/learning-rooms', 'e.g. acme/register')}`,
      );
    const admin = toolRepositoryProblem(options.frontDoor.adminRepository);
    if (admin)
      problems.push(
        `--admin-repository: ${admin.replace('e.g. learning-rooms/learning-rooms', 'e.g. acme/workshop-admin')}`,
      );
    if (
      !fd &&
      !admin &&
      options.frontDoor.repository.toLowerCase() === options.frontDoor.adminRepository.toLowerCase()
    ) {
      problems.push(
        '--front-door-repository: the front door must be another repository than the admin repository (it is public; the admin repository is private)',
      );
    }
  }
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
  const callers = renderCallers(
    release,
    vars,
    options.frontDoor ? [...CALLER_WORKFLOWS, ...FRONT_DOOR_CALLER_WORKFLOWS] : CALLER_WORKFLOWS,
  );
  problems.push(...callers.problems);
  for (const [path, text] of callers.files) files.set(path, text);
  const frontDoorOnly = new Set<string>(FRONT_DOOR_CALLER_WORKFLOWS.map((f) => `${CALLER_DIR}/${f}`));
  for (const [path, text] of release.templates) {
    if (files.has(path) || frontDoorOnly.has(path)) continue;
    const r = renderTemplate(`templates/admin-repository/${path}`, text, vars);
    problems.push(...r.problems);
    files.set(path, r.text);
  }
  files.set('.github/ISSUE_TEMPLATE/register.yml', release.issueForm);
  for (const [path, content] of release.requiredFiles) files.set(`required-files/${path}`, content);
  return problems.length > 0 ? { files: new Map(), problems } : { files, problems };
}

/**
 * The public front door (`init --front-door`): the registration form (cohort, learning path,
 * enrolment code; nothing private), its workflow handing each request to the admin repository,
 * a README for learners, and the pin (`.learning-rooms.json`, which `upgrade` moves).
 */
export function scaffoldFrontDoor(
  release: ReleaseFiles,
  options: ScaffoldOptions & { frontDoor: FrontDoorOptions },
): { files: Map<string, string>; problems: string[] } {
  const problems = scaffoldOptionProblems(options);
  if (problems.length > 0) return { files: new Map(), problems };
  const vars = templateVars(options);
  const files = new Map<string, string>();
  for (const [path, text] of release.frontDoorTemplates) {
    const r = renderTemplate(`templates/front-door/${path}`, text, vars);
    problems.push(...r.problems);
    files.set(path, r.text);
  }
  if (!files.has(`${CALLER_DIR}/${FRONT_DOOR_CALLER}`))
    problems.push(`templates/front-door/${CALLER_DIR}/${FRONT_DOOR_CALLER}: missing from this release`);
  files.set(MANIFEST_FILE, serializeManifest(options.pin));
  return problems.length > 0 ? { files: new Map(), problems } : { files, problems };
}

/** The front door's one caller workflow. */
export const FRONT_DOOR_CALLER = 'register.yml';

/** The front door's callers rendered with a pin (for `upgrade`): its admin repository as its caller names it. */
export function renderFrontDoorCallers(
  release: Pick<ReleaseFiles, 'frontDoorTemplates'>,
  vars: Readonly<Record<string, string>>,
): { files: Map<string, string>; problems: string[] } {
  const path = `${CALLER_DIR}/${FRONT_DOOR_CALLER}`;
  const source = release.frontDoorTemplates.get(path);
  if (source === undefined)
    return { files: new Map(), problems: [`templates/front-door/${path}: missing from this release`] };
  const r = renderTemplate(`templates/front-door/${path}`, source, vars);
  return { files: new Map([[path, r.text]]), problems: r.problems };
}
