/**
 * The pure core of a course's synthesis (a cohort with assignments, docs/course.md): at the instant
 * synthesis plans for, which rooms exist or are due (one per open assignment and learner, or team),
 * who holds which permission in each (push until the cutoff, pull after it, admin when handed over),
 * which rooms are new and wait for admission, which are archived, and in which shard each lives.
 * cohort-plan.ts runs it for every course cohort and admits its new rooms with everyone else's.
 *
 * Shards count rooms: a learner's seat weighs one room per assignment of the course (individual or
 * group), so a shard of S rooms holds floor(S / assignments) learners. A learner's individual rooms
 * live in the learner's shard; a team's room lives where state has it, else in the team's recorded
 * shard, else in the shard of its first member (in the team's order) who has one: every member
 * reserved a room for each group assignment in their own shard, so the room always fits.
 */
import type { Assignment, CollaboratorPermission, Cohort, Learner, Team } from '../roster/types';
import { foldHandle } from '../roster/handle';
import {
  activeMembers,
  effectiveCutoff,
  endOfCourseReached,
  EndStep,
  facilitatorPermission,
  firstEndStep,
  hasOpened,
  isGroupAssignment,
  memberPermission,
} from '../roster/course';
import {
  courseCollaboratorsAddress,
  courseFileAddress,
  courseRoomKey,
  feedbackBranchAddress,
  feedbackPullRequestAddress,
} from '../contracts/room-addresses';
import type { KnownCourseRoom, KnownRooms } from '../contracts/terraform-state';
import type { NamedLearner } from '../contracts/room-names';
import { repositoryNameProblem } from '../contracts/room-names';
import { parseFullName, SETTINGS_ENV, SynthesisSettings } from '../contracts/settings';
import { stackName } from '../contracts/stack-names';
import type { CourseIndex } from '../contracts/learner-index';
import { contentCreationPerCourseRoom } from './cost-model';
import { assignShards } from './shards';
import { assignmentRoomName, assignmentRooms } from '../contracts/course-rooms';

export interface CourseMember {
  github_handle: string;
  permission: CollaboratorPermission;
  /** Their cutoff (extension, else the assignment's). */
  cutoff?: string;
}

export interface CourseRoomPlan {
  key: string;
  assignment: string;
  team?: string;
  repository: string;
  template: { owner: string; repository: string };
  requiredFiles: string[];
  feedback: boolean;
  visibility: 'private' | 'public';
  members: CourseMember[];
  /** existing: in state (or, without state, the roster says its learners were provisioned); new: admitted this run. */
  status: 'existing' | 'new';
  /** Where the end of course stands for this room. */
  step: EndStep;
  /**
   * What state (the last apply) does not have yet: the people's access (a cutoff passed, an extension,
   * a facilitator, a team change, a hand-over) or the visibility. The apply's scope plans the stack
   * for it: the configuration changes with time, not only with the roster (gitops/stack-scope.ts).
   */
  pending?: ('access' | 'visibility')[];
}

export interface CourseQueuedRoom {
  key: string;
  assignment: string;
  team?: string;
  repository: string;
  members: CourseMember[];
  reason: string;
  queue: { position: number; run?: number; expected_at?: string };
}

export type CourseArchiveReason = 'assignment-removed' | 'team-removed' | 'learners-left' | 'end-of-course';

export interface CourseArchivedRoom {
  key: string;
  assignment: string;
  team?: string;
  repository?: string;
  /** The learners the room was theirs (roster spelling when known). */
  members: string[];
  why: CourseArchiveReason;
  /** State shows the repository: this run's apply archives it. */
  inState: boolean;
}

export interface CourseLearnerEntry {
  github_handle: string;
  /** The learner has a room in this stack's configuration. */
  admitted: boolean;
  queued_reason?: string;
  queue?: { position: number; run?: number; expected_at?: string };
  archived?: boolean;
}

/** One stack's part of a course. */
export interface CoursePlan {
  /** The instant planned for (absent when only the roster was checked). */
  at?: string;
  assignments: CourseIndex['assignments'];
  facilitators?: { handles: string[]; team?: { id: number; slug?: string }; permission: CollaboratorPermission };
  endOfCourse?: { at: string; mode: string; allow_mass_change: boolean; reached: boolean };
  rooms: CourseRoomPlan[];
  queued: CourseQueuedRoom[];
  archived: CourseArchivedRoom[];
  learners: CourseLearnerEntry[];
}

