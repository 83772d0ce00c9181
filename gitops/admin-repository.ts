/**
 * The operator's admin repository as learning-rooms sees it: which files hold the pin of the
 * release it runs (the manifest `.learning-rooms.json` and every caller workflow's `uses:` and
 * `tool-ref`), how to read the pins and how to move them. Pure: text in, text or problems out.
 *
 * A caller workflow calls this project's reusable workflows at one commit:
 *
 *     uses: learning-rooms/learning-rooms/.github/workflows/synth.yml@<sha> # v0.1.0
 *     with:
 *       tool-repository: learning-rooms/learning-rooms
 *       tool-ref: <sha>
 *
 * GitHub runs the reusable workflow of `uses:`; the workflow checks out the code of `tool-ref`.
 * Both must be the same commit (an expression cannot go in `uses:`, so the caller says it twice),
 * and the manifest records it for `upgrade` and `doctor`.
 */
import { isValidHandle } from '../roster/handle';

/** Where learning-rooms is published, unless `init --tool-repository` says otherwise (a fork, a mirror). */
export const DEFAULT_TOOL_REPOSITORY = 'learning-rooms/learning-rooms';
export const MANIFEST_FILE = '.learning-rooms.json';
export const CALLER_DIR = '.github/workflows';
/** The caller workflows `init` writes, each calling one or more reusable workflows. */
export const CALLER_WORKFLOWS = [
  'pull-request.yml',
  'plan.yml',
  'apply.yml',
  'watchdog.yml',
  'progress.yml',
  'register.yml',
  'propose-update.yml',
] as const;

/** The four environments of docs/gitops.md, each limited to `main`. */
export const ENVIRONMENTS = [
  'learning-rooms-plan',
  'learning-rooms-apply',
  'learning-rooms-progress',
  'learning-rooms-register',
] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];
/** The label the issue form applies and the Register workflow looks for. */
export const REGISTRATION_LABEL = 'registration';

/**
 * The setting (config/gitops.json) naming the public front door, OWNER/NAME: the one repository
 * whose registration requests the admin repository takes. Set by `init --front-door`.
 */
export const FRONT_DOOR_SETTING = 'LEARNING_ROOMS_FRONT_DOOR_REPOSITORY';
/** The caller workflows `init --front-door` adds: the scheduled enrolment. */
export const FRONT_DOOR_CALLER_WORKFLOWS = ['enrol.yml'] as const;
/** The environment of the enrolment job (the registration App and the records App). */
export const ENROL_ENVIRONMENT = 'learning-rooms-enrol';
/** The environment of the front door's own workflow, in the public repository (the registration App). */
export const FRONT_DOOR_ENVIRONMENT = 'learning-rooms-front-door';

export interface ToolPin {
  /** `owner/name` of the learning-rooms repository whose workflows and code run. */
  repository: string;
  /** A full commit SHA. */
  ref: string;
  /** The release's version (package.json), for people: the `# v…` comment and the changelog. */
  version: string;
}

export interface AdminManifest extends ToolPin {
  format_version: 1;
}

const SHA = /^[0-9a-f]{40}$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function toolRepositoryProblem(value: string): string | undefined {
  const [owner, name, ...rest] = value.split('/');
  if (
    rest.length > 0 ||
    !owner ||
    !name ||
    !isValidHandle(owner) ||
    !REPO_NAME.test(name) ||
    name === '.' ||
    name === '..'
  ) {
    return `expected owner/name of a GitHub repository (e.g. learning-rooms/learning-rooms), found ${JSON.stringify(value)}`;
  }
  return undefined;
}

export function toolRefProblem(value: string): string | undefined {
  return SHA.test(value)
    ? undefined
    : `expected a full commit SHA (40 lower-case hex digits; a branch or tag can move), found ${JSON.stringify(value)}`;
}

export function versionProblem(value: string): string | undefined {
  return VERSION.test(value) ? undefined : `expected a version such as 0.1.0, found ${JSON.stringify(value)}`;
}

/** Every problem of a pin at once, each naming its option or field. */
export function pinProblems(
  pin: ToolPin,
  names = { repository: 'tool_repository', ref: 'tool_ref', version: 'version' },
): string[] {
  const found: [string, string | undefined][] = [
    [names.repository, toolRepositoryProblem(pin.repository)],
    [names.ref, toolRefProblem(pin.ref)],
    [names.version, versionProblem(pin.version)],
  ];
  return found.flatMap(([name, p]) => (p ? [`${name}: ${p}`] : []));
}

/** The manifest's text; field names in snake case, like the roster's. */
export function serializeManifest(pin: ToolPin): string {
  return `${JSON.stringify({ format_version: 1, tool_repository: pin.repository, tool_ref: pin.ref, version: pin.version }, null, 2)}\n`;
}

