/**
 * A course's assignments (docs/course.md) as starter-code updates read them: the rooms of an
 * assignment are named by the one function synthesis makes them with (contracts/course-rooms.ts),
 * at an instant, as synthesis would see them without state: the assignment has opened, a member's
 * room was made (the roster says so), and the end of course has not been reached (its rooms are
 * handed over, published or archived then, and an archived repository takes no pull request).
 * Each assignment has its own template (default the cohort's) and its own `template_ref`. Pure.
 */
import { activeCourseLearners, assignmentRooms } from '../contracts/course-rooms';
import { endOfCourseReached, hasOpened } from '../roster/course';
import type { Assignment, Cohort, Learner } from '../roster/types';

export interface AssignmentRoomTarget {
  repository: string;
  /** The learner, or the team's members (roster spelling, the team's order). */
  learners: string[];
}

/** A room the roster says was made: provisioned now, or provisioned_at recorded, and not archived. */
export function roomMade(learner: Learner): boolean {
  const p = learner.provisioning;
  return p.state !== 'archived' && (p.state === 'provisioned' || p.provisioned_at !== undefined);
}

/**
 * The rooms of `assignment` that exist at `at`: none before it opens or from the end of course;
 * otherwise one per learner, or per team, whose room was made (for a team: a member's was).
 */
export function assignmentRoomTargets(
  cohort: Cohort,
  assignment: Assignment,
  learners: readonly Learner[],
  at: Date,
): AssignmentRoomTarget[] {
  if (!hasOpened(assignment, at) || endOfCourseReached(cohort, at)) return [];
  return assignmentRooms(cohort.cohort_id, assignment, activeCourseLearners(learners))
    .filter((room) => room.members.some(roomMade))
    .map((room) => ({ repository: room.repository, learners: room.members.map((m) => m.github_handle) }));
}

/** A copy of the cohort whose assignment `id` records `sha` as its template_ref. */
export function withAssignmentTemplateRef(cohort: Cohort, id: string, sha: string): Cohort {
  if (!cohort.assignments) return cohort;
  return {
    ...cohort,
    assignments: cohort.assignments.map((a) => (a.id === id ? { ...a, template_ref: sha } : a)),
  };
}
