/**
 * Splitting a stack that holds more than S rooms (a cohort synthesized before shards existed):
 * the first S learners of the roster whose rooms are in the stack stay; the others move, with every
 * resource address their room has in state, to the lowest shards with free seats. No resource is
 * destroyed or created: `terraform state mv` carries each address to the other stack's state
 * (docs/scale.md, "Migration"). Pure: commands/migrate-shards.ts runs the moves.
 */
import type { Roster } from '../roster/types';
import { foldHandle } from '../roster/handle';
import type { KnownRooms } from '../contracts/terraform-state';
import { parseStackName, stackName } from '../contracts/stack-names';
import { assignShards } from './shards';

export interface ShardMove {
  github_handle: string;
  from: string;
  to: string;
  toShard: number;
  /** Every address of the room in the source state (repository, collaborator, files). */
  addresses: string[];
}

export interface MigrationPlan {
  moves: ShardMove[];
  /** Rooms that stay in each stack, by stack. */
  kept: Map<string, number>;
  problems: string[];
}

/**
 * @param states the cohort's stacks' state, by stack name
 * @param size the shard size S
 */
export function planShardMigration(
  roster: Pick<Roster, 'learners'>,
  cohortId: string,
  states: ReadonlyMap<string, KnownRooms>,
  size: number,
): MigrationPlan {
  const problems: string[] = [];
  const seats = new Map<number, number>();
  const where = new Map<string, { stack: string; shard: number; addresses: string[] }>();
  for (const [stack, known] of states) {
    const { cohortId: c, shard } = parseStackName(stack);
    if (c !== cohortId) continue;
    for (const room of known.rooms.values()) {
      if (where.has(room.handle))
        problems.push(
          `learner "${room.handle}" has resources in the state of ${where.get(room.handle)!.stack} and of ${stack}: move them into one first`,
        );
      where.set(room.handle, { stack, shard, addresses: room.addresses });
    }
  }
  // Seats: every learner of the cohort, in roster order, who is not withdrawn and has a shard
  // (from state, else recorded); the ones past S in a stack are the ones to move.
  const overflow: { handle: string; key: string; from: string; addresses: string[] }[] = [];
  for (const l of roster.learners) {
    if (l.cohort_id !== cohortId || l.provisioning.state === 'archived') continue;
    const key = foldHandle(l.github_handle);
    const at = where.get(key);
    const shard = at?.shard ?? l.provisioning.shard;
    if (shard === undefined) continue;
    const taken = seats.get(shard) ?? 0;
    if (at && taken >= size) overflow.push({ handle: l.github_handle, key, from: at.stack, addresses: at.addresses });
    else seats.set(shard, taken + 1);
  }
  const given = assignShards(
    seats,
    overflow.map((o) => o.key),
    size,
  );
  const moves = overflow.map((o) => {
    const toShard = given.get(o.key) ?? 0;
    return {
      github_handle: o.handle,
      from: o.from,
      to: stackName(cohortId, toShard),
      toShard,
      addresses: [...o.addresses].sort(byKind),
    };
  });
  const kept = new Map<string, number>();
  for (const [shard, n] of seats) kept.set(stackName(cohortId, shard), n);
  return { moves, kept, problems };
}

/** Repository first, then the resources that refer to it (the order Terraform lists them in). */
function byKind(a: string, b: string): number {
  const rank = (x: string) =>
    x.startsWith('github_repository.') ? 0 : x.startsWith('github_repository_collaborator.') ? 1 : 2;
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
