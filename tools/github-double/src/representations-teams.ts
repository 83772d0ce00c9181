import type { Urls } from './http';
import { orgJson, repoJson } from './representations';
import type { Repo, RepoRole, Team } from './types';

/** JSON bodies for teams and their repository access, in GitHub's shapes. */

/** The legacy permission names teams carry in `permission` (the provider maps read/write itself). */
const LEGACY: Record<RepoRole, string> = {
  read: 'pull',
  triage: 'triage',
  write: 'push',
  maintain: 'maintain',
  admin: 'admin',
};

const PERMISSIONS: Record<RepoRole, Record<string, boolean>> = {
  read: { pull: true, triage: false, push: false, maintain: false, admin: false },
  triage: { pull: true, triage: true, push: false, maintain: false, admin: false },
  write: { pull: true, triage: true, push: true, maintain: false, admin: false },
  maintain: { pull: true, triage: true, push: true, maintain: true, admin: false },
  admin: { pull: true, triage: true, push: true, maintain: true, admin: true },
};

export function legacyPermission(role: RepoRole): string {
  return LEGACY[role];
}

/** `team`: in an org's list the team's own default (`pull`); in a repository's list its role there. */
export function teamJson(t: Team, u: Urls, role?: RepoRole): Record<string, unknown> {
  const url = `${u.api}/organizations/${t.org.id}/team/${t.id}`;
  return {
    id: t.id,
    node_id: t.nodeId,
    url,
    html_url: `${u.html}/orgs/${t.org.login}/teams/${t.slug}`,
    name: t.name,
    slug: t.slug,
    description: t.description,
    privacy: t.privacy,
    notification_setting: 'notifications_enabled',
    permission: role ? LEGACY[role] : 'pull',
    ...(role ? { permissions: PERMISSIONS[role] } : {}),
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    type: 'organization',
    organization_id: t.org.id,
    parent: null,
  };
}

/** `team-full`: `GET /orgs/{org}/teams/{slug}` (the provider's `getTeamID` reads `id`). */
export function teamFullJson(t: Team, u: Urls, reposCount: number, publicRepos: number): Record<string, unknown> {
  const { permissions: _p, ...rest } = teamJson(t, u);
  return {
    ...rest,
    members_count: t.members.size,
    repos_count: reposCount,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    organization: orgJson(t.org, u, publicRepos),
  };
}

/** `team-repository`: the repository with the team's `role_name` and `permissions` (what the provider's team repository Read takes the permission from). */
export function teamRepoJson(r: Repo, role: RepoRole, u: Urls): Record<string, unknown> {
  return { ...repoJson(r, u), permissions: PERMISSIONS[role], role_name: role };
}
