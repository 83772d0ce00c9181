/**
 * The admission budget: how many new rooms one run may create, from the writes GitHub counts as
 * content creation (the repository, the invitation, each file commit: 2 + K per room) and its
 * documented 500 an hour, and when each queued learner's run comes, said in words an operator
 * understands. Pure.
 */
import type { SynthesisSettings } from '../contracts/settings';
import { contentCreationPerRoom } from './cost-model';
import { nextScheduledRuns } from './rate-budget';

/** Share of a run's content-creation allowance kept for heals, re-sent invitations and archives. */
export const CONTENT_CREATION_RESERVE = 0.05;

/**
 * Content-creating writes one run may spend on new rooms: the hourly limit prorated to the run
 * interval (a run every 30 minutes may use half an hour's), less the reserve.
 */
export function contentCreationPerRun(
  settings: Pick<SynthesisSettings, 'contentWritesPerHour' | 'runIntervalMinutes'>,
): number {
  const perRun = (settings.contentWritesPerHour * Math.min(settings.runIntervalMinutes, 60)) / 60;
  return Math.floor(perRun * (1 - CONTENT_CREATION_RESERVE));
}

/** New rooms of a cohort with `files` required files that one run's allowance pays for. */
export function roomsPerRun(
  settings: Pick<SynthesisSettings, 'contentWritesPerHour' | 'runIntervalMinutes' | 'admissionBudget'>,
  files: number,
): number {
  return settings.admissionBudget ?? Math.floor(contentCreationPerRun(settings) / contentCreationPerRoom(files));
}

export interface AdmissionGroup {
  /** Content creation per new room of this cohort (2 + K). */
  cost: number;
  /** A course's rooms differ in cost (files, team size, feedback): the cost of each waiting room, in order; overrides `cost`. */
  costs?: readonly number[];
  /** The cohort's own most new rooms per run (admission_budget). */
  cap?: number;
  /** Learners waiting, in admission order. */
  waiting: number;
}

export interface AdmissionRule {
  /** An explicit count of new rooms per run over all cohorts (LEARNING_ROOMS_ADMISSION_BUDGET), else... */
  rooms?: number;
  /** ...the content-creating writes a run may spend. */
  writes: number;
}

/**
 * One run: round-robin over the cohorts, one learner each per round (no cohort starves another),
 * while the cohort's cost fits in what is left and its own cap is not reached. Learners admitted per
 * group, in order.
 */
export function admitOneRun(groups: readonly AdmissionGroup[], rule: AdmissionRule): number[] {
  const taken = groups.map(() => 0);
  const stopped = groups.map(() => false);
  let writesLeft = rule.writes;
  let admitted = 0;
  let progress = true;
  while (progress) {
    progress = false;
    for (let g = 0; g < groups.length; g++) {
      if (stopped[g] || taken[g] >= groups[g].waiting) continue;
      const cap = groups[g].cap;
      const cost = groups[g].costs?.[taken[g]] ?? groups[g].cost;
      const fits = rule.rooms !== undefined ? admitted < rule.rooms : writesLeft >= cost;
      if (!fits || (cap !== undefined && taken[g] >= cap)) {
        stopped[g] = true;
        continue;
      }
      taken[g]++;
      admitted++;
      writesLeft -= cost;
      progress = true;
    }
  }
  return taken;
}

/** Runs simulated ahead to place the queue; beyond that a learner's run is not predicted. */
export const MAX_RUNS_AHEAD = 1000;

/**
 * The whole queue, run by run: element r is what run r admits per group (run 0 is this one). Stops
 * when everyone is placed, or when a run admits nobody (a budget of 0, or a room dearer than a run).
 */
export function admissionRuns(groups: readonly AdmissionGroup[], rule: AdmissionRule): number[][] {
  const left = groups.map((g) => g.waiting);
  const runs: number[][] = [];
  while (runs.length < MAX_RUNS_AHEAD && left.some((n) => n > 0)) {
    const taken = admitOneRun(
      groups.map((g, i) => ({
        ...g,
        waiting: left[i],
        ...(g.costs ? { costs: g.costs.slice(g.waiting - left[i]) } : {}),
      })),
      rule,
    );
    if (taken.every((n) => n === 0)) break;
    taken.forEach((n, i) => (left[i] -= n));
    runs.push(taken);
  }
  return runs;
}

export interface QueuedName {
  github_handle: string;
  /** How the sentence names it, when not `@<handle>`: a course's room, "@alice (a2-css)" or "team-1 (a3-project)". */
  label?: string;
  cohort_id: string;
  /** 1: the next run, 2: the one after... undefined: not within the runs the budget allows to foresee. */
  run?: number;
  /** Position in the whole queue, 1 first. */
  position: number;
}

export interface QueueRunText {
  run: number;
  at?: Date;
  names: string[];
}

/** When run `run` (1 = next) starts, from the run's start and the apply schedule; undefined without a start time. */
export function runTime(startedAt: string | undefined, intervalMinutes: number, run: number): Date | undefined {
  if (startedAt === undefined || run < 1) return undefined;
  return nextScheduledRuns(new Date(startedAt), intervalMinutes, run)[run - 1];
}

/** "10:37 UTC" on the start's day, else "2026-09-29 10:37 UTC". */
export function clockTime(at: Date, startedAt?: string): string {
  const iso = at.toISOString();
  const sameDay = startedAt !== undefined && new Date(startedAt).toISOString().slice(0, 10) === iso.slice(0, 10);
  return `${sameDay ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}

const MAX_NAMED = 10;

/** "@a, @b and 3 more" with at most ten names. */
export function namedList(names: readonly string[], prefix = '@'): string {
  const shown = names.slice(0, MAX_NAMED).map((n) => `${prefix}${n}`);
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/**
 * The operator's line: "28 of 32 new rooms this run; 4 next run at about 10:37 UTC: @a, @b, @c, @d",
 * with the runs after that summed up and anyone the budget can never admit said plainly.
 */
export function admissionSentence(opts: {
  admitted: number;
  queue: readonly QueuedName[];
  startedAt?: string;
  intervalMinutes: number;
}): string {
  const { admitted, queue, startedAt, intervalMinutes } = opts;
  const total = admitted + queue.length;
  const n = (x: number) => x.toLocaleString('en-US');
  const head = `${n(admitted)} of ${n(total)} new room${total === 1 ? '' : 's'} this run`;
  if (queue.length === 0) return head;
  const at = (run: number) => {
    const t = runTime(startedAt, intervalMinutes, run);
    return t ? ` at about ${clockTime(t, startedAt)}` : '';
  };
  const next = queue.filter((q) => q.run === 1);
  const parts = [head];
  const name = (q: QueuedName) => q.label ?? `@${q.github_handle}`;
  if (next.length > 0) parts.push(`${n(next.length)} next run${at(1)}: ${namedList(next.map(name), '')}`);
  const later = queue.filter((q) => q.run !== undefined && q.run > 1);
  if (later.length > 0) {
    const last = Math.max(...later.map((q) => q.run ?? 0));
    parts.push(
      `${n(later.length)} over the ${last - 1} run${last - 1 === 1 ? '' : 's'} after that, the last${at(last)}`,
    );
  }
  const never = queue.filter((q) => q.run === undefined);
  if (never.length > 0)
    parts.push(`${n(never.length)} not admitted by the current budget: ${namedList(never.map(name), '')}`);
  return parts.join('; ');
}
