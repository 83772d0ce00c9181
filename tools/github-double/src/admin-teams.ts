import { bad, ok, repoArg, str, type AdminContext, type AdminRoute } from './admin';
import { HttpError } from './http';
import { toRole } from './state';
import type { Org, Team } from './types';

/**
 * Out-of-band teams: what a teacher sets up in the organization (teams, their members) and team
 * access changed by hand (drift). The REST API serves teams read-only, plus team repository access.
 */

function orgArg(a: AdminContext): Org {
  const login = str(a, 'org');
  const org = a.core.state.orgs.get(login.toLowerCase());
  if (!org) throw new HttpError(404, `org: no organization ${login}`);
  return org;
}

function teamArg(a: AdminContext, org: Org): Team {
  const slug = str(a, 'team');
  const team = org.teams.get(slug.toLowerCase());
  if (!team) throw new HttpError(404, `team: no team ${slug} in ${org.account.login}`);
  return team;
}

function logins(a: AdminContext, field: string): string[] {
  const v = a.body[field];
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((l) => typeof l !== 'string' || !l)) throw bad(`${field}: expected a list of logins`);
  return v as string[];
}

export const TEAM_ADMIN_ROUTES: AdminRoute[] = [
  {
    method: 'POST',
    pattern: '/_admin/teams',
    handler: (a) => {
      const org = orgArg(a);
      const name = str(a, 'name');
      const slug = a.body.slug === undefined ? undefined : str(a, 'slug');
      const privacy = a.body.privacy;
      if (privacy !== undefined && privacy !== 'closed' && privacy !== 'secret')
        throw bad('privacy: expected closed or secret');
      const members = logins(a, 'members');
      const maintainers = logins(a, 'maintainers');
      let team: Team;
      try {
        team = a.core.state.createTeam(org, {
          name,
          slug,
          description: typeof a.body.description === 'string' ? a.body.description : null,
          privacy,
        });
      } catch (e) {
        throw bad(`name: ${(e as Error).message}`);
      }
      for (const l of members) a.core.state.addTeamMember(team, a.core.state.ensureAccount(l));
      for (const l of maintainers) a.core.state.addTeamMember(team, a.core.state.ensureAccount(l), 'maintainer');
      return { status: 201, body: { id: team.id, slug: team.slug, org_id: org.account.id } };
    },
  },
  {
    // add (role member or maintainer) or, with `remove: true`, remove a member
    method: 'POST',
    pattern: '/_admin/team_members',
    handler: (a) => {
      const team = teamArg(a, orgArg(a));
      const login = str(a, 'login');
      if (a.body.remove === true) {
        if (!team.members.delete(login.toLowerCase()))
          throw new HttpError(404, `login: ${login} is not a member of ${team.slug}`);
        return ok({ team: team.slug, removed: login });
      }
      const role = a.body.role ?? 'member';
      if (role !== 'member' && role !== 'maintainer') throw bad('role: expected member or maintainer');
      a.core.state.addTeamMember(team, a.core.state.ensureAccount(login), role);
      return ok({ team: team.slug, added: login, role });
    },
  },
  {
    // drift: a team's access to a repository changed by hand (`permission`), or removed (`remove: true`)
    method: 'POST',
    pattern: '/_admin/team_repo',
    handler: (a) => {
      const repo = repoArg(a);
      const org = a.core.state.orgs.get(repo.owner.login.toLowerCase());
      if (!org) throw bad('repo: a team reaches only repositories of its organization');
      const team = teamArg(a, org);
      if (a.body.remove === true) {
        repo.teams.delete(team.id);
        return ok({ repo: `${repo.owner.login}/${repo.name}`, team: team.slug, removed: true });
      }
      const role = toRole(typeof a.body.permission === 'string' ? a.body.permission : 'pull');
      if (!role) throw bad('permission: expected pull, triage, push, maintain or admin');
      repo.teams.set(team.id, { team, role });
      return ok({ repo: `${repo.owner.login}/${repo.name}`, team: team.slug, role });
    },
  },
];
