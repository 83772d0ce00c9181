import { lineChanges } from './git';
import type { Commit, CommitFileChange, Repo, StoredFile } from './types';

/**
 * The commit graph of one repository: which commits a ref names, ancestry, merge bases and the
 * difference of two trees. What branches, compare and pull requests are built on.
 */

/** A commit by full or abbreviated (7+ characters) sha. */
export function findCommit(repo: Repo, sha: string): Commit | undefined {
  return (
    repo.commits.get(sha) ??
    (sha.length >= 7 && /^[0-9a-f]+$/.test(sha)
      ? [...repo.commits.values()].find((x) => x.sha.startsWith(sha))
      : undefined)
  );
}

/** The branch a ref names (`main`, `refs/heads/main`, `heads/main`), if it is one. */
export function branchName(repo: Repo, ref: string): string | undefined {
  const name = ref.replace(/^refs\//, '').replace(/^heads\//, '');
  return repo.branches.has(name) ? name : undefined;
}

/** The commit a ref names: a branch (in any of its spellings), else a commit sha. */
export function resolveRef(repo: Repo, ref: string): Commit | undefined {
  const branch = branchName(repo, ref);
  return branch !== undefined ? repo.commits.get(repo.branches.get(branch)!) : findCommit(repo, ref); // branchName checked the branch exists
}

/** `sha` and every commit it descends from (all parents). */
export function ancestry(repo: Repo, sha: string): Set<string> {
  const seen = new Set<string>();
  const queue = [sha];
  while (queue.length) {
    const s = queue.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    queue.push(...(repo.commits.get(s)?.parents ?? []));
  }
  return seen;
}

/** The nearest commit both descend from (breadth first from `b`), or undefined for unrelated histories. */
export function mergeBase(repo: Repo, a: string, b: string): string | undefined {
  const fromA = ancestry(repo, a);
  const seen = new Set<string>();
  const queue = [b];
  while (queue.length) {
    const s = queue.shift()!;
    if (seen.has(s)) continue;
    seen.add(s);
    if (fromA.has(s)) return s;
    queue.push(...(repo.commits.get(s)?.parents ?? []));
  }
  return undefined;
}

/** Commits reachable from `head` and not from `base`, oldest first (the order GitHub lists them in a comparison). */
export function commitsBetween(repo: Repo, base: string, head: string): Commit[] {
  const exclude = ancestry(repo, base);
  const include = ancestry(repo, head);
  // repo.commits keeps insertion order, which is the order the commits were made
  return [...repo.commits.values()].filter((c) => include.has(c.sha) && !exclude.has(c.sha));
}

/** The files that differ from `before` to `after`, by path, as a commit's `files` lists them. */
export function diffTrees(
  before: ReadonlyMap<string, StoredFile>,
  after: ReadonlyMap<string, StoredFile>,
): CommitFileChange[] {
  const out: CommitFileChange[] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const o = before.get(path);
    const n = after.get(path);
    if (o?.sha === n?.sha) continue;
    if (!n)
      out.push({ filename: path, status: 'removed', sha: o!.sha, ...lineChanges(o!.content, null) }); // one of the two exists: path came from their keys
    else
      out.push({
        filename: path,
        status: o ? 'modified' : 'added',
        sha: n.sha,
        ...lineChanges(o?.content ?? null, n.content),
      });
  }
  return out;
}
