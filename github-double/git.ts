import { createHash } from 'node:crypto';

/** Git's object id of a blob: sha1("blob <size>\0" + content). Clients compare it with their own. */
export function blobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A stand-in tree id: stable for the same set of paths and blobs. */
export function treeSha(entries: Iterable<[string, string]>): string {
  const h = createHash('sha1').update('tree\0');
  for (const [path, sha] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(`${path}\0${sha}\n`);
  return h.digest('hex');
}

/** A commit id; the sequence number keeps two identical commits apart, as their times would on GitHub. */
export function commitSha(tree: string, parents: string[], message: string, date: string, seq: number): string {
  return createHash('sha1').update(`commit\0${tree}\0${parents.join(',')}\0${date}\0${seq}\0${message}`).digest('hex');
}
