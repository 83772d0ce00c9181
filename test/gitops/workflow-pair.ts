/**
 * The workflows as they run: an admin repository's callers (this release's templates, rendered
 * with a pin as `init` renders them) and this repository's reusable workflows, which the callers'
 * `uses:` name at that pin. The workflow tests read the pair as one set of files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRelease } from '../../commands/release';
import { CALLER_WORKFLOWS, DEFAULT_TOOL_REPOSITORY, FRONT_DOOR_CALLER_WORKFLOWS } from '../../gitops/admin-repository';
import { renderCallers, renderFrontDoorCallers } from '../../gitops/scaffold';

export const ROOT = join(__dirname, '..', '..');
export const REUSABLE_DIR = join(ROOT, '.github', 'workflows');
export const SCRIPTS = join(ROOT, '.github', 'scripts');
export const PIN = {
  repository: DEFAULT_TOOL_REPOSITORY,
  ref: '0123456789abcdef0123456789abcdef01234567',
  version: readRelease().version,
};

/** A caller is named `admin:<file>` (the public front door's `front-door:<file>`); a reusable workflow by its file name. */
export const CALLER_PREFIX = 'admin:';
export const FRONT_DOOR_PREFIX = 'front-door:';

export interface WorkflowFile {
  key: string;
  /** Where actionlint and messages say it is. */
  path: string;
  src: string;
  side: 'caller' | 'reusable';
}

function load(): WorkflowFile[] {
  const reusable = readdirSync(REUSABLE_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f): WorkflowFile => ({
      key: f,
      path: `.github/workflows/${f}`,
      src: readFileSync(join(REUSABLE_DIR, f), 'utf8'),
      side: 'reusable',
    }));
  const vars = {
    'tool-repository': PIN.repository,
    'tool-ref': PIN.ref,
    version: PIN.version,
    'admin-repository': 'acme/workshop-admin',
  };
  // An admin repository with a front door: every caller `init --front-door` writes.
  const rendered = renderCallers(readRelease(), vars, [...CALLER_WORKFLOWS, ...FRONT_DOOR_CALLER_WORKFLOWS]);
  const frontDoor = renderFrontDoorCallers(readRelease(), vars);
  const problems = [...rendered.problems, ...frontDoor.problems];
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const callers = [...rendered.files].map(([path, src]): WorkflowFile => ({
    key: `${CALLER_PREFIX}${path.split('/').pop()}`,
    path: `templates/admin-repository/${path}`,
    src,
    side: 'caller',
  }));
  const publicCallers = [...frontDoor.files].map(([path, src]): WorkflowFile => ({
    key: `${FRONT_DOOR_PREFIX}${path.split('/').pop()}`,
    path: `templates/front-door/${path}`,
    src,
    side: 'caller',
  }));
  return [...callers, ...publicCallers, ...reusable];
}

export const WORKFLOWS: readonly WorkflowFile[] = load();
export const byKey = (key: string): WorkflowFile => {
  const w = WORKFLOWS.find((x) => x.key === key);
  if (!w) throw new Error(`no workflow ${key}`);
  return w;
};

/**
 * The workflow a job's `uses:` runs: this repository's reusable workflow for the pinned remote
 * form, the same side's file for `./.github/workflows/x.yml`; undefined for anything else.
 */
export function resolveUses(from: WorkflowFile, uses: string): string | undefined {
  const local = /^\.\/\.github\/workflows\/([\w.-]+)$/.exec(uses);
  if (local) return from.side === 'caller' ? `${CALLER_PREFIX}${local[1]}` : local[1];
  const remote = /^([\w.-]+\/[\w.-]+)\/\.github\/workflows\/([\w.-]+)@([0-9a-f]{40})$/.exec(uses);
  if (remote && remote[1] === PIN.repository && remote[3] === PIN.ref) return remote[2];
  return undefined;
}
