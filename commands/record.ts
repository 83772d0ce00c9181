import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LogRefusedError } from '../provisioning/log-file';
import { recordRun } from '../provisioning/record';
import { escapeControls } from '../shared/terminal-text';
import { formatRosterError, readRosterFile } from '../roster';
import { planCohorts } from '../synthesis/cohort-plan';
import { buildLearnerIndex } from '../synthesis/index-writer';
import type { LearnerIndex } from '../contracts/learner-index';
import { readSettings } from '../contracts/settings';
import type { Command } from './io';

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

export const recordCommand: Command = {
  summary: 'after an apply: record each learner’s outcome in the provisioning log and the roster',
  usage: `Usage: learning-rooms record --plan plan.json --apply apply.jsonl (--index learners.json | --cohort C) [options]

The post-step after \`terraform apply -json PLANFILE\` for one stack (one cohort). Classifies what
the apply did for every learner of the stack (created, already-exists, healed, archived, queued,
failed with a cause), appends one entry per learner to the provisioning log, then updates each
learner's provisioning state in the roster, and prints a Markdown summary.

  --plan FILE          \`terraform show -json PLANFILE\` of the plan that was applied
  --apply FILE         the \`terraform apply -json PLANFILE\` output (JSON Lines)
  --index FILE         the stack's learner index (cdktf.out/stacks/<stack>/learners.json)
  --cohort C           instead of --index: rebuild cohort C's index from the roster with the
                       current synthesis settings (for a stack synthesized from this roster)
  --roster FILE        the roster to update (default: roster.json)
  --log FILE           the provisioning log (default: provisioning-log.json)
  --run-id ID          this run's id (default: $GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT)
  --commit SHA         the commit applied (default: $GITHUB_SHA)
  --summary-file FILE  also append the summary here (default: $GITHUB_STEP_SUMMARY when set)

Recording the same run twice appends nothing. The log is never rewritten: when it fails
verification (also an entry dated in the future or out of order), when this apply started
before an apply already recorded (beyond a 10-minute clock skew), or when the log changed
during the run, nothing is written (exit 1).

Exit status: 0 recorded (also when learners failed: see the summary), 1 refused, 2 usage or input error.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        plan: { type: 'string' },
        apply: { type: 'string' },
        index: { type: 'string' },
        cohort: { type: 'string' },
        roster: { type: 'string', default: 'roster.json' },
        log: { type: 'string', default: 'provisioning-log.json' },
        'run-id': { type: 'string' },
        commit: { type: 'string' },
        'summary-file': { type: 'string' },
      },
      allowPositionals: false,
    });
    const missing: string[] = (['plan', 'apply'] as const).filter((k) => !values[k]);
    if (!values.index && !values.cohort) missing.push('index (or --cohort)');
    const envRun = io.env.GITHUB_RUN_ID
      ? `${io.env.GITHUB_RUN_ID}${io.env.GITHUB_RUN_ATTEMPT ? `-${io.env.GITHUB_RUN_ATTEMPT}` : ''}`
      : undefined;
    const runId = values['run-id'] ?? envRun;
    if (!runId) missing.push('run-id');
    if (missing.length > 0) throw new Error(`missing ${missing.map((m) => `--${m}`).join(', ')} (see --help)`);
    const at = (p: string) => resolve(io.cwd, p);
    let index: LearnerIndex | undefined;
    if (!values.index) {
      const rebuilt = indexFromRoster(at(values.roster as string), values.cohort as string, io.env);
      if ('errors' in rebuilt) {
        io.stderr(rebuilt.errors.map((e) => `learning-rooms record: ${e}\n`).join(''));
        return 2;
      }
      index = rebuilt.index;
    }
    let result;
    try {
      result = recordRun({
        planPath: at(values.plan as string),
        applyPath: at(values.apply as string),
        indexPath: values.index ? at(values.index) : undefined,
        index,
        rosterPath: at(values.roster as string),
        logPath: at(values.log as string),
        runId: runId as string,
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
    const summaryFile = values['summary-file'] ?? io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) appendFileSync(at(summaryFile), result.markdown + '\n');
    const n = result.log.appended.length;
    io.stderr(
      result.log.alreadyRecorded
        ? `run ${runId} was already recorded for cohort ${result.cohort}: nothing appended; roster: ${result.roster.changed} learner(s) updated\n`
        : `appended ${n} entr${n === 1 ? 'y' : 'ies'} to ${values.log}; roster: ${result.roster.changed} learner(s) updated\n`,
    );
    return 0;
  },
};
