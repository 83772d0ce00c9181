/**
 * Stack names: a cohort's rooms are split into shards of at most S learners, one Terraform stack
 * (one state) each. Shard 0 keeps the cohort's own name, so the states of cohorts synthesized
 * before shards existed need no move; shard k >= 1 is `<cohort>.shard-<k>`. A cohort id may not
 * end in `.shard-<n>` (nor `_shard_<n>` and the like, which the pg backend folds to the same schema:
 * roster/roster.schema.json), so no stack name of one cohort can be another cohort's.
 * Synthesis names the stacks; the post-step, the workflows' scripts and migrate-shards read them.
 */

export const SHARD_SUFFIX = '.shard-';
const SHARD_STACK = /^(.+)\.shard-([1-9][0-9]{0,5})$/;

export function stackName(cohortId: string, shard: number): string {
  if (!Number.isInteger(shard) || shard < 0)
    throw new Error(`shard: expected a whole number of at least 0, found ${shard}`);
  return shard === 0 ? cohortId : `${cohortId}${SHARD_SUFFIX}${shard}`;
}

/** The cohort and shard a stack name stands for (a name without the suffix is shard 0 of the cohort of that name). */
export function parseStackName(stack: string): { cohortId: string; shard: number } {
  const m = SHARD_STACK.exec(stack);
  return m ? { cohortId: m[1], shard: Number(m[2]) } : { cohortId: stack, shard: 0 };
}

/**
 * The provisioning log's run id for one stack: the run's own for shard 0 (the cohort's stack, as
 * before shards), `<run>/<stack>` for another shard, so that each shard of a cohort applied in one
 * run is recorded once (the log is idempotent on run id and cohort).
 */
export function stackRunId(runId: string, stack: string): string {
  return parseStackName(stack).shard === 0 ? runId : `${runId}/${stack}`;
}

/** The run a log run id belongs to: `<run>/<cohort>.shard-<k>` is run `<run>`; any other id is its own. */
export function runOfStackRunId(runId: string): string {
  const slash = runId.lastIndexOf('/');
  return slash > 0 && parseStackName(runId.slice(slash + 1)).shard > 0 ? runId.slice(0, slash) : runId;
}
