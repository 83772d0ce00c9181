import {
  HttpError,
  bodyObject,
  notFound,
  requiredString,
  validationFailed,
  type Route,
  type RouteContext,
} from '../http';
import { ancestry, mergeBase, resolveRef } from '../git-graph';
import { paginate } from '../pagination';
import { blobJson, branchJson, comparisonJson, gitRefJson, shortBranchJson, treeJson } from '../representations-git';
import type { Repo } from '../types';
import { json, noContent, repoFor, writableRepo } from './common';

/**
 * Branches as git refs (`refs/heads/*`; tags are not modelled), branches, trees, blobs and
 * comparisons. The provider's `github_branch` uses `git/ref` (GET, If-None-Match) and `git/refs`
 * (POST, DELETE); Octokit code reads trees, blobs and comparisons.
 */

/** An empty repository, or one still being copied from its template, has no refs: GitHub answers 409. */
function withCommits(ctx: RouteContext, writable = false): Repo {
  const repo = writable ? writableRepo(ctx) : repoFor(ctx);
  if (repo.ready || repo.branches.size === 0) throw new HttpError(409, 'Git Repository is empty.');
  return repo;
}

/** `heads/<branch>` from a `:ref*` path parameter; other namespaces (tags, notes) do not exist here. */
function headsBranch(ref: string): string | undefined {
  const m = /^(?:refs\/)?heads\/(.+)$/.exec(ref);
  return m ? m[1] : undefined;
}

const SHA_RE = /^[0-9a-f]{40}$/;

/** A body's `sha` naming a commit of the repository (GitHub: 422 "Object does not exist"). */
function commitSha(repo: Repo, body: Record<string, unknown>): string {
  const sha = requiredString(body, 'sha');
  if (!SHA_RE.test(sha) || !repo.commits.has(sha)) throw validationFailed('Object does not exist');
  return sha;
}

