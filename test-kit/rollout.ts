/**
 * A first rollout, run by run, as the workflows do it: a run every interval (a later one waits in
 * the concurrency group while one is still running), each admitting one run's budget of new rooms
 * into the lowest shards with free seats, and applying the stacks it touched one at a time (plan
 * with refresh of the shard's existing rooms, then the new rooms). Times and requests from the
 * product's cost model. Used by `npm run bench:scale` and its test.
 */
import {
  applyNewRoomsCost,
  contentCreationPerRoom,
  costSeconds,
  Pacing,
  refreshPlanCost,
} from '../synthesis/cost-model';
import { assignShards } from '../synthesis/shards';
import { GITHUB_LIMITS } from '../synthesis/rate-budget';

export interface RolloutInput {
  learners: number;
  files: number;
  shardSize: number;
  roomsPerRun: number;
  intervalMinutes: number;
  pacing: Pacing;
  /** Per run: the synth job before any stack (checkout, npm ci, state, two syntheses). */
  runSetupMinutes: number;
  /** Per stack: the apply job's own set-up (checkout, npm ci, terraform init) and the records commit. */
  stackSetupMinutes: number;
}

export interface RolloutProcess {
  run: number;
  stack: number;
  existing: number;
  fresh: number;
  minutes: number;
  requests: number;
}

export interface Rollout {
  runs: { start: number; end: number; admitted: number; requests: number; contentCreation: number }[];
  processes: RolloutProcess[];
  elapsedMinutes: number;
  /** The time GitHub's 500 content-creating writes an hour would need at the very least. */
  idealMinutes: number;
  efficiency: number;
  requests: number;
  maxProcessMinutes: number;
  /** The most content-creating writes that fall in any 60 minutes (runs counted whole at their start: an upper bound). */
  maxContentCreationPerHour: number;
}

export function simulateRollout(input: RolloutInput): Rollout {
  const seats = new Map<number, number>();
  const runs: Rollout['runs'] = [];
  const processes: RolloutProcess[] = [];
  let left = input.learners;
  let slot = 0;
  let previousEnd = 0;
  for (let run = 0; left > 0; run++) {
    const start = Math.max(slot, previousEnd);
    const n = Math.min(input.roomsPerRun, left);
    left -= n;
    const given = assignShards(
      seats,
      Array.from({ length: n }, (_, i) => `${run}:${i}`),
      input.shardSize,
    );
    const fresh = new Map<number, number>();
    for (const shard of given.values()) fresh.set(shard, (fresh.get(shard) ?? 0) + 1);
    let minutes = input.runSetupMinutes;
    let requests = 0;
    for (const [shard, m] of [...fresh].sort((a, b) => a[0] - b[0])) {
      const existing = seats.get(shard) ?? 0;
      const refresh = refreshPlanCost(existing, input.files);
      const apply = applyNewRoomsCost(m, input.files);
      const processMinutes = (costSeconds(refresh, input.pacing) + costSeconds(apply, input.pacing)) / 60;
      processes.push({
        run,
        stack: shard,
        existing,
        fresh: m,
        minutes: processMinutes,
        requests: refresh.requests + apply.requests,
      });
      minutes += input.stackSetupMinutes + processMinutes;
      requests += refresh.requests + apply.requests;
      seats.set(shard, existing + m);
    }
    runs.push({
      start,
      end: start + minutes,
      admitted: n,
      requests,
      contentCreation: n * contentCreationPerRoom(input.files),
    });
    previousEnd = start + minutes;
    // The next scheduled slot after this run started; a run still going makes it wait.
    while (slot <= start) slot += input.intervalMinutes;
  }
  const elapsedMinutes = runs.length > 0 ? runs[runs.length - 1].end - runs[0].start : 0;
  const idealMinutes =
    ((input.learners * contentCreationPerRoom(input.files)) / GITHUB_LIMITS.contentCreationPerHour) * 60;
  let maxContentCreationPerHour = 0;
  for (const r of runs) {
    const inHour = runs
      .filter((x) => x.start >= r.start && x.start < r.start + 60)
      .reduce((s, x) => s + x.contentCreation, 0);
    maxContentCreationPerHour = Math.max(maxContentCreationPerHour, inHour);
  }
  return {
    runs,
    processes,
    elapsedMinutes,
    idealMinutes,
    efficiency: elapsedMinutes > 0 ? Math.min(1, idealMinutes / elapsedMinutes) : 1,
    requests: runs.reduce((s, r) => s + r.requests, 0),
    maxProcessMinutes: Math.max(0, ...processes.map((p) => p.minutes)),
    maxContentCreationPerHour,
  };
}

/** Assumed set-up times (not measured here): the synth job of a run, and an apply job's own steps around Terraform. */
export const RUN_SETUP_MINUTES = 2;
export const STACK_SETUP_MINUTES = 2;
