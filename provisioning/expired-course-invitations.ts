/**
 * Expired invitations in a course's rooms (docs/course.md, "Expired invitations in a course's rooms").
 *
 * GitHub invitations expire after 7 days, and the provider never re-invites: the read of
 * `github_repository_collaborators` lists a repository's invitations without looking at `expired`,
 * so an expired invitation counts as present and the plan is clean. A learner's single room
 * re-sends it with `-replace` on their own `github_repository_collaborator`; a course room cannot:
 * its one plural resource lists everyone, and replacing it runs the provider's Delete (every
 * collaborator, invitation and team of the room removed) then its Create (everyone invited again),
 * so every learner who accepted would lose access until they accept a new invitation.
 *
 * So, before the plan of a heal (the watchdog's `resend_expired_invitations`), the expired invitation
 * itself is withdrawn: `DELETE /repos/{o}/{r}/invitations/{id}`, one per expired invitation of a
 * person the room's list names. The provider's read then finds that person neither invited nor a
 * collaborator, the plan adds them back in place, and the apply sends their one `PUT
 * collaborators/{user}`: a new invitation, nobody else touched. Should the plan or apply fail, any
 * later apply plans the same addition (the person is missing from the room).
 *
 * Pure core (`roomsToCheck`, `courseRoomsWithExpired`) and a thin edge over a minimal REST client
 * (`withdrawExpiredInvitations`).
 */
import type { IndexedRoom, LearnerIndex } from '../contracts/learner-index';
import type { Roster } from '../roster/types';
import { foldHandle } from '../roster/handle';

/** A course room whose expired invitations are withdrawn: its repository and the people its list names. */
export interface RoomToCheck {
  key: string;
  repository: string;
  /** Lower-cased logins: the members and the facilitators named by handle. */
  people: string[];
}

/**
 * The course rooms of a stack an expired invitation can be in: admitted (in the configuration) and
 * already made (not new this run), not being archived.
 */
export function roomsToCheck(index: Pick<LearnerIndex, 'course'>): RoomToCheck[] {
  const facilitators = (index.course?.facilitators?.handles ?? []).map(foldHandle);
  return (index.course?.rooms ?? [])
    .filter((r) => r.admitted && r.new !== true && r.archived !== true)
    .map((r) => ({
      key: r.key,
      repository: r.repository,
      people: [...new Set([...r.members.map((m) => foldHandle(m.github_handle)), ...facilitators])],
    }));
}

/** One finding of the watchdog's fingerprint (gitops/drift-fingerprint.ts Finding), as far as read here. */
export interface FingerprintFinding {
  stack: string;
  repository: string;
  kind: string;
}

/**
 * The admitted course rooms of a stack known to hold an expired invitation: the fingerprint found it
 * (`invitation-expired` for the room), or progress of record says so for one of the room's members.
 * The watchdog heals a stack with any (its apply withdraws them before the plan).
 */
export function courseRoomsWithExpired(
  roster: Pick<Roster, 'learners'>,
  index: Pick<LearnerIndex, 'course' | 'stack' | 'cohort_id'>,
  findings: readonly FingerprintFinding[] = [],
): IndexedRoom[] {
  if (!index.course) return [];
  const expiredLearners = new Set(
    roster.learners
      .filter(
        (l) =>
          l.cohort_id === index.cohort_id &&
          l.progress?.status === 'invitation-expired' &&
          l.provisioning.state !== 'archived',
      )
      .map((l) => foldHandle(l.github_handle)),
  );
  const expiredRepositories = new Set(
    findings.filter((f) => f.stack === index.stack && f.kind === 'invitation-expired').map((f) => f.repository),
  );
  const open = new Set(roomsToCheck(index).map((r) => r.key));
  return index.course.rooms.filter(
    (r) =>
      open.has(r.key) &&
      (expiredRepositories.has(r.repository) ||
        r.members.some((m) => expiredLearners.has(foldHandle(m.github_handle)))),
  );
}

/** What the step needs of a REST client: list a repository's invitations, delete one. */
export interface ExpiredInvitationsApi {
  list(owner: string, repo: string): Promise<{ id: number; invitee: string; expired: boolean }[]>;
  remove(owner: string, repo: string, id: number): Promise<void>;
}

export interface WithdrawReport {
  /** Expired invitations withdrawn (or, with dryRun, to withdraw): the plan invites each again. */
  withdrawn: { repository: string; username: string; id: number }[];
  /** Rooms whose invitations were read. */
  rooms: number;
  problems: string[];
}

/**
 * Lists each room's invitations (one request per 100) and deletes every expired one whose invitee the
 * room's list names (case-insensitively). Invitations of anyone else are left to the plan: the
 * authoritative list removes them itself.
 */
export async function withdrawExpiredInvitations(
  api: ExpiredInvitationsApi,
  owner: string,
  rooms: readonly RoomToCheck[],
  dryRun = false,
): Promise<WithdrawReport> {
  const report: WithdrawReport = { withdrawn: [], rooms: 0, problems: [] };
  for (const room of rooms) {
    let invitations: Awaited<ReturnType<ExpiredInvitationsApi['list']>>;
    try {
      invitations = await api.list(owner, room.repository);
    } catch (err) {
      report.problems.push(
        `${owner}/${room.repository}: the invitations could not be read (${(err as Error).message})`,
      );
      continue;
    }
    report.rooms++;
    for (const inv of invitations) {
      if (!inv.expired || !room.people.includes(foldHandle(inv.invitee))) continue;
      try {
        if (!dryRun) await api.remove(owner, room.repository, inv.id);
        report.withdrawn.push({ repository: room.repository, username: inv.invitee, id: inv.id });
      } catch (err) {
        report.problems.push(
          `${owner}/${room.repository}: the expired invitation of ${inv.invitee} could not be withdrawn (${(err as Error).message})`,
        );
      }
    }
  }
  return report;
}
