import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readRosterOrSay } from './roster-file';
import { massArchiveProblem } from '../synthesis/cohort-plan';
import { readLearnerIndex } from '../contracts/learner-index';
import { parsePlanJson } from '../contracts/terraform-plan';
import {
  confirmedEndOfCourse,
  planArchivesRosterLearner,
  plannedArchives,
  wantedFromIndex,
  wantedFromRoster,
} from '../synthesis/plan-guard';
import { readSettings, SETTINGS_ENV } from '../contracts/settings';
import { defineCommand, optionEnv, UsageError } from './command';
import { rosterArgument } from './common-options';

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${what}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      cause: err,
    });
  }
}

const options = {
  plan: { type: 'string', value: 'FILE', required: true, help: '`terraform show -json tfplan` of one cohort' },
  index: { type: 'string', value: 'FILE', help: "the cohort's learners.json (instead of the roster)" },
  cohort: {
    type: 'string',
    value: 'ID',
    help: "with the roster: the plan's cohort (required when the roster has several)",
  },
  'allow-mass-archive': {
    type: 'boolean',
    help: 'archive more than the removal guard allows',
    env: SETTINGS_ENV.allowMassArchive,
  },
} as const;

export const checkPlanCommand = defineCommand({
  name: 'check-plan',
  summary: 'refuse a Terraform plan that would archive a learner still in the roster',
  usage: ['--plan plan.json (--index learners.json | [roster.json] [--cohort ID]) [--allow-mass-archive]'],
  description: `Reads \`terraform show -json tfplan\` and refuses it (exit 1, the learners named) when it would
delete or replace the github_repository of a learner who is still in the roster (any learner of
the index not archived on purpose, or of the roster whose provisioning.state is not "archived"),
or when it would archive more of the cohort's rooms than the removal guard allows
($${SETTINGS_ENV.removalGuardShare}, $${SETTINGS_ENV.removalGuardMinimum}).`,
  argument: rosterArgument('the roster (instead of --index)'),
  options,
  exitStatus: '0 the plan is safe, 1 refused, 2 usage error.',
  usageProblems: ({ values, file }) =>
    !values.index === !file ? ['give exactly one of --index and the roster (the argument or --roster)'] : [],
  async run({ values, file: rosterFile }, io) {
    // The guard fails closed: a document that is not a plan, or a change it cannot read, is refused
    // rather than passed as "nothing archived".
    const { plan, problems: unreadable } = parsePlanJson(readText(resolve(io.cwd, values.plan), 'plan'), values.plan);
    if (unreadable.length > 0) {
      io.stderr(
        unreadable.map((p) => p.message).join('\n') +
          `\ncheck-plan: refused ${values.plan}: parts of it could not be read; do not apply it\n`,
      );
      return 1;
    }
    const { settings, errors: settingErrors } = readSettings(optionEnv(options, values, io.env));
    if (!settings) {
      io.stderr(settingErrors.join('\n') + '\n');
      return 1;
    }
    let wantedLearners;
    let cohort = values.cohort;
    let confirmed = new Set<string>();
    if (values.index) {
      const index = readLearnerIndex(resolve(io.cwd, values.index));
      wantedLearners = wantedFromIndex(index);
      confirmed = confirmedEndOfCourse(index);
      cohort ??= index.cohort_id;
    } else {
      // Given: exactly one of the two was checked above.
      const roster = readRosterOrSay(rosterFile ?? '', io);
      if (!roster) return 1;
      // A plan is one cohort's; a person in two cohorts (withdrawn from one) must be judged in the plan's.
      if (cohort === undefined && roster.cohorts.length > 1) {
        throw new UsageError([
          `give --cohort: a plan is one cohort's and ${rosterFile} has ${roster.cohorts.length} (${roster.cohorts.map((c) => c.cohort_id).join(', ')})`,
        ]);
      }
      wantedLearners = wantedFromRoster(roster, cohort, settings.repositoryPattern);
    }

    const problems: string[] = [];
    for (const r of planArchivesRosterLearner(plan, wantedLearners)) {
      problems.push(
        `learner "${r.github_handle}" (cohort ${r.cohort_id}) is still in the roster, but the plan would ${r.actions.join(' then ')} ${r.address} (archive the room)`,
      );
    }
    const { archived, existing, confirmed: ended } = plannedArchives(plan, confirmed);
    if (!settings.allowMassArchive) {
      const mass = massArchiveProblem(cohort ?? '(plan)', archived, existing, settings);
      if (mass) problems.push(mass);
    }
    if (problems.length) {
      io.stderr(problems.join('\n') + `\ncheck-plan: refused ${values.plan}; do not apply it\n`);
      return 1;
    }
    const endNote = ended > 0 ? `; ${ended} archived at the end of course, as the roster confirms` : '';
    io.stdout(
      `check-plan: ${values.plan} is safe (${archived.length} room${archived.length === 1 ? '' : 's'} archived of ${existing}${endNote})\n`,
    );
    return 0;
  },
});
