/**
 * Reconstruction of a course's rooms (a cohort with assignments, docs/course.md): which rooms the
 * configuration has at an instant, named by the one function synthesis and propose-update use
 * (contracts/course-rooms.ts), matched to the repositories that exist, and turned into import
 * entries for what was seen to exist: the repository, its collaborators list, each required file,
 * the feedback branch and pull request. Pure: the edge (github.ts) inspects, this decides.
 *
 * As for a learner's one room, only rooms synthesis configures are imported: rooms of an
 * assignment not yet open, of withdrawn learners or teams without an active member, and rooms the
 * end of course archives are reported (`not-open`, `archived`), never imported.
 */
import { activeCourseLearners, assignmentRoomName, assignmentRooms, NamedAssignment } from '../contracts/course-rooms';
import {
  courseCollaboratorsAddress,
  courseFileAddress,
  courseRepositoryAddress,
  courseRoomKey,
  feedbackBranchAddress,
  feedbackPullRequestAddress,
} from '../contracts/room-addresses';
import type { ImportEntry, RoomReconstruction } from '../contracts/import-entries';
import {
  assignmentPattern,
  endOfCourseReached,
  FEEDBACK_BRANCH,
  hasOpened,
  isCourse,
  isGroupAssignment,
} from '../roster/course';
import { foldHandle, HANDLE_PATTERN_BODY, sameHandle } from '../roster/handle';
import type { Cohort, Learner } from '../roster/types';

/** A room of a course as the configuration names it at the instant. */
export interface ExpectedCourseRoom {
  cohort_id: string;
  assignment: string;
  /** `<assignment>--<owner>`. */
  key: string;
  /** The learner's handle (roster spelling), or the team's name. */
  owner: string;
  team: boolean;
  /** Roster spelling of the room's learners. */
  members: string[];
  repository: string;
  required_files: string[];
  feedback: boolean;
  /** configured: synthesis configures the room at the instant (adopt it); otherwise why not. */
  status: 'configured' | 'not-open' | 'archived';
  /** For a room not configured: the reason, for the report. */
  reason?: string;
}

export interface MatchedCourseRoom extends ExpectedCourseRoom {
  github_name: string;
  archived_on_github: boolean;
}

export interface CourseRoomMatching {
  /** Configured rooms whose repository exists: inspect these. */
  matched: MatchedCourseRoom[];
  /** Configured rooms whose repository does not exist. */
  absent: ExpectedCourseRoom[];
  /** Rooms synthesis does not configure at the instant (not open, archived), with whether the repository exists. */
  unmanaged: (ExpectedCourseRoom & { exists: boolean })[];
  /** Configured rooms sharing one repository name: none of them is matched. */
  conflicts: ExpectedCourseRoom[][];
}

/** What the edge found in one course room. */
export interface CourseRoomInspection {
  /** Logins with a pending (possibly expired) invitation, as GitHub spells them. */
  invited: string[];
  /** Logins of collaborators, as GitHub spells them. */
  collaborators: string[];
  /** Required file path -> whether it exists on the default branch. */
  files: Record<string, boolean>;
  /** Only for a room with a feedback pull request: whether the `feedback` branch exists. */
  feedbackBranch?: boolean;
  /** Only for a room with a feedback pull request: the pull request from the default branch into `feedback`, when one exists. */
  feedbackPullRequest?: { number: number; state: string };
}

/** Import ids of a course room's resources (the provider's importers). */
export const courseImportIds = {
  repository: (repository: string) => repository,
  /** github_repository_collaborators: the repository's name (the resource's id). */
  collaborators: (repository: string) => repository,
  file: (repository: string, path: string) => `${repository}/${path}`,
  /** github_branch: `repository:branch` (source_branch is ignored, docs/course.md). */
  branch: (repository: string) => `${repository}:${FEEDBACK_BRANCH}`,
  /** github_repository_pull_request: `owner:repository:number` (its three-part id). */
  pullRequest: (owner: string, repository: string, n: number) => `${owner}:${repository}:${n}`,
};

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regular expression for every name the assignment's adopt_pattern or pattern can give in this cohort. */
export function assignmentShape(cohortId: string, a: NamedAssignment): RegExp {
  const parts = (a.adopt_pattern ?? assignmentPattern(a))
    .split(/(\{cohort\}|\{assignment\}|\{handle\}|\{team\})/)
    .map((p) =>
      p === '{cohort}'
        ? escapeRegExp(cohortId)
        : p === '{assignment}'
          ? escapeRegExp(a.id)
          : p === '{handle}' || p === '{team}'
            ? HANDLE_PATTERN_BODY
            : escapeRegExp(p),
    );
  return new RegExp(`^${parts.join('')}$`, 'i');
}

/**
 * Every room of the course at the instant: each open assignment's rooms (configured, unless the end
 * of course archives them), the rooms of assignments not yet open, and those of withdrawn learners
 * and of teams without an active member (archived). Without an instant nothing is open.
 */