/** A new room waiting for admission, in admission order. */
export interface CourseCandidate {
  room: CourseRoomPlan;
  /** Content-creating writes it costs. */
  cost: number;
  /** "@alice (a2-css)" or "team-1 (a3-project)", for the admission sentence. */
  label: string;
  /** The learner's handle, or the team's name. */
  owner: string;
  /** Lower-cased handles of its members, in the team's order. */
  memberKeys: string[];
  team?: Team;
  /** Admission order: assignment by assignment; a failed learner's room first, then roster (or team) order. */
  order: number;
}

interface Placed<T> {
  item: T;
  shard: number;
}

/** Everything about one course cohort while planning, turned into one CoursePlan per shard at the end. */
export interface CourseWork {
  cohort: Cohort;
  at?: Date;
  /** The learner seats a shard holds: floor(S / assignments). */
  seatsPerShard: number;
  /** Active learners (not withdrawn), by lower-cased handle, in roster order. */
  active: Map<string, Learner>;
  withdrawn: Learner[];
  /** Known shard of each learner (state, recorded, or a room made before shards). */
  learnerShard: Map<string, number>;
  /** Seats held per shard. */
  held: Map<number, number>;
  rooms: Placed<CourseRoomPlan>[];
  candidates: CourseCandidate[];
  queued: Placed<CourseQueuedRoom>[];
  archived: Placed<CourseArchivedRoom>[];
  forget: Placed<string[]>[];
  /** Course rooms in state per shard (the removal guard's denominator). */
  roomsInState: Map<number, number>;
  /** Learners with a reason to wait when they have no room at all (no assignment open yet). */
  waiting: string;
}

export interface CourseInput {
  cohort: Cohort;
  /** The cohort's learners, in roster order, with their index in the roster. */
  learners: { learner: Learner; index: number }[];
  states: Map<number, KnownRooms>;
  /** The instant to plan for; undefined: only the roster's own checks (validate), nothing opens. */
  at?: Date;
  settings: SynthesisSettings;
  /** Most rooms per shard (S). */
  shardRooms: number;
}

export interface CourseOutcome {
  work: CourseWork;
  errors: string[];
  warnings: string[];
  /** Every room's repository name, for the check that no two rooms share one. */
  named: NamedLearner[];
}

/** Once a room was made for a learner, the roster says so. */
const provisioned = (l: Learner) =>
  l.provisioning.state === 'provisioned' || l.provisioning.provisioned_at !== undefined;

/** Addresses of a room's resources other than its repository, from the scheme (when state cannot tell). */
export function courseRoomDependents(key: string, files: readonly string[], feedback: boolean): string[] {
  return [
    courseCollaboratorsAddress(key),
    ...files.map((f) => courseFileAddress(key, f)),
    ...(feedback ? [feedbackBranchAddress(key), feedbackPullRequestAddress(key)] : []),
  ];
}

const nonRepository = (room: KnownCourseRoom) => room.addresses.filter((a) => !a.startsWith('github_repository.'));

/** Has the end of course's first step reached state (every member admin, or the room public)? */
function firstStepInState(step: EndStep, room: KnownCourseRoom | undefined, members: Learner[]): boolean {
  if (!room) return false;
  if (step === 'publish') return room.visibility === 'public';
  if (step === 'hand-over') {
    const admins = new Set(
      (room.users ?? []).filter((u) => u.permission === 'admin').map((u) => foldHandle(u.username)),
    );
    return members.length > 0 && members.every((m) => admins.has(foldHandle(m.github_handle)));
  }
  return true;
}

