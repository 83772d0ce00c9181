import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { formatRosterError, readRosterFile } from '../roster';
import { readSettings, SETTINGS_ENV } from '../contracts/settings';
import { IMPORTS_DIR_ENV } from '../contracts/import-entries';
import { stateDirProblem } from '../contracts/terraform-state';
import type { CliIo } from './io';
import { defineCommand, optionEnv, UsageError } from './command';
import { AT, DRY_RUN, GITHUB_OPTIONS, outDir, REQUIRED_FILES_DIR, rosterArgument, STATE_DIR } from './common-options';

export const EXAMPLE_ROSTER = 'examples/roster.example.json';

/** LEARNING_ROOMS_ROSTER, else ./roster.json when present, else the example (no argument given). */
export function rosterPath(io: CliIo): string {
  if (io.env.LEARNING_ROOMS_ROSTER) return io.env.LEARNING_ROOMS_ROSTER;
  return existsSync(resolve(io.cwd, 'roster.json')) ? 'roster.json' : EXAMPLE_ROSTER;
}

const options = {
  'state-dir': {
    ...STATE_DIR,
    help: `${STATE_DIR.help}: rooms that exist stay in the configuration; learners who left the roster are archived. A folder that does not exist is an error. Without it: each stack's local backend state file (terraform.<stack>.tfstate), when present.`,
  },
  'allow-mass-archive': {
    type: 'boolean',
    help: "archive more than the removal guard's share of a cohort",
    env: SETTINGS_ENV.allowMassArchive,
  },
  'out-dir': { ...outDir('the output folder (default: cdktf.out)', ['outdir']), env: SETTINGS_ENV.outdir },
  at: AT,
  imports: {
    type: 'string',
    value: 'DIR',
    help: `import entries from \`learning-rooms reconstruct\` (<cohort>.json) become import blocks (docs/reconstruct.md)`,
    env: IMPORTS_DIR_ENV,
  },
  'required-files-dir': REQUIRED_FILES_DIR,
  ...GITHUB_OPTIONS,
  'dry-run': { ...DRY_RUN, help: `${DRY_RUN.help}: every check and the per-stack summary, no stack written` },
} as const;

export const synthCommand = defineCommand({
  name: 'synth',
  summary: 'synthesize the Terraform stacks of every cohort, one per shard (cdktf.out/stacks/<stack>/)',
  usage: ['[roster.json] [options]'],
  description: `Writes cdktf.out/stacks/<stack>/cdk.tf.json and learners.json for every stack of the
roster (a cohort's shards: <cohort>, <cohort>.shard-1, ...) and prints per stack: rooms (new),
queued, archived; then who is admitted this run and when the queue's next runs come. Writes nothing
when any check fails (the roster's, as validate runs them, and those that need the state).`,
  argument: rosterArgument(
    `the roster (default: $LEARNING_ROOMS_ROSTER, else ./roster.json when present, else ${EXAMPLE_ROSTER})`,
    { default: rosterPath },
  ),
  options,
  environment: 'The other settings (docs/synthesis.md). Credentials never: the provider reads them at plan time.',
  exitStatus:
    '0 written (or, with --dry-run, would be), 1 refused (every problem listed), 2 usage error or a state folder that does not exist.',
  async run({ values, file = EXAMPLE_ROSTER }, io) {
    const env = optionEnv(options, values, io.env);
    const stateDir = env[SETTINGS_ENV.stateDir];
    const missing = stateDir ? stateDirProblem(resolve(io.cwd, stateDir)) : undefined;
    if (missing) throw new UsageError([`--state-dir (or ${SETTINGS_ENV.stateDir}): ${missing}`]);
    // The queue's times are counted from this run's start (the workflows pass theirs).
    if (!env[SETTINGS_ENV.runStartedAt]) env[SETTINGS_ENV.runStartedAt] = new Date().toISOString();
    // A course is planned at an explicit instant; by default the run's start, so a scheduled run applies
    // the cutoffs that passed before it (the planner itself never reads the clock).
    if (!env[SETTINGS_ENV.at]) env[SETTINGS_ENV.at] = env[SETTINGS_ENV.runStartedAt];
    const { roster, errors: rosterErrors } = readRosterFile(resolve(io.cwd, file));
    if (!roster) {
      io.stderr(rosterErrors.map((e) => formatRosterError(e, file)).join('\n') + '\n');
      io.stderr(
        `synth: ${file} has ${rosterErrors.length} problem${rosterErrors.length === 1 ? '' : 's'}; nothing synthesized\n`,
      );
      return 1;
    }
    const { settings, errors: settingErrors } = readSettings(env);
    if (!settings) {
      io.stderr(settingErrors.join('\n') + '\nsynth: invalid settings; nothing synthesized\n');
      return 1;
    }
    // Loaded here, not at the top: the command table stays cheap for other commands.
    const { synthesize, summarizeSynthesis } = await import('../synthesis/synthesize');
    const outcome = synthesize({
      roster,
      settings,
      cwd: io.cwd,
      importsDir: env[IMPORTS_DIR_ENV],
      dryRun: values['dry-run'],
    });
    if (outcome.errors.length) {
      io.stderr(
        outcome.errors.join('\n') +
          `\nsynth: ${outcome.errors.length} problem${outcome.errors.length === 1 ? '' : 's'}; nothing synthesized\n`,
      );
      return 1;
    }
    const into = values['dry-run']
      ? `dry run: nothing written to ${settings.outdir}`
      : `into ${relative(io.cwd, outcome.outdir ?? '') || '.'}`;
    io.stdout(`synthesized ${file} (${settings.mode}, owner ${settings.owner}) ${into}\n`);
    for (const line of summarizeSynthesis(outcome)) io.stdout(`  ${line}\n`);
    for (const c of outcome.plan.stacks) {
      const source = outcome.stateSources.get(c.stack);
      if (source) io.stdout(`  ${c.stack}: state from ${relative(io.cwd, source)}\n`);
    }
    // Import entries are per cohort (reconstruct's files); each shard placed those of its rooms.
    for (const [id, imp] of outcome.imports) {
      io.stdout(
        `  ${id}: ${imp.placed} import blocks${imp.unplaced.length ? `; ${imp.unplaced.length} import entries skipped, their learners are not configured this run (${[...new Set(imp.unplaced.map((e) => e.github_handle))].join(', ')})` : ''}\n`,
      );
    }
    return 0;
  },
});
