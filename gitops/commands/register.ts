import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../../cli/io';
import { loadRoster, writeRosterFile } from '../../roster';
import { writeFileAtomic } from '../../shared/atomic-write';
import { registerFromIssue, renderRegistrationProblems } from '../issue-form';

/** Form submissions are a few hundred bytes; anything far larger is not a registration. */
const MAX_BODY = 64 * 1024;

export const registerCommand: Command = {
  summary: 'turn a registration issue form into a learner upserted in the roster',
  usage: `Usage: learning-rooms register --issue-body-file FILE --roster roster.json [--result-file FILE]

Reads the body of a submitted registration issue (.github/ISSUE_TEMPLATE/register.yml), checks
the handle, cohort and path with the roster's rules, and upserts the learner into the roster
(a new learner is pending; a known one keeps its provisioning and progress).

  --issue-body-file FILE  the issue body, as GitHub rendered the form
  --roster FILE           the roster to update in place (atomically)
  --result-file FILE      write {github_handle, cohort_id, path, created} as JSON here

Exit status: 0 upserted (a one-line summary on stdout); 1 the submission has problems (stdout is
the Markdown comment that explains what to fix; the roster is untouched); 2 usage, I/O or an
invalid roster.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { 'issue-body-file': { type: 'string' }, roster: { type: 'string' }, 'result-file': { type: 'string' } },
    });
    if (!values['issue-body-file'] || !values.roster) throw new Error('--issue-body-file and --roster are required');
    const rosterPath = resolve(io.cwd, values.roster);
    const body = readFileSync(resolve(io.cwd, values['issue-body-file']), 'utf8').slice(0, MAX_BODY);
    const result = registerFromIssue(body, loadRoster(rosterPath));
    if (!result.roster) {
      io.stdout(renderRegistrationProblems(result.problems) + '\n');
      return 1;
    }
    writeRosterFile(rosterPath, result.roster);
    const { github_handle, cohort_id, path } = result.patch;
    if (values['result-file']) {
      writeFileAtomic(resolve(io.cwd, values['result-file']), JSON.stringify({ github_handle, cohort_id, path, created: result.created }) + '\n');
    }
    io.stdout(`${result.created ? 'Added' : 'Updated'} learner ${github_handle} in cohort ${cohort_id} (path ${path}).\n`);
    return 0;
  },
};
