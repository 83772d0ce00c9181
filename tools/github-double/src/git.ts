import { createHash } from 'node:crypto';

/** Git's object id of a blob: sha1("blob <size>\0" + content). Clients compare it with their own. */
export function blobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A stand-in tree id: stable for the same set of paths and blobs. */
export function treeSha(entries: Iterable<[string, string]>): string {
  const h = createHash('sha1').update('tree\0');
  for (const [path, sha] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    h.update(`${path}\0${sha}\n`);
  return h.digest('hex');
}

/** A commit id; the sequence number keeps two identical commits apart, as their times would on GitHub. */
export function commitSha(tree: string, parents: string[], message: string, date: string, seq: number): string {
  return createHash('sha1')
    .update(`commit\0${tree}\0${parents.join(',')}\0${date}\0${seq}\0${message}`)
    .digest('hex');
}

function lines(content: Buffer | null): string[] {
  if (!content || content.length === 0) return [];
  const text = content.toString('utf8');
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/**
 * A commit's `additions` / `deletions` for one file: lines only in the new / only in the old
 * content, counted as multisets (no line ordering, so a moved line counts as unchanged; GitHub's
 * diff would count it; nothing the double serves depends on the difference).
 */
export function lineChanges(before: Buffer | null, after: Buffer | null): { additions: number; deletions: number } {
  const old = new Map<string, number>();
  for (const l of lines(before)) old.set(l, (old.get(l) ?? 0) + 1);
  let additions = 0;
  for (const l of lines(after)) {
    const n = old.get(l) ?? 0;
    if (n > 0) old.set(l, n - 1);
    else additions++;
  }
  let deletions = 0;
  for (const n of old.values()) deletions += n;
  return { additions, deletions };
}
