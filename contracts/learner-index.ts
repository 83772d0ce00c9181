/**
 * The learner index written by synthesis beside each stack's cdk.tf.json
 * (`cdktf.out/stacks/<cohort>/learners.json`). The post-step, the plan comment and reconstruction
 * read it to attribute Terraform changes to learners. The type, its writer and its reader.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write';
import { formatTextProblem, nestingBeyond, readUtf8File } from '../shared/text-input';
import { sameHandle } from '../roster/handle';

export const LEARNER_INDEX_FILE = 'learners.json';

export interface LearnerIndexEntry {
  github_handle: string;
  cohort_id: string;
  repository: string;
  /** true: the learner's resources are in this stack's configuration. */
  admitted: boolean;
  /** For a learner not admitted this run: why (budget, archive, ...), in words for the operator. */
  queued_reason?: string;
  /** true: left out on purpose because the room is being (or was) archived, not waiting for admission. */
  archived?: boolean;
  /**
   * For a learner waiting for admission: the position in the whole queue (1 first), the run that
   * admits them (1 = the next scheduled run) and, when the run's start was known, about when.
   */
  queue?: { position: number; run?: number; expected_at?: string };
  addresses: {
    /** In a course's stack (`course` below) these three are empty: the learner's rooms are listed there. */
    repository: string;
    collaborator: string;
    /** required file path -> address */
    files: Record<string, string>;
    /** Facilitators of a cohort without assignments: facilitator handle (lower case) -> their collaborator's address. */
    facilitators?: Record<string, string>;
    /** The facilitators' team's access to the room. */
    facilitator_team?: string;
  };
}

/** A member of a course's room: the learner, or each member of a team. */
export interface IndexedRoomMember {
  github_handle: string;
  /** The permission this configuration gives (push, pull after the cutoff, admin when handed over). */
  permission: string;
  /** When the member's write access ends (their extension, else the assignment's cutoff), ISO 8601. */
  cutoff?: string;
}

/** One room of a course (a cohort with assignments): an individual room or a team's. */
export interface IndexedRoom {
  /** `<assignment>--<owner>`, the Terraform name of its resources (contracts/room-addresses.ts). */
  key: string;
  assignment: string;
  /** A team's room: the team's name. */
  team?: string;
  repository: string;
  members: IndexedRoomMember[];
  /** true: the room's resources are in this stack's configuration. */
  admitted: boolean;
  /** true: admitted this run, to be created (not in state yet). */
  new?: boolean;
  /** What the last apply did not do yet (state differs): `access` (a cutoff, an extension, ...), `visibility`. */
  pending?: string[];
  /** An archived room state still holds: this run's apply archives it. */
  in_state?: boolean;
  queued_reason?: string;
  queue?: { position: number; run?: number; expected_at?: string };
  /** true: the room is being (or was) archived: its assignment, team or learners left, or the course ended. */
  archived?: boolean;
  addresses: {
    repository: string;
    collaborators: string;
    /** required file path -> address */
    files: Record<string, string>;
    /** With a feedback pull request. */
    branch?: string;
    pull_request?: string;
  };
}

/** What a course's stack holds besides its learners: the instant it was planned for, the assignments, the rooms. */
export interface CourseIndex {
  /** The instant synthesis planned for (`synth --at`), ISO 8601: cutoffs and the end of course are judged at it. */
  at: string;
  assignments: {
    id: string;
    title?: string;
    opens: string;
    due: string;
    cutoff?: string;
    team: boolean;
    feedback_pull_request: boolean;
  }[];
  facilitators?: { handles: string[]; team?: { id: number; slug?: string }; permission: string };
  end_of_course?: {
    at: string;
    mode: string;
    /** The removal guard's confirmation in the roster. */
    allow_mass_change: boolean;
    reached: boolean;
  };
  /** Every room of the stack (individual and team), in configuration order, then queued and archived ones. */
  rooms: IndexedRoom[];
}

export interface LearnerIndex {
  format_version: 1;
  cohort_id: string;
  /** Stack name, also the folder name under cdktf.out/stacks/: the cohort id for shard 0, `<cohort>.shard-<k>` for shard k (contracts/stack-names.ts). */
  stack: string;
  owner: string;
  learners: LearnerIndexEntry[];
  /** Present for a course (a cohort with assignments): its rooms. A learner's rooms are those listing them as a member. */
  course?: CourseIndex;
}

