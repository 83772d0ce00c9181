import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineCommand } from './command';
import { DRY_RUN, rosterArgument, STATE_DIR } from './common-options';
import { loadRoster, upsertLearners, writeRosterFile } from '../roster';
import { readSettings, SETTINGS_ENV } from '../contracts/settings';
import { readStateDir, STATE_FILE_SUFFIXES, stateDirProblem, type StateInputs } from '../contracts/terraform-state';
import { parseStackName } from '../contracts/stack-names';
import { planCohorts } from '../synthesis/cohort-plan';
import { planShardMigration, ShardMove } from '../synthesis/shard-migration';

/**
 * Every stack of the cohort with a state file in the state folder (contracts/terraform-state.ts:
 * `<stack>.tfstate` or `<stack>.tfstate.json`), read as synthesis reads them.
 */
function cohortStates(dir: string, cohortId: string): StateInputs {
  const stacks = new Set<string>();
  for (const f of readdirSync(dir)) {
    const suffix = STATE_FILE_SUFFIXES.find((s) => f.endsWith(s));
    const stack = suffix ? f.slice(0, -suffix.length) : undefined;
    if (stack && parseStackName(stack).cohortId === cohortId) stacks.add(stack);
  }
  return readStateDir(dir, [...stacks].sort());
}

const options = {
  cohort: { type: 'string', value: 'C', required: true, help: 'the cohort to split' },
  'state-dir': {
    ...STATE_DIR,
    help: `${STATE_DIR.help}; required. Moving needs the raw state, <stack>${STATE_FILE_SUFFIXES[0]} (the git backend's state/ folder; for a remote backend: terraform state pull each stack into DIR first, and push them back afterwards: docs/scale.md, "Migration")`,
  },
  'shard-size': { type: 'string', value: 'N', help: 'S (default: what synthesis uses for the cohort)' },
  'dry-run': { ...DRY_RUN, help: `${DRY_RUN.help}: the rooms that would move; state and roster untouched` },
} as const;

export const migrateShardsCommand = defineCommand({
  name: 'migrate-shards',
  summary: 'split a stack holding more than S rooms into shards, moving state (terraform state mv), never a resource',
  usage: ['[roster.json] --cohort C --state-dir DIR [--shard-size N] [--dry-run]'],
  description: `For a cohort synthesized before shards existed, whose stack holds more rooms than the shard size:
keeps the first S learners of the roster in their stack and moves every other room, with all its
resource addresses, to the lowest shards with free seats, by
  terraform state mv -state=DIR/<from>.tfstate -state-out=DIR/<to>.tfstate ADDRESS ADDRESS
then records each moved learner's shard in the roster. Nothing on GitHub is touched: the next
plan of every stack shows no change. Terraform keeps a backup of each state file it rewrites.
Run it when no apply runs (the admin repository's Apply and Watchdog share one concurrency group).`,
  argument: rosterArgument('the roster to update', { default: 'roster.json' }),
  options,
  exitStatus:
    '0 moved (or nothing to move, or a dry run); 1 a move failed (what moved is recorded); 2 usage or input error.',
  usageProblems: ({ values }, io) => {
    const size = values['shard-size'];
    const dir = values['state-dir'] ?? io.env[SETTINGS_ENV.stateDir];
    const missing = dir !== undefined ? stateDirProblem(resolve(io.cwd, dir)) : undefined;
    return [
      ...(dir === undefined ? [`missing --state-dir DIR (or ${SETTINGS_ENV.stateDir})`] : []),
      ...(size !== undefined && !/^[1-9][0-9]*$/.test(size)
        ? [`--shard-size: expected a whole number of at least 1, found "${size}"`]
        : []),
      ...(missing ? [`--state-dir: ${missing}`] : []),
    ];
  },
  async run({ values, file = 'roster.json' }, io) {
    const cohortId = values.cohort;
    const at = (p: string) => resolve(io.cwd, p);
    const rosterPath = at(file);
    const roster = loadRoster(rosterPath);
    if (!roster.cohorts.some((c) => c.cohort_id === cohortId)) {
      io.stderr(
        `learning-rooms migrate-shards: --cohort: "${cohortId}" is not a cohort of ${file} (cohorts: ${roster.cohorts.map((c) => c.cohort_id).join(', ')})\n`,
      );
      return 2;
    }
    let size = values['shard-size'] !== undefined ? Number(values['shard-size']) : undefined;
    if (size === undefined) {
      const { settings, errors } = readSettings(io.env);
      if (!settings) {
        io.stderr(errors.map((e) => `learning-rooms migrate-shards: ${e}\n`).join(''));
        return 2;
      }
      size =
        planCohorts({ roster, settings, staticOnly: true }).stacks.find((s) => s.cohort_id === cohortId)?.shardSize ??
        1;
    }
    // Given: usageProblems refused a command line without either.
    const stateDir = at(values['state-dir'] ?? io.env[SETTINGS_ENV.stateDir] ?? '');
    const read = cohortStates(stateDir, cohortId);
    const plan = planShardMigration(roster, cohortId, read.known, size);
    // terraform state mv rewrites raw state only; `show -json` output cannot be moved from.
    const raw = (stack: string) => existsSync(join(stateDir, `${stack}${STATE_FILE_SUFFIXES[0]}`));
    const notRaw = [...new Set(plan.moves.map((m) => m.from).filter((stack) => !raw(stack)))].map(
      (stack) =>
        `stack ${stack}: moving needs its raw state ${stack}${STATE_FILE_SUFFIXES[0]} (terraform state pull), found only ${stack}${STATE_FILE_SUFFIXES[1]}`,
    );
    const problems = [...read.errors, ...plan.problems, ...notRaw];
    if (problems.length > 0) {
      io.stderr(problems.map((p) => `learning-rooms migrate-shards: ${cohortId}: ${p}\n`).join(''));
      return 2;
    }
    const addresses = plan.moves.reduce((n, m) => n + m.addresses.length, 0);
    io.stdout(
      `${cohortId}: shard size ${size}; ${plan.moves.length} room${plan.moves.length === 1 ? '' : 's'} to move (${addresses} resource addresses)\n`,
    );
    for (const m of plan.moves)
      io.stdout(`  ${m.github_handle}: ${m.from} -> ${m.to} (${m.addresses.length} addresses)\n`);
    if (values['dry-run']) {
      io.stdout(`dry run: nothing moved (${stateDir} and ${rosterPath} untouched)\n`);
      return 0;
    }
    if (plan.moves.length === 0) return 0;

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
      io.stdout(`moved ${done.length} room${done.length === 1 ? '' : 's'}; recorded their shards in ${file}\n`);
    }
    if (failure) {
      io.stderr(`learning-rooms migrate-shards: ${failure}\n`);
      return 1;
    }
    return 0;
  },
});
