/**
 * The registration front door: a GitHub issue form (`.github/ISSUE_TEMPLATE/register.yml`) whose
 * submitted body becomes a learner for the roster. GitHub renders a form submission as one
 * `### <label>` section per field, with `_No response_` for an optional field left empty.
 */
import { explainHandle, findLearner, Roster, sameHandle, upsertLearner, validateRoster } from '../roster';
import { code, text } from './markdown';

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

/** Deliberately loose: the roster schema (format "email") has the last word. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Field of a learner in a roster error path (`learners[3].email` -> `email`). */
function learnerField(path: string): RegistrationField | undefined {
  const m = /^learners\[\d+\]\.(\w+)/.exec(path);
  const f = m?.[1];
  return f !== undefined && f in REGISTRATION_FIELDS ? (f as RegistrationField) : undefined;
}

export type RegistrationResult =
  | { roster: Roster; patch: RegistrationPatch; created: boolean; problems: [] }
  | { roster?: undefined; patch?: undefined; created?: undefined; problems: RegistrationProblem[] };

/**
 * Turns a submitted form into the roster with that learner upserted (a new learner is pending;
 * a known one keeps its provisioning and progress), or into every problem found, each phrased for
 * the person who filled in the form. The result is checked with the roster's own validation.
 */
export function registerFromIssue(body: string, roster: Roster): RegistrationResult {
  const form = parseIssueFormBody(body);
  const get = (f: RegistrationField) => form.get(REGISTRATION_FIELDS[f]);
  const problems: RegistrationProblem[] = [];

  // People often paste "@handle" or their profile URL; both name the handle unambiguously.
  const handle = get('github_handle')?.replace(/^https?:\/\/github\.com\//i, '').replace(/^@/, '').replace(/\/+$/, '');
  if (handle === undefined) {
    problems.push({ field: 'github_handle', message: 'is missing: enter your GitHub user name, e.g. `octocat`.' });
  } else {
    const why = explainHandle(handle);
    if (why) problems.push({ field: 'github_handle', message: `${code(handle, 60)} is not a GitHub user name: ${text(why)}.` });
  }

  const cohort = get('cohort_id');
  const known = roster.cohorts.map((c) => c.cohort_id);
  const knownText = known.length > 0 ? `Known cohorts: ${known.map((c) => code(c)).join(', ')}.` : 'The roster has no cohorts yet: ask the facilitator.';
  const matched = cohort === undefined ? undefined : known.find((c) => c.toLowerCase() === cohort.toLowerCase());
  if (cohort === undefined) problems.push({ field: 'cohort_id', message: `is missing. ${knownText}` });
  else if (matched === undefined) problems.push({ field: 'cohort_id', message: `${code(cohort, 60)} is not a cohort of this workshop. ${knownText}` });

  const path = get('path')?.toLowerCase();
  if (path === undefined) problems.push({ field: 'path', message: 'is missing: enter the learning path you follow, e.g. `web`.' });

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
  const created = findLearner(roster, handle, matched) === undefined;
  const updated = upsertLearner(roster, patch);
  // Whatever else the roster's rules say about this learner (path format, email format, ...).
  const index = updated.learners.findIndex((l) => sameHandle(l.github_handle, handle) && l.cohort_id === matched);
  for (const e of validateRoster(updated)) {
    if (!e.path.startsWith(`learners[${index}]`)) continue;
    const field = learnerField(e.path) ?? 'github_handle';
    problems.push({ field, message: `expected ${text(e.expected)}; found ${code(e.found, 60)}.` });
  }
  return problems.length > 0 ? { problems } : { roster: updated, patch, created, problems: [] };
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
