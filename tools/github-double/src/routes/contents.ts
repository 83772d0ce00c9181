import {
  HttpError,
  bodyObject,
  notFound,
  optionalString,
  requiredString,
  validationFailed,
  type Route,
  type RouteContext,
} from '../http';
import { allows, permissionsOf } from '../auth';
import { dirEntryJson, fileCommitJson, fileJson, fileMetaJson } from '../representations';
import { resolveRef } from '../git-graph';
import type { Repo, StoredFile } from '../types';
import { actorAccount, json, repoFor, writableRepo } from './common';

const BASE64_RE = /^[A-Za-z0-9+/=\r\n]*$/;

function cleanPath(raw: string | undefined): string {
  return (raw ?? '').replace(/^\/+|\/+$/g, '');
}

/** The files at `ref` (a branch in any spelling, or a commit sha; the default branch when absent), and the ref as links show it. */
function filesAt(repo: Repo, ref: string | null): { files: ReadonlyMap<string, StoredFile>; ref: string } {
  if (!ref) return { files: repo.files, ref: repo.defaultBranch };
  const c = resolveRef(repo, ref);
  if (!c) throw new HttpError(404, `No commit found for the ref ${ref}`);
  return { files: c.tree, ref };
}

function readContents(ctx: RouteContext) {
  const repo = repoFor(ctx);
  // a repository still being generated from its template has no commits yet
  if (repo.ready || repo.headSha === null) throw new HttpError(404, 'This repository is empty.');
  const { files, ref } = filesAt(repo, ctx.req.query.get('ref'));
  const path = cleanPath(ctx.params.path);
  const file = files.get(path);
  if (file) return json(200, fileJson(repo, path, file.content, file.sha, ctx.urls, ref));
  // a folder: its direct children, folders first as GitHub lists them
  const prefix = path ? `${path}/` : '';
  const children = new Map<string, 'file' | 'dir'>();
  for (const p of files.keys()) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    const slash = rest.indexOf('/');
    children.set(prefix + (slash < 0 ? rest : rest.slice(0, slash)), slash < 0 ? 'file' : 'dir');
  }
  if (children.size === 0) throw notFound();
  const entries = [...children]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([p, kind]) => {
      if (kind === 'dir') return dirEntryJson(repo, p, ctx.urls, ref);
      const f = files.get(p)!; // listed from files just above
      return fileMetaJson(repo, p, f.sha, f.content.length, ctx.urls, ref);
    });
  return json(200, entries);
}

/**
 * GitHub refuses an App (and a fine-grained token) that lacks `workflows: write` any change under
 * `.github/workflows/`, even with `contents: write`; an unbound token stands for a classic one with
 * the `workflow` scope.
 */
function checkWorkflowsPermission(ctx: RouteContext, path: string): void {
  if (!path.startsWith('.github/workflows/') || allows(permissionsOf(ctx.identity), ['workflows', 'write'])) return;
  throw new HttpError(
    403,
    'Resource not accessible by integration',
    {},
    { 'X-Accepted-GitHub-Permissions': 'contents=write,workflows=write' },
  );
}

/** The branch a write goes to: the named one, which must exist (an empty repository's first commit makes its default branch). */
function targetBranch(repo: Repo, branch: string | undefined): string {
  if (branch === undefined || (branch === repo.defaultBranch && repo.branches.size === 0)) return repo.defaultBranch;
  if (!repo.branches.has(branch)) throw new HttpError(404, `Branch ${branch} not found`);
  return branch;
}

/**
 * What a file write and a file delete share: the writable repository, the body's message and
 * operation-specific fields (checked in GitHub's order, before the branch), the finished template
 * copy (a change to a repository still being generated waits for it), the path and, under
 * .github/workflows/, the workflows permission.
 */
async function fileChange<T>(
  ctx: RouteContext,
  fieldsOf: (body: Record<string, unknown>) => T,
): Promise<{
  repo: Repo;
  path: string;
  message: string;
  fields: T;
  branch: string;
  files: ReadonlyMap<string, StoredFile>;
}> {
  const repo = writableRepo(ctx);
  const body = bodyObject(ctx.req);
  const message = requiredString(body, 'message');
  const fields = fieldsOf(body);
  const named = optionalString(body, 'branch');
  if (repo.ready) await repo.ready;
  const branch = targetBranch(repo, named);
  const path = cleanPath(ctx.params.path);
  if (!path) throw notFound();
  checkWorkflowsPermission(ctx, path);
  const head = repo.branches.get(branch);
  return { repo, path, message, fields, branch, files: head ? repo.commits.get(head)!.tree : repo.files }; // a branch points at a commit of its repository
}

export const contentRoutes: Route[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/contents', permission: ['contents', 'read'], handler: readContents },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/contents/*path',
    permission: ['contents', 'read'],
    handler: readContents,
  },
  {
    method: 'PUT',
    pattern: '/repos/:owner/:repo/contents/*path',
    permission: ['contents', 'write'],
    handler: async (ctx) => {
      const { repo, path, message, fields, branch, files } = await fileChange(ctx, (body) => {
        const content = requiredString(body, 'content');
        if (!BASE64_RE.test(content)) throw validationFailed('content is not valid Base64');
        return { content, sha: optionalString(body, 'sha') };
      });
      const { content, sha } = fields;
      const existing = files.get(path);
      if (existing && sha === undefined) throw validationFailed('Invalid request.\n\n"sha" wasn\'t supplied.');
      if (existing && sha !== existing.sha) throw new HttpError(409, `${path} does not match ${sha}`);
      const bytes = Buffer.from(content, 'base64');
      const commit = ctx.state.commit(repo, new Map([[path, bytes]]), message, actorAccount(ctx), branch);
      const file = commit.tree.get(path)!; // just written by commit()
      return json(existing ? 200 : 201, {
        content: fileMetaJson(repo, path, file.sha, bytes.length, ctx.urls, branch),
        commit: fileCommitJson(repo, commit, ctx.urls),
      });
    },
  },
  {
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/contents/*path',
    permission: ['contents', 'write'],
    handler: async (ctx) => {
      const {
        repo,
        path,
        message,
        fields: sha,
        branch,
        files,
      } = await fileChange(ctx, (body) => requiredString(body, 'sha'));
      const existing = files.get(path);
      if (!existing) throw notFound();
      if (existing.sha !== sha) throw new HttpError(409, `${path} does not match ${sha}`);
      const commit = ctx.state.commit(repo, new Map([[path, null]]), message, actorAccount(ctx), branch);
      return json(200, { content: null, commit: fileCommitJson(repo, commit, ctx.urls) });
    },
  },
];
