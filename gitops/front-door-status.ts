/**
 * Where an enrolled learner stands, for the comment on their public registration issue: waiting
 * for a room (their place in the cohort's queue, and the expected time when the learner index
 * gives one), a first attempt that failed and will be retried, or the room ready (its address and
 * where to accept the invitation). Pure: the roster and the rooms' settings in.
 */
import { roomRepositoryName } from '../contracts/room-names';
import { roomsOf, type LearnerIndex, type LearnerIndexEntry } from '../contracts/learner-index';
import { activeCourseLearners, assignmentRooms } from '../contracts/course-rooms';
import { endOfCourseReached, hasOpened, isCourse } from '../roster/course';
import { learnerKey, sameHandle } from '../roster/handle';
import type { Cohort, Learner, Roster } from '../roster/types';

export interface RoomSettings {
  /** Who owns the rooms. */
  owner: string;
  /** The default room name pattern (a cohort's own pattern wins). */
  repositoryPattern: string;
  /** Where people open repositories: https://github.com, or the GitHub Enterprise Server host. */
  htmlBase: string;
}

/**
 * A waiting learner's place as the learner index writes it (contracts/learner-index.ts: the
 * position in synthesis' one admission queue of every cohort, and the expected time when the
 * run's start was known). The contract's own type, so there is one format.
 */
export type QueueHint = NonNullable<LearnerIndexEntry['queue']>;

/** What a synthesis' learner indexes say of the queue: each waiting learner's place, and how many wait. */
export interface QueueHints {
  /** Learner key (handle, cohort) -> the learner's place. */
  byLearner: ReadonlyMap<string, QueueHint>;
  /** Learners waiting in the indexes read: the whole queue when every stack's index is read. */
  waiting: number;
  /** A course's learners (learner key -> their rooms in the configuration, not archived), from the indexes' `course.rooms`. */
  courseRooms?: ReadonlyMap<string, CourseRoom[]>;
}

/** One room of a course learner: its assignment (and title) and its repository name. */
export interface CourseRoom {
  assignment: string;
  title?: string;
  repository: string;
}

/** The queue of the indexes, read from each entry's `queue`; an entry without a usable one gives no hint. */
export function readQueueHints(indexes: readonly LearnerIndex[]): QueueHints {
  const byLearner = new Map<string, QueueHint>();
  for (const index of indexes)
    for (const e of index.learners) {
      const q = e.queue;
      if (e.admitted || !q || !Number.isInteger(q.position) || q.position < 1) continue;
      byLearner.set(learnerKey(e.github_handle, e.cohort_id), q);
    }
  const courseRooms = new Map<string, CourseRoom[]>();
  for (const index of indexes) {
    if (!index.course) continue;
    const titles = new Map(index.course.assignments.map((a) => [a.id, a.title]));
    for (const e of index.learners) {
      const rooms = roomsOf(index, e.github_handle)
        .filter((r) => r.admitted && r.archived !== true)
        .map((r) => courseRoom(r.assignment, titles.get(r.assignment), r.repository));
      const key = learnerKey(e.github_handle, e.cohort_id);
      courseRooms.set(key, [...(courseRooms.get(key) ?? []), ...rooms]);
    }
  }
  return { byLearner, waiting: byLearner.size, ...(courseRooms.size > 0 ? { courseRooms } : {}) };
}

function courseRoom(assignment: string, title: string | undefined, repository: string): CourseRoom {
  return { assignment, ...(title ? { title } : {}), repository };
}

/**
 * Without a learner index: a course learner's rooms as synthesis names them (contracts/course-rooms.ts)
 * for the assignments open at `at`, none after the end of course.
 */
