import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './io';
import { loadRoster, upsertLearners, writeRosterFile } from '../roster';
import { readSettings } from '../contracts/settings';
import { readKnownRooms, KnownRooms } from '../contracts/terraform-state';
import { parseStackName } from '../contracts/stack-names';
import { planCohorts } from '../synthesis/cohort-plan';
import { planShardMigration, ShardMove } from '../synthesis/shard-migration';

/** `<dir>/<stack>.tfstate` of every stack of the cohort that has one. */
function cohortStates(dir: string, cohortId: string): Map<string, KnownRooms> {
  const out = new Map<string, KnownRooms>();
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    const m = /^(.+)\.tfstate$/.exec(f);
    if (!m || parseStackName(m[1]).cohortId !== cohortId) continue;
    const known = readKnownRooms(join(dir, f));
    if (known) out.set(m[1], known);
  }
  return out;
}

export const migrateShardsCommand: Command = {
  summary: 'split a stack holding more than S rooms into shards, moving state (terraform state mv), never a resource',
  usage: `Usage: learning-rooms migrate-shards --cohort C --state-dir DIR [--roster roster.json] [--shard-size N] [--dry-run]

For a cohort synthesized before shards existed, whose stack holds more rooms than the shard size:
keeps the first S learners of the roster in their stack and moves every other room, with all its
resource addresses, to the lowest shards with free seats, by
  terraform state mv -state=DIR/<from>.tfstate -state-out=DIR/<to>.tfstate ADDRESS ADDRESS
then records each moved learner's shard in the roster. Nothing on GitHub is touched: the next
plan of every stack shows no change. Terraform keeps a backup of each state file it rewrites.

  --cohort C         the cohort to split
  --state-dir DIR    the raw state files, <stack>.tfstate (the git backend's state/ folder; for a
                     remote backend: terraform state pull each stack into DIR first, and push them
                     back afterwards: docs/scale.md, "Migration")
  --roster FILE      the roster (default: roster.json)
  --shard-size N     S (default: what synthesis uses for the cohort)
  --dry-run          say what would move; change nothing

Run it when no apply runs (the admin repository's Apply and Watchdog share one concurrency group).
Exit status: 0 moved (or nothing to move); 1 a move failed (what moved is recorded); 2 usage or input error.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        cohort: { type: 'string' },
        'state-dir': { type: 'string' },
        roster: { type: 'string', default: 'roster.json' },
        'shard-size': { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
    });
    if (!values.cohort || !values['state-dir']) throw new Error('--cohort and --state-dir are required (see --help)');
    const cohortId = values.cohort;
    const at = (p: string) => resolve(io.cwd, p);
    const rosterPath = at(values.roster as string);
    const roster = loadRoster(rosterPath);
    if (!roster.cohorts.some((c) => c.cohort_id === cohortId)) {
      io.stderr(
        `learning-rooms migrate-shards: --cohort: "${cohortId}" is not a cohort of ${values.roster} (cohorts: ${roster.cohorts.map((c) => c.cohort_id).join(', ')})\n`,
      );
      return 2;
    }
    let size = values['shard-size'] !== undefined ? Number(values['shard-size']) : undefined;
    if (size !== undefined && (!Number.isInteger(size) || size < 1))
      throw new Error(`--shard-size: expected a whole number of at least 1, found "${values['shard-size']}"`);
    if (size === undefined) {
      const { settings, errors } = readSettings(io.env);
      if (!settings) {
        io.stderr(errors.map((e) => `learning-rooms migrate-shards: ${e}\n`).join(''));
        return 2;
      }
      size = planCohorts({ roster, settings }).stacks.find((s) => s.cohort_id === cohortId)?.shardSize ?? 1;
    }
    const stateDir = at(values['state-dir']);
    const states = cohortStates(stateDir, cohortId);
    const plan = planShardMigration(roster, cohortId, states, size);
    if (plan.problems.length > 0) {
      io.stderr(plan.problems.map((p) => `learning-rooms migrate-shards: ${cohortId}: ${p}\n`).join(''));
      return 2;
    }
    const addresses = plan.moves.reduce((n, m) => n + m.addresses.length, 0);
    io.stdout(
      `${cohortId}: shard size ${size}; ${plan.moves.length} room${plan.moves.length === 1 ? '' : 's'} to move (${addresses} resource addresses)\n`,
    );
    for (const m of plan.moves)
      io.stdout(`  ${m.github_handle}: ${m.from} -> ${m.to} (${m.addresses.length} addresses)\n`);
    if (values['dry-run'] || plan.moves.length === 0) return 0;

    // An empty working folder: Terraform loads no configuration and needs no provider to move state.
    const work = mkdtempSync(join(tmpdir(), 'lr-migrate-'));
    const env = { PATH: io.env.PATH ?? '', HOME: io.env.HOME ?? work, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
    const done: ShardMove[] = [];
    let failure: string | undefined;
    try {
      for (const m of plan.moves) {
        for (const address of m.addresses) {
          const r = spawnSync(
            'terraform',
            [
              'state',
              'mv',
              '-no-color',
              `-state=${join(stateDir, `${m.from}.tfstate`)}`,
              `-state-out=${join(stateDir, `${m.to}.tfstate`)}`,
              address,
              address,
            ],
            { cwd: work, env, encoding: 'utf8' },
          );
          if (r.status !== 0) {
            failure = `${m.github_handle}: terraform state mv ${address} from ${m.from} to ${m.to} failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(0, 3).join(' ')}`;
            break;
          }
        }
        if (failure) break;
        done.push(m);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    // State first, roster second: a room whose move completed is found where state has it even if
    // this write never happens (synthesis puts a room where its state is), so a crash loses nothing.
    if (done.length > 0) {
      writeRosterFile(
        rosterPath,
        upsertLearners(
          roster,
          done.map((m) => ({
            github_handle: m.github_handle,
            cohort_id: cohortId,
            provisioning: { shard: m.toShard },
          })),
        ),
      );
      io.stdout(
        `moved ${done.length} room${done.length === 1 ? '' : 's'}; recorded their shards in ${values.roster}\n`,
      );
    }
    if (failure) {
      io.stderr(`learning-rooms migrate-shards: ${failure}\n`);
      return 1;
    }
    return 0;
  },
};
