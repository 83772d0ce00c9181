/**
 * When a proposal run stops: before a room whose requests would cut into the installation's
 * primary budget (what GitHub reported last, less a reserve for the other workflows that share
 * the installation), or whose writes would pass the run's share of GitHub's content-creation
 * limit. Stopping between rooms leaves nothing half-done that the next run cannot finish. Pure.
 */

/** Reads one room costs at most: the repository, its pull requests by head, two refs, two trees. */
export const ROOM_READS = 6;

export interface RoomCost {
  requests: number;
  writes: number;
}

/** A room receiving `files` file writes: the branch, each file, the pull request. */
export function roomCost(files: number, dryRun = false): RoomCost {
  const writes = dryRun ? 0 : files + 2;
  return { requests: ROOM_READS + writes, writes };
}

/** What GitHub said last (x-ratelimit-*), when it said it. */
export interface RateState {
  remaining?: number;
  limit?: number;
  /** Epoch seconds when the budget resets. */
  reset?: number;
}

export interface BudgetLimits {
  /** Most content-creating requests this run sends. */
  maxWrites: number;
  /** Requests left untouched for the other workflows of the installation; default a tenth of the limit. */
  reserve?: number;
}

export type BudgetVerdict = { go: true } | { go: false; reason: string };

export function nextRoom(spentWrites: number, rate: RateState, cost: RoomCost, limits: BudgetLimits): BudgetVerdict {
  if (spentWrites + cost.writes > limits.maxWrites)
    return {
      go: false,
      reason: `this run's share of GitHub's content-creation limit is spent (${spentWrites} of ${limits.maxWrites} writes)`,
    };
  if (rate.remaining !== undefined) {
    const reserve = limits.reserve ?? Math.ceil((rate.limit ?? 5000) / 10);
    if (rate.remaining - cost.requests < reserve) {
      const when = rate.reset ? ` (it resets at ${new Date(rate.reset * 1000).toISOString()})` : '';
      return {
        go: false,
        reason: `the installation's hourly request budget is nearly spent (${rate.remaining} left, ${reserve} kept for the other workflows)${when}`,
      };
    }
  }
  return { go: true };
}
