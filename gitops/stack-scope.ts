/**
 * Which stacks a run plans, and what it will cost. A pull request plans only the stacks whose
 * synthesized configuration it changes (its data and main's, synthesized by the same code against
 * the same state); an apply plans the stacks whose configuration changed since the last successful
 * apply, plus the stacks with work of their own (new rooms to create, failed learners, expired
 * invitations). Everything else is left out, with the reason said. Pure.
 */
import { createHash } from 'node:crypto';
import type { CourseIndex, LearnerIndex } from '../contracts/learner-index';
import type { Roster } from '../roster/types';
import { learnerKey } from '../roster/handle';
import {
  ASSUMED_LATENCY_MS,
  Cost,
  costSeconds,
  addCosts,
  applyNewRoomsCost,
  refreshCost,
  refreshPlanCost,
  SCOPED_PLAN_COST,
  timesCost,
} from '../synthesis/cost-model';

/** JSON with sorted keys and cdktf's `//` metadata dropped at every level (construct paths, stack names). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value as Record<string, unknown>).sort()) {
    if (k === '//') continue;
    out[k] = canonical((value as Record<string, unknown>)[k]);
  }
  return out;
}

/** A digest of what Terraform would act on in a `cdk.tf.json`: equal digests, equal plans against the same state. */
export function configDigest(text: string): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(JSON.parse(text))))
    .digest('hex');
}

export interface PlannedStack {
  stack: string;
  /** Why this stack is planned, in words. */
  reasons: string[];
}

export interface StackScope {
  plan: PlannedStack[];
  /** Stacks not planned, and why. */
  leftOut: { stack: string; reason: string }[];
  /** Stacks the base had and the head no longer synthesizes (a cohort removed from the roster): nothing to plan. */
  removed: string[];
}

/**
 * Stacks whose configuration differs between base and head (by digest), new ones included. Without
 * a base every stack is planned. Order: the head's.
 */
export function changedStacks(
  base: ReadonlyMap<string, string> | undefined,
  head: ReadonlyMap<string, string>,
  unchangedReason: string,
): StackScope {
  const plan: PlannedStack[] = [];
  const leftOut: StackScope['leftOut'] = [];
  for (const [stack, digest] of head) {
    if (!base) plan.push({ stack, reasons: ['no earlier configuration to compare with'] });
    else if (!base.has(stack)) plan.push({ stack, reasons: ['new stack'] });
    else if (base.get(stack) !== digest) plan.push({ stack, reasons: ['configuration changed'] });
    else leftOut.push({ stack, reason: unchangedReason });
  }
  const removed = base ? [...base.keys()].filter((s) => !head.has(s)) : [];
  return { plan, leftOut, removed };
}

/**
 * What a stack has to do whatever its configuration: create rooms for admitted learners the
 * roster does not call provisioned, retry failed learners, re-send expired invitations.
 */
export function stackWork(
  index: Pick<LearnerIndex, 'learners' | 'course'>,
  roster: Pick<Roster, 'learners'>,
): string[] {
  if (index.course) return courseWork(index.course);
  const byKey = new Map(roster.learners.map((l) => [learnerKey(l.github_handle, l.cohort_id), l]));
  let fresh = 0;
  let failed = 0;
  let expired = 0;
  for (const e of index.learners) {
    if (!e.admitted || e.archived) continue;
    const l = byKey.get(learnerKey(e.github_handle, e.cohort_id));
    if (!l) continue;
    if (l.provisioning.state === 'failed') failed++;
    else if (l.provisioning.state !== 'provisioned' && l.provisioning.provisioned_at === undefined) fresh++;
    if (l.progress?.status === 'invitation-expired') expired++;
  }
  const out: string[] = [];
  if (fresh > 0) out.push(`${fresh} new room${fresh === 1 ? '' : 's'} to create`);
  if (failed > 0) out.push(`${failed} failed learner${failed === 1 ? '' : 's'} to retry`);
  if (expired > 0) out.push(`${expired} expired invitation${expired === 1 ? '' : 's'} to re-send`);
  return out;
}

/**
 * A course's stack has work when its configuration differs from state for reasons of time, which a
 * comparison of two syntheses at the same instant cannot see: new rooms (an assignment opened), access
 * state does not have yet (a cutoff passed, an extension ended, a hand-over), a room to publish or
 * archive (the end of course). Synthesis read the state, so a failed apply is retried next run.
 */
function courseWork(course: CourseIndex): string[] {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const fresh = course.rooms.filter((r) => r.admitted && r.new).length;
  const access = course.rooms.filter((r) => r.pending?.includes('access')).length;
  const visibility = course.rooms.filter((r) => r.pending?.includes('visibility')).length;
  const archive = course.rooms.filter((r) => r.archived && r.in_state).length;
  const out: string[] = [];
  if (fresh > 0) out.push(`${n(fresh, 'new room')} to create`);
  if (access > 0)
    out.push(
      `${n(access, 'room')} whose access changes (a cutoff, an extension, a team or facilitator change, a hand-over)`,
    );
  if (visibility > 0)
    out.push(`${n(visibility, 'room')} to make ${visibility === 1 ? 'its' : 'their'} visibility as configured`);
  if (archive > 0) out.push(`${n(archive, 'room')} to archive`);
  return out;
}

