import { canSeeOwner } from '../auth';
import { HttpError, notFound, type DoubleResponse, type RouteContext } from '../http';
import { isoSeconds } from '../state';
import type { Account, Issue, Repo } from '../types';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): DoubleResponse {
  return { status, body, headers };
}

export const noContent = (): DoubleResponse => ({ status: 204 });

/** The repository named by `:owner/:repo`, or 404 when missing or outside the caller's reach. */
export function repoFor(ctx: RouteContext, ownerParam = 'owner', repoParam = 'repo'): Repo {
  const repo = ctx.state.repo(ctx.params[ownerParam], ctx.params[repoParam]);
  if (!repo || !canSeeOwner(ctx.identity, repo.owner.login)) throw notFound();
  return repo;
}

/** As `repoFor`, for a write: an archived repository is read-only. */
export function writableRepo(ctx: RouteContext): Repo {
  const repo = repoFor(ctx);
  if (repo.archived) throw new HttpError(403, 'Repository was archived so is read-only.');
  return repo;
}

export function issueFor(ctx: RouteContext, repo: Repo): Issue {
  const n = Number(ctx.params.number);
  const issue = Number.isInteger(n) ? ctx.state.findIssue(repo, n) : undefined;
  if (!issue) throw notFound();
  return issue;
}

/** Which login acts: a user's own, or the App's bot for an installation. */
export function actorLogin(ctx: RouteContext): string {
  switch (ctx.identity.kind) {
    case 'user':
      return ctx.identity.account.login;
    default:
      return `${ctx.state.app?.slug ?? 'app'}[bot]`;
  }
}

export function actorAccount(ctx: RouteContext): Account {
  const login = actorLogin(ctx);
  return ctx.state.account(login) ?? ctx.state.ensureAccount(login, login.endsWith('[bot]') ? 'Bot' : 'User');
}

/** A `since` query parameter as the double's timestamps are written, or 422 when it is not a time. */
export function sinceParam(ctx: RouteContext): string | null {
  const raw = ctx.req.query.get('since');
  if (raw === null || raw === '') return null;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new HttpError(422, 'Invalid request.\n\n"since" is not a timestamp.');
  return isoSeconds(ms);
}
