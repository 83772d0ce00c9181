/**
 * Which learner a Terraform resource belongs to. One resolver serves the plan comment and the
 * post-step, so both attribute a change to the same learner.
 *
 * Order, most to least authoritative:
 * 1. the learner index's own address lists (exact address),
 * 2. the project's address scheme (`parseRoomAddress`),
 * 3. the repository name the resource carries (`name` of a repository, `repository` of its
 *    collaborator and files), looked up in the index,
 * 4. without an index entry: the collaborator of that repository in the same plan, whose
 *    `username` is the learner's handle (covers a learner removed from the roster, and
 *    configurations synthesized under another address scheme).
 */
import {
  LearnerResourceKind,
  parseCourseRoomAddress,
  parseRoomAddress,
  RESOURCE_TYPES,
  RoomResourceKind,
} from '../contracts/room-addresses';
import type { IndexedRoom, LearnerIndex, LearnerIndexEntry } from '../contracts/learner-index';
import type { ResourceChange, ResourceValues, TerraformPlanJson } from '../contracts/terraform-plan';
import { foldHandle } from '../roster/handle';

export interface Attribution {
  /** Lower-cased handle: the learner's identity within a cohort. */
  key: string;
  /** Handle as the roster spells it when known (index or collaborator username). */
  handle: string;
  kind: RoomResourceKind;
  repository?: string;
  entry?: LearnerIndexEntry;
  /** A course's room (docs/course.md) the resource belongs to: a team room's resource belongs to every member. */
  room?: IndexedRoom;
}

const KIND_BY_TYPE = new Map<string, RoomResourceKind>(
  (Object.keys(RESOURCE_TYPES) as LearnerResourceKind[]).map((k) => [RESOURCE_TYPES[k], k]),
);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The repository name a resource refers to, from whichever side of the change exists. */
export function repositoryOf(type: string, values: (ResourceValues | null | undefined)[]): string | undefined {
  const field = type === RESOURCE_TYPES.repository ? 'name' : 'repository';
  for (const v of values) {
    const s = v ? str(v[field]) : undefined;
    if (s) return s;
  }
  return undefined;
}

export class LearnerAttributor {
  private readonly byAddress = new Map<string, { entry: LearnerIndexEntry; kind: RoomResourceKind }>();
  private readonly byHandle = new Map<string, LearnerIndexEntry>();
  private readonly byRepository = new Map<string, LearnerIndexEntry>();
  /** repository name (lower) -> collaborator username seen in the plan or its prior state. */
  private readonly usernameByRepository = new Map<string, string>();
  private readonly cache = new Map<string, Attribution | undefined>();
  private readonly priorState: Map<string, ResourceValues>;
  /** A course's resources: address -> its room and kind. */
  private readonly byRoomAddress = new Map<string, { room: IndexedRoom; kind: RoomResourceKind }>();
  private readonly rooms = new Map<string, IndexedRoom>();

  constructor(
    readonly index: LearnerIndex | undefined,
    plan?: TerraformPlanJson,
  ) {
    for (const entry of index?.learners ?? []) {
      this.byHandle.set(foldHandle(entry.github_handle), entry);
      // A course's learners have no room of their own (their rooms are in index.course).
      if (entry.repository === '') continue;
      this.byRepository.set(entry.repository.toLowerCase(), entry);
      this.byAddress.set(entry.addresses.repository, { entry, kind: 'repository' });
      this.byAddress.set(entry.addresses.collaborator, { entry, kind: 'collaborator' });
      for (const address of Object.values(entry.addresses.files)) this.byAddress.set(address, { entry, kind: 'file' });
      for (const address of Object.values(entry.addresses.facilitators ?? {}))
        this.byAddress.set(address, { entry, kind: 'facilitator' });
      if (entry.addresses.facilitator_team)
        this.byAddress.set(entry.addresses.facilitator_team, { entry, kind: 'facilitator-team' });
    }
    for (const room of index?.course?.rooms ?? []) {
      this.rooms.set(room.key, room);
      const a = room.addresses;
      this.byRoomAddress.set(a.repository, { room, kind: 'repository' });
      this.byRoomAddress.set(a.collaborators, { room, kind: 'collaborators' });
      for (const address of Object.values(a.files)) this.byRoomAddress.set(address, { room, kind: 'file' });
      if (a.branch) this.byRoomAddress.set(a.branch, { room, kind: 'branch' });
      if (a.pull_request) this.byRoomAddress.set(a.pull_request, { room, kind: 'pull-request' });
    }
    this.priorState = plan?.prior_state ?? new Map();
    if (plan) {
      const learnUsername = (values: ResourceValues | null | undefined) => {
        const repo = values ? str(values.repository) : undefined;
        const user = values ? str(values.username) : undefined;
        if (repo && user) this.usernameByRepository.set(repo.toLowerCase(), user);
      };
      for (const c of [...plan.resource_changes, ...plan.resource_drift]) {
        if (c.type !== RESOURCE_TYPES.collaborator) continue;
        learnUsername(c.change.before);
        learnUsername(c.change.after);
      }
      for (const [address, values] of plan.prior_state) {
        if (address.startsWith(`${RESOURCE_TYPES.collaborator}.`)) learnUsername(values);
      }
    }
  }