export const gitRoutes: Route[] = [
  {
    // go-github `GetRef` sends `git/ref/heads/<branch>` (exact match; 404 when missing)
    method: 'GET',
    pattern: '/repos/:owner/:repo/git/ref/*ref',
    permission: ['contents', 'read'],
    handler: (ctx) => {
      const repo = withCommits(ctx);
      const branch = headsBranch(ctx.params.ref);
      const sha = branch !== undefined ? repo.branches.get(branch) : undefined;
      if (branch === undefined || sha === undefined) throw notFound();
      return json(200, gitRefJson(repo, branch, sha, ctx.urls));
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/git/matching-refs/*ref',
    permission: ['contents', 'read'],
    handler: (ctx) => {
      const repo = withCommits(ctx);
      const prefix = ctx.params.ref.replace(/^refs\//, '');
      const refs = [...repo.branches]
        .filter(([b]) => `heads/${b}`.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : 1));
      return json(
        200,
        refs.map(([b, sha]) => gitRefJson(repo, b, sha, ctx.urls)),
      );
    },
  },
  {
    // the provider tolerates exactly `422 Reference already exists []` (message, no errors) and reads the branch
    method: 'POST',
    pattern: '/repos/:owner/:repo/git/refs',
    permission: ['contents', 'write'],
    handler: (ctx) => {
      const repo = withCommits(ctx, true);
      const body = bodyObject(ctx.req);
      const ref = requiredString(body, 'ref');
      if (!/^refs\/[^/]+\/.+/.test(ref))
        throw validationFailed("Reference name must start with 'refs/' and have at least two slashes.");
      const branch = headsBranch(ref);
      if (branch === undefined) throw validationFailed('The double models branches only (refs/heads/*).');
      const sha = commitSha(repo, body);
      if (repo.branches.has(branch)) throw validationFailed('Reference already exists');
      ctx.state.setBranch(repo, branch, sha);
      return json(201, gitRefJson(repo, branch, sha, ctx.urls), {
        Location: `${ctx.urls.api}/repos/${repo.owner.login}/${repo.name}/git/refs/heads/${branch}`,
      });
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/git/refs/*ref',
    permission: ['contents', 'write'],
    handler: (ctx) => {
      const repo = withCommits(ctx, true);
      const branch = headsBranch(ctx.params.ref);
      const current = branch !== undefined ? repo.branches.get(branch) : undefined;
      if (branch === undefined || current === undefined) throw validationFailed('Reference does not exist');
      const body = bodyObject(ctx.req);
      const sha = commitSha(repo, body);
      if (body.force !== undefined && typeof body.force !== 'boolean')
        throw validationFailed("Invalid request.\n\nFor 'properties/force', is not a boolean.");
      if (body.force !== true && !ancestry(repo, sha).has(current))
        throw validationFailed('Update is not a fast forward');
      ctx.state.setBranch(repo, branch, sha);
      return json(200, gitRefJson(repo, branch, sha, ctx.urls));
    },
  },
  {
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/git/refs/*ref',
    permission: ['contents', 'write'],
    handler: (ctx) => {
      const repo = withCommits(ctx, true);
      const branch = headsBranch(ctx.params.ref);
      if (branch === undefined || !repo.branches.has(branch)) throw validationFailed('Reference does not exist');
      // GitHub's description: 422 for "an attempt was made to delete the default branch"
      if (branch === repo.defaultBranch) throw validationFailed('Cannot delete the default branch');
      ctx.state.deleteBranch(repo, branch);
      return noContent();
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/branches',
    permission: ['contents', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const all = repo.ready ? [] : [...repo.branches].sort(([a], [b]) => (a < b ? -1 : 1));
      const { page, headers } = paginate(ctx.req, all);
      return json(
        200,
        page.map(([b, sha]) => shortBranchJson(repo, b, sha, ctx.urls)),
        headers,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/branches/*branch',
    permission: ['contents', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const sha = repo.ready ? undefined : repo.branches.get(ctx.params.branch);
      if (sha === undefined) throw new HttpError(404, 'Branch not found');
      return json(200, branchJson(repo, ctx.params.branch, repo.commits.get(sha)!, ctx.urls)); // a branch points at a commit of its repository
    },
  },
  {
    // `{base}...{head}`, each a branch or a commit sha
    method: 'GET',
    pattern: '/repos/:owner/:repo/compare/*basehead',
    permission: ['contents', 'read'],
    handler: (ctx) => {
      const repo = withCommits(ctx);
      const spec = ctx.params.basehead;
      const parts = spec.split('...');
      if (parts.length !== 2) throw notFound();
      const [baseC, headC] = parts.map((p) =>
        resolveRef(repo, p.replace(new RegExp(`^${repo.owner.login}:`, 'i'), '')),
      );
      if (!baseC || !headC) throw notFound();
      const mb = mergeBase(repo, baseC.sha, headC.sha);
      if (mb === undefined) throw new HttpError(404, `No common ancestor between ${parts[0]} and ${parts[1]}.`);
      return json(200, comparisonJson(repo, spec, baseC, headC, repo.commits.get(mb), ctx.urls));
    },
  },
  {
    // a tree sha, or a branch or commit (whose root tree is listed). Any `recursive` value, even
    // `0` or `false`, lists the whole tree, as GitHub documents; leave it out for one level.
    method: 'GET',
    pattern: '/repos/:owner/:repo/git/trees/*tree_sha',
    permission: ['contents', 'read'],
    handler: (ctx) => {
      const repo = withCommits(ctx);
      const wanted = ctx.params.tree_sha;
      const recursive = ctx.req.query.has('recursive');
      const known = repo.trees.get(wanted);
      if (known) return json(200, treeJson(repo, wanted, known.tree, known.prefix, recursive, ctx.urls));
      const c = resolveRef(repo, wanted);
      if (!c) throw notFound();
      return json(200, treeJson(repo, c.treeSha, c.tree, '', recursive, ctx.urls));
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/git/blobs/:file_sha',
    permission: ['contents', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const content = repo.blobs.get(ctx.params.file_sha);
      if (!content) throw notFound();
      return json(200, blobJson(repo, ctx.params.file_sha, content, ctx.urls));
    },
  },
];
