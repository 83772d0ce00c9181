import {
  HttpError,
  bodyObject,
  notFound,
  optionalString,
  requiredString,
  validationFailed,
  type DoubleRequest,
  type Route,
  type RouteContext,
} from '../http';
import { paginate } from '../pagination';
import { commentJson, issueJson } from '../representations';
import type { Account, Issue, Repo } from '../types';
import { actorAccount, issueFor, json, noContent, repoFor, sinceParam, writableRepo } from './common';

export function sortIssues(req: DoubleRequest, list: Issue[]): Issue[] {
  const sort = req.query.get('sort') ?? 'created';
  const dir = req.query.get('direction') ?? 'desc';
  const key = (i: Issue): string | number =>
    sort === 'updated' ? i.updatedAt : sort === 'comments' ? i.comments.length : i.createdAt;
  const sign = dir === 'asc' ? 1 : -1;
  // ties (same second) fall back to the number, newest first as GitHub does
  return [...list].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return (ka < kb ? -1 : ka > kb ? 1 : a.number - b.number) * sign;
  });
}

export function stateFilter(req: DoubleRequest): (i: Issue) => boolean {
  const state = req.query.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state))
    throw validationFailed('Validation Failed', [{ resource: 'Issue', field: 'state', code: 'invalid' }]);
  return (i) => state === 'all' || i.state === state;
}

function labelNames(ctx: RouteContext, repo: Repo, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw validationFailed("Invalid request.\n\nFor 'properties/labels', is not an array.");
  return value.map((v) => {
    const name =
      typeof v === 'string'
        ? v
        : v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string'
          ? (v as { name: string }).name
          : undefined;
    if (!name) throw validationFailed('Invalid request.\n\nA label must be a name or {name}.');
    return ctx.state.ensureLabel(repo, name).name;
  });
}

function assigneesOf(ctx: RouteContext, value: unknown): Account[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw validationFailed("Invalid request.\n\nFor 'properties/assignees', is not an array.");
  return value.map((l) => {
    const a = typeof l === 'string' ? ctx.state.account(l) : undefined;
    if (!a)
      throw validationFailed('Validation Failed', [
        { resource: 'Issue', field: 'assignees', code: 'invalid', value: l },
      ]);
    return a;
  });
}

function applyIssueState(ctx: RouteContext, issue: Issue, body: Record<string, unknown>): void {
  const state = optionalString(body, 'state');
  const reason = optionalString(body, 'state_reason');
  if (state !== undefined && state !== 'open' && state !== 'closed')
    throw validationFailed('Validation Failed', [{ resource: 'Issue', field: 'state', code: 'invalid' }]);
  if (state === 'closed')
    ctx.state.closeIssue(issue, actorAccount(ctx), {
      stateReason: reason === 'not_planned' ? 'not_planned' : 'completed',
    });
  else if (state === 'open') ctx.state.reopenIssue(issue, actorAccount(ctx));
}

/** One comment by id (what `gh api` upserts of a bot comment use). */
function commentByIdRoutes(): Route[] {
  const find = (ctx: RouteContext, repo: Repo) => {
    const id = Number(ctx.params.id);
    for (const i of repo.issues) {
      const c = i.comments.find((x) => x.id === id);
      if (c) return { i, c };
    }
    throw notFound();
  };
  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/issues/comments/:id',
      permission: ['issues', 'read'],
      handler: (ctx) => {
        const repo = repoFor(ctx);
        const { i, c } = find(ctx, repo);
        return json(200, commentJson(repo, i, c, ctx.urls));
      },
    },
    {
      method: 'PATCH',
      pattern: '/repos/:owner/:repo/issues/comments/:id',
      permission: ['issues', 'write'],
      handler: (ctx) => {
        const repo = writableRepo(ctx);
        const { i, c } = find(ctx, repo);
        c.body = requiredString(bodyObject(ctx.req), 'body');
        c.updatedAt = ctx.state.nowIso();
        return json(200, commentJson(repo, i, c, ctx.urls));
      },
    },
    {
      method: 'DELETE',
      pattern: '/repos/:owner/:repo/issues/comments/:id',
      permission: ['issues', 'write'],
      handler: (ctx) => {
        const repo = writableRepo(ctx);
        const { i, c } = find(ctx, repo);
        i.comments = i.comments.filter((x) => x !== c);
        return noContent();
      },
    },
  ];
}

