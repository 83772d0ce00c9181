import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readRosterOrSay } from './roster-file';
import { readSettings, SETTINGS_ENV } from '../contracts/settings';
import { inspectCourseRooms, inspectRooms, listOwnerRepositories } from '../reconstruct/github';
import { createClient } from '../shared/github-client';
import { readGitHubCredentials } from '../shared/github-credentials';
import { IMPORTS_DIR_ENV, readImportsFile, writeImportsFiles } from '../contracts/import-entries';
import { matchRooms, selectCohorts } from '../reconstruct/match';
import { buildReconstruction } from '../reconstruct/plan';
import { formatReport } from '../reconstruct/report-text';
import { verifyAdoptionPlan } from '../reconstruct/verify-plan';
import { parsePlanJson, type TerraformPlanJson } from '../contracts/terraform-plan';
import type { CliIo } from './io';
import { defineCommand, optionEnv, UsageError } from './command';
import { AT, DRY_RUN, GITHUB_OPTIONS, outDir, rosterArgument } from './common-options';

function verifyPlan(planFile: string, cohorts: string[], outDir: string, io: CliIo): number {
  if (cohorts.length !== 1) throw new UsageError(["--verify-plan needs exactly one --cohort (a plan is one cohort's)"]);
  const file = readImportsFile(outDir, cohorts[0]);
  if (!file) throw new Error(`no import entries for cohort ${cohorts[0]} in ${outDir}`);
  let plan: TerraformPlanJson;
  try {
    const read = parsePlanJson(readFileSync(resolve(io.cwd, planFile), 'utf8'), planFile);
    // Fail closed, as check-plan does: a change that cannot be read is not a change that is fine.
    if (read.problems.length > 0) throw new Error(read.problems.map((p) => p.message).join('; '));
    plan = read.plan;
  } catch (err) {
    throw new Error(
      `--verify-plan: expected \`terraform show -json tfplan\` output in ${planFile} (${(err as Error).message})`,
      { cause: err },
    );
  }
  const check = verifyAdoptionPlan(plan, file);
  const line = `cohort ${cohorts[0]}: ${check.imported} imported, ${check.expectedCreations} created as reported missing, ${check.updatedInPlace} updated in place`;
  if (check.problems.length === 0) {
    io.stdout(`${line}: the plan adopts every existing resource and destroys nothing\n`);
    return 0;
  }
  io.stderr(
    `${line}\n${check.problems.join('\n')}\nrefused: ${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}; do not apply this plan\n`,
  );
  return 1;
}

const options = {
  cohort: {
    type: 'string',
    multiple: true,
    value: 'ID',
    help: 'a cohort to reconstruct; repeat for several (default: every cohort)',
  },
  at: {
    ...AT,
    help: "a course's rooms: the instant whose open assignments are adopted (as synthesis reads it; rooms of assignments not yet open are reported, not imported); default: the run's start, now",
  },
  'out-dir': outDir('where to write <cohort>.json (default: ./imports)', ['out']),
  json: { type: 'boolean', help: 'print the report as JSON instead of text' },
  'verify-plan': {
    type: 'string',
    value: 'FILE',
    help: 'check `terraform show -json tfplan` of the cohort against DIR/<cohort>.json: every entry imported with its id, nothing adopted destroyed or replaced, nothing created that was not reported missing. No GitHub access.',
  },
  ...GITHUB_OPTIONS,
  'dry-run': { ...DRY_RUN, help: `${DRY_RUN.help}: read GitHub and print the report, no import entries written` },
} as const;

export const reconstructCommand = defineCommand({
  name: 'reconstruct',
  summary: 'rebuild Terraform import entries from GitHub and the roster (after a lost state, or to adopt repositories)',
  usage: [
    '[roster.json] [--cohort ID ...] [--out-dir DIR] [options]',
    '--verify-plan plan.json --cohort ID [--out-dir DIR]',
  ],
  description: `Lists the repositories of the student owner, matches them to roster learners (the
cohort's repository_pattern, or a learner's explicit "repository"; names and handles
compared case-insensitively), checks which collaborators (a pending invitation
counts) and required files exist (a course's rooms at --at: each open assignment's
room per learner or team, its collaborators list, required files, feedback branch
and pull request), and writes one file of Terraform import entries
per cohort: DIR/<cohort>.json. Synthesis turns them into import blocks when
${IMPORTS_DIR_ENV}=DIR. Only objects seen to exist are imported; what is
missing is reported and left to the plan to create.`,
  argument: rosterArgument('the roster', { default: 'roster.json' }),
  options,
  environment: `${SETTINGS_ENV.repositoryPattern} (as for synthesis); credentials as for the provider: GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PEM_FILE, or GITHUB_TOKEN.`,
  exitStatus: `0 written (or the plan verified), 1 learners share a repository name (nothing imported for them), the roster/settings are invalid or the plan is refused, 2 usage error.`,
  async run({ values, file: rosterFile = 'roster.json' }, io) {
    const importsDir = resolve(io.cwd, values['out-dir'] ?? 'imports');
    if (values['verify-plan'] !== undefined)
      return verifyPlan(values['verify-plan'], values.cohort ?? [], importsDir, io);
    const roster = readRosterOrSay(rosterFile, io);
    if (!roster) return 1;
    const { cohorts, unknown } = selectCohorts(roster, values.cohort);
    const problems: string[] = unknown.map(
      (id) =>
        `--cohort: expected a cohort of the roster (${roster.cohorts.map((c) => c.cohort_id).join(', ')}), found "${id}"`,
    );
    const { settings, errors: settingErrors } = readSettings(optionEnv(options, values, io.env));
    problems.push(...settingErrors);
    const { credentials, errors: credentialErrors } = readGitHubCredentials(io.env);
    problems.push(...credentialErrors);
    if (problems.length || !settings || !credentials) {
      io.stderr(problems.join('\n') + '\n');
      return 1;
    }

    // Loaded here: the naming bridge reads the LearningRoom construct (cdktf), which --verify-plan does not need.
    const { synthesisNaming } = await import('../reconstruct/naming');
    const octokit = createClient({
      baseUrl: settings.baseUrl,
      auth: credentials.auth,
      userAgent: 'learning-rooms-reconstruct',
      maxRateLimitWaitSeconds: 120,
      warn: (m) => io.stderr(`warning: ${m}\n`),
    });
    const repositories = await listOwnerRepositories(octokit, settings.owner);
    const cohortIds = cohorts.map((c) => c.cohort_id);
    const matching = matchRooms({
      roster,
      cohortIds,
      naming: synthesisNaming(settings.repositoryPattern),
      repositories,
      at: new Date(settings.at ?? settings.runStartedAt ?? Date.now()),
    });
    const inspections = await inspectRooms(octokit, settings.owner, matching.matched);
    const courseInspections = await inspectCourseRooms(octokit, settings.owner, matching.course?.matched ?? []);
    const report = buildReconstruction(settings.owner, cohortIds, matching, inspections, courseInspections);
    const written = values['dry-run']
      ? []
      : writeImportsFiles(importsDir, settings.owner, report.cohorts, new Date().toISOString());
    if (values.json) io.stdout(JSON.stringify({ ...report, written }, null, 2) + '\n');
    else
      io.stdout(
        formatReport(report, written) + (values['dry-run'] ? `dry run: nothing written to ${importsDir}\n` : ''),
      );
    return matching.conflicts.length || matching.course?.conflicts.length ? 1 : 0;
  },
});
