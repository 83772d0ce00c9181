/**
 * The pre-apply step for pending invitations (docs/course.md, "Pending invitations at a cutoff").
 *
 * At a cutoff the plan changes a member's permission push -> pull. For a learner who accepted, the
 * provider sends `PUT collaborators/{user} {"permission": "pull"}` (documented; access kept). For a
 * learner whose invitation is still pending it sends `PATCH invitations/{id} {"permissions": "pull"}`,
 * and GitHub's description of that endpoint lists only read, write, maintain, triage and admin: the
 * GitHub double refuses `pull`, and no live GitHub confirmed it accepts it. So, between the plan and
 * the apply, this step sets each such pending invitation to the documented name (`read`, `write`)
 * through the REST API; the provider, reading the invitation back as `pull` (its getPermission maps
 * read -> pull), then has nothing left to send. Run with the provisioning App's credentials.
 *
 * Pure core (`invitationUpdates`) and a thin edge over a minimal REST client (`setPendingInvitations`).
 */
import type { ResourceChange, TerraformPlanJson } from '../contracts/terraform-plan';
import { accessChangesOf } from './access-changes';
import { sameHandle } from '../roster/handle';

export interface InvitationUpdate {
  repository: string;
  username: string;
  /** The provider's name the plan wants (pull, push, ...). */
  permission: string;
}

/** The invitations API's names for the provider's permission names. */
const API_NAME: Record<string, string> = { pull: 'read', push: 'write' };
/** The provider's reading of an invitation's permission (util_permissions.go getPermission). */
const PROVIDER_NAME: Record<string, string> = { read: 'pull', write: 'push' };

export const invitationPermission = (permission: string): string => API_NAME[permission] ?? permission;

/** Every member of a course room whose permission the plan changes in place (not added, not removed). */
export function invitationUpdates(plan: Pick<TerraformPlanJson, 'resource_changes'>): InvitationUpdate[] {
  const out: InvitationUpdate[] = [];
  for (const rc of plan.resource_changes as ResourceChange[]) {
    for (const c of accessChangesOf(rc)) {
      if (c.from === undefined || c.to === undefined || c.repository === undefined) continue;
      out.push({ repository: c.repository, username: c.username, permission: c.to });
    }
  }
  return out;
}

/** What the step needs of a REST client: list a repository's invitations, change one. */
export interface InvitationsApi {
  list(owner: string, repo: string): Promise<{ id: number; invitee: string; permissions: string }[]>;
  update(owner: string, repo: string, id: number, permissions: string): Promise<void>;
}

export interface InvitationReport {
  /** Pending invitations set to the documented name. */
  updated: { repository: string; username: string; from: string; to: string }[];
  /** Members whose invitation is not pending (accepted: the provider's PUT applies). */
  accepted: number;
  problems: string[];
}

/**
 * Sets every pending invitation the plan changes to the documented name of its new permission
 * (one list per repository, one PATCH per invitation). Invitees are matched case-insensitively.
 */
export async function setPendingInvitations(
  api: InvitationsApi,
  owner: string,
  updates: readonly InvitationUpdate[],
  dryRun = false,
): Promise<InvitationReport> {
  const report: InvitationReport = { updated: [], accepted: 0, problems: [] };
  const byRepository = new Map<string, InvitationUpdate[]>();
  for (const u of updates) byRepository.set(u.repository, [...(byRepository.get(u.repository) ?? []), u]);
  for (const [repository, wanted] of byRepository) {
    let invitations: Awaited<ReturnType<InvitationsApi['list']>>;
    try {
      invitations = await api.list(owner, repository);
    } catch (err) {
      report.problems.push(`${owner}/${repository}: the invitations could not be read (${(err as Error).message})`);
      continue;
    }
    for (const w of wanted) {
      const inv = invitations.find((i) => sameHandle(i.invitee, w.username));
      if (!inv) {
        report.accepted++;
        continue;
      }
      const current = PROVIDER_NAME[inv.permissions] ?? inv.permissions;
      if (current === w.permission) continue;
      const to = invitationPermission(w.permission);
      try {
        if (!dryRun) await api.update(owner, repository, inv.id, to);
        report.updated.push({ repository, username: inv.invitee, from: inv.permissions, to });
      } catch (err) {
        report.problems.push(
          `${owner}/${repository}: the invitation of ${w.username} could not be set to ${to} (${(err as Error).message})`,
        );
      }
    }
  }
  return report;
}