export function expectedCourseRooms(
  cohort: Cohort,
  learners: readonly Learner[],
  at: Date | undefined,
): ExpectedCourseRoom[] {
  const id = cohort.cohort_id;
  const mine = learners.filter((l) => l.cohort_id === id);
  const active = activeCourseLearners(mine);
  const withdrawn = mine.filter((l) => l.provisioning.state === 'archived' && !active.has(foldHandle(l.github_handle)));
  const endArchives =
    at !== undefined && endOfCourseReached(cohort, at) && (cohort.end_of_course?.mode ?? 'archive') === 'archive';
  const out: ExpectedCourseRoom[] = [];
  for (const a of cohort.assignments ?? []) {
    const opened = at !== undefined && hasOpened(a, at);
    const base = {
      cohort_id: id,
      assignment: a.id,
      required_files: [...(a.required_files ?? cohort.required_files ?? [])],
      feedback: a.feedback_pull_request === true,
    };
    const status = (): Pick<ExpectedCourseRoom, 'status' | 'reason'> =>
      !opened
        ? { status: 'not-open', reason: `assignment ${a.id} has not opened${at ? ` at ${at.toISOString()}` : ''}` }
        : endArchives
          ? { status: 'archived', reason: 'the end of course archives the room' }
          : { status: 'configured' };
    for (const r of assignmentRooms(id, a, active))
      out.push({
        ...base,
        key: r.key,
        owner: r.owner,
        team: r.team !== undefined,
        members: r.members.map((m) => m.github_handle),
        repository: r.repository,
        ...status(),
      });
    const gone = (reason: string): Pick<ExpectedCourseRoom, 'status' | 'reason'> =>
      opened ? { status: 'archived', reason } : status();
    if (isGroupAssignment(a)) {
      for (const team of a.teams ?? []) {
        if (team.members.some((m) => active.has(foldHandle(m)))) continue;
        out.push({
          ...base,
          key: courseRoomKey(a.id, team.name),
          owner: team.name,
          team: true,
          members: [...team.members],
          repository: assignmentRoomName(id, a, team.name),
          ...gone('no member of the team is active: synthesis archives the room'),
        });
      }
    } else {
      for (const l of withdrawn)
        out.push({
          ...base,
          key: courseRoomKey(a.id, l.github_handle),
          owner: l.github_handle,
          team: false,
          members: [l.github_handle],
          repository: assignmentRoomName(id, a, l.github_handle),
          ...gone('archived in the roster: synthesis does not manage the room'),
        });
    }
  }
  return out;
}

/** The shapes of the course's room names, for telling unclaimed rooms from other repositories. */
export function courseShapes(cohort: Cohort): RegExp[] {
  return (cohort.assignments ?? []).map((a) => assignmentShape(cohort.cohort_id, a));
}

/** Matches the course rooms to the owner's repositories (by lower-cased name). */
export function matchCourseRooms(
  expected: readonly ExpectedCourseRoom[],
  byName: ReadonlyMap<string, { name: string; archived: boolean }>,
): CourseRoomMatching {
  const result: CourseRoomMatching = { matched: [], absent: [], unmanaged: [], conflicts: [] };
  const claims = new Map<string, ExpectedCourseRoom[]>();
  for (const e of expected) {
    const key = e.repository.toLowerCase();
    claims.set(key, [...(claims.get(key) ?? []), e]);
  }
  for (const [name, list] of claims) {
    const managed = list.filter((e) => e.status === 'configured');
    if (managed.length > 1) result.conflicts.push(managed);
    const repo = byName.get(name);
    for (const e of list) {
      if (e.status !== 'configured') result.unmanaged.push({ ...e, exists: repo !== undefined });
      else if (managed.length > 1) continue;
      else if (repo) result.matched.push({ ...e, github_name: repo.name, archived_on_github: repo.archived });
      else result.absent.push(e);
    }
  }
  return result;
}

/** Every address of a configured room. */
export function courseRoomAddresses(room: Pick<ExpectedCourseRoom, 'key' | 'required_files' | 'feedback'>): string[] {
  return [
    courseRepositoryAddress(room.key),
    courseCollaboratorsAddress(room.key),
    ...room.required_files.map((p) => courseFileAddress(room.key, p)),
    ...(room.feedback ? [feedbackBranchAddress(room.key), feedbackPullRequestAddress(room.key)] : []),
  ];
}

function reconstruction(
  room: ExpectedCourseRoom,
  outcome: RoomReconstruction['outcome'],
  parts: Pick<RoomReconstruction, 'imported' | 'missing' | 'notes'>,
): RoomReconstruction {
  return {
    cohort_id: room.cohort_id,
    assignment: room.assignment,
    room: room.key,
    owner: room.owner,
    members: room.members,
    ...(room.team ? { team: true } : {}),
    repository: room.repository,
    outcome,
    ...parts,
  };
}

