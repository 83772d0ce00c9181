/**
 * Rooms that exist according to Terraform state. Synthesis uses them so a room that an apply
 * created is never dropped from the configuration, even when the roster does not know it yet
 * (the apply crashed before the post-step recorded it): dropping it would archive a live room.
 *
 * Accepts both shapes Terraform gives: the raw state (`terraform state pull`, or the local
 * backend's file; "version": 4) and `terraform show -json` ("values.root_module").
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CourseResourceKind, parseCourseRoomAddress, parseRoomAddress, RoomResourceKind } from './room-addresses';
import { parseStackName } from './stack-names';

export interface KnownRoom {
  /** Lower-cased handle, as in the address. */
  handle: string;
  /** Repository name from the github_repository's attributes, when the repository is in state. */
  repository?: string;
  /** Kinds present in state for this learner. */
  kinds: Set<RoomResourceKind>;
  /** Every room address in state for this learner (repository, collaborator, files). */
  addresses: string[];
}

/** A course's room in state (docs/course.md), with what the end of course reads: who has which permission, the visibility. */
export interface KnownCourseRoom {
  /** `<assignment>--<owner>`. */
  key: string;
  assignment: string;
  /** Lower-cased handle or team name. */
  owner: string;
  repository?: string;
  kinds: Set<CourseResourceKind>;
  /** Every address in state for this room. */
  addresses: string[];
  /** The collaborators resource's users as state last saw them. */
  users?: { username: string; permission: string }[];
  /** The repository's visibility in state. */
  visibility?: string;
}

export interface KnownRooms {
  /** Where the state came from, for messages. */
  source: string;
  /** By lower-cased handle. */
  rooms: Map<string, KnownRoom>;
  /** A course's rooms, by room key (absent or empty for a cohort without assignments). */
  courseRooms?: Map<string, KnownCourseRoom>;
}

function usersOf(v: unknown): { username: string; permission: string }[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v
    .filter((u): u is { username: string; permission: string } => {
      const r = u as Record<string, unknown> | null;
      return typeof r?.username === 'string' && typeof r?.permission === 'string';
    })
    .map((u) => ({ username: u.username, permission: u.permission }));
}

interface RawStateResource {
  mode?: string;
  type?: string;
  name?: string;
  module?: string;
  instances?: { attributes?: Record<string, unknown> }[];
}

interface ShowJsonResource {
  address?: string;
  mode?: string;
  values?: Record<string, unknown>;
}

interface ShowJsonModule {
  resources?: ShowJsonResource[];
  child_modules?: ShowJsonModule[];
}

