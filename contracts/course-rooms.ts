/**
 * The rooms of a course's assignment, named: the one function that says which rooms an assignment
 * has and what each is called, read by synthesis (synthesis/course-plan.ts, which makes them) and by
 * starter-code updates (updates/units.ts, which proposes pull requests in them), so the two can
 * never disagree on a room's name, key or members (docs/course.md, docs/starter-code-updates.md).
 * Reconstruct and progress find the rooms by it too.
 */
import { foldHandle } from '../roster/handle';
import { activeMembers, adoptedRepositoryName, assignmentRepositoryName, isGroupAssignment } from '../roster/course';
import type { Assignment, Learner, Team } from '../roster/types';
import { courseRoomKey } from './room-addresses';

export interface AssignmentRoom {
  /** `<assignment>--<owner>`: names the room's Terraform resources. */
  key: string;
  /** The individual room's learner (roster spelling), or the team's name. */
  owner: string;
  /** A group assignment's team. */
  team?: Team;
  /** The learners whose room it is: the learner, or the team's active members in the team's order. */
  members: Learner[];
  /** Its place in the assignment: roster order of the learners, or the teams' order. */
  order: number;
  /** The repository name the assignment's adopt_pattern or pattern gives (synthesis keeps the name state has, if any). */
  repository: string;
}

/** The assignment fields that name its rooms. */
export type NamedAssignment = Pick<Assignment, 'id' | 'repository_pattern' | 'adopt_pattern' | 'teams'>;

/**
 * A room's repository name: the existing repository it adopts when the assignment has an
 * `adopt_pattern` (a course moved from GitHub Classroom), else the name the assignment's
 * `repository_pattern` (or the default of its kind) gives. `owner` is the learner's handle or the team's name.
 */
export function assignmentRoomName(cohortId: string, a: NamedAssignment, owner: string): string {
  return adoptedRepositoryName(a, owner) ?? assignmentRepositoryName(cohortId, a, owner);
}

/**
 * An assignment's rooms among `active` learners (not withdrawn, by lower-cased handle, in roster
 * order): one per learner, or for a group assignment one per team with at least one active member.
 * Whether a room is open, made or archived at an instant is the caller's (roster/course.ts).
 */
export function assignmentRooms(
  cohortId: string,
  a: NamedAssignment,
  active: ReadonlyMap<string, Learner>,
): AssignmentRoom[] {
  const out: AssignmentRoom[] = [];
  if (isGroupAssignment(a)) {
    (a.teams ?? []).forEach((team, order) => {
      const members = activeMembers(team, active);
      if (members.length > 0)
        out.push({
          key: courseRoomKey(a.id, team.name),
          owner: team.name,
          team,
          members,
          order,
          repository: assignmentRoomName(cohortId, a, team.name),
        });
    });
    return out;
  }
  let order = 0;
  for (const [key, learner] of active)
    out.push({
      key: courseRoomKey(a.id, key),
      owner: learner.github_handle,
      members: [learner],
      order: order++,
      repository: assignmentRoomName(cohortId, a, learner.github_handle),
    });
  return out;
}

/** A course's learners who hold rooms (not withdrawn), by lower-cased handle, in roster order; the first spelling wins. */
export function activeCourseLearners(learners: readonly Learner[]): Map<string, Learner> {
  const active = new Map<string, Learner>();
  for (const l of learners) {
    const key = foldHandle(l.github_handle);
    if (l.provisioning.state !== 'archived' && !active.has(key)) active.set(key, l);
  }
  return active;
}