export function planCourse(input: CourseInput): CourseOutcome {
  const { cohort, states, at, settings } = input;
  const id = cohort.cohort_id;
  const errors: string[] = [];
  const warnings: string[] = [];
  const named: NamedLearner[] = [];
  const assignments = cohort.assignments ?? [];
  const seatsPerShard = Math.max(1, Math.floor(input.shardRooms / Math.max(1, assignments.length)));

  // Rooms in state, and where (a room in two states is an error: one of them would archive it).
  const inState = new Map<string, { shard: number; room: KnownCourseRoom }>();
  const roomsInState = new Map<number, number>();
  for (const [shard, known] of [...states].sort((a, b) => a[0] - b[0])) {
    for (const room of known.courseRooms?.values() ?? []) {
      const other = inState.get(room.key);
      if (other)
        errors.push(
          `cohort ${id}: room ${room.key} has resources in the state of two stacks, ${stackName(id, other.shard)} and ${stackName(id, shard)}: move them into one (terraform state mv) before synthesizing`,
        );
      else inState.set(room.key, { shard, room });
      if (room.kinds.has('repository')) roomsInState.set(shard, (roomsInState.get(shard) ?? 0) + 1);
    }
  }
  const stateGiven = states.size > 0;

  const active = new Map<string, Learner>();
  const withdrawn: Learner[] = [];
  for (const { learner, index } of input.learners) {
    const key = foldHandle(learner.github_handle);
    if (active.has(key) || withdrawn.some((w) => foldHandle(w.github_handle) === key)) {
      errors.push(`learners[${index}] "${learner.github_handle}": already in cohort ${id}`);
      continue;
    }
    if (learner.provisioning.state === 'archived') withdrawn.push(learner);
    else active.set(key, learner);
  }

  // A learner's shard: where state has their individual rooms, else the recorded one, else 0 for a learner provisioned before shards.
  const individual = assignments.filter((a) => !isGroupAssignment(a));
  const learnerShard = new Map<string, number>();
  const held = new Map<number, number>();
  for (const [key, learner] of active) {
    const located = new Set<number>();
    for (const a of individual) {
      const s = inState.get(courseRoomKey(a.id, key));
      if (s) located.add(s.shard);
    }
    if (located.size > 1)
      errors.push(
        `cohort ${id}: learner "${learner.github_handle}" has rooms in the state of ${[...located].map((s) => stackName(id, s)).join(' and ')}: move them into one (terraform state mv) before synthesizing`,
      );
    const at0 = located.size > 0 ? Math.min(...located) : undefined;
    const recorded = learner.provisioning.shard;
    if (at0 !== undefined && recorded !== undefined && recorded !== at0)
      warnings.push(
        `cohort ${id}: learner "${learner.github_handle}" is recorded in shard ${recorded}, but their rooms are in the state of ${stackName(id, at0)}: they stay there (the next apply records shard ${at0})`,
      );
    const shard = at0 ?? recorded ?? (provisioned(learner) ? 0 : undefined);
    if (shard !== undefined) {
      learnerShard.set(key, shard);
      held.set(shard, (held.get(shard) ?? 0) + 1);
    }
  }

  const work: CourseWork = {
    cohort,
    at,
    seatsPerShard,
    active,
    withdrawn,
    learnerShard,
    held,
    rooms: [],
    candidates: [],
    queued: [],
    archived: [],
    forget: [],
    roomsInState,
    waiting: waitingReason(assignments, at),
  };

  const facilitators = cohort.facilitators;
  const people = (facilitators?.handles ?? []).length;
  const ended = at !== undefined && endOfCourseReached(cohort, at);
  const mode = cohort.end_of_course?.mode ?? 'archive';
  const matched = new Set<string>();
  const teamShard = (team: Team | undefined, memberKeys: string[]): number | undefined => {
    if (team?.shard !== undefined) return team.shard;
    for (const k of memberKeys) if (learnerShard.has(k)) return learnerShard.get(k);
    return undefined;
  };

  assignments.forEach((a, ai) => {
    const templateName = a.template ?? cohort.template ?? settings.templateRepo;
    const template = parseFullName(templateName);
    if (!template)
      errors.push(`cohort ${id}: assignment ${a.id}: template: expected "owner/repository", found "${templateName}"`);
    const requiredFiles = [...(a.required_files ?? cohort.required_files ?? [])];
    const feedback = a.feedback_pull_request === true;
    const opened = at !== undefined && hasOpened(a, at);
    for (const o of assignmentRooms(id, a, active)) {
      const st = inState.get(o.key);
      const repository = st?.room.repository ?? o.repository;
      const label = o.team ? `${o.owner} (${a.id})` : `@${o.owner} (${a.id})`;
      const problem = repositoryNameProblem(repository);
      if (problem) {
        errors.push(`cohort ${id}: assignment ${a.id}: room of ${label}: repository name: ${problem}`);
        continue;
      }
      named.push({ github_handle: label, cohort_id: id, repository });
      const memberKeys = o.members.map((m) => foldHandle(m.github_handle));
      const repoInState = st?.room.kinds.has('repository') ?? false;
      const exists = repoInState || (!stateGiven && opened && o.members.some(provisioned));
      if (!opened && !st) continue;
      matched.add(o.key);
      const home = st?.shard ?? (o.team ? teamShard(o.team, memberKeys) : learnerShard.get(memberKeys[0]));
      let step: EndStep = 'running';
      if (ended) {
        if (!exists) {
          // No new room after the end of course; a partial room's leftovers are forgotten.
          if (st) {
            work.archived.push({
              item: {
                key: o.key,
                assignment: a.id,
                ...(o.team ? { team: o.owner } : {}),
                repository,
                members: o.members.map((m) => m.github_handle),
                why: 'end-of-course',
                inState: false,
              },
              shard: st.shard,
            });
            work.forget.push({ item: nonRepository(st.room), shard: st.shard });
          }
          continue;
        }
        const first = firstEndStep(mode);
        step = first !== 'archive' && firstStepInState(first, st?.room, o.members) ? 'archive' : first;
        if (step === 'archive') {
          const shard = home ?? 0;
          work.archived.push({
            item: {
              key: o.key,
              assignment: a.id,
              ...(o.team ? { team: o.owner } : {}),
              repository,
              members: o.members.map((m) => m.github_handle),
              why: 'end-of-course',
              inState: repoInState,
            },
            shard,
          });
          work.forget.push({
            item: st ? nonRepository(st.room) : courseRoomDependents(o.key, requiredFiles, feedback),
            shard,
          });
          continue;
        }
      }
      const members: CourseMember[] = o.members.map((m) => {
        const cutoff = effectiveCutoff(a, m);
        return {
          github_handle: m.github_handle,
          permission: memberPermission(cutoff, at ?? new Date(0), step),
          ...(cutoff !== undefined ? { cutoff } : {}),
        };
      });
      const room: CourseRoomPlan = {
        key: o.key,
        assignment: a.id,
        ...(o.team ? { team: o.owner } : {}),
        repository,
        template: template ?? { owner: settings.owner, repository: 'invalid' },
        requiredFiles,
        feedback,
        visibility: step === 'publish' ? 'public' : 'private',
        members,
        status: exists ? 'existing' : 'new',
        step,
      };
      if (exists) {
        const pending = pendingChanges(room, st?.room, facilitators);
        work.rooms.push({ item: pending.length > 0 ? { ...room, pending } : room, shard: home ?? 0 });
        continue;
      }
      work.candidates.push({
        room,
        cost: contentCreationPerCourseRoom({
          files: requiredFiles.length,
          people: o.members.length + people,
          team: facilitators?.team !== undefined,
          feedback,
        }),
        label,
        owner: o.owner,
        memberKeys,
        ...(o.team ? { team: o.team } : {}),
        order: ai * 1_000_000 + (o.members.some((m) => m.provisioning.state === 'failed') ? 0 : 500_000) + o.order,
      });
    }
  });
  work.candidates.sort((x, y) => x.order - y.order);

  // Rooms in state the course no longer has: archived, their dependents forgotten (the work and read access stay).
  const byId = new Map(assignments.map((a) => [a.id, a]));
  for (const [key, { shard, room }] of inState) {
    if (matched.has(key)) continue;
    const a = byId.get(room.assignment);
    const team = a?.teams?.find((t) => t.name === room.owner);
    const why: CourseArchiveReason = !a
      ? 'assignment-removed'
      : isGroupAssignment(a) && !team
        ? 'team-removed'
        : 'learners-left';
    const learner =
      a && !isGroupAssignment(a)
        ? input.learners.find((l) => foldHandle(l.learner.github_handle) === room.owner)
        : undefined;
    work.archived.push({
      item: {
        key,
        assignment: room.assignment,
        ...(a && isGroupAssignment(a) ? { team: room.owner } : {}),
        ...(room.repository ? { repository: room.repository } : {}),
        members: team ? team.members : [learner?.learner.github_handle ?? room.owner],
        why,
        inState: room.kinds.has('repository'),
      },
      shard,
    });
    work.forget.push({ item: nonRepository(room), shard });
  }
  // A withdrawn learner's rooms without state input: forgotten by the scheme until the post-step records the archive.
  if (!stateGiven && at !== undefined) {
    for (const l of withdrawn) {
      if (l.provisioning.last_outcome === 'archived') continue;
      const shard = l.provisioning.shard ?? 0;
      for (const a of individual) {
        if (!hasOpened(a, at)) continue;
        const key = courseRoomKey(a.id, l.github_handle);
        const files = [...(a.required_files ?? cohort.required_files ?? [])];
        work.archived.push({
          item: {
            key,
            assignment: a.id,
            repository: assignmentRoomName(id, a, l.github_handle),
            members: [l.github_handle],
            why: 'learners-left',
            inState: false,
          },
          shard,
        });
        work.forget.push({ item: courseRoomDependents(key, files, a.feedback_pull_request === true), shard });
      }
    }
  }

  const guard = endOfCourseGuard(cohort, [...active.values()], settings);
  if (guard) errors.push(guard);
  return { work, errors, warnings, named };
}

