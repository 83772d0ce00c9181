/**
 * What changed in a template between two commits, as files a room can receive through the contents
 * API: added, modified and removed regular files (a rename is a removal and an addition, so the
 * learner's copy at the old path is judged on its own). What that API cannot write (symbolic links,
 * submodules, an executable bit alone, files beyond the size limit) is refused with the reason,
 * and required files are left to Terraform, which enforces them on the default branch. Pure.
 */

/** One entry of a recursive git tree, as GitHub lists it. */
export interface TreeEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
  size?: number;
}

/** `from`: the template's blob before; `to`: after; `size`: of `to`, when GitHub gave it. */
export type FileChange =
  | { path: string; kind: 'added'; to: string; size?: number }
  | { path: string; kind: 'modified'; from: string; to: string; size?: number }
  | { path: string; kind: 'removed'; from: string };

export interface RefusedFile {
  path: string;
  reason: string;
}

export interface TemplateChange {
  files: FileChange[];
  refused: RefusedFile[];
  /** Changed paths that are required files: Terraform writes those, never a pull request. */
  required: string[];
  /** What a learner should know about a carried file (an executable bit the API drops). */
  notes: string[];
}

const SYMLINK = '120000';
const EXECUTABLE = '100755';
/** Default limit on a proposed file: the contents API carries a file in one JSON body, base64. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function byPath(entries: readonly TreeEntry[]): Map<string, TreeEntry> {
  // Folders are not files: their content shows through the files under them.
  return new Map(entries.filter((e) => e.type !== 'tree').map((e) => [e.path, e]));
}

export function diffTrees(
  before: readonly TreeEntry[],
  after: readonly TreeEntry[],
  options: { requiredFiles?: readonly string[]; maxFileBytes?: number } = {},
): TemplateChange {
  const required = new Set(options.requiredFiles ?? []);
  const maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const old = byPath(before);
  const now = byPath(after);
  const out: TemplateChange = { files: [], refused: [], required: [], notes: [] };
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort();
  for (const path of paths) {
    const a = old.get(path);
    const b = now.get(path);
    if (a && b && a.sha === b.sha && a.mode === b.mode && a.type === b.type) continue;
    if (required.has(path)) {
      out.required.push(path);
      continue;
    }
    const odd = [a, b].find((e) => e && (e.type === 'commit' || e.mode === SYMLINK));
    if (odd) {
      out.refused.push({
        path,
        reason:
          odd.type === 'commit'
            ? 'a submodule: the contents API writes files only; change it in the rooms by hand'
            : 'a symbolic link: the contents API writes files only; change it in the rooms by hand',
      });
      continue;
    }
    if (a && b && a.sha === b.sha) {
      out.refused.push({
        path,
        reason: `only its mode changed (${a.mode} to ${b.mode}): the contents API cannot set a file's mode`,
      });
      continue;
    }
    if (b && b.size !== undefined && b.size > maxBytes) {
      out.refused.push({
        path,
        reason: `${mb(b.size)}, over the ${mb(maxBytes)} a proposal carries: add it to the rooms by hand`,
      });
      continue;
    }
    if (b?.mode === EXECUTABLE && a?.mode !== EXECUTABLE)
      out.notes.push(`${path} is executable in the template; the pull request adds it without the executable bit`);
    out.files.push(
      a && b
        ? { path, kind: 'modified', from: a.sha, to: b.sha, ...(b.size !== undefined ? { size: b.size } : {}) }
        : b
          ? { path, kind: 'added', to: b.sha, ...(b.size !== undefined ? { size: b.size } : {}) }
          : { path, kind: 'removed', from: a!.sha }, // a path of the union is in one of the two
    );
  }
  return out;
}
