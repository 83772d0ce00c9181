import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatRosterError, readRosterFile } from '../../roster';
import { readSettings, SETTINGS_ENV } from '../../synthesis/settings';
import { authFromEnv, createClient, inspectRooms, listOwnerRepositories } from '../../reconstruct/github';
import { writeImportsFiles } from '../../reconstruct/imports-file';
import { matchRooms, selectCohorts } from '../../reconstruct/match';
import { synthesisNaming } from '../../reconstruct/naming';
import { buildReconstruction } from '../../reconstruct/plan';
import { formatReport } from '../../reconstruct/report-text';
import { IMPORTS_DIR_ENV } from '../../synthesis/imports';
import type { Command } from '../io';

export const reconstructCommand: Command = {
  summary: 'rebuild Terraform import entries from GitHub and the roster (after a lost state, or to adopt repositories)',
  usage: `Usage: learning-rooms reconstruct [--roster roster.json] [--cohort ID ...] [--out DIR] [--json]

Lists the repositories of the student owner, matches them to roster learners (the
cohort's repository_pattern, or a learner's explicit "repository"; names and handles
compared case-insensitively), checks which collaborators (a pending invitation
counts) and required files exist, and writes one file of Terraform import entries
per cohort: DIR/<cohort>.json. Synthesis turns them into import blocks when
${IMPORTS_DIR_ENV}=DIR. Only objects seen to exist are imported; what is
missing is reported and left to the plan to create.

  --roster FILE   the roster (default: ./roster.json)
  --cohort ID     a cohort to reconstruct; repeat for several (default: every cohort)
  --out DIR       where to write <cohort>.json (default: ./imports)
  --json          print the report as JSON instead of text

Environment: ${SETTINGS_ENV.owner}, ${SETTINGS_ENV.baseUrl}, ${SETTINGS_ENV.repositoryPattern}
(as for synthesis); credentials as for the provider: GITHUB_APP_ID,
GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PEM_FILE, or GITHUB_TOKEN.

Exit status: 0 written, 1 learners share a repository name (nothing imported for
them) or the roster/settings are invalid, 2 usage error.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { roster: { type: 'string' }, cohort: { type: 'string', multiple: true }, out: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: false,
    });
    const rosterFile = values.roster ?? 'roster.json';
    const { roster, errors } = readRosterFile(resolve(io.cwd, rosterFile));
    if (!roster) {
      io.stderr(errors.map((e) => formatRosterError(e, rosterFile)).join('\n') + '\n');
      return 1;
    }
    const { cohorts, unknown } = selectCohorts(roster, values.cohort);
    const problems: string[] = unknown.map((id) => `--cohort: expected a cohort of the roster (${roster.cohorts.map((c) => c.cohort_id).join(', ')}), found "${id}"`);
    const { settings, errors: settingErrors } = readSettings(io.env);
    problems.push(...settingErrors);
    const { auth, error: authError } = authFromEnv(io.env);
    if (authError) problems.push(authError);
    if (problems.length || !settings || !auth) {
      io.stderr(problems.join('\n') + '\n');
      return 1;
    }

    const octokit = createClient({ baseUrl: settings.baseUrl, auth, warn: (m) => io.stderr(`warning: ${m}\n`) });
    const repositories = await listOwnerRepositories(octokit, settings.owner);
    const cohortIds = cohorts.map((c) => c.cohort_id);
    const matching = matchRooms({ roster, cohortIds, naming: synthesisNaming(settings.repositoryPattern), repositories });
    const inspections = await inspectRooms(octokit, settings.owner, matching.matched);
    const report = buildReconstruction(settings.owner, cohortIds, matching, inspections);
    const written = writeImportsFiles(resolve(io.cwd, values.out ?? 'imports'), settings.owner, report.cohorts, new Date().toISOString());
    if (values.json) io.stdout(JSON.stringify({ ...report, written }, null, 2) + '\n');
    else io.stdout(formatReport(report, written));
    return matching.conflicts.length ? 1 : 0;
  },
};