/** Parses state text; throws an Error naming `source` when it is neither shape. */
export function parseKnownRooms(text: string, source: string): KnownRooms {
  const rooms = new Map<string, KnownRoom>();
  const courseRooms = new Map<string, KnownCourseRoom>();
  if (text.trim() === '') return { source, rooms };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: expected Terraform state JSON, found unparsable text (${(err as Error).message})`, {
      cause: err,
    });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new Error(
      `${source}: expected a Terraform state object, found ${Array.isArray(doc) ? 'an array' : typeof doc}`,
    );
  }
  const d = doc as Record<string, unknown>;
  const addCourse = (address: string, attributes: Record<string, unknown> | undefined) => {
    const parsed = parseCourseRoomAddress(address);
    if (!parsed) return;
    let room = courseRooms.get(parsed.key);
    if (!room) {
      room = { key: parsed.key, assignment: parsed.assignment, owner: parsed.owner, kinds: new Set(), addresses: [] };
      courseRooms.set(parsed.key, room);
    }
    room.kinds.add(parsed.kind);
    if (!room.addresses.includes(address)) room.addresses.push(address);
    if (parsed.kind === 'repository') {
      if (typeof attributes?.name === 'string') room.repository = attributes.name;
      if (typeof attributes?.visibility === 'string') room.visibility = attributes.visibility;
    }
    if (parsed.kind === 'collaborators') {
      const users = usersOf(attributes?.user);
      if (users) room.users = users;
    }
  };
  const add = (address: string, attributes: Record<string, unknown> | undefined) => {
    const parsed = parseRoomAddress(address);
    if (!parsed) return addCourse(address, attributes);
    let room = rooms.get(parsed.handle);
    if (!room) {
      room = { handle: parsed.handle, kinds: new Set(), addresses: [] };
      rooms.set(parsed.handle, room);
    }
    room.kinds.add(parsed.kind);
    if (!room.addresses.includes(address)) room.addresses.push(address);
    if (parsed.kind === 'repository' && typeof attributes?.name === 'string') room.repository = attributes.name;
  };

  if (Array.isArray(d.resources)) {
    // Raw state: only root-module managed resources belong to our stacks.
    for (const r of d.resources as RawStateResource[]) {
      if (r.mode !== 'managed' || r.module || !r.type || !r.name) continue;
      for (const inst of r.instances ?? []) add(`${r.type}.${r.name}`, inst.attributes);
    }
    return known(source, rooms, courseRooms);
  }
  const values = d.values as { root_module?: ShowJsonModule } | undefined;
  if (values !== undefined || 'format_version' in d) {
    for (const r of values?.root_module?.resources ?? []) {
      if (r.mode === 'managed' && r.address) add(r.address, r.values);
    }
    return known(source, rooms, courseRooms);
  }
  if ('version' in d && !('resources' in d)) return { source, rooms };
  throw new Error(
    `${source}: expected Terraform state ("resources") or "terraform show -json" output ("values"), found neither`,
  );
}

/** Course rooms only when there are any, so a cohort without assignments reads as before. */
function known(source: string, rooms: Map<string, KnownRoom>, courseRooms: Map<string, KnownCourseRoom>): KnownRooms {
  return courseRooms.size > 0 ? { source, rooms, courseRooms } : { source, rooms };
}

/** Reads a state file when it exists; undefined when it does not (no state yet is not an error). */
export function readKnownRooms(path: string): KnownRooms | undefined {
  if (!existsSync(path)) return undefined;
  return parseKnownRooms(readFileSync(path, 'utf8'), path);
}

/**
 * A state folder's file names for a stack: raw state as the git backend keeps it, and what
 * `terraform state pull` or `show -json` wrote. Either shape may be in either file.
 */
export const STATE_FILE_SUFFIXES = ['.tfstate', '.tfstate.json'] as const;

/** Why `dir` cannot be a state folder (missing, or not a folder), or undefined. */
export function stateDirProblem(dir: string): string | undefined {
  if (!existsSync(dir))
    return `state folder ${dir}: expected a folder of <cohort>.tfstate or <cohort>.tfstate.json files, found nothing there`;
  if (!statSync(dir).isDirectory()) return `state folder ${dir}: expected a folder, found a file`;
  return undefined;
}

/**
 * Rooms known from a state folder, per stack: `<stack>.tfstate` or `<stack>.tfstate.json`; a stack
 * with neither has no state yet. A missing folder is an error: a wrong folder must not read as
 * "no state", which would plan every room as new and miss every archive.
 */
export function readStateDir(dir: string, stacks: readonly string[]): StateInputs {
  const problem = stateDirProblem(dir);
  if (problem) return { known: new Map(), errors: [problem] };
  return readStateFiles(stacks, (stack) => STATE_FILE_SUFFIXES.map((s) => join(dir, `${stack}${s}`)));
}

export interface StateInputs {
  known: Map<string, KnownRooms>;
  /** Every problem, each naming the cohort and the file. */
  errors: string[];
}

/** Per stack, the one of its candidate files that exists (none: no state yet; two: an error). */
export function readStateFiles(stacks: readonly string[], candidates: (stack: string) => string[]): StateInputs {
  const known = new Map<string, KnownRooms>();
  const errors: string[] = [];
  for (const stack of stacks) {
    // Shard 0 is the cohort's own stack; a shard k >= 1 is named as a stack.
    const where = `${parseStackName(stack).shard === 0 ? 'cohort' : 'stack'} ${stack}`;
    const present = candidates(stack).filter((p) => existsSync(p));
    if (present.length > 1) {
      errors.push(`${where}: state input: both ${present.join(' and ')} exist; keep the one that is current`);
      continue;
    }
    try {
      const rooms = present.length ? readKnownRooms(present[0]) : undefined;
      if (rooms) known.set(stack, rooms);
    } catch (err) {
      errors.push(`${where}: state input: ${(err as Error).message}`);
    }
  }
  return { known, errors };
}