/** Adds the stacks with work to a scope (a stack already planned gets the work as extra reasons). */
export function withWork(scope: StackScope, work: ReadonlyMap<string, string[]>): StackScope {
  const plan = scope.plan.map((p) => ({ stack: p.stack, reasons: [...p.reasons, ...(work.get(p.stack) ?? [])] }));
  const leftOut: StackScope['leftOut'] = [];
  for (const l of scope.leftOut) {
    const reasons = work.get(l.stack) ?? [];
    if (reasons.length > 0) plan.push({ stack: l.stack, reasons });
    else leftOut.push(l);
  }
  return { plan, leftOut, removed: scope.removed };
}

/** What a stack's run costs: from its learner index, the roster and its provider pacing. */
export interface StackShape {
  stack: string;
  /** Rooms in the configuration. */
  rooms: number;
  /** Of those, rooms this run creates. */
  newRooms: number;
  files: number;
  /** Import blocks (each reads its resource even without refresh). */
  imports: number;
  readDelayMs: number;
  writeDelayMs: number;
}

export interface StackEstimate {
  stack: string;
  requests: number;
  minutes: number;
}

/**
 * A plan without refresh costs the provider's configure call (and a read per import block);
 * a refreshing plan and apply read every existing room, then create the new ones.
 */
export function estimateStack(shape: StackShape, mode: 'scoped-plan' | 'refresh-plan' | 'apply'): StackEstimate {
  let cost: Cost;
  if (mode === 'scoped-plan') cost = addCosts(SCOPED_PLAN_COST, timesCost(refreshCost(shape.files), shape.imports));
  else {
    const existing = shape.rooms - shape.newRooms;
    cost = refreshPlanCost(existing, shape.files);
    if (mode === 'apply') cost = addCosts(cost, applyNewRoomsCost(shape.newRooms, shape.files));
  }
  const seconds = costSeconds(cost, {
    readDelayMs: shape.readDelayMs,
    writeDelayMs: shape.writeDelayMs,
    latencyMs: ASSUMED_LATENCY_MS,
  });
  return { stack: shape.stack, requests: cost.requests, minutes: seconds / 60 };
}

/** Minutes until every process is done when at most `parallel` run at once (longest first). */
export function wallMinutes(minutes: readonly number[], parallel: number): number {
  const slots = Array.from({ length: Math.max(1, parallel) }, () => 0);
  for (const m of [...minutes].sort((a, b) => b - a)) {
    const i = slots.indexOf(Math.min(...slots));
    slots[i] += m;
  }
  return Math.max(0, ...slots);
}

/** A job's own set-up before Terraform runs (checkout, npm ci, terraform init): an assumption, not measured here. */
export const JOB_SETUP_MINUTES = 1.5;

export type ScopeMode = 'scoped-plan' | 'refresh-plan' | 'apply';

/** The scope of a run as the workflows hand it on (`changed-stacks --out`, `fingerprint --out`): to plan-comment and the run summary. */
export interface ScopeDocument {
  format_version: 1;
  mode: ScopeMode;
  stacks: (PlannedStack & { requests: number; minutes: number })[];
  left_out: { stack: string; reason: string }[];
  removed: string[];
  total: { processes: number; requests: number; minutes: number; parallel: number; wall_minutes: number };
  /** The admission sentence of the synthesis, when known. */
  admission?: string;
}

export function scopeDocument(
  scope: StackScope,
  mode: ScopeMode,
  estimates: ReadonlyMap<string, StackEstimate>,
  parallel: number,
  admission?: string,
): ScopeDocument {
  const stacks = scope.plan.map((p) => {
    const e = estimates.get(p.stack);
    return { ...p, requests: e?.requests ?? 0, minutes: round(e?.minutes ?? 0) };
  });
  const minutes = stacks.map((s) => s.minutes);
  return {
    format_version: 1,
    mode,
    stacks,
    left_out: scope.leftOut,
    removed: scope.removed,
    total: {
      processes: stacks.length * (mode === 'apply' ? 2 : 1),
      requests: stacks.reduce((n, s) => n + s.requests, 0),
      minutes: round(minutes.reduce((a, b) => a + b, 0)),
      parallel,
      wall_minutes: round(wallMinutes(minutes, parallel)),
    },
    ...(admission ? { admission } : {}),
  };
}

const round = (m: number) => Math.round(m * 10) / 10;

export function parseScopeDocument(text: string, source: string): ScopeDocument {
  const raw = JSON.parse(text) as Partial<ScopeDocument>;
  if (
    raw.format_version !== 1 ||
    !Array.isArray(raw.stacks) ||
    !Array.isArray(raw.left_out) ||
    !Array.isArray(raw.removed) ||
    typeof raw.total !== 'object'
  ) {
    throw new Error(`${source}: expected a scope document (format_version 1, stacks, left_out, removed, total)`);
  }
  return raw as ScopeDocument;
}
