/**
 * The registration front door: a GitHub issue form (`.github/ISSUE_TEMPLATE/register.yml`) whose
 * submitted body becomes a learner for the roster. GitHub renders a form submission as one
 * `### <label>` section per field, with `_No response_` for an optional field left empty.
 */
import {
  explainHandle,
  findLearner,
  Learner,
  Roster,
  RosterError,
  sameHandle,
  upsertLearner,
  validateRoster,
} from '../roster';
import { code, text } from './markdown';

/**
 * The form's field labels: the template and this parser must agree (a test checks both). There is
 * no handle field: the registrant is the issue's author, never a name typed into the form.
 */
export const REGISTRATION_FIELDS = {
  cohort_id: 'Cohort',
  path: 'Learning path',
  name: 'Name (optional)',
  email: 'Email (optional)',
} as const;
export type RegistrationField = keyof typeof REGISTRATION_FIELDS;

/** The form once asked for a handle: issues opened with that form still carry this section. */
export const LEGACY_HANDLE_LABEL = 'GitHub handle';

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

/** Who opened the issue, as the event says (`issue.user.login`, `issue.user.type`). */
export interface IssueAuthor {
  login: string;
  /** GitHub's account type: `User`, `Bot`, ...; absent when not known. */
  type?: string;
}

/** What a problem is about: a form field, the old form's handle section, or the registrant. */
export type ProblemSubject = RegistrationField | 'github_handle' | 'registrant';

export interface RegistrationProblem {
  field: ProblemSubject;
  /** What is wrong and what to do instead, for the person who opened the issue. */
  message: string;
}

const PROBLEM_LABELS: Record<ProblemSubject, string | undefined> = {
  ...REGISTRATION_FIELDS,
  github_handle: LEGACY_HANDLE_LABEL,
  registrant: undefined,
};

/** Deliberately loose: the roster schema (format "email") has the last word. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Field of a learner in a roster error path (`learners[3].email` -> `email`). */
function learnerField(path: string): RegistrationField | undefined {
  const m = /^learners\[\d+\]\.(\w+)/.exec(path);
  const f = m?.[1];
  return f !== undefined && f in REGISTRATION_FIELDS ? (f as RegistrationField) : undefined;
}

/** The fields a registration may change on a learner already in the cohort. */
const UPDATABLE = ['path', 'name', 'email'] as const;
export type UpdatedField = (typeof UPDATABLE)[number];

export type RegistrationResult =
  | {
      roster: Roster;
      patch: RegistrationPatch;
      created: boolean;
      /** For a learner already in the cohort: the fields that change (empty: nothing to change). */
      changed: UpdatedField[];
      problems: [];
    }
  | {
      roster?: undefined;
      patch?: undefined;
      created?: undefined;
      changed?: undefined;
      problems: RegistrationProblem[];
    };

