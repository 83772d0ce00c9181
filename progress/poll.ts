/**
 * One progress poll: choose the learners, read their rooms, derive each status and fold the
 * results into the roster and the report. The folding (applyOutcomes) is pure; a room that could
 * not be read keeps its learner's previous status and records why, so no failure loses anyone.
 */
import { learnerKey, upsertLearners } from '../roster';
import type { LearnerPatch } from '../roster';
import type { Cohort, Learner, ProgressStatus, Roster } from '../roster/types';
import { deriveProgress } from './derive';
import { membershipKey } from './reader';
import type { RoomOutcome, RoomRequest } from './reader';
import { buildReport, LearnerRecord, ProgressReport } from './report';
import { challengeLabel, cohortOf, roomName } from './rooms';

export interface PollTarget {
  id: string;
  learner: Learner;
  cohort: Cohort | undefined;
  owner: string;
  name: string;
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
): { targets: PollTarget[]; errors: string[] } {
  const known = new Set(roster.cohorts.map((c) => c.cohort_id));
  const errors = cohortIds
    .filter((c) => !known.has(c))
    .map((c) => `cohort "${c}" is not in the roster (cohorts: ${[...known].sort().join(', ') || 'none'})`);
  const wanted = cohortIds.length > 0 ? new Set(cohortIds) : known;
  const targets = roster.learners
    .filter((l) => wanted.has(l.cohort_id) && hasRoom(l))
    .map((learner) => {
      const cohort = cohortOf(roster, learner.cohort_id);
      return {
        id: learnerKey(learner.github_handle, learner.cohort_id),
        learner,
        cohort,
        owner,
        name: roomName(learner, cohort, defaultPattern),
      };
    });
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

  for (const t of targets) {
    const { learner } = t;
    const before = learner.progress;
    const p = prev.get(t.id);
    const repository = `${t.owner}/${t.name}`;
    const outcome: RoomOutcome = outcomes.get(t.id) ?? {
      kind: 'error',
      cause: 'other',
      message: 'the room was not read',
    };
    const sinceFor = (status: ProgressStatus): string =>
      before?.status === status && before.since ? before.since : now;
    let record: LearnerRecord;
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
  const { targets, errors } = selectTargets(input.roster, input.owner, input.cohorts, input.repositoryPattern);
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
