import { mintInstallationToken } from '../auth';
import { HttpError, notFound, type Route, type RouteContext } from '../http';
import { isoSeconds } from '../state';
import { orgJson, publicUserJson, userJson } from '../representations';
import type { Installation } from '../types';
import { json } from './common';
import { paginate } from '../pagination';

function installationJson(ctx: RouteContext, i: Installation): Record<string, unknown> {
  return {
    id: i.id,
    // GitHub's description wants the user and enterprise fields together here
    account: {
      ...userJson(i.account, ctx.urls),
      name: i.account.name ?? i.account.login,
      slug: i.account.login.toLowerCase(),
      created_at: i.account.createdAt,
      updated_at: i.account.createdAt,
    },
    repository_selection: i.repositorySelection,
    access_tokens_url: `${ctx.urls.api}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${ctx.urls.api}/installation/repositories`,
    html_url: `${ctx.urls.html}/organizations/${i.account.login}/settings/installations/${i.id}`,
    app_id: i.appId,
    target_id: i.account.id,
    target_type: i.account.type,
    permissions: i.permissions,
    events: [],
    created_at: i.account.createdAt,
    updated_at: i.account.createdAt,
    single_file_name: null,
    app_slug: i.appSlug,
    suspended_by: null,
    suspended_at: null,
  };
}

/** The installations of the App whose JWT signed the request. */
function ownInstallations(ctx: RouteContext): Installation[] {
  const appId = ctx.identity.kind === 'app' ? ctx.identity.appId : undefined;
  return [...ctx.state.installations.values()].filter((i) => i.appId === appId);
}

/** Organizations, users, the App and its installation tokens, and `/rate_limit`. */
export const metaRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/orgs/:org',
    handler: (ctx) => {
      const org = ctx.state.orgs.get(ctx.params.org.toLowerCase());
      if (!org) throw notFound();
      const publicRepos = [...ctx.state.repos.values()].filter(
        (r) => r.owner === org.account && r.visibility === 'public',
      ).length;
      return json(200, orgJson(org.account, ctx.urls, publicRepos));
    },
  },
  {
    method: 'GET',
    pattern: '/users/:user',
    handler: (ctx) => {
      const a = ctx.state.account(ctx.params.user);
      if (!a) throw notFound();
      return json(200, a.type === 'Organization' ? orgJson(a, ctx.urls, 0) : publicUserJson(a, ctx.urls));
    },
  },
  {
    method: 'GET',
    pattern: '/user',
    handler: (ctx) => {
      if (ctx.identity.kind !== 'user') throw new HttpError(403, 'Resource not accessible by integration');
      return json(200, publicUserJson(ctx.identity.account, ctx.urls));
    },
  },
  {
    method: 'GET',
    pattern: '/app',
    auth: 'app',
    handler: (ctx) => {
      const app = ctx.state.app;
      if (!app) throw notFound();
      const first = ctx.state.installations.values().next().value;
      const owner = first ? first.account : ctx.state.ensureAccount('github-double', 'Organization');
      return json(200, {
        id: app.id,
        slug: app.slug,
        name: app.slug,
        node_id: `A_kwDO${app.id}`,
        owner: userJson(owner, ctx.urls),
        description: null,
        external_url: ctx.urls.html,
        html_url: `${ctx.urls.html}/apps/${app.slug}`,
        created_at: isoSeconds(0),
        updated_at: isoSeconds(0),
        permissions: {},
        events: [],
      });
    },
  },
  {
    method: 'GET',
    pattern: '/app/installations',
    auth: 'app',
    handler: (ctx) =>
      json(
        200,
        ownInstallations(ctx).map((i) => installationJson(ctx, i)),
      ),
  },
  {
    method: 'GET',
    pattern: '/orgs/:org/installation',
    auth: 'app',
    handler: (ctx) => {
      const i = ownInstallations(ctx).find((x) => x.account.login.toLowerCase() === ctx.params.org.toLowerCase());
      if (!i) throw notFound();
      return json(200, installationJson(ctx, i));
    },
  },
  {
    // Every App's installations on an organization (not a user: 404), for its owners.
    method: 'GET',
    pattern: '/orgs/:org/installations',
    permission: ['organization_administration', 'read'],
    handler: (ctx) => {
      const org = ctx.state.orgs.get(ctx.params.org.toLowerCase());
      if (!org || (ctx.identity.kind === 'installation' && ctx.identity.account !== org.account)) throw notFound();
      const all = [...ctx.state.installations.values()]
        .filter((i) => i.account === org.account)
        .sort((a, b) => a.id - b.id);
      const { page, headers } = paginate(ctx.req, all);
      return json(200, { total_count: all.length, installations: page.map((i) => installationJson(ctx, i)) }, headers);
    },
  },
  {
    // The provider accepts exactly 201 here and reads only `token`.
    method: 'POST',
    pattern: '/app/installations/:id/access_tokens',
    auth: 'app',
    handler: (ctx) => {
      // Only the App's own installations: another App's is not found, as on GitHub.
      if (!ownInstallations(ctx).some((i) => i.id === Number(ctx.params.id))) throw notFound();
      const t = mintInstallationToken(ctx.state, Number(ctx.params.id), ctx.state.options.now());
      return json(201, {
        token: t.token,
        expires_at: isoSeconds(t.expiresAt),
        permissions: t.permissions,
        repository_selection: 'all',
      });
    },
  },
];

export const rateLimitRoute: Route = {
  method: 'GET',
  pattern: '/rate_limit',
  auth: 'any',
  free: true,
  handler: (ctx) => {
    const res = (r: 'core' | 'graphql') => {
      const s = ctx.rate(r);
      return { limit: s.limit, used: s.used, remaining: s.remaining, reset: Math.ceil(s.resetAt / 1000) };
    };
    // search is not limited by the double; GitHub's answer always lists it
    const search = { limit: 30, used: 0, remaining: 30, reset: Math.ceil(ctx.state.options.now() / 1000) + 60 };
    return json(200, { resources: { core: res('core'), graphql: res('graphql'), search }, rate: res('core') });
  },
};
