import { bodyObject, notFound, optionalString, validationFailed, type Route, type RouteContext } from '../http';
import { ancestry } from '../git-graph';
import { paginate } from '../pagination';
import { fullPullJson, pullJson } from '../representations';
import type { Issue, Repo } from '../types';
import { actorAccount, issueFor, json, repoFor, writableRepo } from './common';
import { sortIssues, stateFilter } from './issues';

/**
 * Pull requests within one repository: list (with GitHub's `head` and `base` filters), read, open
 * and update (title, body, base, state). Merging is the admin API's (`PATCH /_admin/issues`).
 * Forks are not modelled: a `head` naming another owner is refused.
 */

const invalid = (field: string, message?: string) =>
  validationFailed('Validation Failed', [
    { resource: 'PullRequest', field, code: 'invalid', ...(message ? { message } : {}) },
  ]);
const custom = (message: string) =>
  validationFailed('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message }]);

/** `head` as sent: `branch` or `owner:branch` (the owner must be the repository's own here). */
function headBranch(repo: Repo, head: string): string {
  const colon = head.indexOf(':');
  if (colon < 0) return head;
  if (head.slice(0, colon).toLowerCase() !== repo.owner.login.toLowerCase()) throw invalid('head');
  return head.slice(colon + 1);
}

/** GitHub's list filter `head=owner:branch`: a value without an owner is taken as a branch of the repository's owner. */
function headFilter(repo: Repo, value: string | null): (i: Issue) => boolean {
  if (!value) return () => true;
  const colon = value.indexOf(':');
  const owner = colon < 0 ? repo.owner.login : value.slice(0, colon);
  const branch = colon < 0 ? value : value.slice(colon + 1);
  return (i) => owner.toLowerCase() === repo.owner.login.toLowerCase() && i.pull?.headRef === branch;
}

function pullFor(ctx: RouteContext, repo: Repo): Issue {
  const pr = issueFor(ctx, repo);
  if (!pr.pull) throw notFound();
  return pr;
}

function title(body: Record<string, unknown>, required: boolean): string | undefined {
  const t = optionalString(body, 'title');
  if (required && !t)
    throw validationFailed('Validation Failed', [{ resource: 'PullRequest', field: 'title', code: 'missing_field' }]);
  return t;
}

export const pullRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls',
    permission: ['pull_requests', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const q = ctx.req.query;
      const head = headFilter(repo, q.get('head'));
      const base = q.get('base');
      const list = repo.issues.filter(
        (i) => i.pull && stateFilter(ctx.req)(i) && head(i) && (!base || i.pull.baseRef === base),
      );
      const { page, headers } = paginate(ctx.req, sortIssues(ctx.req, list));
      return json(
        200,
        page.map((i) => pullJson(repo, i, ctx.urls)),
        headers,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls/:number',
    permission: ['pull_requests', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      return json(200, fullPullJson(repo, pullFor(ctx, repo), ctx.urls));
    },
  },
  {
    // GitHub refuses a pull request whose head has no commit the base lacks ("No commits between"):
    // a `feedback` branch made at the default branch's head needs a commit on the default branch first.
    method: 'POST',
    pattern: '/repos/:owner/:repo/pulls',
    permission: ['pull_requests', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const body = bodyObject(ctx.req);
      if (body.issue !== undefined)
        throw custom('Converting an issue into a pull request is not modelled by the double.');
      const t = title(body, true)!; // title() throws when it is missing
      const headRaw = optionalString(body, 'head');
      const base = optionalString(body, 'base');
      if (!headRaw)
        throw validationFailed('Validation Failed', [
          { resource: 'PullRequest', field: 'head', code: 'missing_field' },
        ]);
      if (!base)
        throw validationFailed('Validation Failed', [
          { resource: 'PullRequest', field: 'base', code: 'missing_field' },
        ]);
      const head = headBranch(repo, headRaw);
      const headSha = repo.branches.get(head);
      const baseSha = repo.branches.get(base);
      if (baseSha === undefined) throw invalid('base');
      if (headSha === undefined) throw invalid('head');
      if (body.draft !== undefined && typeof body.draft !== 'boolean') throw invalid('draft');
      if (ancestry(repo, baseSha).has(headSha)) throw custom(`No commits between ${base} and ${head}`);
      if (repo.issues.some((i) => i.pull && i.state === 'open' && i.pull.headRef === head && i.pull.baseRef === base))
        throw custom(`A pull request already exists for ${repo.owner.login}:${head}.`);
      const pr = ctx.state.addIssue(repo, {
        title: t,
        body: optionalString(body, 'body') ?? null,
        author: actorAccount(ctx),
        pull: {
          merged: false,
          mergedAt: null,
          draft: body.draft === true,
          headRef: head,
          baseRef: base,
          closes: [],
          headSha,
          baseSha,
        },
      });
      const url = `${ctx.urls.api}/repos/${repo.owner.login}/${repo.name}/pulls/${pr.number}`;
      return json(201, fullPullJson(repo, pr, ctx.urls), { Location: url });
    },
  },
  {
    // go-github `PullRequests.Edit` sends title, body, maintainer_can_modify, and base (unless closing) or state
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/pulls/:number',
    permission: ['pull_requests', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const pr = pullFor(ctx, repo);
      const p = pr.pull!; // pullFor returns pull requests only
      const body = bodyObject(ctx.req);
      const t = title(body, false);
      if (body.title !== undefined && !t)
        throw validationFailed('Validation Failed', [
          { resource: 'PullRequest', field: 'title', code: 'missing_field' },
        ]);
      const state = optionalString(body, 'state');
      if (state !== undefined && state !== 'open' && state !== 'closed') throw invalid('state');
      if (body.maintainer_can_modify !== undefined && typeof body.maintainer_can_modify !== 'boolean')
        throw invalid('maintainer_can_modify');
      const base = optionalString(body, 'base');
      if (base !== undefined && base !== p.baseRef) {
        if (pr.state === 'closed') throw custom('Cannot change the base branch of a closed pull request.');
        if (!repo.branches.has(base)) throw invalid('base');
      }
      if (state === 'open' && p.merged)
        throw custom('state cannot be changed. The pull request has already been merged.');
      if (t !== undefined) pr.title = t;
      if (body.body !== undefined) pr.body = body.body === null ? null : (optionalString(body, 'body') ?? null);
      if (base !== undefined) p.baseRef = base;
      if (state === 'closed') {
        p.headSha = repo.branches.get(p.headRef) ?? p.headSha;
        ctx.state.closeIssue(pr, actorAccount(ctx));
      } else if (state === 'open') ctx.state.reopenIssue(pr, actorAccount(ctx));
      pr.updatedAt = ctx.state.nowIso();
      return json(200, fullPullJson(repo, pr, ctx.urls));
    },
  },
];
