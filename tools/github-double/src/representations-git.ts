import { treeSha } from './git';
import { commitsBetween, diffTrees } from './git-graph';
import type { Urls } from './http';
import { commitJson, commitListJson, diffEntryJson, wrappedBase64 } from './representations';
import type { Commit, Repo, StoredFile } from './types';

/**
 * JSON bodies for refs, branches, trees, blobs and comparisons, in GitHub's shapes (validated
 * against GitHub's OpenAPI description in the double's tests).
 */

const base = (r: Repo, u: Urls): string => `${u.api}/repos/${r.owner.login}/${r.name}`;

/** `git-ref`; the provider's `github_branch` reads `ref` and `object.sha`. */
export function gitRefJson(r: Repo, branch: string, sha: string, u: Urls): Record<string, unknown> {
  const ref = `refs/heads/${branch}`;
  return {
    ref,
    node_id: `REF_kwDO${r.id}${Buffer.from(ref).toString('base64url')}`,
    url: `${base(r, u)}/git/${ref}`,
    object: { type: 'commit', sha, url: `${base(r, u)}/git/commits/${sha}` },
  };
}

/** `short-branch`, one entry of `GET /branches`. */
export function shortBranchJson(r: Repo, branch: string, sha: string, u: Urls): Record<string, unknown> {
  return {
    name: branch,
    commit: { sha, url: `${base(r, u)}/commits/${sha}` },
    protected: false,
    protection_url: `${base(r, u)}/branches/${encodeURIComponent(branch)}/protection`,
  };
}

/** `branch-with-protection`, `GET /branches/{branch}` (the provider's file resource reads it when `branch` is set). */
export function branchJson(r: Repo, branch: string, c: Commit, u: Urls): Record<string, unknown> {
  const url = `${base(r, u)}/branches/${encodeURIComponent(branch)}`;
  return {
    name: branch,
    commit: commitJson(r, c, u),
    _links: { html: `${u.html}/${r.owner.login}/${r.name}/tree/${branch}`, self: url },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
    protection_url: `${url}/protection`,
  };
}

/** The sha the double gives the folder `prefix` of a tree (stable for the same files under it). */
export function subtreeSha(tree: ReadonlyMap<string, StoredFile>, prefix: string): string {
  return treeSha(
    [...tree].filter(([p]) => p.startsWith(prefix)).map(([p, f]) => [`${prefix}\0${p}`, f.sha] as [string, string]),
  );
}

/**
 * `git-tree` of the folder `prefix` ('' = root): its direct entries, or with `recursive` every
 * file and folder below it, folders before their contents as git lists them. The folders' shas are
 * registered in `r.trees` so that they can be read in turn.
 */
export function treeJson(
  r: Repo,
  sha: string,
  tree: ReadonlyMap<string, StoredFile>,
  prefix: string,
  recursive: boolean,
  u: Urls,
): Record<string, unknown> {
  const entries = new Map<string, Record<string, unknown>>();
  for (const [path, f] of tree) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length).split('/');
    const depth = recursive ? rest.length : 1;
    for (let i = 1; i <= depth; i++) {
      const rel = rest.slice(0, i).join('/');
      if (entries.has(rel)) continue;
      if (i < rest.length) {
        const folder = `${prefix}${rel}/`;
        const s = subtreeSha(tree, folder);
        r.trees.set(s, { tree, prefix: folder });
        entries.set(rel, { path: rel, mode: '040000', type: 'tree', sha: s, url: `${base(r, u)}/git/trees/${s}` });
      } else {
        entries.set(rel, {
          path: rel,
          mode: '100644',
          type: 'blob',
          sha: f.sha,
          size: f.content.length,
          url: `${base(r, u)}/git/blobs/${f.sha}`,
        });
      }
    }
  }
  const listed = [...entries.values()].sort((a, b) => (String(a.path) < String(b.path) ? -1 : 1));
  return { sha, url: `${base(r, u)}/git/trees/${sha}`, tree: listed, truncated: false };
}

/** `blob`: base64 content wrapped as GitHub sends it. */
export function blobJson(r: Repo, sha: string, content: Buffer, u: Urls): Record<string, unknown> {
  return {
    sha,
    node_id: `B_kwDO${sha.slice(0, 12)}`,
    size: content.length,
    url: `${base(r, u)}/git/blobs/${sha}`,
    content: wrappedBase64(content),
    encoding: 'base64',
  };
}

/**
 * `commit-comparison` of `base...head` (three dots: the files changed since their merge base, the
 * commits of head not in base, oldest first).
 */
export function comparisonJson(
  r: Repo,
  spec: string,
  baseC: Commit,
  headC: Commit,
  mergeBaseC: Commit | undefined,
  u: Urls,
): Record<string, unknown> {
  const ahead = commitsBetween(r, baseC.sha, headC.sha);
  const behind = commitsBetween(r, headC.sha, baseC.sha);
  const status =
    ahead.length && behind.length ? 'diverged' : ahead.length ? 'ahead' : behind.length ? 'behind' : 'identical';
  const files = diffTrees(mergeBaseC?.tree ?? new Map(), headC.tree);
  const html = `${u.html}/${r.owner.login}/${r.name}/compare/${spec}`;
  return {
    url: `${base(r, u)}/compare/${spec}`,
    html_url: html,
    permalink_url: `${u.html}/${r.owner.login}/${r.name}/compare/${r.owner.login}:${baseC.sha}...${r.owner.login}:${headC.sha}`,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    base_commit: commitListJson(r, baseC, u),
    merge_base_commit: commitListJson(r, mergeBaseC ?? baseC, u),
    status,
    ahead_by: ahead.length,
    behind_by: behind.length,
    total_commits: ahead.length,
    commits: ahead.map((c) => commitListJson(r, c, u)),
    files: files.map((f) => diffEntryJson(r, headC, f, u)),
  };
}