/** What the configuration of an existing room changes against state (nothing when state is unknown). */
function pendingChanges(
  room: CourseRoomPlan,
  known: KnownCourseRoom | undefined,
  facilitators: Cohort['facilitators'],
): ('access' | 'visibility')[] {
  if (!known) return [];
  const out: ('access' | 'visibility')[] = [];
  const permission = facilitatorPermission(facilitators);
  const wanted = [
    ...room.members.map((m) => `${foldHandle(m.github_handle)}:${m.permission}`),
    ...(facilitators?.handles ?? []).map((h) => `${foldHandle(h)}:${permission}`),
  ].sort();
  const have = (known.users ?? []).map((u) => `${foldHandle(u.username)}:${u.permission}`).sort();
  if (known.users !== undefined && wanted.join() !== have.join()) out.push('access');
  if (known.visibility !== undefined && known.visibility !== room.visibility) out.push('visibility');
  return out;
}

/** Why learners have no room yet: the first assignment still to open, or none declared. */
function waitingReason(assignments: readonly Assignment[], at: Date | undefined): string {
  const next = assignments
    .filter((a) => at === undefined || !hasOpened(a, at))
    .sort((x, y) => Date.parse(x.opens) - Date.parse(y.opens))[0];
  if (assignments.length === 0) return 'waiting: the course has no assignments yet';
  return next
    ? `waiting: no assignment open yet (${next.id} opens ${next.opens})`
    : 'waiting: no room of this learner in this stack';
}

