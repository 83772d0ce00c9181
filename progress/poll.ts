/**
 * One progress poll: choose the learners, read their rooms, derive each status and fold the
 * results into the roster and the report. The folding (applyOutcomes) is pure; a room that could
 * not be read keeps its learner's previous status and records why, so no failure loses anyone.
 */
import { learnerKey, upsertLearners } from '../roster';
import type { LearnerPatch } from '../roster';
import { isCourse } from '../roster/course';
import { foldHandle } from '../roster/handle';
import type { Cohort, Learner, ProgressStatus, Roster } from '../roster/types';
import { currentAssignment, learnerCourseRooms } from './course';
import type { CourseRoom } from './course';
import { deriveProgress } from './derive';
import { membershipKey } from './reader';
import type { RoomOutcome, RoomRequest } from './reader';
import { AssignmentRecord, buildReport, LearnerRecord, ProgressReport } from './report';
import { challengeLabel, cohortOf, roomName } from './rooms';

/** A course room to read: its reader id is the room's, shared by a team's members. */
export interface CourseRoomTarget extends CourseRoom {
  id: string;
}

export interface PollTarget {
  id: string;
  learner: Learner;
  cohort: Cohort | undefined;
  owner: string;
  /** The learner's one room; for a course's learner, the first of `rooms`. */
  name: string;
  /** A course's learner: the rooms of their open assignments (progress/course.ts). */
  rooms?: CourseRoomTarget[];
}

/** The reader id of a course room: one read per room, whoever's rooms it is. */
export function courseRoomId(owner: string, name: string): string {
  return `room:${owner}/${name}`.toLowerCase();
}

/**
 * Whether a learner has (or had) a room to read: provisioned, archived, or provisioned once and
 * failed since. A learner still waiting for a room is not polled: "room-missing" would only be noise.
 */
export function hasRoom(learner: Learner): boolean {
  const p = learner.provisioning;
  return p.state === 'provisioned' || p.state === 'archived' || p.provisioned_at !== undefined;
}

/** The provisioned learners of the chosen cohorts (all cohorts when none is named), or the unknown cohort ids. */
export function selectTargets(
  roster: Roster,
  owner: string,
  cohortIds: string[] = [],
  defaultPattern?: string,
  /** The instant a course's open assignments are judged at (the poll's time). */
  at: Date = new Date(),
): { targets: PollTarget[]; errors: string[] } {
  const known = new Set(roster.cohorts.map((c) => c.cohort_id));
  const errors = cohortIds
    .filter((c) => !known.has(c))
    .map((c) => `cohort "${c}" is not in the roster (cohorts: ${[...known].sort().join(', ') || 'none'})`);
  const wanted = cohortIds.length > 0 ? new Set(cohortIds) : known;
  const targets: PollTarget[] = [];
  for (const learner of roster.learners) {
    if (!wanted.has(learner.cohort_id) || !hasRoom(learner)) continue;
    const cohort = cohortOf(roster, learner.cohort_id);
    const id = learnerKey(learner.github_handle, learner.cohort_id);
    if (cohort && isCourse(cohort)) {
      // A course's learner is read in the rooms of their open assignments; none open yet: not polled.
      const rooms = learnerCourseRooms(cohort, roster.learners, learner, at).map((r) => ({
        ...r,
        id: courseRoomId(owner, r.name),
      }));
      if (rooms.length > 0) targets.push({ id, learner, cohort, owner, name: rooms[0].name, rooms });
      continue;
    }
    targets.push({ id, learner, cohort, owner, name: roomName(learner, cohort, defaultPattern) });
  }
  return { targets, errors };
}

function previousRecords(previous: ProgressReport | undefined): Map<string, LearnerRecord> {
  const map = new Map<string, LearnerRecord>();
  for (const r of previous?.learners ?? []) map.set(learnerKey(r.github_handle, r.cohort_id), r);
  return map;
}

/** The reader's requests: a previous fingerprint only when it was taken of the same room. */
export function roomRequests(targets: PollTarget[], previous: ProgressReport | undefined): RoomRequest[] {
  const prev = previousRecords(previous);
  const single = targets.filter((t) => t.rooms === undefined);
  return [...singleRoomRequests(single, prev), ...courseRoomRequests(targets, prev)];
}

/** The previous record of one learner's course room, when it was taken of the same repository. */
function previousEntry(
  p: LearnerRecord | undefined,
  room: CourseRoomTarget,
  owner: string,
): AssignmentRecord | undefined {
  const e = p?.assignments?.[room.assignment];
  return e !== undefined && e.room.toLowerCase() === `${owner}/${room.name}`.toLowerCase() ? e : undefined;
}