/** The course rooms a learner is a member of, in this stack. */
export function roomsOf(index: Pick<LearnerIndex, 'course'>, handle: string): IndexedRoom[] {
  return (index.course?.rooms ?? []).filter((r) => r.members.some((m) => sameHandle(m.github_handle, handle)));
}

/**
 * A learner synthesis left out of the configuration because the room is being archived (withdrawn,
 * or gone from the roster), as opposed to one waiting for admission.
 */
export function isArchivedEntry(entry: LearnerIndexEntry): boolean {
  return !entry.admitted && entry.archived === true;
}

/** Writes the index beside a stack's cdk.tf.json; returns the path written. */
export function writeLearnerIndex(stackDir: string, index: LearnerIndex): string {
  const path = join(stackDir, LEARNER_INDEX_FILE);
  writeFileAtomic(path, JSON.stringify(index, null, 2) + '\n');
  return path;
}

/** An index is 5 levels deep (document, learners, learner, addresses, files). */
const INDEX_MAX_DEPTH = 64;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and checks an index, listing every problem (with the learner it concerns) at once. */
export function parseLearnerIndex(text: string, source = 'learners.json'): LearnerIndex {
  const tooDeep = nestingBeyond(text, INDEX_MAX_DEPTH);
  if (tooDeep) throw new Error(`${formatTextProblem(source, tooDeep)}; expected a learner index`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not JSON (${(err as Error).message})`, { cause: err });
  }
  const problems: string[] = [];
  if (!isRecord(raw)) throw new Error(`${source}: expected a learner index object`);
  if (raw.format_version !== 1)
    problems.push(`format_version: expected 1, found ${JSON.stringify(raw.format_version)}`);
  for (const k of ['cohort_id', 'stack', 'owner'])
    if (typeof raw[k] !== 'string') problems.push(`${k}: expected a string`);
  if (!Array.isArray(raw.learners)) problems.push('learners: expected an array');
  else {
    raw.learners.forEach((l: unknown, i: number) => {
      const at = `learners[${i}]${isRecord(l) && typeof l.github_handle === 'string' ? ` (${l.github_handle})` : ''}`;
      if (!isRecord(l)) return problems.push(`${at}: expected an object`);
      for (const k of ['github_handle', 'cohort_id', 'repository'])
        if (typeof l[k] !== 'string') problems.push(`${at}.${k}: expected a string`);
      if (typeof l.admitted !== 'boolean') problems.push(`${at}.admitted: expected true or false`);
      const a = l.addresses;
      if (
        !isRecord(a) ||
        typeof a.repository !== 'string' ||
        typeof a.collaborator !== 'string' ||
        !isRecord(a.files)
      ) {
        problems.push(`${at}.addresses: expected {repository, collaborator, files}`);
      }
      return undefined;
    });
  }
  if (raw.course !== undefined) {
    const c = raw.course;
    if (!isRecord(c) || typeof c.at !== 'string' || !Array.isArray(c.rooms) || !Array.isArray(c.assignments))
      problems.push('course: expected {at, assignments, rooms}');
    else
      c.rooms.forEach((r: unknown, i: number) => {
        const at = `course.rooms[${i}]${isRecord(r) && typeof r.key === 'string' ? ` (${r.key})` : ''}`;
        if (!isRecord(r)) return problems.push(`${at}: expected an object`);
        for (const k of ['key', 'assignment', 'repository'])
          if (typeof r[k] !== 'string') problems.push(`${at}.${k}: expected a string`);
        if (typeof r.admitted !== 'boolean') problems.push(`${at}.admitted: expected true or false`);
        if (!Array.isArray(r.members) || !r.members.every((m) => isRecord(m) && typeof m.github_handle === 'string'))
          problems.push(`${at}.members: expected a list of {github_handle, permission}`);
        const a = r.addresses;
        if (
          !isRecord(a) ||
          typeof a.repository !== 'string' ||
          typeof a.collaborators !== 'string' ||
          !isRecord(a.files)
        )
          problems.push(`${at}.addresses: expected {repository, collaborators, files}`);
        return undefined;
      });
  }
  if (problems.length > 0)
    throw new Error(`${source}: not a valid learner index:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return raw as unknown as LearnerIndex;
}

export function readLearnerIndex(path: string): LearnerIndex {
  return parseLearnerIndex(readUtf8File(path), path);
}
