/**
 * The roster side of the post-step: each learner's provisioning state, from the log entries of a
 * run. Pure. Derived from the log (not from the apply) so that a re-run after a crash between the
 * log write and the roster write converges on exactly what was logged.
 */
import { learnerKey, LearnerPatch, upsertLearners } from '../roster';
import type { Learner } from '../roster/types';
import type { Provisioning, ProvisioningState, Roster } from '../roster/types';
import type { LogEntry } from './log';
import type { LearnerIndex } from '../contracts/learner-index';
import { parseStackName } from '../contracts/stack-names';
import { foldHandle } from '../roster/handle';

export interface RosterUpdate {
  roster: Roster;
  /** Learners whose provisioning changed. */
  changed: number;
  /** Entries not applied, with why (learner not in the roster, a later run already recorded). */
  skipped: { learner: string; cohort: string; why: string }[];
}

function nextState(outcome: LogEntry['outcome'], current: ProvisioningState): ProvisioningState {
  switch (outcome) {
    case 'created':
    case 'already-exists':
    case 'healed':
      return 'provisioned';
    // A cutoff, an extension, a facilitator, a hand-over: the rooms exist and stay.
    case 'access-changed':
      return current === 'archived' ? current : 'provisioned';
    case 'archived':
      return 'archived';
    case 'queued':
      return current === 'failed' ? 'pending' : current;
    case 'failed':
      // A room that exists stays provisioned (or archived) when a heal or an archive fails.
      return current === 'provisioned' || current === 'archived' ? current : 'failed';
  }
}

/**
 * Applies `runEntries` (one run's entries for one cohort) to the roster. `log` is the whole log:
 * an entry is applied only if it is that learner's latest by apply time, so recording an older
 * apply late never moves a learner back. The times compared here are possible ones: the log was
 * checked (`checkTimes`) before anything was written, so no entry from the future can stay a
 * learner's latest and freeze them, and applies are in order up to the clock skew.
 */
export function applyRunToRoster(roster: Roster, runEntries: LogEntry[], log: LogEntry[]): RosterUpdate {
  // A learner's latest entry: the one whose apply ran last (log order breaks ties).
  const latest = new Map<string, LogEntry>();
  for (const e of log) {
    const k = learnerKey(e.learner, e.cohort);
    const cur = latest.get(k);
    if (!cur || Date.parse(e.time) >= Date.parse(cur.time)) latest.set(k, e);
  }
  const byKey = new Map<string, Learner>(roster.learners.map((l) => [learnerKey(l.github_handle, l.cohort_id), l]));
  const patches: LearnerPatch[] = [];
  const skipped: RosterUpdate['skipped'] = [];
  let changed = 0;
  for (const e of runEntries) {
    const learner = byKey.get(learnerKey(e.learner, e.cohort));
    if (!learner) {
      skipped.push({ learner: e.learner, cohort: e.cohort, why: 'not in the roster' });
      continue;
    }
    const last = latest.get(learnerKey(e.learner, e.cohort));
    if (last && last.hash !== e.hash) {
      skipped.push({
        learner: e.learner,
        cohort: e.cohort,
        why: `a later apply (run ${last.run_id}) is already recorded`,
      });
      continue;
    }
    const cur = learner.provisioning;
    const state = nextState(e.outcome, cur.state);
    const prov: Partial<Provisioning> = { state, last_outcome: e.outcome, last_run_id: e.run_id };
    if (state !== cur.state || cur.updated_at === undefined) prov.updated_at = e.time;
    // The roster module keeps the earliest provisioned_at, so this sets it once and never moves it.
    if (e.outcome === 'created' || e.outcome === 'already-exists' || e.outcome === 'healed')
      prov.provisioned_at = e.time;
    if (e.outcome === 'failed') {
      prov.cause = e.cause;
      prov.detail = e.detail;
    } else if (e.outcome === 'queued') prov.detail = e.detail;
    const before = JSON.stringify(cur);
    const patch: LearnerPatch = {
      github_handle: learner.github_handle,
      cohort_id: learner.cohort_id,
      provisioning: prov,
    };
    const after = upsertLearners({ ...roster, learners: [learner] }, [patch]).learners[0].provisioning;
    if (JSON.stringify(after) !== before) changed += 1;
    patches.push(patch);
  }
  return { roster: upsertLearners(roster, patches), changed, skipped };
}

/**
 * Records the shard of every learner the stack's index configured (admitted, not archived): the
 * stack's own shard. Idempotent, and a recorded shard is only ever confirmed: synthesis keeps a
 * learner in the stack whose state holds the room, so the index never names another one.
 */
export function recordShards(
  roster: Roster,
  index: Pick<LearnerIndex, 'cohort_id' | 'stack' | 'learners' | 'course'>,
): { roster: Roster; changed: number; teams: number } {
  const shard = parseStackName(index.stack).shard;
  const teamed = recordTeamShards(roster, index, shard);
  const byKey = new Map<string, Learner>(roster.learners.map((l) => [learnerKey(l.github_handle, l.cohort_id), l]));
  const patches: LearnerPatch[] = [];
  // A course's learner holds a seat where their own rooms are: a stack holding only a team's room is not theirs.
  const seated = index.course
    ? new Set(
        index.course.rooms
          .filter((r) => r.admitted && r.team === undefined)
          .flatMap((r) => r.members.map((m) => foldHandle(m.github_handle))),
      )
    : undefined;
  roster = teamed.roster;
  for (const e of index.learners) {
    if (!e.admitted || e.archived) continue;
    if (seated && !seated.has(foldHandle(e.github_handle))) continue;
    const learner = byKey.get(learnerKey(e.github_handle, e.cohort_id));
    if (!learner || learner.provisioning.shard === shard) continue;
    patches.push({ github_handle: learner.github_handle, cohort_id: learner.cohort_id, provisioning: { shard } });
  }
  return patches.length === 0
    ? { roster, changed: 0, teams: teamed.changed }
    : { roster: upsertLearners(roster, patches), changed: patches.length, teams: teamed.changed };
}

/**
 * A course's team rooms in this stack: the team's shard is recorded like a learner's, so a team room
 * stays in its stack whoever joins or leaves the team (course-plan.ts). Idempotent.
 */
function recordTeamShards(
  roster: Roster,
  index: Pick<LearnerIndex, 'cohort_id' | 'course'>,
  shard: number,
): { roster: Roster; changed: number } {
  const rooms = (index.course?.rooms ?? []).filter((r) => r.admitted && r.team !== undefined);
  if (rooms.length === 0) return { roster, changed: 0 };
  let changed = 0;
  const cohorts = roster.cohorts.map((c) => {
    if (c.cohort_id !== index.cohort_id || !c.assignments) return c;
    return {
      ...c,
      assignments: c.assignments.map((a) => {
        if (!a.teams) return a;
        return {
          ...a,
          teams: a.teams.map((t) => {
            const here = rooms.some((r) => r.assignment === a.id && r.team === t.name);
            if (!here || t.shard === shard) return t;
            changed++;
            return { ...t, shard };
          }),
        };
      }),
    };
  });
  return changed === 0 ? { roster, changed } : { roster: { ...roster, cohorts }, changed };
}