/**
 * One request per course room, however many learners share it (a team's room is read once). Its
 * previous fingerprint only when every learner polled in it recorded the same, cleanly: a new
 * member's first read then reads the room in full.
 */
function courseRoomRequests(targets: PollTarget[], prev: Map<string, LearnerRecord>): RoomRequest[] {
  const byRoom = new Map<
    string,
    { owner: string; room: CourseRoomTarget; entries: (AssignmentRecord | undefined)[]; polled: Learner[] }
  >();
  for (const t of targets)
    for (const room of t.rooms ?? []) {
      const seen = byRoom.get(room.id) ?? { owner: t.owner, room, entries: [], polled: [] };
      seen.entries.push(previousEntry(prev.get(t.id), room, t.owner));
      seen.polled.push(t.learner);
      byRoom.set(room.id, seen);
    }
  const out: RoomRequest[] = [];
  for (const { owner, room, entries, polled } of byRoom.values()) {
    // The collaborator check asks for one login: a member polled (not withdrawn) when there is one.
    const live = polled.find((l) => l.provisioning.state !== 'archived') ?? polled[0];
    const handle = room.members.find((m) => foldHandle(m) === foldHandle(live.github_handle)) ?? live.github_handle;
    const req: RoomRequest = { id: room.id, owner, name: room.name, handle };
    if (room.team !== undefined)
      req.members = [handle, ...room.members.filter((m) => foldHandle(m) !== foldHandle(handle))];
    const prints = entries.map((e) => (e && !e.error ? e.fingerprint : undefined));
    if (prints[0] !== undefined && prints.every((f) => f === prints[0])) req.previousFingerprint = prints[0];
    const membership = entries.find((e) => e?.membership !== undefined)?.membership;
    if (membership !== undefined) req.previousMembership = membership;
    out.push(req);
  }
  return out;
}

function singleRoomRequests(targets: PollTarget[], prev: Map<string, LearnerRecord>): RoomRequest[] {
  return targets.map((t) => {
    const p = prev.get(t.id);
    const sameRoom = p !== undefined && p.repository.toLowerCase() === `${t.owner}/${t.name}`.toLowerCase();
    const req: RoomRequest = { id: t.id, owner: t.owner, name: t.name, handle: t.learner.github_handle };
    if (sameRoom && p.fingerprint !== undefined && !p.error) req.previousFingerprint = p.fingerprint;
    if (sameRoom && p.membership !== undefined) req.previousMembership = p.membership;
    return req;
  });
}

export interface StatusChange {
  github_handle: string;
  cohort_id: string;
  from: ProgressStatus | undefined;
  to: ProgressStatus;
}

export interface PollResult {
  roster: Roster;
  report: ProgressReport;
  changes: StatusChange[];
}

export interface ApplyInput {
  roster: Roster;
  owner: string;
  targets: PollTarget[];
  outcomes: Map<string, RoomOutcome>;
  previous?: ProgressReport;
  now: string;
  stuckLimit?: number;
}

