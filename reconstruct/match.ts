/**
 * Matches the repositories under the student owner to roster learners: by the cohort's naming
 * pattern, or by the learner's explicit `repository` (adoption). GitHub compares repository names
 * and logins case-insensitively, and so does every comparison here.
 */
import { Cohort, foldHandle, HANDLE_PATTERN_BODY, Learner, Roster } from '../roster';
import { OwnerRepository } from './types';
import { CourseRoomMatching, courseShapes, expectedCourseRooms, isCourse, matchCourseRooms } from './course';

/** The naming rule synthesis uses; injected so that there is exactly one implementation of it. */
export interface RoomNaming {
  /** The pattern that names the cohort's rooms ({cohort}, {handle}). */
  patternFor(cohort: Cohort): string;
  /** The repository name the configuration gives the learner's room. */
  repositoryFor(learner: Learner, cohort: Cohort): string;
  /** The permission the configuration gives every learner. */
  collaboratorPermission: string;
}

export interface ExpectedRoom {
  cohort_id: string;
  github_handle: string;
  /** Name in the configuration. */
  repository: string;
  required_files: string[];
  /** The permission the configuration gives the learner (constructs/learning-room.ts). */
  collaborator_permission: string;
  archived_in_roster: boolean;
}

export interface MatchedRoom extends ExpectedRoom {
  /** The name as GitHub spells it (may differ in case). */
  github_name: string;
  archived_on_github: boolean;
}

export interface RoomConflict {
  repository: string;
  learners: { cohort_id: string; github_handle: string }[];
}

export interface RoomMatching {
  /** Repositories that exist and belong to a learner synthesis manages: inspect these. */
  matched: MatchedRoom[];
  /** Learners synthesis manages whose repository does not exist. */
  absent: ExpectedRoom[];
  /** Learners archived in the roster (their repository may or may not exist). */
  archived: (ExpectedRoom & { exists: boolean })[];
  /** Learners sharing one repository name; none of them is matched. */
  conflicts: RoomConflict[];
  unmatched_repositories: string[];
  other_repositories: number;
  /** A course's rooms (cohorts with assignments); absent when no selected cohort is a course. */
  course?: CourseRoomMatching;
}

export interface MatchInput {
  roster: Roster;
  /** Cohorts to reconstruct; all cohorts of the roster when empty or absent. */
  cohortIds?: string[];
  naming: RoomNaming;
  repositories: OwnerRepository[];
  /** The instant a course is read at (which assignments are open, the end of course); none: nothing open. */
  at?: Date;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regular expression for every name the pattern can give in this cohort. */
export function roomShape(pattern: string, cohortId: string): RegExp {
  const parts = pattern
    .split(/(\{cohort\}|\{handle\})/)
    .map((p) => (p === '{cohort}' ? escapeRegExp(cohortId) : p === '{handle}' ? HANDLE_PATTERN_BODY : escapeRegExp(p)));
  return new RegExp(`^${parts.join('')}$`, 'i');
}

/** For an adopted repository named "<prefix>-<handle>" (Classroom's scheme): the shape of its siblings. */
function adoptedShape(repository: string, handle: string): RegExp | undefined {
  const suffix = `-${foldHandle(handle)}`;
  if (!repository.toLowerCase().endsWith(suffix) || repository.length === suffix.length) return undefined;
  return new RegExp(
    `^${escapeRegExp(repository.slice(0, repository.length - suffix.length))}-${HANDLE_PATTERN_BODY}$`,
    'i',
  );
}

export function selectCohorts(
  roster: Roster,
  cohortIds: string[] | undefined,
): { cohorts: Cohort[]; unknown: string[] } {
  if (!cohortIds || cohortIds.length === 0) return { cohorts: roster.cohorts, unknown: [] };
  const unknown = cohortIds.filter((id) => !roster.cohorts.some((c) => c.cohort_id === id));
  return { cohorts: roster.cohorts.filter((c) => cohortIds.includes(c.cohort_id)), unknown };
}

export function matchRooms(input: MatchInput): RoomMatching {
  const { cohorts } = selectCohorts(input.roster, input.cohortIds);
  const byName = new Map<string, OwnerRepository>();
  for (const r of input.repositories) byName.set(r.name.toLowerCase(), r);

  const expected: ExpectedRoom[] = [];
  const shapes: RegExp[] = [];
  const courses = cohorts.filter((c) => isCourse(c));
  for (const cohort of cohorts) {
    if (isCourse(cohort)) continue;
    shapes.push(roomShape(input.naming.patternFor(cohort), cohort.cohort_id));
    for (const learner of input.roster.learners) {
      if (learner.cohort_id !== cohort.cohort_id) continue;
      const repository = input.naming.repositoryFor(learner, cohort);
      if (learner.repository !== undefined) {
        const shape = adoptedShape(learner.repository, learner.github_handle);
        if (shape) shapes.push(shape);
      }
      expected.push({
        cohort_id: cohort.cohort_id,
        github_handle: learner.github_handle,
        repository,
        required_files: cohort.required_files ?? [],
        collaborator_permission: input.naming.collaboratorPermission,
        archived_in_roster: learner.provisioning.state === 'archived',
      });
    }
  }

  // A name claimed twice cannot be adopted by either learner: importing one repository at two
  // addresses would give Terraform two owners of it. Archived learners claim names too (the
  // repository still exists), but only learners synthesis manages can conflict.
  const claims = new Map<string, ExpectedRoom[]>();
  for (const e of expected) {
    const key = e.repository.toLowerCase();
    claims.set(key, [...(claims.get(key) ?? []), e]);
  }
  const result: RoomMatching = {
    matched: [],
    absent: [],
    archived: [],
    conflicts: [],
    unmatched_repositories: [],
    other_repositories: 0,
  };
  for (const [key, list] of claims) {
    const managed = list.filter((e) => !e.archived_in_roster);
    if (managed.length > 1) {
      result.conflicts.push({
        repository: list[0].repository,
        learners: managed.map((e) => ({ cohort_id: e.cohort_id, github_handle: e.github_handle })),
      });
    }
    for (const e of list) {
      const repo = byName.get(key);
      if (e.archived_in_roster) {
        result.archived.push({ ...e, exists: repo !== undefined });
      } else if (managed.length > 1) {
        continue;
      } else if (repo) {
        result.matched.push({ ...e, github_name: repo.name, archived_on_github: repo.archived });
      } else {
        result.absent.push(e);
      }
    }
  }
  // A course's rooms: one per open assignment and learner, or team (reconstruct/course.ts).
  const courseClaims = new Set<string>();
  if (courses.length > 0) {
    const expectedRooms = courses.flatMap((c) => expectedCourseRooms(c, input.roster.learners, input.at));
    for (const e of expectedRooms) courseClaims.add(e.repository.toLowerCase());
    for (const c of courses) shapes.push(...courseShapes(c));
    result.course = matchCourseRooms(expectedRooms, byName);
  }
  for (const r of input.repositories) {
    if (claims.has(r.name.toLowerCase()) || courseClaims.has(r.name.toLowerCase())) continue;
    if (shapes.some((s) => s.test(r.name))) result.unmatched_repositories.push(r.name);
    else result.other_repositories++;
  }
  result.unmatched_repositories.sort((a, b) => a.localeCompare(b));
  return result;
}