/** People often pasted "@handle" or their profile URL; both name the handle unambiguously. */
function typedHandle(value: string): string {
  return value
    .replace(/^https?:\/\/github\.com\//i, '')
    .replace(/^@/, '')
    .replace(/\/+$/, '');
}

export function isBotAuthor(author: IssueAuthor): boolean {
  return /\[bot\]$/i.test(author.login) || author.type?.toLowerCase() === 'bot';
}

/** Problems with who is registering: a bot, a login the roster cannot hold, a form naming someone else. */
function registrantProblems(author: IssueAuthor, typed: string | undefined): RegistrationProblem[] {
  const login = author.login;
  const problems: RegistrationProblem[] = [];
  if (isBotAuthor(author)) {
    problems.push({
      field: 'registrant',
      message: `This issue was opened by ${code(login, 60)}, an app or bot account. A learning room is for a person: the learner opens the registration issue themselves, signed in to their own GitHub account.`,
    });
  } else {
    const why = explainHandle(login);
    if (why) {
      problems.push({
        field: 'registrant',
        message: `This issue was opened by ${code(login, 60)}, which the roster cannot hold as a GitHub user name (${text(why)}). Ask a facilitator to add you to the roster.`,
      });
    }
  }
  if (typed !== undefined && !sameHandle(typedHandle(typed), login)) {
    const other = code(typedHandle(typed), 60);
    problems.push({
      field: 'github_handle',
      message:
        `says ${other}, but registrations are for yourself: you are signed in as ${code(login, 60)}, and this issue registers the account that opened it. ` +
        `To register ${code(login, 60)}, edit this issue and delete the GitHub handle section. If ${other} wants a learning room, they open their own registration issue while signed in as ${other}.`,
    });
  }
  return problems;
}

/** Why a withdrawn learner cannot register again, and who can bring them back. */
function withdrawnProblem(learner: Learner): RegistrationProblem {
  const p = learner.provisioning;
  // updated_at dates the archive only when the post-step recorded it; an operator may set the state by hand.
  const when =
    p.last_outcome === 'archived' && p.updated_at !== undefined
      ? ` was archived at ${code(p.updated_at, 40)}`
      : ' is archived';
  return {
    field: 'registrant',
    message:
      `You were withdrawn from cohort ${code(learner.cohort_id)}: your learning room${when} (the roster's provisioning state for you is \`archived\`), and a registration cannot bring it back. ` +
      'If you should be back in this cohort, ask a facilitator: they can reinstate you through a reviewed roster change (editing roster.json in a pull request).',
  };
}

/**
 * Turns a submitted form into the roster with its author upserted in the cohort the form names (a
 * new learner is pending; a known one keeps its provisioning and progress, and no other entry,
 * including the same person's in another cohort, changes), or into every problem found, each
 * phrased for the person who opened the issue. The registrant is always the issue's author:
 * nobody registers, or changes the details of, anyone else. The result is checked with the
 * roster's own validation.
 */
export function registerFromIssue(body: string, roster: Roster, author: IssueAuthor): RegistrationResult {
  const form = parseIssueFormBody(body);
  const get = (f: RegistrationField) => form.get(REGISTRATION_FIELDS[f]);
  const problems = registrantProblems(author, form.get(LEGACY_HANDLE_LABEL));
  const handle = author.login;

  const cohort = get('cohort_id');
  const known = roster.cohorts.map((c) => c.cohort_id);
  const knownText =
    known.length > 0
      ? `Known cohorts: ${known.map((c) => code(c)).join(', ')}.`
      : 'The roster has no cohorts yet: ask the facilitator.';
  const matched = cohort === undefined ? undefined : known.find((c) => c.toLowerCase() === cohort.toLowerCase());
  if (cohort === undefined) problems.push({ field: 'cohort_id', message: `is missing. ${knownText}` });
  else if (matched === undefined)
    problems.push({
      field: 'cohort_id',
      message: `${code(cohort, 60)} is not a cohort of this workshop. ${knownText}`,
    });

  const path = get('path')?.toLowerCase();
  if (path === undefined)
    problems.push({ field: 'path', message: 'is missing: enter the learning path you follow, e.g. `web`.' });

  const email = get('email');
  if (email !== undefined && !EMAIL.test(email)) {
    problems.push({
      field: 'email',
      message: 'does not look like an email address: leave it empty or enter one like `name@example.org`.',
    });
  }
  const name = get('name');
  if (name !== undefined && (name.length > 200 || /[\n<>]/.test(name))) {
    problems.push({ field: 'name', message: 'must be one line of at most 200 characters, without `<` or `>`.' });
  }

  const existing = matched === undefined ? undefined : findLearner(roster, handle, matched);
  if (existing?.provisioning.state === 'archived') problems.push(withdrawnProblem(existing));
  if (problems.length > 0 || matched === undefined || path === undefined) return { problems };

  const patch: RegistrationPatch = { github_handle: handle, cohort_id: matched, path };
  if (name !== undefined) patch.name = name;
  if (email !== undefined) patch.email = email;
  const change = applyRegistration(roster, patch);
  for (const e of change.errors) {
    const field = learnerField(e.path) ?? 'registrant';
    problems.push({
      field,
      message: `expected ${text(e.expected)}; found ${code(e.found, 60)}${e.hint === undefined ? '' : `; ${text(e.hint)}`}.`,
    });
  }
  return problems.length > 0
    ? { problems }
    : { roster: change.roster, patch, created: change.created, changed: change.changed, problems: [] };
}

export interface RegistrationChange {
  roster: Roster;
  created: boolean;
  /** For a learner already in the cohort: the fields that change (empty: nothing to change). */
  changed: UpdatedField[];
  /** What the roster's rules say about this learner's entry once upserted (path format, email format, ...). */
  errors: RosterError[];
}

/**
 * The one way a registration enters the roster, whichever door it came through: the registrant
 * upserted in the cohort (new: pending; known: provisioning and progress kept, no other entry
 * touched), and the roster's own validation of that entry.
 */
export function applyRegistration(roster: Roster, patch: RegistrationPatch): RegistrationChange {
  const existing = findLearner(roster, patch.github_handle, patch.cohort_id);
  const changed =
    existing === undefined ? [] : UPDATABLE.filter((k) => patch[k] !== undefined && patch[k] !== existing[k]);
  const updated = upsertLearner(roster, patch);
  const index = updated.learners.findIndex(
    (l) => sameHandle(l.github_handle, patch.github_handle) && l.cohort_id === patch.cohort_id,
  );
  const errors = validateRoster(updated).filter((e) => e.path.startsWith(`learners[${index}]`));
  return { roster: updated, created: existing === undefined, changed, errors };
}

export const REGISTER_COMMENT_MARKER = '<!-- learning-rooms:register -->';

/** The comment that tells the person who registered what to fix. */
export function renderRegistrationProblems(problems: RegistrationProblem[]): string {
  return [
    REGISTER_COMMENT_MARKER,
    'Thanks for registering! This registration cannot be added to the roster yet:',
    '',
    ...problems.map((p) => {
      const label = PROBLEM_LABELS[p.field];
      return label === undefined ? `- ${p.message}` : `- **${label}** ${p.message}`;
    }),
    '',
    'Edit this issue to correct it (use **Edit** on the issue description); the check runs again on every edit.',
  ].join('\n');
}