/**
 * The removal guard's confirmation for the end of course, checked whenever one is declared (not only
 * once it is reached), so the pull request that declares it is refused rather than the scheduled run
 * at the end: changing every room at once needs `allow_mass_change` (or LEARNING_ROOMS_ALLOW_MASS_ARCHIVE).
 */
export function endOfCourseGuard(
  cohort: Cohort,
  active: readonly Learner[],
  settings: Pick<SynthesisSettings, 'removalGuardShare' | 'removalGuardMinimum' | 'allowMassArchive'>,
): string | undefined {
  const end = cohort.end_of_course;
  if (!end || end.allow_mass_change === true || settings.allowMassArchive) return undefined;
  const activeKeys = new Map(active.map((l) => [foldHandle(l.github_handle), l]));
  let rooms = 0;
  for (const a of cohort.assignments ?? []) {
    if (isGroupAssignment(a)) rooms += (a.teams ?? []).filter((t) => activeMembers(t, activeKeys).length > 0).length;
    else rooms += active.length;
  }
  if (rooms <= settings.removalGuardMinimum || rooms <= settings.removalGuardShare * rooms) return undefined;
  const what =
    end.mode === 'archive'
      ? 'archives'
      : end.mode === 'hand-over'
        ? 'hands over (learners made admin, then archived)'
        : 'publishes (made public, then archived)';
  return (
    `cohort ${cohort.cohort_id}: end_of_course (${end.mode} at ${end.at}) ${what} all ${rooms} rooms of the course at once, more than the removal guard allows ` +
    `(${Math.round(settings.removalGuardShare * 100)}% per ${SETTINGS_ENV.removalGuardShare}, or at most ${settings.removalGuardMinimum} per ${SETTINGS_ENV.removalGuardMinimum}). ` +
    `If that is the plan, confirm it in the roster: "end_of_course": { ..., "allow_mass_change": true } (or run with ${SETTINGS_ENV.allowMassArchive}=true).`
  );
}

