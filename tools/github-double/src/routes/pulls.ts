import { notFound, type Route } from '../http';
import { paginate } from '../pagination';
import { fullPullJson, pullJson } from '../representations';
import { issueFor, json, repoFor } from './common';
import { sortIssues, stateFilter } from './issues';

/** Pull requests (read only: the double's pull requests come from the seed and the admin API). */
export const pullRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls',
    permission: ['pull_requests', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const list = repo.issues.filter((i) => i.pull && stateFilter(ctx.req)(i));
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
      const issue = issueFor(ctx, repo);
      if (!issue.pull) throw notFound();
      return json(200, fullPullJson(repo, issue, ctx.urls));
    },
  },
];
