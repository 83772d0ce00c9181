/**
 * The data a pull request may hand to a privileged plan: the roster, the required files and the
 * settings file, read from the pull request's commit as git blobs and nothing else. The plan that
 * holds credentials runs the default branch's code; from the pull request it takes only these
 * files, each a regular file (no symlink that could point at the runner's secrets, no submodule),
 * each under a size cap, so what the pull request controls is data for our validation, never code.
 */

/** One line of `git ls-tree -r -z --long`: `<mode> <type> <object> <size>\t<path>`. */
export interface TreeEntry {
  mode: string;
  type: string;
  object: string;
  size: number | undefined;
  path: string;
}

export const MAX_FILE_BYTES = 32 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 128 * 1024 * 1024;
export const MAX_FILES = 2000;

/** Regular files only: 100644 and 100755. 120000 is a symlink, 160000 a submodule. */
const REGULAR_FILE = new Set(['100644', '100755']);

export function parseLsTree(output: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const record of output.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, object, size] = record.slice(0, tab).trim().split(/\s+/);
    out.push({
      mode,
      type,
      object,
      size: size === '-' || size === undefined ? undefined : Number(size),
      path: record.slice(tab + 1),
    });
  }
  return out;
}

/**
 * The data paths of a pull request: `roster.json`, `config/gitops.json` and the required-files
 * folder. The folder's name comes from the trusted settings; it must be a plain relative path.
 */
export function dataPaths(requiredFilesDir: string): { paths: string[]; errors: string[] } {
  const dir = requiredFilesDir.replace(/\/+$/, '');
  const errors: string[] = [];
  if (
    dir === '' ||
    dir.startsWith('/') ||
    dir.split('/').some((p) => p === '..' || p === '.' || p === '') ||
    /[\0\n\\]/.test(dir)
  ) {
    errors.push(`required-files folder "${dir}": expected a plain path relative to the repository root`);
  }
  return { paths: ['roster.json', 'config/gitops.json', dir], errors };
}

/** Which entries to extract, and every reason to refuse the pull request's data. */
export function selectDataEntries(entries: TreeEntry[], paths: string[]): { files: TreeEntry[]; problems: string[] } {
  const problems: string[] = [];
  const files: TreeEntry[] = [];
  let total = 0;
  const inScope = (p: string) => paths.some((d) => p === d || p.startsWith(`${d}/`));
  for (const e of entries) {
    if (!inScope(e.path)) continue;
    if (e.type !== 'blob' || !REGULAR_FILE.has(e.mode)) {
      const what = e.mode === '120000' ? 'a symbolic link' : e.mode === '160000' ? 'a submodule' : `mode ${e.mode}`;
      problems.push(`${e.path}: expected a regular file; found ${what}`);
      continue;
    }
    if (e.size === undefined || e.size > MAX_FILE_BYTES) {
      problems.push(`${e.path}: expected at most ${MAX_FILE_BYTES} bytes; found ${e.size ?? 'an unknown size'}`);
      continue;
    }
    total += e.size;
    files.push(e);
  }
  if (files.length > MAX_FILES) problems.push(`expected at most ${MAX_FILES} data files; found ${files.length}`);
  if (total > MAX_TOTAL_BYTES)
    problems.push(`expected at most ${MAX_TOTAL_BYTES} bytes of data in all; found ${total}`);
  return { files, problems };
}

/** Paths whose content differs between the base and the pull request, limited to the data. */
export function changedDataPaths(diffNames: string, paths: string[]): string[] {
  return diffNames
    .split('\0')
    .filter((p) => p !== '' && paths.some((d) => p === d || p.startsWith(`${d}/`)))
    .sort();
}