export function applyOutcomes(input: ApplyInput): PollResult {
  const { roster, targets, outcomes, now } = input;
  const prev = previousRecords(input.previous);
  const patches: LearnerPatch[] = [];
  const changes: StatusChange[] = [];
  const records = new Map<string, LearnerRecord>();
  /** The roster's patch and the status change of one learner's new record. */
  const note = (learner: Learner, record: LearnerRecord): void => {
    const before = learner.progress;
    const same =
      before?.status === record.status &&
      before.since === record.since &&
      before.updated_at === record.updated_at &&
      before.challenges_closed === record.challenges_closed &&
      before.challenges_total === record.challenges_total;
    if (!same) {
      patches.push({
        github_handle: learner.github_handle,
        cohort_id: learner.cohort_id,
        progress: {
          status: record.status,
          updated_at: record.updated_at,
          since: record.since,
          challenges_closed: record.challenges_closed,
          challenges_total: record.challenges_total,
        },
      });
    }
    if (before?.status !== record.status)
      changes.push({
        github_handle: learner.github_handle,
        cohort_id: learner.cohort_id,
        from: before?.status,
        to: record.status,
      });
  };

  for (const t of targets) {
    const { learner } = t;
    const before = learner.progress;
    const p = prev.get(t.id);
    const repository = `${t.owner}/${t.name}`;
    const sinceFor = (status: ProgressStatus): string =>
      before?.status === status && before.since ? before.since : now;
    let record: LearnerRecord;
    if (t.rooms !== undefined) {
      record = courseRecord(t, t.rooms, p, outcomes, now, sinceFor);
      records.set(t.id, record);
      note(learner, record);
      continue;
    }
    const outcome: RoomOutcome = outcomes.get(t.id) ?? {
      kind: 'error',
      cause: 'other',
      message: 'the room was not read',
    };
    // "Unchanged" is only trusted against a clean previous record of the same fingerprint.
    const trusted =
      outcome.kind === 'unchanged' && p !== undefined && !p.error && p.fingerprint === outcome.fingerprint;
    if (outcome.kind === 'error' || (outcome.kind === 'unchanged' && !trusted)) {
      const error =
        outcome.kind === 'error'
          ? { cause: outcome.cause, message: outcome.message, at: now }
          : { cause: 'other' as const, message: 'the room is unchanged but its previous record is missing', at: now };
      const status = before?.status ?? p?.status ?? 'unknown';
      record = {
        github_handle: learner.github_handle,
        cohort_id: learner.cohort_id,
        repository,
        status,
        since: before?.since ?? p?.since ?? now,
        updated_at: before?.updated_at ?? p?.updated_at ?? now,
        challenges_closed: before?.challenges_closed ?? p?.challenges_closed ?? 0,
        challenges_total: before?.challenges_total ?? p?.challenges_total ?? 0,
        ...(p?.last_activity !== undefined ? { last_activity: p.last_activity } : {}),
        ...(p?.completed_at !== undefined ? { completed_at: p.completed_at } : {}),
        evidence: p?.evidence ?? [],
        ignored: p?.ignored ?? [],
        ...(p?.fingerprint !== undefined ? { fingerprint: p.fingerprint } : {}),
        ...(p?.membership !== undefined ? { membership: p.membership } : {}),
        error,
      };
      records.set(t.id, record);
      continue;
    }
    if (outcome.kind === 'unchanged') {
      // Nothing in the room changed since the previous read: its derivation stands.
      record = {
        ...p!,
        github_handle: learner.github_handle,
        repository,
        since: sinceFor(p!.status),
        fingerprint: outcome.fingerprint,
      };
      delete record.error;
    } else {
      const d = deriveProgress({
        handle: learner.github_handle,
        room: outcome.room,
        membership: outcome.membership,
        challengeLabel: challengeLabel(t.cohort),
      });
      record = {
        github_handle: learner.github_handle,
        cohort_id: learner.cohort_id,
        repository,
        status: d.status,
        since: sinceFor(d.status),
        updated_at: now,
        challenges_closed: d.challenges_closed,
        challenges_total: d.challenges_total,
        ...(d.last_activity !== undefined ? { last_activity: d.last_activity } : {}),
        ...(d.completed_at !== undefined ? { completed_at: d.completed_at } : {}),
        evidence: d.evidence,
        ignored: d.ignored,
        ...(outcome.fingerprint !== undefined ? { fingerprint: outcome.fingerprint } : {}),
        membership: membershipKey(outcome.membership),
      };
    }
    records.set(t.id, record);
    note(learner, record);
  }

  // Learners of cohorts not polled this time keep their previous records; learners gone from the roster go.
  const ordered: LearnerRecord[] = [];
  for (const l of roster.learners) {
    const id = learnerKey(l.github_handle, l.cohort_id);
    const r = records.get(id) ?? prev.get(id);
    if (r) ordered.push(r);
  }
  return {
    roster: patches.length > 0 ? upsertLearners(roster, patches) : roster,
    report: buildReport(input.owner, ordered, now, input.stuckLimit),
    changes,
  };
}

export interface RoomsReader {
  readRooms(requests: RoomRequest[]): Promise<Map<string, RoomOutcome>>;
}

export interface PollInput {
  roster: Roster;
  owner: string;
  cohorts?: string[];
  /** Room name pattern for cohorts without their own (synthesis's LEARNING_ROOMS_REPOSITORY_PATTERN). */
  repositoryPattern?: string;
  previous?: ProgressReport;
  reader: RoomsReader;
  now: () => string;
  stuckLimit?: number;
}

export async function pollProgress(input: PollInput): Promise<PollResult> {
  // A course's open assignments are judged at the poll's start.
  const startedAt = input.now();
  const at = Number.isNaN(Date.parse(startedAt)) ? new Date() : new Date(startedAt);
  const { targets, errors } = selectTargets(input.roster, input.owner, input.cohorts, input.repositoryPattern, at);
  if (errors.length > 0) throw new Error(errors.join('; '));
  const outcomes = await input.reader.readRooms(roomRequests(targets, input.previous));
  return applyOutcomes({
    roster: input.roster,
    owner: input.owner,
    targets,
    outcomes,
    previous: input.previous,
    now: input.now(),
    stuckLimit: input.stuckLimit,
  });
}

/** Why a room has no fresh reading this poll (or undefined: its outcome stands). */
function untrustedUnchanged(outcome: RoomOutcome, previous: AssignmentRecord | undefined): boolean {
  return (
    outcome.kind === 'unchanged' &&
    (previous === undefined || previous.error !== undefined || previous.fingerprint !== outcome.fingerprint)
  );
}

