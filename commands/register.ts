import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineCommand } from './command';
import { DRY_RUN, outFile, rosterArgument } from './common-options';
import { loadRoster, writeRosterFile } from '../roster';
import { writeFileAtomic } from '../shared/atomic-write';
import { registerFromIssue, renderRegistrationProblems } from '../gitops/issue-form';
import { registrationPullRequest } from '../gitops/registration-pull-request';

/** Form submissions are a few hundred bytes; anything far larger is not a registration. */
const MAX_BODY = 64 * 1024;

const options = {
  'issue-body-file': {
    type: 'string',
    value: 'FILE',
    required: true,
    help: 'the issue body, as GitHub rendered the form',
  },
  author: {
    type: 'string',
    value: 'LOGIN',
    required: true,
    help: "the issue's author (github.event.issue.user.login)",
  },
  'author-type': {
    type: 'string',
    value: 'TYPE',
    help: "the author's account type (github.event.issue.user.type); Bot is refused",
  },
  out: outFile(
    "write {github_handle, cohort_id, path, created, changed, title, body} as JSON here: title and body are the pull request's",
    ['result-file'],
  ),
  'issue-number': { type: 'string', value: 'N', help: 'the registration issue (needed with --out)' },
  'dry-run': {
    ...DRY_RUN,
    help: `${DRY_RUN.help}: check the submission and print what would change; roster and --out untouched`,
  },
} as const;

export const registerCommand = defineCommand({
  name: 'register',
  summary: 'turn a registration issue form into its author upserted in the roster',
  usage: [
    '[roster.json] --issue-body-file FILE --author LOGIN [--author-type TYPE] [--out FILE --issue-number N] [--dry-run]',
  ],
  description: `Reads the body of a submitted registration issue (.github/ISSUE_TEMPLATE/register.yml) and
upserts the issue's author into the cohort the form names: the registrant is always the author,
never a handle typed into the form. Checks the author, cohort and path with the roster's rules;
refuses bots and learners withdrawn from that cohort (provisioning state "archived"). A new
learner is pending; a known one keeps its provisioning and progress; no other entry changes.`,
  argument: rosterArgument('the roster to update in place (atomically); untouched when nothing changes', {
    required: true,
  }),
  options,
  exitStatus: `0 upserted, or nothing to change (a one-line summary on stdout); 1 the submission has problems (stdout is the Markdown comment that explains what to fix; the roster is untouched); 2 usage, I/O or an invalid roster.`,
  usageProblems: ({ values }) => {
    const issue = values['issue-number'];
    return [
      ...(issue !== undefined && !/^[1-9][0-9]*$/.test(issue)
        ? [`--issue-number must be an issue number, e.g. 12; found ${JSON.stringify(issue)}`]
        : []),
      ...(values.out && issue === undefined ? ['--out needs --issue-number: the pull request closes that issue'] : []),
    ];
  },
  // The roster is required: the parser refuses a command line without it.
  async run({ values, file = '' }, io) {
    const issue = values['issue-number'];
    const rosterPath = resolve(io.cwd, file);
    const body = readFileSync(resolve(io.cwd, values['issue-body-file']), 'utf8').slice(0, MAX_BODY);
    const author = { login: values.author, type: values['author-type'] || undefined };
    const result = registerFromIssue(body, loadRoster(rosterPath), author);
    if (!result.roster) {
      io.stdout(renderRegistrationProblems(result.problems) + '\n');
      return 1;
    }
    const unchanged = !result.created && result.changed.length === 0;
    // Not even rewritten: a roster that is not in canonical form would otherwise show a diff.
    const dryRun = values['dry-run'] === true;
    if (!unchanged && !dryRun) writeRosterFile(rosterPath, result.roster);
    const { github_handle, cohort_id, path } = result.patch;
    if (values.out && issue !== undefined && !dryRun) {
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
      writeFileAtomic(resolve(io.cwd, values.out), JSON.stringify(out) + '\n');
    }
    if (unchanged)
      io.stdout(`Learner ${github_handle} is already in cohort ${cohort_id} with these details: nothing to change.\n`);
    else
      io.stdout(
        `${result.created ? 'Added' : 'Updated'} learner ${github_handle} in cohort ${cohort_id} (path ${path})${dryRun ? ': dry run, nothing written' : ''}.\n`,
      );
    return 0;
  },
});