/**
 * This run's admission for a course: the first `taken` candidates get their rooms (and, when new, a
 * shard: a learner the lowest shard with a free seat; a team room its first member's); the others
 * wait in the queue with their place (`placed`, by room key).
 */
export function admitCourse(
  work: CourseWork,
  taken: number,
  placed: (key: string) => { position: number; run?: number; expected_at?: string } | undefined,
  reason: string,
): void {
  const seat = (key: string): number => {
    const known = work.learnerShard.get(key);
    if (known !== undefined) return known;
    const shard = assignShards(work.held, [key], work.seatsPerShard).get(key) ?? 0;
    work.learnerShard.set(key, shard);
    work.held.set(shard, (work.held.get(shard) ?? 0) + 1);
    return shard;
  };
  const teamHome = (c: CourseCandidate): number => {
    if (c.team?.shard !== undefined) return c.team.shard;
    for (const k of c.memberKeys) if (work.learnerShard.has(k)) return work.learnerShard.get(k) ?? 0;
    return seat(c.memberKeys[0]);
  };
  work.candidates.forEach((c, i) => {
    if (i < taken) {
      const shard = c.team ? teamHome(c) : seat(c.memberKeys[0]);
      work.rooms.push({ item: { ...c.room, status: 'new' }, shard });
      return;
    }
    const shard = c.team
      ? (c.team.shard ?? c.memberKeys.map((k) => work.learnerShard.get(k)).find((s) => s !== undefined) ?? 0)
      : (work.learnerShard.get(c.memberKeys[0]) ?? 0);
    work.queued.push({
      item: {
        key: c.room.key,
        assignment: c.room.assignment,
        ...(c.room.team ? { team: c.room.team } : {}),
        repository: c.room.repository,
        members: c.room.members,
        reason,
        queue: placed(c.room.key) ?? { position: 0 },
      },
      shard,
    });
  });
}

/** The shards a course's work touches. */
export function courseShards(work: CourseWork): number[] {
  const shards = new Set<number>([
    ...work.rooms.map((r) => r.shard),
    ...work.queued.map((r) => r.shard),
    ...work.archived.map((r) => r.shard),
    ...work.learnerShard.values(),
  ]);
  return [...shards];
}

const ORDER = (a: { item: { key: string } }, b: { item: { key: string } }, assignments: string[]) => {
  const [ax] = a.item.key.split('--');
  const [bx] = b.item.key.split('--');
  return assignments.indexOf(ax) - assignments.indexOf(bx);
};

/** Why a room is archived, in words for the learner index. */
export const ARCHIVE_WORDS: Record<CourseArchiveReason, string> = {
  'assignment-removed': 'the assignment left the roster; the room is archived, its files and collaborators stay',
  'team-removed': 'the team left the roster; the room is archived, its files and collaborators stay',
  'learners-left': 'no learner of the room is in the roster any more; the room is archived, its work stays',
  'end-of-course': 'end of course: the rooms are archived, the work stays',
};

