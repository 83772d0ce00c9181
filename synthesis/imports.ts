/**
 * The synthesis hook of reconstruction: import entries (`imports/<cohort>.json`, written by
 * `learning-rooms reconstruct`) become Terraform `import` blocks in the cohort's stack, so the next
 * plan adopts existing repositories, collaborators and files instead of creating them.
 *
 * Two rules keep a plan from failing on an import:
 * - an import block whose address is not in the configuration is an error in Terraform, so only
 *   entries for rooms this run configures become blocks (the others are returned, for the report);
 * - an imported room exists, so synthesis keeps it in the configuration whatever the admission
 *   budget (the same rule as a room in state): `knownRoomsWithImports` feeds it to the planner.
 */
import { readImportsFile, type ImportEntry, type ImportsFile } from '../contracts/import-entries';
import {
  collaboratorAddress,
  courseCollaboratorsAddress,
  courseFileAddress,
  courseRepositoryAddress,
  feedbackBranchAddress,
  feedbackPullRequestAddress,
  fileAddress,
  parseCourseRoomAddress,
  parseRoomAddress,
  repositoryAddress,
} from '../contracts/room-addresses';
import type { KnownCourseRoom, KnownRooms } from '../contracts/terraform-state';
import { foldHandle, learnerKey } from '../roster/handle';
import type { Roster } from '../roster/types';
import { isGroupAssignment } from '../roster/course';
import { stackName } from '../contracts/stack-names';

export interface ImportBlock {
  to: string;
  id: string;
}

/** The rooms of a stack, as far as their addresses go. */
export interface ConfiguredRoom {
  readonly githubHandle: string;
  readonly requiredFiles: readonly { readonly path: string }[];
}

/** A course's room, as far as its addresses go (constructs/assignment-room.ts). */
export interface ConfiguredCourseRoom {
  readonly key: string;
  readonly requiredFiles: readonly { readonly path: string }[];
  readonly feedbackPullRequest: boolean;
}

export function configuredAddresses(
  rooms: readonly ConfiguredRoom[],
  courseRooms: readonly ConfiguredCourseRoom[] = [],
): Set<string> {
  const out = new Set<string>();
  for (const r of rooms) {
    out.add(repositoryAddress(r.githubHandle));
    out.add(collaboratorAddress(r.githubHandle));
    for (const f of r.requiredFiles) out.add(fileAddress(r.githubHandle, f.path));
  }
  for (const r of courseRooms) {
    out.add(courseRepositoryAddress(r.key));
    out.add(courseCollaboratorsAddress(r.key));
    for (const f of r.requiredFiles) out.add(courseFileAddress(r.key, f.path));
    if (r.feedbackPullRequest) {
      out.add(feedbackBranchAddress(r.key));
      out.add(feedbackPullRequestAddress(r.key));
    }
  }
  return out;
}

/** Import blocks for the entries whose address the stack configures; the rest are `unplaced`. */
export function importBlocks(
  entries: readonly ImportEntry[],
  rooms: readonly ConfiguredRoom[],
  courseRooms: readonly ConfiguredCourseRoom[] = [],
): { blocks: ImportBlock[]; unplaced: ImportEntry[] } {
  const configured = configuredAddresses(rooms, courseRooms);
  const blocks: ImportBlock[] = [];
  const unplaced: ImportEntry[] = [];
  for (const e of entries) {
    if (configured.has(e.address)) blocks.push({ to: e.address, id: e.id });
    else unplaced.push(e);
  }
  return { blocks, unplaced };
}

/**
 * The cohort's import blocks: the planner's own (a roster `repository` adopted without state, an
 * import made blind) and reconstruct's entries (each seen to exist). For every learner the entries
 * file covers, whatever the outcome, the entries are authoritative and the planner's block goes:
 * reconstruct saw whether the repository exists, and a blind import of a missing one fails the
 * plan. One block per address (Terraform refuses two).
 */
export function combineImports(
  plannerImports: readonly ImportBlock[],
  file: ImportsFile | undefined,
  rooms: readonly ConfiguredRoom[],
  courseRooms: readonly ConfiguredCourseRoom[] = [],
): { blocks: ImportBlock[]; unplaced: ImportEntry[] } {
  if (!file) return { blocks: [...plannerImports], unplaced: [] };
  const covered = new Set(file.learners.map((l) => foldHandle(l.github_handle)));
  for (const e of file.imports) if (e.room === undefined) covered.add(foldHandle(e.github_handle));
  const placed = importBlocks(file.imports, rooms, courseRooms);
  const taken = new Set(placed.blocks.map((b) => b.to));
  const kept = plannerImports.filter((b) => {
    const handle = parseRoomAddress(b.to)?.handle;
    return !taken.has(b.to) && (handle === undefined || !covered.has(handle));
  });
  return { blocks: [...kept, ...placed.blocks], unplaced: placed.unplaced };
}

/**
 * Adds the imported rooms to the rooms known from state (or makes the known rooms from imports
 * alone when the state is lost), so the planner keeps them in the configuration (its rule 1).
 * The repository name comes from the import id, which reconstruct spells as the configuration does.
 */
