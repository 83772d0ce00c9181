import { allows, permissionsOf } from '../auth';
import { notFound, type Route, type RouteContext, type Urls } from '../http';
import { paginate } from '../pagination';
import type { Environment, Repo, Ruleset, Secret } from '../types';
import { json, repoFor } from './common';

/**
 * A repository's settings as an admin (or `learning-rooms doctor`) reads them: environments and
 * their deployment branch policies, Actions secrets (names only, as on GitHub: no value is ever
 * returned), organization secrets the repository can read, and rulesets. Read-only: the admin API
 * (`POST /_admin/repo_settings`) sets them up.
 */

const repoUrl = (r: Repo, u: Urls) => `${u.api}/repos/${r.owner.login}/${r.name}`;

function environmentJson(r: Repo, e: Environment, u: Urls): Record<string, unknown> {
  return {
    id: e.id,
    node_id: e.nodeId,
    name: e.name,
    url: `${repoUrl(r, u)}/environments/${encodeURIComponent(e.name)}`,
    html_url: `${u.html}/${r.owner.login}/${r.name}/deployments/activity_log?environments_filter=${encodeURIComponent(e.name)}`,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    // GitHub lists a branch policy as a protection rule of its own.
    protection_rules:
      e.branchPolicy === null ? [] : [{ id: e.id + 1, node_id: `GA_kwDO${e.id}`, type: 'branch_policy' }],
    deployment_branch_policy:
      e.branchPolicy === null
        ? null
        : { protected_branches: e.branchPolicy === 'protected', custom_branch_policies: e.branchPolicy === 'custom' },
  };
}

const secretJson = (s: Secret) => ({ name: s.name, created_at: s.createdAt, updated_at: s.updatedAt });

function environmentFor(ctx: RouteContext, repo: Repo): Environment {
  const e = repo.environments.find((x) => x.name.toLowerCase() === ctx.params.name.toLowerCase());
  if (!e) throw notFound();
  return e;
}

/** The list answer GitHub gives for secrets and environments: `{total_count, <key>: page}`. */
function list<T>(ctx: RouteContext, key: string, items: T[], map: (t: T) => unknown) {
  const { page, headers } = paginate(ctx.req, items);
  return json(200, { total_count: items.length, [key]: page.map(map) }, headers);
}

function rulesetSummary(r: Repo, s: Ruleset, u: Urls): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    target: s.target,
    source_type: 'Repository',
    source: `${r.owner.login}/${r.name}`,
    enforcement: s.enforcement,
    node_id: s.nodeId,
    _links: {
      self: { href: `${repoUrl(r, u)}/rulesets/${s.id}` },
      html: { href: `${u.html}/${r.owner.login}/${r.name}/rules/${s.id}` },
    },
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

export const repoSettingRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/environments',
    permission: ['actions', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const { page, headers } = paginate(ctx.req, repo.environments);
      return json(
        200,
        { total_count: repo.environments.length, environments: page.map((e) => environmentJson(repo, e, ctx.urls)) },
        headers,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/environments/:name',
    permission: ['actions', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      return json(200, environmentJson(repo, environmentFor(ctx, repo), ctx.urls));
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/environments/:name/deployment-branch-policies',
    permission: ['actions', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const e = environmentFor(ctx, repo);
      return list(ctx, 'branch_policies', e.policies, (p) => ({
        id: p.id,
        node_id: p.nodeId,
        name: p.name,
        type: p.type,
      }));
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/environments/:name/secrets',
    permission: ['environments', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      return list(ctx, 'secrets', environmentFor(ctx, repo).secrets, secretJson);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/secrets',
    permission: ['secrets', 'read'],
    handler: (ctx) => list(ctx, 'secrets', repoFor(ctx).secrets, secretJson),
  },
  {
    // The organization's secrets this repository can read: all, private ones for a private repository, selected ones naming it.
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/organization-secrets',
    permission: ['secrets', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const key = `${repo.owner.login}/${repo.name}`.toLowerCase();
      const secrets = (ctx.state.orgs.get(repo.owner.login.toLowerCase())?.secrets ?? []).filter(
        (s) =>
          s.visibility === 'all' ||
          (s.visibility === 'private' && repo.visibility !== 'public') ||
          (s.visibility === 'selected' && s.repositories.includes(key)),
      );
      return list(ctx, 'secrets', secrets, secretJson);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/rulesets',
    permission: ['metadata', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const { page, headers } = paginate(ctx.req, repo.rulesets);
      return json(
        200,
        page.map((s) => rulesetSummary(repo, s, ctx.urls)),
        headers,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/rulesets/:id',
    permission: ['metadata', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const s = repo.rulesets.find((x) => String(x.id) === ctx.params.id);
      if (!s) throw notFound();
      // GitHub shows the bypass list only to those who may edit the ruleset (repository administration).
      const admin = allows(permissionsOf(ctx.identity), ['administration', 'write']);
      return json(200, {
        ...rulesetSummary(repo, s, ctx.urls),
        ...(admin
          ? {
              bypass_actors: s.bypassActors.map((b) => ({
                actor_id: b.actorId,
                actor_type: b.actorType,
                bypass_mode: b.bypassMode,
              })),
            }
          : {}),
        current_user_can_bypass: 'never',
        conditions: { ref_name: { include: s.include, exclude: s.exclude } },
        rules: s.rules,
      });
    },
  },
];
