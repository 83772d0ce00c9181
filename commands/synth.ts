import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatRosterError, readRosterFile } from '../roster';
import { readSettings, SETTINGS_ENV } from '../contracts/settings';
import { IMPORTS_DIR_ENV } from '../contracts/import-entries';
import type { CliIo, Command } from './io';

export const EXAMPLE_ROSTER = 'examples/roster.example.json';

/** The roster argument, else LEARNING_ROOMS_ROSTER, else ./roster.json when present, else the example. */
export function rosterPath(positional: string | undefined, io: CliIo): string {
  if (positional) return positional;
  if (io.env.LEARNING_ROOMS_ROSTER) return io.env.LEARNING_ROOMS_ROSTER;
  return existsSync(resolve(io.cwd, 'roster.json')) ? 'roster.json' : EXAMPLE_ROSTER;
}

export const synthCommand: Command = {
  summary: 'synthesize one Terraform stack per cohort (cdktf.out/stacks/<cohort>/)',
  usage: `Usage: learning-rooms synth [roster.json] [--state-dir DIR] [--allow-mass-archive] [--outdir DIR]

Writes cdktf.out/stacks/<stack>/cdk.tf.json and learners.json for every stack of the roster (a
cohort's shards: <cohort>, <cohort>.shard-1, ...) and prints per stack: rooms (new), queued,
archived; then who is admitted this run and when the queue's next runs come.

  roster.json           default: $LEARNING_ROOMS_ROSTER, else ./roster.json, else ${EXAMPLE_ROSTER}
  --state-dir DIR       folder of <cohort>.tfstate.json (terraform state pull, or show -json):
                        rooms that exist stay in the configuration; learners who left the
                        roster are archived. Default: $${SETTINGS_ENV.stateDir}, else each cohort's
                        local backend state file, when present.
  --allow-mass-archive  archive more than the removal guard's share of a cohort
  --outdir DIR          output folder (default cdktf.out)
  --imports DIR         import entries from \`learning-rooms reconstruct\` (<cohort>.json) become
                        import blocks; default: $${IMPORTS_DIR_ENV} (docs/reconstruct.md)

Settings come from the environment (docs/synthesis.md). Credentials never do: the provider reads
them at plan time. Exit status: 0 written, 1 refused (every problem listed), 2 usage error.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        'state-dir': { type: 'string' },
        'allow-mass-archive': { type: 'boolean' },
        outdir: { type: 'string' },
        imports: { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length > 1) throw new Error('expected at most one roster file');
    const file = rosterPath(positionals[0], io);
    const { roster, errors: rosterErrors } = readRosterFile(resolve(io.cwd, file));
    if (!roster) {
      io.stderr(rosterErrors.map((e) => formatRosterError(e, file)).join('\n') + '\n');
      io.stderr(
        `synth: ${file} has ${rosterErrors.length} problem${rosterErrors.length === 1 ? '' : 's'}; nothing synthesized\n`,
      );
      return 1;
    }
    const env = { ...io.env };
    if (values['state-dir']) env[SETTINGS_ENV.stateDir] = values['state-dir'];
    if (values['allow-mass-archive']) env[SETTINGS_ENV.allowMassArchive] = 'true';
    if (values.outdir) env[SETTINGS_ENV.outdir] = values.outdir;
    // The queue's times are counted from this run's start (the workflows pass theirs).
    if (!env[SETTINGS_ENV.runStartedAt]) env[SETTINGS_ENV.runStartedAt] = new Date().toISOString();
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
      importsDir: values.imports ?? io.env[IMPORTS_DIR_ENV],
    });
    if (outcome.errors.length) {
      io.stderr(
        outcome.errors.join('\n') +
          `\nsynth: ${outcome.errors.length} problem${outcome.errors.length === 1 ? '' : 's'}; nothing synthesized\n`,
      );
      return 1;
    }
    io.stdout(
      `synthesized ${file} (${settings.mode}, owner ${settings.owner}) into ${relative(io.cwd, outcome.outdir ?? '') || '.'}\n`,
    );
    for (const line of summarizeSynthesis(outcome)) io.stdout(`  ${line}\n`);
    for (const c of outcome.plan.stacks) {
      const source = outcome.stateSources.get(c.stack);
      if (source) io.stdout(`  ${c.stack}: state from ${relative(io.cwd, source)}\n`);
    }
    for (const [id, imp] of outcome.imports) {
      io.stdout(
        `  ${id}: ${imp.placed} import blocks${imp.unplaced.length ? `; ${imp.unplaced.length} import entries skipped, their learners are not configured this run (${[...new Set(imp.unplaced.map((e) => e.github_handle))].join(', ')})` : ''}\n`,
      );
    }
    return 0;
  },
};
