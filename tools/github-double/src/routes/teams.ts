import { canSeeOwner } from '../auth';
import {
  bodyObject,
  notFound,
  optionalString,
  validationFailed,
  type DoubleResponse,
  type Route,
  type RouteContext,
} from '../http';
import { paginate } from '../pagination';
import { userJson } from '../representations';
import { teamFullJson, teamJson, teamRepoJson } from '../representations-teams';
import { toRole } from '../state';
import type { Repo, Team } from '../types';
import { json, noContent, repoFor, writableRepo } from './common';

/**
 * Teams of an organization and their repository access. Teams are made out of band (seed,
 * `/_admin/teams`). The provider names a team by organization id and team id
 * (`/organizations/{org_id}/team/{team_id}/...`, go-github's `...ByID` calls, undocumented in
 * GitHub's description, so validated against the `/orgs/{org}/teams/{team_slug}/...` twin); Octokit by slug.
 */

function orgTeams(ctx: RouteContext): Team[] {
  const org = ctx.state.orgs.get(ctx.params.org.toLowerCase());
  if (!org || !canSeeOwner(ctx.identity, org.account.login)) throw notFound();
  return [...org.teams.values()].sort((a, b) => a.id - b.id);
}

function teamFor(ctx: RouteContext): Team {
  const team =
    'org_id' in ctx.params
      ? ctx.state.teamById(Number(ctx.params.org_id), Number(ctx.params.team_id))
      : ctx.state.team(ctx.params.org, ctx.params.team_slug);
  if (!team || !canSeeOwner(ctx.identity, team.org.login)) throw notFound();
  return team;
}

/** The repository a team route names; GitHub answers 422 for a repository the team's organization does not own. */
function teamRepo(ctx: RouteContext, team: Team, write: boolean): Repo {
  const repo = write ? writableRepo(ctx) : repoFor(ctx);
  if (repo.owner !== team.org)
    throw validationFailed('Validation Failed', [
      {
        resource: 'TeamRepository',
        code: 'custom',
        message: "The repository must be owned by the team's organization.",
      },
    ]);
  return repo;
}

/** Check: 404 without access; 204, or 200 with the repository when asked for `application/vnd.github.v3.repository+json` (the provider asks). */
function checkTeamRepo(ctx: RouteContext): DoubleResponse {
  const team = teamFor(ctx);
  const repo = teamRepo(ctx, team, false);
  const access = repo.teams.get(team.id);
  if (!access) throw notFound();
  const accept = String(ctx.req.headers.accept ?? '');
  return accept.includes('application/vnd.github.v3.repository+json')
    ? json(200, teamRepoJson(repo, access.role, ctx.urls))
    : noContent();
}

/** Add or change: `permission` as pull, triage, push, maintain or admin (read and write accepted too); the team's default `pull` when absent. */
function putTeamRepo(ctx: RouteContext): DoubleResponse {
  const team = teamFor(ctx);
  const repo = teamRepo(ctx, team, true);
  const permission = optionalString(bodyObject(ctx.req), 'permission');
  const role = toRole(permission ?? 'pull');
  if (!role)
    throw validationFailed('Validation Failed', [{ resource: 'TeamRepository', field: 'permission', code: 'invalid' }]);
  repo.teams.set(team.id, { team, role });
  return noContent();
}

function deleteTeamRepo(ctx: RouteContext): DoubleResponse {
  const team = teamFor(ctx);
  const repo = teamRepo(ctx, team, true);
  repo.teams.delete(team.id);
  return noContent();
}

const BY_SLUG = '/orgs/:org/teams/:team_slug/repos/:owner/:repo';
const BY_ID = '/organizations/:org_id/team/:team_id/repos/:owner/:repo';

export const teamRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/orgs/:org/teams',
    permission: ['members', 'read'],
    handler: (ctx) => {
      const { page, headers } = paginate(ctx.req, orgTeams(ctx));
      return json(
        200,
        page.map((t) => teamJson(t, ctx.urls)),
        headers,
      );
    },
  },
  {
    // the provider's getTeamID: a team_id that is not a number is a slug, resolved here (one call each time)
    method: 'GET',
    pattern: '/orgs/:org/teams/:team_slug',
    permission: ['members', 'read'],
    handler: (ctx) => {
      const team = teamFor(ctx);
      const repos = [...ctx.state.repos.values()].filter((r) => r.teams.has(team.id));
      return json(
        200,
        teamFullJson(
          team,
          ctx.urls,
          repos.length,
          [...ctx.state.repos.values()].filter((r) => r.owner === team.org && r.visibility === 'public').length,
        ),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/orgs/:org/teams/:team_slug/members',
    permission: ['members', 'read'],
    handler: (ctx) => {
      const team = teamFor(ctx);
      const role = ctx.req.query.get('role') ?? 'all';
      if (!['member', 'maintainer', 'all'].includes(role))
        throw validationFailed('Validation Failed', [{ resource: 'Team', field: 'role', code: 'invalid' }]);
      const members = [...team.members.values()]
        .filter((m) => role === 'all' || m.role === role)
        .sort((a, b) => a.account.id - b.account.id);
      const { page, headers } = paginate(ctx.req, members);
      return json(
        200,
        page.map((m) => userJson(m.account, ctx.urls)),
        headers,
      );
    },
  },
  { method: 'GET', pattern: BY_SLUG, permission: ['members', 'read'], handler: checkTeamRepo },
  {
    method: 'PUT',
    pattern: BY_SLUG,
    permission: ['administration', 'write'],
    alsoNeeds: ['members', 'read'],
    handler: putTeamRepo,
  },
  {
    method: 'DELETE',
    pattern: BY_SLUG,
    permission: ['administration', 'write'],
    alsoNeeds: ['members', 'read'],
    handler: deleteTeamRepo,
  },
  { method: 'GET', pattern: BY_ID, documentedAs: BY_SLUG, permission: ['members', 'read'], handler: checkTeamRepo },
  {
    method: 'PUT',
    pattern: BY_ID,
    documentedAs: BY_SLUG,
    permission: ['administration', 'write'],
    alsoNeeds: ['members', 'read'],
    handler: putTeamRepo,
  },
  {
    method: 'DELETE',
    pattern: BY_ID,
    documentedAs: BY_SLUG,
    permission: ['administration', 'write'],
    alsoNeeds: ['members', 'read'],
    handler: deleteTeamRepo,
  },
  {
    // each team's `permission` is its role on this repository (old names: pull, push, ...), which the provider's listTeams reads
    method: 'GET',
    pattern: '/repos/:owner/:repo/teams',
    permission: ['metadata', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const { page, headers } = paginate(
        ctx.req,
        [...repo.teams.values()].sort((a, b) => a.team.id - b.team.id),
      );
      return json(
        200,
        page.map((a) => teamJson(a.team, ctx.urls, a.role)),
        headers,
      );
    },
  },
];