/** One stack's part of the course: its rooms, queue, archives and learners. */
export function courseStackPlan(
  work: CourseWork,
  shard: number,
): { course: CoursePlan; forget: string[]; roomsInState: number } {
  const { cohort } = work;
  const ids = (cohort.assignments ?? []).map((a) => a.id);
  const stable = <T extends { item: { key: string } }>(list: T[]) =>
    list
      .map((x, i) => ({ x, i }))
      .sort((p, q) => ORDER(p.x, q.x, ids) || p.i - q.i)
      .map((p) => p.x);
  const rooms = stable(work.rooms.filter((r) => r.shard === shard)).map((r) => r.item);
  const queued = stable(work.queued.filter((r) => r.shard === shard)).map((r) => r.item);
  const archived = work.archived.filter((r) => r.shard === shard).map((r) => r.item);

  // Learners: everyone with a room here (configured, queued, archived), and those whose seat is here with no room anywhere.
  const anywhere = new Set<string>();
  for (const r of [...work.rooms, ...work.queued])
    for (const m of r.item.members) anywhere.add(foldHandle(m.github_handle));
  const learners: CourseLearnerEntry[] = [];
  const listed = new Set<string>();
  const spelled = (key: string) =>
    work.active.get(key)?.github_handle ??
    work.withdrawn.find((w) => foldHandle(w.github_handle) === key)?.github_handle ??
    key;
  for (const [key, l] of work.active) {
    const here = rooms.some((r) => r.members.some((m) => foldHandle(m.github_handle) === key));
    const waiting = queued.find((r) => r.members.some((m) => foldHandle(m.github_handle) === key));
    const gone = archived.find((r) => r.members.some((m) => foldHandle(m) === key));
    const home = work.learnerShard.get(key) ?? 0;
    if (here) learners.push({ github_handle: l.github_handle, admitted: true });
    else if (waiting)
      learners.push({
        github_handle: l.github_handle,
        admitted: false,
        queued_reason: waiting.reason,
        queue: waiting.queue,
      });
    else if (gone)
      learners.push({
        github_handle: l.github_handle,
        admitted: false,
        queued_reason: ARCHIVE_WORDS[gone.why],
        archived: true,
      });
    else if (home === shard && !anywhere.has(key))
      learners.push({ github_handle: l.github_handle, admitted: false, queued_reason: work.waiting });
    else continue;
    listed.add(key);
  }
  for (const l of work.withdrawn) {
    const key = foldHandle(l.github_handle);
    const inArchive = archived.some((r) => r.members.some((m) => foldHandle(m) === key));
    if (!inArchive && (l.provisioning.shard ?? 0) !== shard) continue;
    listed.add(key);
    learners.push({
      github_handle: l.github_handle,
      admitted: false,
      queued_reason: 'provisioning.state is "archived"; the rooms are archived, their files and collaborators stay',
      archived: true,
    });
  }
  // Learners who left the roster appear only as the members of their archived rooms.
  for (const r of archived)
    for (const m of r.members) {
      const key = foldHandle(m);
      if (listed.has(key)) continue;
      listed.add(key);
      learners.push({
        github_handle: spelled(key),
        admitted: false,
        queued_reason: 'no longer in the roster; the rooms are archived, their files and collaborators stay',
        archived: true,
      });
    }

  const end = cohort.end_of_course;
  const f = cohort.facilitators;
  return {
    course: {
      ...(work.at ? { at: work.at.toISOString() } : {}),
      assignments: (cohort.assignments ?? []).map((a) => ({
        id: a.id,
        ...(a.title ? { title: a.title } : {}),
        opens: a.opens,
        due: a.due,
        ...(a.cutoff ? { cutoff: a.cutoff } : {}),
        team: isGroupAssignment(a),
        feedback_pull_request: a.feedback_pull_request === true,
      })),
      ...(f
        ? {
            facilitators: {
              handles: [...(f.handles ?? [])],
              ...(f.team ? { team: { ...f.team } } : {}),
              permission: facilitatorPermission(f),
            },
          }
        : {}),
      ...(end
        ? {
            endOfCourse: {
              at: end.at,
              mode: end.mode,
              allow_mass_change: end.allow_mass_change === true,
              reached: work.at !== undefined && endOfCourseReached(cohort, work.at),
            },
          }
        : {}),
      rooms,
      queued,
      archived,
      learners,
    },
    forget: work.forget.filter((x) => x.shard === shard).flatMap((x) => x.item),
    roomsInState: work.roomsInState.get(shard) ?? 0,
  };
}
