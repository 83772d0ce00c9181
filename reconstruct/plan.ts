/**
 * From matched rooms and what exists in them to import entries and the operator's report.
 * The one rule: an import only for an object seen to exist. An import of something missing fails
 * the whole plan; something missing is left to the plan, which creates it.
 */
import { collaboratorAddress, fileAddress, repositoryAddress } from '../contracts/room-addresses';
import { foldHandle, sameHandle } from '../roster';
import { ExpectedRoom, MatchedRoom, RoomMatching } from './match';
import type { ImportEntry, LearnerReconstruction } from '../contracts/import-entries';
import { CohortReconstruction, ReconstructionReport, RoomInspection } from './types';
import { CourseRoomInspection, reconstructCourse } from './course';

/** Import ids as the provider parses them (see shared reference: github-provider-http.md). */
export const importIds = {
  repository: (repository: string) => repository,
  collaborator: (repository: string, login: string) => `${repository}:${login}`,
  file: (repository: string, path: string) => `${repository}/${path}`,
};

/** The provider's spelling of a permission: the API says read/write, the provider pull/push. */
export function providerPermission(permission: string): string {
  return permission === 'write' ? 'push' : permission === 'read' ? 'pull' : permission;
}

/** Where the learner stands as a collaborator: invited counts as present, as for the provider. */
export function collaboratorPresence(
  handle: string,
  inspection: RoomInspection,
): 'collaborator' | 'invited' | 'absent' {
  if (inspection.invited.some((l) => sameHandle(l, handle))) return 'invited';
  if ((inspection.collaborators ?? []).some((l) => sameHandle(l, handle))) return 'collaborator';
  return 'absent';
}

function allAddresses(room: ExpectedRoom): string[] {
  return [
    repositoryAddress(room.github_handle),
    collaboratorAddress(room.github_handle),
    ...room.required_files.map((p) => fileAddress(room.github_handle, p)),
  ];
}

function reconstructRoom(
  room: MatchedRoom,
  inspection: RoomInspection,
): { imports: ImportEntry[]; learner: LearnerReconstruction } {
  const { cohort_id, github_handle, repository } = room;
  const imports: ImportEntry[] = [];
  const missing: string[] = [];
  const notes: string[] = [];
  const add = (address: string, id: string) => imports.push({ cohort_id, github_handle, address, id });

  // Ids use the configuration's spelling of the name: the collaborator's and file's `repository`
  // attribute is ForceNew, so a state spelled differently from the configuration would replace them.
  add(repositoryAddress(github_handle), importIds.repository(repository));
  if (room.github_name !== repository)
    notes.push(`GitHub spells the repository "${room.github_name}"; the plan renames it to "${repository}" in place`);
  if (room.archived_on_github)
    notes.push(
      'the repository is archived on GitHub: the plan will unarchive it, and nothing can be created in it until then',
    );

  const presence = collaboratorPresence(github_handle, inspection);
  if (presence === 'absent') missing.push(collaboratorAddress(github_handle));
  else add(collaboratorAddress(github_handle), importIds.collaborator(repository, github_handle));
  if (presence === 'invited') notes.push('invitation pending (the provider counts it as present)');
  const permission = inspection.learnerPermission && providerPermission(inspection.learnerPermission);
  if (presence !== 'absent' && permission && permission !== room.collaborator_permission) {
    // `permission` is ForceNew: the plan will show a destroy and a create of the collaborator.
    notes.push(
      `the learner has "${permission}" access, the configuration gives "${room.collaborator_permission}": the plan REPLACES the collaborator (removes the access and invites again)`,
    );
  }

  for (const path of room.required_files) {
    if (inspection.files[path] === true) add(fileAddress(github_handle, path), importIds.file(repository, path));
    else missing.push(fileAddress(github_handle, path));
  }
  return {
    imports,
    learner: {
      cohort_id,
      github_handle,
      repository,
      outcome: missing.length ? 'partly-adopted' : 'adopted',
      imported: imports.map((i) => i.address),
      missing,
      notes,
    },
  };
}

/**
 * Builds the report. `inspections` (and `courseInspections`, for a course's rooms) are keyed by the
 * lower-cased configured repository name; a matched room without an inspection is an error of the
 * caller (the edge inspects every matched room).
 */
export function buildReconstruction(
  owner: string,
  cohortIds: string[],
  matching: RoomMatching,
  inspections: Map<string, RoomInspection>,
  courseInspections: ReadonlyMap<string, CourseRoomInspection> = new Map(),
): ReconstructionReport {
  const byCohort = new Map<string, CohortReconstruction>(
    cohortIds.map((id) => [id, { cohort_id: id, imports: [], learners: [] }]),
  );
  const cohortOf = (id: string): CohortReconstruction => {
    let c = byCohort.get(id);
    if (!c) byCohort.set(id, (c = { cohort_id: id, imports: [], learners: [] }));
    return c;
  };
  for (const room of matching.matched) {
    const inspection = inspections.get(room.repository.toLowerCase());
    if (!inspection)
      throw new Error(
        `no inspection of the repository ${owner}/${room.repository} (learner ${room.github_handle}, cohort ${room.cohort_id})`,
      );
    const { imports, learner } = reconstructRoom(room, inspection);
    cohortOf(room.cohort_id).imports.push(...imports);
    cohortOf(room.cohort_id).learners.push(learner);
  }
  for (const room of matching.absent) {
    cohortOf(room.cohort_id).learners.push({
      cohort_id: room.cohort_id,
      github_handle: room.github_handle,
      repository: room.repository,
      outcome: 'to-create',
      imported: [],
      missing: allAddresses(room),
      notes: [],
    });
  }
  for (const room of matching.archived) {
    const notes = room.exists
      ? ['archived in the roster: the repository exists but synthesis does not manage it']
      : ['archived in the roster and no repository exists'];
    cohortOf(room.cohort_id).learners.push({
      cohort_id: room.cohort_id,
      github_handle: room.github_handle,
      repository: room.repository,
      outcome: 'archived',
      imported: [],
      missing: [],
      notes,
    });
  }
  for (const conflict of matching.conflicts) {
    for (const l of conflict.learners) {
      const others = conflict.learners.filter((o) => o !== l).map((o) => `${o.github_handle} (cohort ${o.cohort_id})`);
      cohortOf(l.cohort_id).learners.push({
        cohort_id: l.cohort_id,
        github_handle: l.github_handle,
        repository: conflict.repository,
        outcome: 'conflict',
        imported: [],
        missing: [],
        notes: [`shares the repository name with ${others.join(', ')}: give one of them a "repository" in the roster`],
      });
    }
  }
  const course = matching.course;
  if (course) {
    const ids = new Set(
      [...course.matched, ...course.absent, ...course.unmanaged, ...course.conflicts.flat()].map((r) => r.cohort_id),
    );
    for (const id of ids) {
      const { imports, rooms } = reconstructCourse(owner, course, courseInspections, id);
      const c = cohortOf(id);
      c.rooms = rooms;
      c.imports.push(...imports);
    }
  }
  const cohorts = [...byCohort.values()];
  for (const c of cohorts) {
    c.learners.sort((a, b) => foldHandle(a.github_handle).localeCompare(foldHandle(b.github_handle)));
    // By learner, then the room's own order (repository, collaborator, files): readable in review.
    if (!c.rooms) c.imports.sort((a, b) => foldHandle(a.github_handle).localeCompare(foldHandle(b.github_handle)));
  }
  return {
    owner,
    cohorts,
    unmatched_repositories: matching.unmatched_repositories,
    other_repositories: matching.other_repositories,
  };
}
