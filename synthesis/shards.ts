/**
 * Shards: a cohort's rooms split into Terraform stacks of at most S learners, so that no plan or
 * apply refreshes more rooms than fit in the installation token's hour, and Terraform's state (which
 * it rewrites after every resource) stays small. Pure.
 *
 * A learner's shard is decided once and never changes, so adding, withdrawing or reordering learners
 * moves no resource between states:
 * - a learner whose room is in some stack's state is in that stack;
 * - else the recorded `provisioning.shard`;
 * - else a room made before shards existed (the roster says provisioned) is shard 0;
 * - else the learner is new and gets a shard when admitted: the lowest shard with a free seat, in
 *   roster order. A seat is held by every learner of the cohort with a shard who is not withdrawn
 *   (a room that exists, or one being created).
 */
import type { Pacing } from './cost-model';
import { largestFittingShard, PROCESS_TIME_LIMIT_MINUTES, shardWorstCase } from './cost-model';

/** Most learners per shard by default: a full refresh plus a run's new rooms fit well inside the token's hour at production pacing. */
export const DEFAULT_SHARD_SIZE = 100;
/**
 * Below 100, a shard holds what one run admits into the cohort, so a rollout fills one fresh shard
 * per run and never refreshes a full one before creating rooms (docs/scale.md, "Shards"); but no
 * fewer than this, so a small per-run budget does not make hundreds of tiny stacks.
 */
export const MIN_SHARD_SIZE = 50;

/**
 * Gives each newcomer (keys in roster order) the lowest shard with a free seat, counting the seats
 * already `held` (shard -> learners). Returns newcomer -> shard; `held` is not changed.
 */
export function assignShards(
  held: ReadonlyMap<number, number>,
  newcomers: readonly string[],
  size: number,
): Map<string, number> {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`shard size: expected a whole number of at least 1, found ${size}`);
  const seats = new Map(held);
  const out = new Map<string, number>();
  let shard = 0;
  for (const key of newcomers) {
    while ((seats.get(shard) ?? 0) >= size) shard++;
    out.set(key, shard);
    seats.set(shard, (seats.get(shard) ?? 0) + 1);
  }
  return out;
}

export interface ShardSizing {
  size: number;
  /** Why this size, in words for the operator. */
  basis: string;
  /** A refusal: the size (set or derived) cannot fit a shard's worst run in the time limit. */
  problem?: string;
}

const minutes = (s: number) => (s / 60).toFixed(1);

/**
 * S for a cohort with `files` required files, at the given pacing, when one run may admit
 * `newRoomsPerRun` rooms: the set size (checked), else the rooms one run admits (between 50 and
 * 100), lowered to what fits the time limit.
 */
export function sizeShards(opts: {
  cohortId: string;
  set?: number;
  setName: string;
  newRoomsPerRun: number;
  files: number;
  pacing: Pacing;
}): ShardSizing {
  const { cohortId, set, newRoomsPerRun, files, pacing } = opts;
  const limit = PROCESS_TIME_LIMIT_MINUTES * 60;
  const figures = (size: number) => {
    const w = shardWorstCase(size, newRoomsPerRun, files, pacing);
    return `a full refresh of ${size} rooms (${minutes(w.refreshSeconds)} min) plus the first apply of ${Math.min(size, newRoomsPerRun)} new rooms (${minutes(w.applySeconds)} min) = ${minutes(w.seconds)} min at read_delay_ms ${pacing.readDelayMs}, write_delay_ms ${pacing.writeDelayMs}, ${pacing.latencyMs} ms per answer, ${files} required files`;
  };
  if (set !== undefined) {
    const w = shardWorstCase(set, newRoomsPerRun, files, pacing);
    if (w.seconds > limit) {
      return {
        size: set,
        basis: `${opts.setName}=${set}`,
        problem: `cohort ${cohortId}: ${opts.setName}=${set} is too large: ${figures(set)}, more than the ${PROCESS_TIME_LIMIT_MINUTES} minutes a shard's run may take inside the installation token's hour; set it to at most ${largestFittingShard(set, newRoomsPerRun, files, pacing)}`,
      };
    }
    return { size: set, basis: `${opts.setName}=${set}` };
  }
  const target = Math.min(DEFAULT_SHARD_SIZE, Math.max(MIN_SHARD_SIZE, newRoomsPerRun));
  const size = largestFittingShard(target, newRoomsPerRun, files, pacing);
  if (size === 0) {
    return {
      size: 1,
      basis: 'derived',
      problem: `cohort ${cohortId}: not even one room fits a shard: ${figures(1)}, more than ${PROCESS_TIME_LIMIT_MINUTES} minutes; lower the admission budget or the provider delays`,
    };
  }
  if (size === target)
    return {
      size,
      basis:
        target === DEFAULT_SHARD_SIZE
          ? `default ${DEFAULT_SHARD_SIZE}`
          : `${size}: the new rooms one run admits (at least ${MIN_SHARD_SIZE}, at most ${DEFAULT_SHARD_SIZE})`,
    };
  return { size, basis: `derived: ${figures(size)}` };
}
