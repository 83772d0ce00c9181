import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LogRefusedError } from '../provisioning/log-file';
import { recordRun } from '../provisioning/record';
import { escapeControls } from '../shared/terminal-text';
import { formatRosterError, readRosterFile } from '../roster';
import { planCohorts } from '../synthesis/cohort-plan';
import { buildLearnerIndex } from '../synthesis/index-writer';
import type { LearnerIndex } from '../contracts/learner-index';
import { readSettings } from '../contracts/settings';
import type { CliIo } from './io';
import { defineCommand } from './command';
import { DRY_RUN, outFile, rosterArgument } from './common-options';

/** The learner index synthesis would write for one stack of the roster (a cohort's id names its shard 0), with the current settings. */
export function indexFromRoster(
  rosterPath: string,
  cohortId: string,
  env: NodeJS.ProcessEnv,
): { index: LearnerIndex } | { errors: string[] } {
  const { roster, errors } = readRosterFile(rosterPath);
  if (!roster) return { errors: errors.map((e) => formatRosterError(e, rosterPath)) };
  const { settings, errors: settingErrors } = readSettings(env);
  if (!settings || settingErrors.length > 0) return { errors: settingErrors };
  const plan = planCohorts({ roster, settings });
  if (plan.errors.length > 0) return { errors: plan.errors };
  const cohort = plan.stacks.find((c) => c.stack === cohortId);
  if (!cohort)
    return {
      errors: [
        `cohort "${cohortId}" is not in the roster (stacks: ${plan.stacks.map((c) => c.stack).join(', ') || 'none'})`,
      ],
    };
  return { index: buildLearnerIndex(cohort) };
}

/** --run-id, else $GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT. */
function runIdOf(flag: string | undefined, io: CliIo): string | undefined {
  if (flag) return flag;
  return io.env.GITHUB_RUN_ID
    ? `${io.env.GITHUB_RUN_ID}${io.env.GITHUB_RUN_ATTEMPT ? `-${io.env.GITHUB_RUN_ATTEMPT}` : ''}`
    : undefined;
}

const options = {
  plan: {
    type: 'string',
    value: 'FILE',
    required: true,
    help: '`terraform show -json PLANFILE` of the plan that was applied',
  },
  apply: {
    type: 'string',
    value: 'FILE',
    required: true,
    help: 'the `terraform apply -json PLANFILE` output (JSON Lines)',
  },
  index: { type: 'string', value: 'FILE', help: "the stack's learner index (cdktf.out/stacks/<stack>/learners.json)" },
  cohort: {
    type: 'string',
    value: 'C',
    help: "instead of --index: rebuild stack C's index from the roster with the current synthesis settings (for a stack synthesized from this roster; a cohort's id names its shard 0, <cohort>.shard-<k> shard k)",
  },
  log: { type: 'string', value: 'FILE', help: 'the provisioning log (default: provisioning-log.json)' },
  'run-id': { type: 'string', value: 'ID', help: "this run's id (default: $GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT)" },
  commit: { type: 'string', value: 'SHA', help: 'the commit applied (default: $GITHUB_SHA)' },
  'summary-out': outFile('also append the Markdown summary to FILE (default: $GITHUB_STEP_SUMMARY when set)', [
    'summary-file',
  ]),
  'dry-run': {
    ...DRY_RUN,
    help: `${DRY_RUN.help}: classify and print the summary; log, roster and summary file untouched`,
  },
} as const;

export const recordCommand = defineCommand({
  name: 'record',
  summary: 'after an apply: record each learner’s outcome in the provisioning log and the roster',
  usage: ['[roster.json] --plan plan.json --apply apply.jsonl (--index learners.json | --cohort C) [options]'],
  description: `The post-step after \`terraform apply -json PLANFILE\` for one stack (a cohort's shard). Classifies what
the apply did for every learner of the stack (created, already-exists, healed, archived, queued,
failed with a cause), appends one entry per learner to the provisioning log, then updates each
learner's provisioning state in the roster, and prints a Markdown summary.

Recording the same run twice appends nothing. The log is never rewritten: when it fails
verification (also an entry dated in the future or out of order), when this apply started
before an apply already recorded (beyond a 10-minute clock skew), or when the log changed
during the run, nothing is written (exit 1).`,
  argument: rosterArgument('the roster to update', { default: 'roster.json' }),
  options,
  environment:
    'GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_SHA and GITHUB_STEP_SUMMARY (set by GitHub Actions); with --cohort, the synthesis settings (docs/synthesis.md).',
  exitStatus: '0 recorded (also when learners failed: see the summary), 1 refused, 2 usage or input error.',
  usageProblems: ({ values }, io) => [
    ...(!values.index && !values.cohort ? ['missing --index FILE (or --cohort C)'] : []),
    ...(!runIdOf(values['run-id'], io) ? ['missing --run-id ID (or GITHUB_RUN_ID)'] : []),
  ],
  async run({ values, file: rosterFile = 'roster.json' }, io) {
    // Given: usageProblems refused a command line without one.
    const runId = runIdOf(values['run-id'], io) ?? '';
    const at = (p: string) => resolve(io.cwd, p);
    let index: LearnerIndex | undefined;
    if (!values.index && values.cohort) {
      const rebuilt = indexFromRoster(at(rosterFile), values.cohort, io.env);
      if ('errors' in rebuilt) {
        io.stderr(rebuilt.errors.map((e) => `learning-rooms record: ${e}\n`).join(''));
        return 2;
      }
      index = rebuilt.index;
    }
    let result;
    try {
      result = recordRun({
        planPath: at(values.plan),
        applyPath: at(values.apply),
        indexPath: values.index ? at(values.index) : undefined,
        index,
        rosterPath: at(rosterFile),
        logPath: at(values.log ?? 'provisioning-log.json'),
        runId,
        dryRun: values['dry-run'],
        commit: values.commit ?? io.env.GITHUB_SHA ?? 'unknown',
      });
    } catch (err) {
      if (err instanceof LogRefusedError) {
        // The message may quote fields of a tampered log: shown with control characters escaped.
        io.stderr(
          `${err.message
            .split('\n')
            .map((l, i) => escapeControls(i === 0 ? `learning-rooms record: ${l}` : l))
            .join('\n')}\n`,
        );
        return 1;
      }
      throw err;
    }
    io.stdout(result.markdown);
    const summaryFile = values['summary-out'] ?? io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile && !values['dry-run']) appendFileSync(at(summaryFile), result.markdown + '\n');
    const n = result.log.appended.length;
    const log = values.log ?? 'provisioning-log.json';
    io.stderr(
      result.log.alreadyRecorded
        ? `run ${runId} was already recorded for cohort ${result.cohort}: nothing appended; roster: ${result.roster.changed} learner(s) updated\n`
        : values['dry-run']
          ? `dry run: would append ${n} entr${n === 1 ? 'y' : 'ies'} to ${log} and update ${result.roster.changed} learner(s) in ${rosterFile}; nothing written\n`
          : `appended ${n} entr${n === 1 ? 'y' : 'ies'} to ${log}; roster: ${result.roster.changed} learner(s) updated\n`,
    );
    return 0;
  },
});
