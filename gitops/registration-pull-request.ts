/**
 * The title and body of the pull request a registration opens, from the registration's result.
 * Pure: the Register workflow's script (.github/scripts/register-pr.sh) sets them when it opens
 * the pull request and again after every edit of the issue, so they always match its contents.
 */
import type { RegistrationPatch, UpdatedField } from './issue-form';
import { code } from './markdown';

export interface RegistrationPullRequest {
  title: string;
  body: string;
}

const FIELD_NAMES: Record<UpdatedField, string> = { path: 'path', name: 'name', email: 'email' };

/**
 * `issueNumber` is the registration issue the pull request closes. The handle and the cohort id
 * come out of the register command already checked (a GitHub login and a roster cohort id), so
 * they are safe in a title; in the body they are code spans all the same, so nobody is mentioned.
 */
export function registrationPullRequest(
  r: { patch: RegistrationPatch; created: boolean; changed: UpdatedField[] },
  issueNumber: number,
): RegistrationPullRequest {
  const { github_handle: handle, cohort_id: cohort, path } = r.patch;
  const who = code(handle, 60);
  let what: string;
  if (r.created) {
    what = `Adds learner ${who} to cohort ${code(cohort)} on path ${code(path)}. The plan comment below shows the learning room this creates; merge to provision it.`;
  } else {
    // Name and email are personal data: the diff shows their values to the reviewer, the body does not.
    const changes = r.changed.map((f) => (f === 'path' ? `path ${code(path)}` : `${FIELD_NAMES[f]} changed`));
    what = `Updates learner ${who} in cohort ${code(cohort)}: ${changes.length > 0 ? changes.join(', ') : 'no change'}. The plan comment below shows what this does to the learning room.`;
  }
  return {
    title: `Register ${handle} in ${cohort}`,
    body: [
      what,
      '',
      `Registered by ${who}, from registration issue #${issueNumber}. The handle is the issue's author (the account that opened it), never a name typed into the form, so nobody can register someone else.`,
      '',
      'Editing the issue updates this pull request: the branch is rebuilt from `main` and this title and description follow the new contents (or it is closed, when `main` already has them).',
      '',
      `Closes #${issueNumber}`,
      '',
    ].join('\n'),
  };
}