/** One matched room: an entry for each object seen to exist, the rest missing (the plan creates it). */
export function reconstructCourseRoom(
  owner: string,
  room: MatchedCourseRoom,
  inspection: CourseRoomInspection,
): { imports: ImportEntry[]; room: RoomReconstruction } {
  const { repository, key } = room;
  const imports: ImportEntry[] = [];
  const missing: string[] = [];
  const notes: string[] = [];
  const add = (address: string, id: string) =>
    imports.push({ cohort_id: room.cohort_id, github_handle: room.owner, room: key, address, id });

  // Ids in the configuration's spelling: `repository` of the dependents is ForceNew.
  add(courseRepositoryAddress(key), courseImportIds.repository(repository));
  if (room.github_name !== repository)
    notes.push(`GitHub spells the repository "${room.github_name}"; the plan renames it to "${repository}" in place`);
  if (room.archived_on_github)
    notes.push(
      'the repository is archived on GitHub: the plan will unarchive it, and nothing can be created in it until then',
    );

  // The list reads whoever has access; the plan changes it in place to the roster's people.
  add(courseCollaboratorsAddress(key), courseImportIds.collaborators(repository));
  for (const m of room.members) {
    const invited = inspection.invited.find((l) => sameHandle(l, m));
    const collaborator = inspection.collaborators.find((l) => sameHandle(l, m));
    const seen = invited ?? collaborator;
    if (seen === undefined) notes.push(`${m} has no access yet: the plan invites them (the list changes in place)`);
    else if (seen !== m)
      notes.push(
        `GitHub spells the login "${seen}", the roster "${m}": the provider compares logins case-sensitively and would re-invite them; write it as GitHub does`,
      );
    else if (invited !== undefined) notes.push(`${m}: invitation pending (the provider counts it as present)`);
  }

  for (const path of room.required_files) {
    if (inspection.files[path] === true) add(courseFileAddress(key, path), courseImportIds.file(repository, path));
    else missing.push(courseFileAddress(key, path));
  }
  if (room.feedback) {
    if (inspection.feedbackBranch === true) add(feedbackBranchAddress(key), courseImportIds.branch(repository));
    else missing.push(feedbackBranchAddress(key));
    const pr = inspection.feedbackPullRequest;
    if (pr) {
      add(feedbackPullRequestAddress(key), courseImportIds.pullRequest(owner, repository, pr.number));
      if (pr.state !== 'open') notes.push(`the feedback pull request #${pr.number} is ${pr.state}: imported as it is`);
    } else missing.push(feedbackPullRequestAddress(key));
  }
  return {
    imports,
    room: reconstruction(room, missing.length ? 'partly-adopted' : 'adopted', {
      imported: imports.map((i) => i.address),
      missing,
      notes,
    }),
  };
}

/** Every room of a course cohort's reconstruction, and its import entries. */
export function reconstructCourse(
  owner: string,
  matching: CourseRoomMatching,
  inspections: ReadonlyMap<string, CourseRoomInspection>,
  cohortId: string,
): { imports: ImportEntry[]; rooms: RoomReconstruction[] } {
  const imports: ImportEntry[] = [];
  const rooms: RoomReconstruction[] = [];
  for (const m of matching.matched.filter((r) => r.cohort_id === cohortId)) {
    const inspection = inspections.get(m.repository.toLowerCase());
    if (!inspection)
      throw new Error(
        `no inspection of the repository ${owner}/${m.repository} (room ${m.key}, cohort ${m.cohort_id})`,
      );
    const r = reconstructCourseRoom(owner, m, inspection);
    imports.push(...r.imports);
    rooms.push(r.room);
  }
  for (const a of matching.absent.filter((r) => r.cohort_id === cohortId))
    rooms.push(reconstruction(a, 'to-create', { imported: [], missing: courseRoomAddresses(a), notes: [] }));
  for (const u of matching.unmanaged.filter((r) => r.cohort_id === cohortId))
    rooms.push(
      reconstruction(u, u.status === 'not-open' ? 'not-open' : 'archived', {
        imported: [],
        missing: [],
        notes: [
          `${u.reason ?? 'not configured'}; ${u.exists ? 'the repository exists, not imported' : 'no repository exists'}`,
        ],
      }),
    );
  for (const list of matching.conflicts)
    for (const c of list.filter((r) => r.cohort_id === cohortId)) {
      const others = list.filter((o) => o !== c).map((o) => `room ${o.key}`);
      rooms.push(
        reconstruction(c, 'conflict', {
          imported: [],
          missing: [],
          notes: [`shares the repository name ${c.repository} with ${others.join(', ')}: change a repository_pattern`],
        }),
      );
    }
  rooms.sort((x, y) => (x.room < y.room ? -1 : x.room > y.room ? 1 : 0));
  // By room, then the room's own order (repository, collaborators, files, branch, pull request).
  const order = new Map(rooms.map((r, i) => [r.room, i]));
  imports.sort((x, y) => (order.get(x.room ?? '') ?? 0) - (order.get(y.room ?? '') ?? 0));
  return { imports, rooms };
}

export { isCourse };
