/**
 * The registration front door: a GitHub issue form (`.github/ISSUE_TEMPLATE/register.yml`) whose
 * submitted body becomes a learner for the roster. GitHub renders a form submission as one
 * `### <label>` section per field, with `_No response_` for an optional field left empty.
 */
import type { Roster } from '../roster/types';
import { code } from './markdown';

/** The form's field labels: the template and this parser must agree (a test checks both). */
export const REGISTRATION_FIELDS = {
  github_handle: 'GitHub handle',
  cohort_id: 'Cohort',
  path: 'Learning path',
  name: 'Name (optional)',
  email: 'Email (optional)',
} as const;
export type RegistrationField = keyof typeof REGISTRATION_FIELDS;

const NO_RESPONSE = '_No response_';

/** Label -> value for every `### label` section; an empty or `_No response_` value is undefined. */
export function parseIssueFormBody(body: string): Map<string, string | undefined> {
  const sections = new Map<string, string | undefined>();
  let label: string | undefined;
  let value: string[] = [];
  const close = () => {
    if (label === undefined || sections.has(label)) return; // the first section of a label wins
    const v = value.join('\n').trim();
    sections.set(label, v === '' || v === NO_RESPONSE ? undefined : v);
  };
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    const m = /^###\s+(.+?)\s*$/.exec(line);
    if (m) {
      close();
      label = m[1];
      value = [];
    } else if (label !== undefined) {
      value.push(line);
    }
  }
  close();
  return sections;
}

export interface RegistrationPatch {
  github_handle: string;
  cohort_id: string;
  path: string;
  name?: string;
  email?: string;
}

export interface RegistrationProblem {
  field: RegistrationField;
  /** What is wrong and what to enter instead, for the person who filled the form. */
  message: string;
}

/** GitHub's rule for a login: 1-39 letters, digits or single hyphens, no hyphen at either end. */
export const GITHUB_HANDLE = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** Deliberately loose: the roster module has the last word; this catches a missing "@" or space. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PATH = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Turns a submitted form into a learner patch for `upsertLearner`, or into every problem found,
 * each phrased for the person who filled in the form.
 */
export function registrationFromIssue(
  body: string,
  roster: Pick<Roster, 'cohorts'>,
): { patch: RegistrationPatch; problems: [] } | { patch?: undefined; problems: RegistrationProblem[] } {
  const form = parseIssueFormBody(body);
  const get = (f: RegistrationField) => form.get(REGISTRATION_FIELDS[f]);
  const problems: RegistrationProblem[] = [];

  // People often paste "@handle" or a profile URL; both name the handle unambiguously.
  const rawHandle = get('github_handle');
  const handle = rawHandle?.replace(/^https?:\/\/github\.com\//i, '').replace(/^@/, '').replace(/\/+$/, '');
  if (handle === undefined) {
    problems.push({ field: 'github_handle', message: 'is missing: enter your GitHub user name, e.g. `octocat`.' });
  } else if (!GITHUB_HANDLE.test(handle)) {
    problems.push({
      field: 'github_handle',
      message: `${code(handle, 60)} is not a GitHub user name: it must be 1 to 39 letters, digits or single hyphens, and cannot start or end with a hyphen.`,
    });
  }

  const cohort = get('cohort_id');
  const known = roster.cohorts.map((c) => c.cohort_id);
  const knownText = known.length > 0 ? `Known cohorts: ${known.map((c) => code(c)).join(', ')}.` : 'The roster has no cohorts yet: ask the facilitator.';
  const matched = cohort === undefined ? undefined : known.find((c) => c.toLowerCase() === cohort.toLowerCase());
  if (cohort === undefined) {
    problems.push({ field: 'cohort_id', message: `is missing. ${knownText}` });
  } else if (matched === undefined) {
    problems.push({ field: 'cohort_id', message: `${code(cohort, 60)} is not a cohort of this workshop. ${knownText}` });
  }

  const path = get('path');
  if (path === undefined) {
    problems.push({ field: 'path', message: 'is missing: enter the learning path you follow, e.g. `web`.' });
  } else if (!PATH.test(path)) {
    problems.push({ field: 'path', message: `${code(path, 60)} is not a path name: use letters, digits, \`.\`, \`_\` or \`-\` (at most 64).` });
  }

  const email = get('email');
  if (email !== undefined && !EMAIL.test(email)) {
    problems.push({ field: 'email', message: 'does not look like an email address: leave it empty or enter one like `name@example.org`.' });
  }
  const name = get('name');
  if (name !== undefined && (name.length > 200 || /[\n<>]/.test(name))) {
    problems.push({ field: 'name', message: 'must be one line of at most 200 characters, without `<` or `>`.' });
  }

  if (problems.length > 0 || handle === undefined || matched === undefined || path === undefined) return { problems };
  const patch: RegistrationPatch = { github_handle: handle, cohort_id: matched, path };
  if (name !== undefined) patch.name = name;
  if (email !== undefined) patch.email = email;
  return { patch, problems: [] };
}

export const REGISTER_COMMENT_MARKER = '<!-- learning-rooms:register -->';

/** The comment that tells the person who registered what to fix. */
export function renderRegistrationProblems(problems: RegistrationProblem[]): string {
  return [
    REGISTER_COMMENT_MARKER,
    'Thanks for registering! This registration cannot be added to the roster yet:',
    '',
    ...problems.map((p) => `- **${REGISTRATION_FIELDS[p.field]}** ${p.message}`),
    '',
    'Edit this issue to correct it (use **Edit** on the issue description); the check runs again on every edit.',
  ].join('\n');
}
