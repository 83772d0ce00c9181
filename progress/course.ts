/**
 * Progress of a course (a cohort with `assignments`, docs/course.md): which rooms a learner's
 * progress is read from at an instant, and the one status a learner shows when they have several.
 * Pure: the instant is a parameter. The rooms are named by the one function that names an
 * assignment's rooms (contracts/course-rooms.ts), so progress reads the rooms synthesis made.
 */
import { assignmentRooms } from '../contracts/course-rooms';
import { foldHandle } from '../roster/handle';
import { hasOpened, isGroupAssignment } from '../roster/course';
import type { Cohort, Learner, ProgressStatus } from '../roster/types';

/** One room of a course learner's, to read. */
export interface CourseRoom {
  assignment: string;
  /** The repository's name (no owner). */
  name: string;
  /** A group assignment's team. */
  team?: string;
  /**
   * The room's learners (roster spelling): the learner, or every member of the team who is a
   * learner of the cohort, withdrawn ones included (their work in the room stays the team's).
   */
  members: string[];
}

/** The cohort's learners by lower-cased handle, every state, roster order; the first spelling wins. */
function cohortLearners(learners: readonly Learner[], cohortId: string): Map<string, Learner> {
  const out = new Map<string, Learner>();
  for (const l of learners) {
    const key = foldHandle(l.github_handle);
    if (l.cohort_id === cohortId && !out.has(key)) out.set(key, l);
  }
  return out;
}

/**
 * The learner's rooms at `at`, in the roster's assignment order: for each assignment open at `at`,
 * their individual room, or their team's room (none when they are in no team of it). A withdrawn
 * learner keeps their rooms here (archived on GitHub, read as such), as a single room is.
 */
export function learnerCourseRooms(
  cohort: Pick<Cohort, 'cohort_id' | 'assignments'>,
  learners: readonly Learner[],
  learner: Learner,
  at: Date,
): CourseRoom[] {
  const key = foldHandle(learner.github_handle);
  const everyone = cohortLearners(learners, cohort.cohort_id);
  const out: CourseRoom[] = [];
  for (const a of cohort.assignments ?? []) {
    if (!hasOpened(a, at)) continue;
    if (!isGroupAssignment(a)) {
      const [room] = assignmentRooms(cohort.cohort_id, a, new Map([[key, learner]]));
      out.push({ assignment: a.id, name: room.repository, members: [learner.github_handle] });
      continue;
    }
    const room = assignmentRooms(cohort.cohort_id, a, everyone).find((r) =>
      r.members.some((m) => foldHandle(m.github_handle) === key),
    );
    if (room)
      out.push({
        assignment: a.id,
        name: room.repository,
        team: room.owner,
        members: room.members.map((m) => m.github_handle),
      });
  }
  return out;
}

/** What the rollup reads of one assignment's status. */
export interface AssignmentStatus {
  assignment: string;
  status: ProgressStatus;
}

/**
 * The one status of a course's learner: the status of their **earliest unfinished assignment**
 * (the first, in the roster's assignment order, whose status is not `complete`), so the dashboard
 * shows what the learner works on now; `complete` once every open assignment of theirs is. The
 * entries come in the roster's assignment order. Undefined for none (no room open yet).
 */
export function currentAssignment<T extends AssignmentStatus>(entries: readonly T[]): T | undefined {
  return entries.find((e) => e.status !== 'complete') ?? entries.at(-1);
}