export function knownRoomsWithImports(
  known: KnownRooms | undefined,
  file: ImportsFile | undefined,
): KnownRooms | undefined {
  if (!file || file.imports.length === 0) return known;
  const rooms = new Map(known?.rooms ?? []);
  const courseRooms = new Map(known?.courseRooms ?? []);
  for (const e of file.imports) {
    const course = e.room !== undefined ? parseCourseRoomAddress(e.address) : undefined;
    if (course) {
      const prior = courseRooms.get(course.key);
      const room: KnownCourseRoom = prior
        ? { ...prior, kinds: new Set(prior.kinds), addresses: [...prior.addresses] }
        : { key: course.key, assignment: course.assignment, owner: course.owner, kinds: new Set(), addresses: [] };
      room.kinds.add(course.kind);
      if (!room.addresses.includes(e.address)) room.addresses.push(e.address);
      if (course.kind === 'repository' && room.repository === undefined) room.repository = e.id;
      courseRooms.set(course.key, room);
      continue;
    }
    const parsed = parseRoomAddress(e.address);
    if (!parsed) continue;
    const prior = rooms.get(parsed.handle);
    const room = prior
      ? { ...prior, kinds: new Set(prior.kinds), addresses: [...prior.addresses] }
      : { handle: parsed.handle, kinds: new Set<typeof parsed.kind>(), addresses: [] as string[] };
    room.kinds.add(parsed.kind);
    if (!room.addresses.includes(e.address)) room.addresses.push(e.address);
    if (parsed.kind === 'repository' && room.repository === undefined) room.repository = e.id;
    rooms.set(parsed.handle, room);
  }
  const source = known ? `${known.source} + imports` : `imports of cohort ${file.cohort_id}`;
  return courseRooms.size > 0 ? { source, rooms, courseRooms } : { source, rooms };
}

/** Every selected cohort's import entries from `dir` (no dir, or no file for a cohort: none). */
export function readImports(
  dir: string | undefined,
  cohortIds: readonly string[],
): { files: Map<string, ImportsFile>; errors: string[] } {
  const files = new Map<string, ImportsFile>();
  const errors: string[] = [];
  if (!dir) return { files, errors };
  for (const id of cohortIds) {
    try {
      const file = readImportsFile(dir, id);
      if (file) files.set(id, file);
    } catch (err) {
      errors.push(`cohort ${id}: import entries: ${(err as Error).message}`);
    }
  }
  return { files, errors };
}

/**
 * The rooms known per stack, from state and from import entries together. Only entries of learners
 * still in the roster count: a learner removed since reconstruct ran must not look like a room in
 * state (the planner would archive it and count it against the removal guard). An entry joins the
 * stack of the learner's recorded shard (shard 0 when none is recorded).
 */
export function mergeImportedRooms(
  known: ReadonlyMap<string, KnownRooms>,
  files: ReadonlyMap<string, ImportsFile>,
  roster: Pick<Roster, 'learners'> & Partial<Pick<Roster, 'cohorts'>>,
): Map<string, KnownRooms> {
  const shardOf = new Map(
    roster.learners.map((l) => [learnerKey(l.github_handle, l.cohort_id), l.provisioning.shard ?? 0]),
  );
  const out = new Map(known);
  for (const [id, file] of files) {
    const byStack = new Map<string, ImportEntry[]>();
    const roomShard = courseRoomShards(roster, id, shardOf);
    for (const e of file.imports) {
      const shard = e.room !== undefined ? roomShard(e.room) : shardOf.get(learnerKey(e.github_handle, e.cohort_id));
      if (shard === undefined) continue;
      const stack = stackName(id, shard);
      byStack.set(stack, [...(byStack.get(stack) ?? []), e]);
    }
    for (const [stack, imports] of byStack) {
      const merged = knownRoomsWithImports(out.get(stack), { ...file, imports });
      if (merged) out.set(stack, merged);
    }
  }
  return out;
}

/**
 * Where an imported course room joins the known rooms (synthesis/course-plan.ts's rule without
 * state): an individual room in its learner's recorded shard, a team's in the team's recorded shard,
 * else its first member's (in the roster; shard 0 when none). Undefined for a room the roster no longer has (its assignment, team or
 * learner gone): it must not look like a room in state.
 */
function courseRoomShards(
  roster: Pick<Roster, 'learners'> & Partial<Pick<Roster, 'cohorts'>>,
  cohortId: string,
  shardOf: ReadonlyMap<string, number>,
): (room: string) => number | undefined {
  const cohort = roster.cohorts?.find((c) => c.cohort_id === cohortId);
  return (room) => {
    const cut = room.indexOf('--');
    const assignment = cohort?.assignments?.find((a) => a.id === room.slice(0, cut));
    const owner = room.slice(cut + 2);
    if (!assignment) return undefined;
    if (isGroupAssignment(assignment)) {
      const team = (assignment.teams ?? []).find((t) => foldHandle(t.name) === owner);
      if (!team) return undefined;
      if (team.shard !== undefined) return team.shard;
      for (const m of team.members) {
        const s = shardOf.get(learnerKey(m, cohortId));
        if (s !== undefined) return s;
      }
      return 0;
    }
    return shardOf.get(learnerKey(owner, cohortId));
  };
}
