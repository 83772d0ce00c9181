/**
 * Per-learner view of a Terraform plan: what the plan will do to each learner's learning room.
 * Used by the plan comment (before apply) and by the post-step (to classify what an apply did).
 */
import { isArchivedEntry, LearnerIndex } from '../contracts/learner-index';
import { Attribution, LearnerAttributor } from './attribution';
import type { ResourceChange, TerraformPlanJson } from '../contracts/terraform-plan';
import { compareHandles, foldHandle } from '../roster/handle';

export type LearnerPlanAction = 'provision' | 'heal' | 'update' | 'archive' | 'no-change' | 'queued';

export interface PlannedResource {
  address: string;
  /** Terraform's actions, e.g. ["create"], ["delete"], ["delete","create"] for a replacement. */
  actions: string[];
  /** Terraform's `action_reason`, or why a drifted resource is re-created: `deleted_out_of_band` / `changed_out_of_band`. */
  reason?: string;
}

export interface LearnerPlanChange {
  github_handle: string;
  cohort_id?: string;
  repository?: string;
  action: LearnerPlanAction;
  /** The learner's resources that the plan changes (no-op resources are left out). */
  resources: PlannedResource[];
  /** A course's learner (docs/course.md): the repositories of the rooms whose resources this plan changes. */
  rooms?: string[];
  /**
   * Set when the plan holds none of this admitted learner's resources: an errored plan (Terraform
   * drops what it could not refresh) or an index that does not belong to this plan. The action is
   * then unknown and reads "no-change".
   */
  incomplete?: true;
}

/** Attribution of every learner resource in the plan, grouped by learner key. */
export interface LearnerResources {
  attribution: Attribution;
  changes: ResourceChange[];
}

const isNoOp = (actions: string[]) => actions.length === 0 || actions.every((a) => a === 'no-op' || a === 'read');

export function groupByLearner(plan: TerraformPlanJson, attributor: LearnerAttributor): Map<string, LearnerResources> {
  const groups = new Map<string, LearnerResources>();
  for (const change of plan.resource_changes) {
    if (change.mode !== undefined && change.mode !== 'managed') continue;
    // A team room's resource belongs to every member of the team.
    for (const who of attributor.attributeAll(change)) {
      let g = groups.get(who.key);
      if (!g) {
        g = { attribution: who, changes: [] };
        groups.set(who.key, g);
      } else if (!g.attribution.repository && who.repository) {
        g.attribution = { ...g.attribution, repository: who.repository };
      }
      g.changes.push(change);
    }
  }
  return groups;
}

/** The room-level action implied by a learner's resource changes. */
export function learnerAction(
  changes: ResourceChange[],
  attributor: LearnerAttributor,
  drifted: Map<string, string[]>,
): LearnerPlanAction {
  const changed = changes.filter((c) => !isNoOp(c.change.actions));
  if (changed.length === 0) return 'no-change';
  // A course's learner has a room per assignment: any room archived comes first, then any room made.
  const repos = changes.filter((c) => attributor.attribute(c)?.kind === 'repository');
  const archives = (a: string[]) => a.includes('delete') && !a.includes('create');
  if (repos.some((r) => archives(r.change.actions))) return 'archive';
  const creates = (r: ResourceChange) =>
    (r.change.actions.length === 1 && r.change.actions[0] === 'create') ||
    // A tainted repository is one whose creation failed part-way: replacing it finishes provisioning.
    (r.change.actions.includes('create') && r.action_reason === 'replace_because_tainted');
  if (repos.some(creates)) return 'provision';
  // The room exists: restoring what changed out of band is a heal, anything else a config update.
  return changed.some((c) => drifted.has(c.address)) ? 'heal' : 'update';
}

function plannedResource(c: ResourceChange, drifted: Map<string, string[]>): PlannedResource {
  const r: PlannedResource = { address: c.address, actions: [...c.change.actions] };
  const drift = drifted.get(c.address);
  if (c.action_reason) r.reason = c.action_reason;
  else if (drift) r.reason = drift.includes('delete') ? 'deleted_out_of_band' : 'changed_out_of_band';
  return r;
}

export function driftedAddresses(plan: TerraformPlanJson): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const d of plan.resource_drift) if (!isNoOp(d.change.actions)) m.set(d.address, d.change.actions);
  return m;
}

/**
 * One entry per learner the plan or the index knows of, sorted by handle. Learners of the index
 * that are not admitted and have nothing in the plan are `queued`.
 */
export function learnerPlanChanges(plan: TerraformPlanJson, index?: LearnerIndex): LearnerPlanChange[] {
  const attributor = new LearnerAttributor(index, plan);
  const drifted = driftedAddresses(plan);
  const groups = groupByLearner(plan, attributor);
  const out: LearnerPlanChange[] = [];
  const seen = new Set<string>();
  for (const [key, g] of groups) {
    seen.add(key);
    const action = learnerAction(g.changes, attributor, drifted);
    const change: LearnerPlanChange = {
      github_handle: g.attribution.handle,
      action,
      resources: g.changes.filter((c) => !isNoOp(c.change.actions)).map((c) => plannedResource(c, drifted)),
    };
    const cohort = g.attribution.entry?.cohort_id ?? index?.cohort_id;
    if (cohort) change.cohort_id = cohort;
    if (g.attribution.repository) change.repository = g.attribution.repository;
    if (index?.course) {
      const rooms = new Set<string>();
      for (const c of g.changes) {
        if (isNoOp(c.change.actions)) continue;
        const room = attributor.attributeAll(c).find((a) => a.key === key)?.room;
        if (room?.repository) rooms.add(room.repository);
      }
      change.rooms = [...rooms];
      if (rooms.size > 0) change.repository = [...rooms][0];
    }
    out.push(change);
  }
  for (const entry of index?.learners ?? []) {
    if (seen.has(foldHandle(entry.github_handle))) continue;
    const change: LearnerPlanChange = {
      github_handle: entry.github_handle,
      cohort_id: entry.cohort_id,
      repository: entry.repository,
      // An archived room with nothing left to do is no change, not a learner waiting in the queue.
      action: entry.admitted || isArchivedEntry(entry) ? 'no-change' : 'queued',
      resources: [],
    };
    if (entry.admitted) change.incomplete = true;
    out.push(change);
  }
  return out.sort((a, b) => compareHandles(a.github_handle, b.github_handle));
}