  private fromEntry(entry: LearnerIndexEntry, kind: RoomResourceKind): Attribution {
    return {
      key: foldHandle(entry.github_handle),
      handle: entry.github_handle,
      kind,
      repository: entry.repository,
      entry,
    };
  }

  /**
   * Attribution from the address alone: index lists, the address scheme, then (for an address the
   * plan no longer lists, such as a resource an errored plan dropped) its values in the prior state.
   */
  attributeAddress(address: string): Attribution | undefined {
    const course = this.attributeCourse(address);
    if (course) return course[0];
    const listed = this.byAddress.get(address);
    if (listed) return this.fromEntry(listed.entry, listed.kind);
    const parsed = parseRoomAddress(address);
    if (parsed) {
      const entry = this.byHandle.get(parsed.handle);
      if (entry) return this.fromEntry(entry, parsed.kind);
      return { key: parsed.handle, handle: parsed.handle, kind: parsed.kind };
    }
    const prior = this.priorState.get(address);
    return prior ? this.byRepositoryName(address.split('.')[0], [prior]) : undefined;
  }

  /**
   * Every learner a course's resource belongs to (a team room's: each member), from the index, else
   * from the address (an individual room's owner is the learner); undefined when it is not a course's.
   */
  attributeCourse(address: string): Attribution[] | undefined {
    const listed = this.byRoomAddress.get(address);
    const parsed = listed ? undefined : parseCourseRoomAddress(address);
    if (!listed && !parsed) return undefined;
    const room = listed?.room ?? (parsed ? this.rooms.get(parsed.key) : undefined);
    const kind: RoomResourceKind = listed?.kind ?? (parsed?.kind as RoomResourceKind);
    if (!room) {
      // Not in the index (a room only state knows): its owner, a handle for an individual room.
      const owner = parsed?.owner ?? address;
      const entry = this.byHandle.get(owner);
      return [entry ? { ...this.fromEntry(entry, kind), repository: undefined } : { key: owner, handle: owner, kind }];
    }
    return room.members.map((m) => {
      const entry = this.byHandle.get(foldHandle(m.github_handle));
      return {
        key: foldHandle(m.github_handle),
        handle: entry?.github_handle ?? m.github_handle,
        kind,
        ...(room.repository ? { repository: room.repository } : {}),
        ...(entry ? { entry } : {}),
        room,
      };
    });
  }

  /** Every learner a planned change belongs to: one for a learner's room, each member for a team room. */
  attributeAll(change: ResourceChange): Attribution[] {
    const course = this.attributeCourse(change.address);
    if (course) return course;
    const one = this.attribute(change);
    return one ? [one] : [];
  }

  /** Attribution of a planned change: by address first, by the repository it names second. */
  attribute(change: ResourceChange): Attribution | undefined {
    const course = this.attributeCourse(change.address);
    if (course) return course[0];
    if (this.cache.has(change.address)) return this.cache.get(change.address);
    const result = this.resolve(change);
    this.cache.set(change.address, result);
    return result;
  }

  private resolve(change: ResourceChange): Attribution | undefined {
    const values = [change.change.after, change.change.before];
    const listed = this.byAddress.get(change.address);
    const parsed = listed ? undefined : parseRoomAddress(change.address);
    if (listed || parsed) {
      const who = this.attributeAddress(change.address) as Attribution;
      if (!who.repository) {
        const repository = repositoryOf(change.type, values);
        if (repository) who.repository = repository;
      }
      return who;
    }
    return this.byRepositoryName(change.type, values);
  }

  private byRepositoryName(type: string, values: (ResourceValues | null)[]): Attribution | undefined {
    const kind = KIND_BY_TYPE.get(type);
    if (!kind) return undefined;
    const repository = repositoryOf(type, values);
    if (!repository) return undefined;
    const entry = this.byRepository.get(repository.toLowerCase());
    if (entry) return this.fromEntry(entry, kind);
    const username = this.usernameByRepository.get(repository.toLowerCase());
    if (!username) return undefined;
    const indexed = this.byHandle.get(foldHandle(username));
    if (indexed) return { ...this.fromEntry(indexed, kind), repository };
    return { key: foldHandle(username), handle: username, kind, repository };
  }
}