/** One course room's record for one learner, from this poll's outcome and their previous record of the room. */
export function assignmentRecord(
  learner: Learner,
  cohort: Cohort | undefined,
  room: CourseRoom,
  repository: string,
  outcome: RoomOutcome,
  previous: AssignmentRecord | undefined,
  now: string,
): AssignmentRecord {
  const team = room.team !== undefined ? { team: room.team } : {};
  if (outcome.kind === 'error' || untrustedUnchanged(outcome, previous)) {
    const error =
      outcome.kind === 'error'
        ? { cause: outcome.cause, message: outcome.message, at: now }
        : { cause: 'other' as const, message: 'the room is unchanged but its previous record is missing', at: now };
    const kept: AssignmentRecord = previous
      ? { ...previous }
      : {
          status: 'unknown',
          room: repository,
          ...team,
          since: now,
          updated_at: now,
          challenges_closed: 0,
          challenges_total: 0,
          evidence: [],
          ignored: [],
        };
    return { ...kept, error };
  }
  if (outcome.kind === 'unchanged') {
    // Nothing in the room changed since the previous read: its derivation stands.
    const kept: AssignmentRecord = { ...previous!, room: repository, fingerprint: outcome.fingerprint };
    delete kept.error;
    return kept;
  }
  const d = deriveProgress({
    handle: learner.github_handle,
    room: outcome.room,
    membership: outcome.membership,
    challengeLabel: challengeLabel(cohort),
    ...(room.team !== undefined ? { team: room.members } : {}),
  });
  return {
    status: d.status,
    room: repository,
    ...team,
    since: previous?.status === d.status ? previous.since : now,
    updated_at: now,
    challenges_closed: d.challenges_closed,
    challenges_total: d.challenges_total,
    ...(d.last_activity !== undefined ? { last_activity: d.last_activity } : {}),
    ...(d.completed_at !== undefined ? { completed_at: d.completed_at } : {}),
    evidence: d.evidence,
    ignored: d.ignored,
    ...(outcome.fingerprint !== undefined ? { fingerprint: outcome.fingerprint } : {}),
    membership: membershipKey(outcome.membership),
  };
}

/** The latest of ISO 8601 times, compared as instants (undefined for none). */
function latestTime(times: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const t of times)
    if (t !== undefined && !Number.isNaN(Date.parse(t)) && (best === undefined || Date.parse(t) > Date.parse(best)))
      best = t;
  return best;
}

/**
 * A course's learner's record: each room's record under `assignments`, rolled up (report.ts,
 * LearnerRecord.assignments): the current assignment's status, room and k of n (currentAssignment),
 * the latest activity across the rooms, completed once every room is.
 */
export function courseRecord(
  t: PollTarget,
  rooms: CourseRoomTarget[],
  p: LearnerRecord | undefined,
  outcomes: Map<string, RoomOutcome>,
  now: string,
  sinceFor: (status: ProgressStatus) => string,
): LearnerRecord {
  const { learner } = t;
  const assignments: Record<string, AssignmentRecord> = {};
  const list: (AssignmentRecord & { assignment: string })[] = [];
  for (const room of rooms) {
    const outcome: RoomOutcome = outcomes.get(room.id) ?? {
      kind: 'error',
      cause: 'other',
      message: 'the room was not read',
    };
    const e = assignmentRecord(
      learner,
      t.cohort,
      room,
      `${t.owner}/${room.name}`,
      outcome,
      previousEntry(p, room, t.owner),
      now,
    );
    assignments[room.assignment] = e;
    list.push({ ...e, assignment: room.assignment });
  }
  const current = currentAssignment(list)!;
  const failed = list.find((e) => e.error !== undefined);
  const last = latestTime(list.map((e) => e.last_activity));
  const done = list.every((e) => e.status === 'complete' && e.completed_at !== undefined)
    ? latestTime(list.map((e) => e.completed_at))
    : undefined;
  return {
    github_handle: learner.github_handle,
    cohort_id: learner.cohort_id,
    repository: current.room,
    status: current.status,
    since: sinceFor(current.status),
    updated_at: latestTime(list.map((e) => e.updated_at)) ?? now,
    challenges_closed: current.challenges_closed,
    challenges_total: current.challenges_total,
    ...(last !== undefined ? { last_activity: last } : {}),
    ...(done !== undefined ? { completed_at: done } : {}),
    evidence: [],
    ignored: [],
    ...(failed?.error
      ? { error: { ...failed.error, message: `${failed.assignment} (${failed.room}): ${failed.error.message}` } }
      : {}),
    assignments,
  };
}