export function parseManifest(text: string, source = MANIFEST_FILE): { manifest?: AdminManifest; errors: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { errors: [`${source}: expected JSON; ${(err as Error).message}`] };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { errors: [`${source}: expected an object with format_version, tool_repository, tool_ref and version`] };
  }
  const o = doc as Record<string, unknown>;
  const errors: string[] = [];
  if (o.format_version !== 1)
    errors.push(`${source}: format_version: expected 1, found ${JSON.stringify(o.format_version)}`);
  const known = new Set(['format_version', 'tool_repository', 'tool_ref', 'version']);
  for (const k of Object.keys(o))
    if (!known.has(k)) errors.push(`${source}: "${k}": unknown field (expected ${[...known].join(', ')})`);
  const str = (k: string): string => {
    if (typeof o[k] !== 'string') {
      errors.push(`${source}: ${k}: expected a string, found ${JSON.stringify(o[k]) ?? 'nothing'}`);
      return '';
    }
    return o[k] as string;
  };
  const pin = { repository: str('tool_repository'), ref: str('tool_ref'), version: str('version') };
  const checks: [string, string, (v: string) => string | undefined][] = [
    ['tool_repository', pin.repository, toolRepositoryProblem],
    ['tool_ref', pin.ref, toolRefProblem],
    ['version', pin.version, versionProblem],
  ];
  for (const [name, value, problem] of checks) {
    const p = typeof o[name] === 'string' ? problem(value) : undefined;
    if (p) errors.push(`${source}: ${name}: ${p}`);
  }
  return errors.length > 0 ? { errors } : { manifest: { format_version: 1, ...pin }, errors };
}

/** One place in a caller workflow that names the release. */
export interface PinSite {
  file: string;
  /** 1-based. */
  line: number;
  kind: 'uses' | 'tool-repository' | 'tool-ref';
  /** `uses` and `tool-repository`: the repository named; `tool-ref`: undefined. */
  repository?: string;
  /** `uses`: the reusable workflow's file name. */
  workflow?: string;
  /** `uses` and `tool-ref`: the ref as written (a SHA, unless hand-edited). */
  ref?: string;
  /** `uses`: the version comment (`# v0.1.0` gives 0.1.0), when present. */
  version?: string;
}

const USES =
  /^(\s*(?:- )?uses:\s*)([A-Za-z0-9-]+\/[A-Za-z0-9._-]+)\/\.github\/workflows\/([A-Za-z0-9._-]+\.ya?ml)@(\S+?)(\s+#\s*v(\S+))?\s*$/;
const TOOL_REPOSITORY = /^(\s*tool-repository:\s*)(\S.*?)\s*$/;
const TOOL_REF = /^(\s*tool-ref:\s*)(\S.*?)\s*$/;

/**
 * Every pin site of one caller file: `uses:` of a reusable workflow in another repository, and
 * the `tool-repository` / `tool-ref` inputs. Local (`./`) calls and actions are not pins.
 */
export function readPinSites(file: string, text: string): PinSite[] {
  const out: PinSite[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    let m: RegExpExecArray | null;
    if ((m = USES.exec(line)))
      out.push({ file, line: i + 1, kind: 'uses', repository: m[2], workflow: m[3], ref: m[4], version: m[6] });
    else if ((m = TOOL_REPOSITORY.exec(line)))
      out.push({ file, line: i + 1, kind: 'tool-repository', repository: unquote(m[2]) });
    else if ((m = TOOL_REF.exec(line))) out.push({ file, line: i + 1, kind: 'tool-ref', ref: unquote(m[2]) });
  });
  return out;
}

function unquote(v: string): string {
  return /^(['"]).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/**
 * Every way the caller files disagree with `pin`: each `uses:` and input names the pinned
 * repository and commit, and a file that calls a reusable workflow passes both inputs once per
 * call. Empty when all agree. `files` maps a path to its text.
 */
export function pinDisagreements(
  files: ReadonlyMap<string, string>,
  pin: Pick<ToolPin, 'repository' | 'ref'>,
): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    const sites = readPinSites(file, text);
    const count = (k: PinSite['kind']) => sites.filter((s) => s.kind === k).length;
    for (const s of sites) {
      const at = `${file}, line ${s.line}`;
      if (s.repository !== undefined && s.repository.toLowerCase() !== pin.repository.toLowerCase()) {
        problems.push(
          `${at}: ${s.kind === 'uses' ? '`uses:`' : 'tool-repository'} names ${s.repository}, the manifest ${pin.repository}`,
        );
      }
      if (s.ref !== undefined && s.ref !== pin.ref) {
        problems.push(
          `${at}: ${s.kind === 'uses' ? '`uses:`' : 'tool-ref'} is ${s.ref}, the manifest's tool_ref ${pin.ref}`,
        );
      }
    }
    if (count('uses') !== count('tool-ref') || count('uses') !== count('tool-repository')) {
      problems.push(
        `${file}: ${count('uses')} reusable workflow call(s) but ${count('tool-repository')} tool-repository and ${count('tool-ref')} tool-ref input(s); each call passes both`,
      );
    }
  }
  return problems;
}

/**
 * `text` with every pin moved from `from` to `to`: only the pin lines change (the SHA, the
 * repository and the version comment). Refuses, naming the file and line, when a pin site does not
 * name `from` (a hand edit this cannot safely rewrite).
 */
export function rewritePins(
  file: string,
  text: string,
  from: Pick<ToolPin, 'repository' | 'ref'>,
  to: ToolPin,
): { text: string; changed: number } | { problems: string[] } {
  const problems = pinDisagreements(new Map([[file, text]]), from);
  if (problems.length > 0) return { problems };
  let changed = 0;
  const lines = text.split('\n').map((line) => {
    let m: RegExpExecArray | null;
    let next = line;
    if ((m = USES.exec(line))) next = `${m[1]}${to.repository}/.github/workflows/${m[3]}@${to.ref} # v${to.version}`;
    else if ((m = TOOL_REPOSITORY.exec(line))) next = `${m[1]}${to.repository}`;
    else if ((m = TOOL_REF.exec(line))) next = `${m[1]}${to.ref}`;
    if (next !== line) changed += 1;
    return next;
  });
  return { text: lines.join('\n'), changed };
}