export function courseRoomsAt(cohort: Cohort, roster: Roster, learner: Learner, at: Date): CourseRoom[] {
  if (endOfCourseReached(cohort, at)) return [];
  const active = activeCourseLearners(roster.learners.filter((l) => l.cohort_id === cohort.cohort_id));
  return (cohort.assignments ?? [])
    .filter((a) => hasOpened(a, at))
    .flatMap((a) =>
      assignmentRooms(cohort.cohort_id, a, active)
        .filter((r) => r.members.some((m) => sameHandle(m.github_handle, learner.github_handle)))
        .map((r) => courseRoom(a.id, a.title, r.repository)),
    );
}

export type LearnerStatus =
  /** `allCohorts`: the place is in the one queue of every cohort (from the learner index), not the cohort's. */
  | { kind: 'waiting'; position: number; of: number; expectedAt?: string; allCohorts?: true }
  | { kind: 'retrying' }
  | { kind: 'ready'; room: string; roomUrl: string; invitationsUrl: string }
  /** A course's learner: a room per open assignment (or per team), each with its address. */
  | { kind: 'ready-course'; rooms: (CourseRoom & { url: string; invitationsUrl: string })[] };

/** A room exists once one was made: a later failed heal does not take it away. */
export function hasRoom(l: Learner): boolean {
  return (
    l.provisioning.state === 'provisioned' ||
    (l.provisioning.state !== 'archived' && l.provisioning.provisioned_at !== undefined)
  );
}

/**
 * The cohort's learners waiting for a room, in the order synthesis admits them (as the dashboard
 * counts them): earlier failures first, then pending learners, each in roster order.
 */
export function cohortQueue(roster: Roster, cohortId: string): Learner[] {
  const waiting = roster.learners.filter(
    (l) => l.cohort_id === cohortId && l.provisioning.state !== 'archived' && !hasRoom(l),
  );
  return [
    ...waiting.filter((l) => l.provisioning.state === 'failed'),
    ...waiting.filter((l) => l.provisioning.state === 'pending'),
  ];
}

export function learnerStatus(
  roster: Roster,
  learner: Learner,
  settings: RoomSettings,
  hints?: QueueHints,
  now: number = Date.now(),
): LearnerStatus {
  const cohort = roster.cohorts.find((c) => c.cohort_id === learner.cohort_id);
  if (hasRoom(learner) && cohort && isCourse(cohort)) {
    // The learner index's rooms (what synthesis made), else the roster's open assignments at `now`.
    const rooms =
      hints?.courseRooms?.get(learnerKey(learner.github_handle, learner.cohort_id)) ??
      courseRoomsAt(cohort, roster, learner, new Date(now));
    if (rooms.length > 0)
      return {
        kind: 'ready-course',
        rooms: rooms.map((r) => {
          const url = `${settings.htmlBase}/${settings.owner}/${r.repository}`;
          return { ...r, url, invitationsUrl: `${url}/invitations` };
        }),
      };
  }
  if (hasRoom(learner)) {
    const room = roomRepositoryName(learner, cohort, settings.repositoryPattern);
    const roomUrl = `${settings.htmlBase}/${settings.owner}/${room}`;
    return { kind: 'ready', room, roomUrl, invitationsUrl: `${roomUrl}/invitations` };
  }
  if (learner.provisioning.state === 'failed') return { kind: 'retrying' };
  const hint = hints?.byLearner.get(learnerKey(learner.github_handle, learner.cohort_id));
  if (hint && hints) {
    const expected =
      hint.expected_at !== undefined && !Number.isNaN(Date.parse(hint.expected_at))
        ? { expectedAt: hint.expected_at }
        : {};
    return {
      kind: 'waiting',
      position: hint.position,
      of: Math.max(hints.waiting, hint.position),
      allCohorts: true,
      ...expected,
    };
  }
  // Without the index (or admitted by the plan it was written with): the cohort's queue in the roster.
  const queue = cohortQueue(roster, learner.cohort_id);
  const position = queue.findIndex((l) => sameHandle(l.github_handle, learner.github_handle)) + 1;
  return { kind: 'waiting', position, of: Math.max(queue.length, position) };
}
