import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './io';
import { loadRoster, writeRosterFile } from '../roster';
import { writeFileAtomic } from '../shared/atomic-write';
import { registerFromIssue, renderRegistrationProblems } from '../gitops/issue-form';
import { registrationPullRequest } from '../gitops/registration-pull-request';

/** Form submissions are a few hundred bytes; anything far larger is not a registration. */
const MAX_BODY = 64 * 1024;

export const registerCommand: Command = {
  summary: 'turn a registration issue form into its author upserted in the roster',
  usage: `Usage: learning-rooms register --issue-body-file FILE --author LOGIN --roster roster.json
                          [--author-type TYPE] [--result-file FILE --issue-number N]

Reads the body of a submitted registration issue (.github/ISSUE_TEMPLATE/register.yml) and
upserts the issue's author into the cohort the form names: the registrant is always the author,
never a handle typed into the form. Checks the author, cohort and path with the roster's rules;
refuses bots and learners withdrawn from that cohort (provisioning state "archived"). A new
learner is pending; a known one keeps its provisioning and progress; no other entry changes.

  --issue-body-file FILE  the issue body, as GitHub rendered the form
  --author LOGIN          the issue's author (github.event.issue.user.login)
  --author-type TYPE      the author's account type (github.event.issue.user.type); Bot is refused
  --roster FILE           the roster to update in place (atomically); untouched when nothing changes
  --result-file FILE      write {github_handle, cohort_id, path, created, changed, title, body} as
                          JSON here: title and body are the pull request's
  --issue-number N        the registration issue (needed with --result-file)

Exit status: 0 upserted, or nothing to change (a one-line summary on stdout); 1 the submission has
problems (stdout is the Markdown comment that explains what to fix; the roster is untouched);
2 usage, I/O or an invalid roster.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        'issue-body-file': { type: 'string' },
        author: { type: 'string' },
        'author-type': { type: 'string' },
        roster: { type: 'string' },
        'result-file': { type: 'string' },
        'issue-number': { type: 'string' },
      },
    });
    if (!values['issue-body-file'] || !values.roster || !values.author)
      throw new Error('--issue-body-file, --author and --roster are required');
    const issue = values['issue-number'];
    if (issue !== undefined && !/^[1-9][0-9]*$/.test(issue))
      throw new Error(`--issue-number must be an issue number, e.g. 12; found ${JSON.stringify(issue)}`);
    if (values['result-file'] && issue === undefined)
      throw new Error('--result-file needs --issue-number: the pull request closes that issue');
    const rosterPath = resolve(io.cwd, values.roster);
    const body = readFileSync(resolve(io.cwd, values['issue-body-file']), 'utf8').slice(0, MAX_BODY);
    const author = { login: values.author, type: values['author-type'] || undefined };
    const result = registerFromIssue(body, loadRoster(rosterPath), author);
    if (!result.roster) {
      io.stdout(renderRegistrationProblems(result.problems) + '\n');
      return 1;
    }
    const unchanged = !result.created && result.changed.length === 0;
    // Not even rewritten: a roster that is not in canonical form would otherwise show a diff.
    if (!unchanged) writeRosterFile(rosterPath, result.roster);
    const { github_handle, cohort_id, path } = result.patch;
    if (values['result-file'] && issue !== undefined) {
      const { title, body: prBody } = registrationPullRequest(result, Number(issue));
      const out = {
        github_handle,
        cohort_id,
        path,
        created: result.created,
        changed: result.changed,
        title,
        body: prBody,
      };
      writeFileAtomic(resolve(io.cwd, values['result-file']), JSON.stringify(out) + '\n');
    }
    if (unchanged)
      io.stdout(`Learner ${github_handle} is already in cohort ${cohort_id} with these details: nothing to change.\n`);
    else
      io.stdout(
        `${result.created ? 'Added' : 'Updated'} learner ${github_handle} in cohort ${cohort_id} (path ${path}).\n`,
      );
    return 0;
  },
};