/** Issues (pull requests are listed among them, as on GitHub) and their comments. */
export const issueRoutes: Route[] = [
  {
    // GitHub lists pull requests among issues; `pull_request` tells them apart
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues',
    permission: ['issues', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const q = ctx.req.query;
      const wanted = (q.get('labels') ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const since = sinceParam(ctx);
      const creator = q.get('creator')?.toLowerCase();
      const list = repo.issues.filter(
        (i) =>
          stateFilter(ctx.req)(i) &&
          wanted.every((w) => i.labels.some((l) => l.name.toLowerCase() === w)) &&
          (!since || i.updatedAt >= since) &&
          (!creator || i.author.login.toLowerCase() === creator),
      );
      const { page, headers } = paginate(ctx.req, sortIssues(ctx.req, list));
      return json(
        200,
        page.map((i) => issueJson(repo, i, ctx.urls)),
        headers,
      );
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/issues',
    permission: ['issues', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      if (!repo.settings.has_issues) throw new HttpError(410, 'Issues are disabled for this repo');
      const body = bodyObject(ctx.req);
      const title = body.title;
      if (typeof title !== 'string' && typeof title !== 'number')
        throw validationFailed('Validation Failed', [{ resource: 'Issue', field: 'title', code: 'missing_field' }]);
      const issue = ctx.state.addIssue(repo, {
        title: String(title),
        body: optionalString(body, 'body') ?? null,
        author: actorAccount(ctx),
        labels: labelNames(ctx, repo, body.labels),
        assignees: assigneesOf(ctx, body.assignees),
      });
      ctx.state.touch(repo);
      return json(201, issueJson(repo, issue, ctx.urls));
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/comments',
    permission: ['issues', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const since = sinceParam(ctx);
      const all = repo.issues
        .flatMap((i) => i.comments.map((c) => ({ i, c })))
        .filter(({ c }) => !since || c.updatedAt >= since);
      const dir = ctx.req.query.get('direction') === 'desc' ? -1 : 1;
      all.sort(
        (a, b) => (a.c.createdAt < b.c.createdAt ? -1 : a.c.createdAt > b.c.createdAt ? 1 : a.c.id - b.c.id) * dir,
      );
      const { page, headers } = paginate(ctx.req, all);
      return json(
        200,
        page.map(({ i, c }) => commentJson(repo, i, c, ctx.urls)),
        headers,
      );
    },
  },
  ...commentByIdRoutes(),
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:number',
    permission: ['issues', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      return json(200, issueJson(repo, issueFor(ctx, repo), ctx.urls, true));
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/issues/:number',
    permission: ['issues', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const issue = issueFor(ctx, repo);
      const body = bodyObject(ctx.req);
      const title = optionalString(body, 'title');
      if (title !== undefined) issue.title = title;
      if (body.body !== undefined) issue.body = optionalString(body, 'body') ?? null;
      if (body.labels !== undefined)
        issue.labels = labelNames(ctx, repo, body.labels).map((n) => ctx.state.ensureLabel(repo, n));
      const assignees = assigneesOf(ctx, body.assignees);
      if (assignees) issue.assignees = assignees;
      applyIssueState(ctx, issue, body);
      issue.updatedAt = ctx.state.nowIso();
      return json(200, issueJson(repo, issue, ctx.urls, true));
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:number/comments',
    permission: ['issues', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const issue = issueFor(ctx, repo);
      const since = sinceParam(ctx);
      const { page, headers } = paginate(
        ctx.req,
        issue.comments.filter((c) => !since || c.updatedAt >= since),
      );
      return json(
        200,
        page.map((c) => commentJson(repo, issue, c, ctx.urls)),
        headers,
      );
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/issues/:number/comments',
    permission: ['issues', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const issue = issueFor(ctx, repo);
      const body = requiredString(bodyObject(ctx.req), 'body');
      const c = ctx.state.addComment(issue, actorAccount(ctx), body);
      return json(201, commentJson(repo, issue, c, ctx.urls));
    },
  },
];
