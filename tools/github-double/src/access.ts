import type { DoubleState } from './state';
import type { Account, Repo, RepoRole } from './types';

/**
 * Who can reach a repository and with which role: its direct collaborators and the members of its
 * teams (the higher role wins, as on GitHub). Organization owners and base permissions are not modelled.
 */

const RANK: Record<RepoRole, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export function higherRole(a: RepoRole | undefined, b: RepoRole | undefined): RepoRole | undefined {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** The role a user's team memberships give on the repository. */
export function teamRole(repo: Repo, login: string): RepoRole | undefined {
  let role: RepoRole | undefined;
  for (const { team, role: r } of repo.teams.values())
    if (team.members.has(login.toLowerCase())) role = higherRole(role, r);
  return role;
}

/** A user's effective role: direct and through teams. */
export function effectiveRole(repo: Repo, login: string): RepoRole | undefined {
  return higherRole(repo.collaborators.get(login.toLowerCase())?.role, teamRole(repo, login));
}

export type Affiliation = 'outside' | 'direct' | 'all';

/**
 * GitHub's `affiliation` filter of the collaborator list: `direct` = every direct collaborator
 * (org members added directly and outside collaborators alike, so an outside collaborator is in
 * both `direct` and `outside`); `outside` = direct collaborators who are not org members; `all`
 * (the default) adds the members of the repository's teams. Ordered by account id.
 */
export function collaboratorsOf(
  state: DoubleState,
  repo: Repo,
  affiliation: Affiliation,
): Array<{ account: Account; role: RepoRole }> {
  const out = new Map<string, { account: Account; role: RepoRole }>();
  for (const [key, c] of repo.collaborators) {
    if (affiliation === 'outside' && repo.owner.type === 'Organization' && state.isOrgMember(repo.owner, key)) continue;
    out.set(key, { account: c.account, role: c.role });
  }
  if (affiliation === 'all') {
    for (const { team } of repo.teams.values()) {
      for (const [key, m] of team.members) out.set(key, { account: m.account, role: effectiveRole(repo, key)! }); // a team member has at least the team's role
    }
  }
  return [...out.values()].sort((a, b) => a.account.id - b.account.id);
}
