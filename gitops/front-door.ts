/**
 * The public front door: a registration issue in a public repository (the form in
 * templates/front-door/.github/ISSUE_TEMPLATE/register.yml asks only for the cohort, the learning
 * path and, where a cohort has one, the enrolment code), judged against the roster and the cohort's
 * enrolment rule. The registrant is the issue's author, read from the API by the admin side, never a
 * name typed into the form; nothing private (name, email) is asked for or taken from a public issue.
 * Pure: the answers, the author, the roster and the time in; a decision out (rendering is
 * front-door-comment.ts).
 */
import { createHash } from 'node:crypto';
import { closestMatch, explainHandle, findLearner, type Cohort, type Learner, type Roster } from '../roster';
import type { EnrolmentReview } from '../roster/types';
import { enrolmentWindow, judgeEnrolmentRule, normaliseEnrolmentCode, openCohorts } from './enrolment';
import {
  applyRegistration,
  isBotAuthor,
  parseIssueFormBody,
  type IssueAuthor,
  type RegistrationPatch,
  type UpdatedField,
} from './issue-form';
import { foldHandle } from '../roster/handle';

/** The public form's labels: the template and this parser must agree (a test checks both). */
export const FRONT_DOOR_FIELDS = {
  cohort_id: 'Cohort',
  path: 'Learning path',
  code: 'Enrolment code',
} as const;

/** The label the public form applies: the front door's workflow and the admin side look for it. */
export const FRONT_DOOR_LABEL = 'registration';

export interface RequestAnswers {
  cohort?: string;
  path?: string;
  code?: string;
}

/** The answers of a submitted form; any other section (a name, an email someone added) is ignored. */
export function readRequest(body: string): RequestAnswers {
  const form = parseIssueFormBody(body);
  const one = (label: string) => form.get(label)?.split('\n')[0].trim() || undefined;
  return {
    cohort: one(FRONT_DOOR_FIELDS.cohort_id),
    path: one(FRONT_DOOR_FIELDS.path),
    code: one(FRONT_DOOR_FIELDS.code),
  };
}

/**
 * What identifies a request's contents, so an acceptance is kept across runs until the answers
 * change (an edit of other text changes nothing). The code enters only as a hash.
 */
export function requestFingerprint(login: string, answers: RequestAnswers): string {
  const parts = [
    foldHandle(login),
    answers.cohort?.toLowerCase() ?? '',
    answers.path?.toLowerCase() ?? '',
    normaliseEnrolmentCode(answers.code ?? ''),
  ];
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

/** A cohort as a learner sees it in a list: its id and, when it has one, its title. */
export interface CohortChoice {
  cohort_id: string;
  title?: string;
}

/** Why a request cannot be accepted (yet); each is worded for the learner by front-door-comment.ts. */
export type Refusal =
  | { why: 'bot'; login: string }
  | { why: 'login'; login: string }
  | { why: 'withdrawn'; cohort: string }
  | { why: 'cohort-missing' }
  | { why: 'cohort-unknown'; typed: string; suggestion?: string }
  | { why: 'cohort-not-here'; cohort: string }
  | { why: 'not-yet'; cohort: string; when: string }
  | { why: 'closed'; cohort: string; when: string }
  | { why: 'not-allowed'; cohort: string; login: string }
  | { why: 'code-missing'; cohort: string }
  | { why: 'code-wrong'; cohort: string }
  | { why: 'path-missing'; known: string[] }
  | { why: 'path-invalid'; typed: string; suggestion?: string; known: string[] };

export type RequestDecision =
  | { kind: 'refused'; refusals: Refusal[]; open: CohortChoice[] }
  /** Passes every check: enrolled by the next batch (auto) or after a facilitator's review (manual). */
  | {
      kind: 'accepted';
      review: EnrolmentReview;
      cohort: Cohort;
      patch: RegistrationPatch;
      created: boolean;
      changed: UpdatedField[];
    }
  /** Already in the cohort with these details: nothing to enrol, the learner's status to show. */
  | { kind: 'enrolled'; cohort: Cohort; learner: Learner };

export interface JudgeOptions {
  /** The time of judgement (ms). */
  now: number;
  /**
   * When the window is judged (ms; default `now`): the time this request, as it reads now, was
   * first accepted, so a request accepted before enrolment closed is still enrolled after.
   */
  windowAt?: number;
}

const IDENTIFIER = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** The learning paths the cohort's learners follow, most followed first. */
function cohortPaths(roster: Roster, cohortId: string): string[] {
  const counts = new Map<string, number>();
  for (const l of roster.learners) if (l.cohort_id === cohortId) counts.set(l.path, (counts.get(l.path) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([p]) => p);
}

function pathRefusal(typed: string | undefined, known: string[]): Refusal | undefined {
  if (typed === undefined) return { why: 'path-missing', known };
  const path = typed.toLowerCase();
  if (IDENTIFIER.test(path)) return undefined;
  const slug = path.trim().replace(/\s+/g, '-');
  const suggestion = closestMatch(path, known) ?? (IDENTIFIER.test(slug) ? slug : undefined);
  return { why: 'path-invalid', typed, ...(suggestion ? { suggestion } : {}), known };
}

/**
 * Judges one request. The author is who opened the issue, as the API says; bots and logins the
 * roster cannot hold are turned away first. A learner already in the cohort with these details is
 * `enrolled` whatever the rule says (the rule guards the way in); a withdrawn one is turned away.
 * Every other problem is reported at once.
 */
export function judgeRequest(
  answers: RequestAnswers,
  author: IssueAuthor,
  roster: Roster,
  options: JudgeOptions,
): RequestDecision {
  const open = openCohorts(roster, options.now).map((c) => ({
    cohort_id: c.cohort_id,
    ...(c.title ? { title: c.title } : {}),
  }));
  const refuse = (refusals: Refusal[]): RequestDecision => ({ kind: 'refused', refusals, open });
  if (isBotAuthor(author)) return refuse([{ why: 'bot', login: author.login }]);
  if (explainHandle(author.login) !== undefined) return refuse([{ why: 'login', login: author.login }]);

  const refusals: Refusal[] = [];
  const typed = answers.cohort;
  const cohort =
    typed === undefined ? undefined : roster.cohorts.find((c) => c.cohort_id.toLowerCase() === typed.toLowerCase());
  const existing = cohort && findLearner(roster, author.login, cohort.cohort_id);
  if (cohort && existing) {
    if (existing.provisioning.state === 'archived') return refuse([{ why: 'withdrawn', cohort: cohort.cohort_id }]);
    if (answers.path === undefined || answers.path.toLowerCase() === existing.path)
      return { kind: 'enrolled', cohort, learner: existing };
  }

  if (typed === undefined) refusals.push({ why: 'cohort-missing' });
  else if (!cohort) {
    const suggestion = closestMatch(
      typed,
      open.map((c) => c.cohort_id),
    );
    refusals.push({ why: 'cohort-unknown', typed, ...(suggestion ? { suggestion } : {}) });
  } else if (!cohort.enrolment) refusals.push({ why: 'cohort-not-here', cohort: cohort.cohort_id });
  else {
    const window = enrolmentWindow(cohort.enrolment, options.windowAt ?? options.now);
    if (!window.open) refusals.push({ why: window.why, cohort: cohort.cohort_id, when: window.when });
    for (const r of judgeEnrolmentRule(cohort.cohort_id, cohort.enrolment, author.login, answers.code)) {
      refusals.push(
        r.why === 'not-allowed'
          ? { why: 'not-allowed', cohort: cohort.cohort_id, login: author.login }
          : { why: r.why, cohort: cohort.cohort_id },
      );
    }
  }
  const known = cohort ? cohortPaths(roster, cohort.cohort_id) : [];
  const path = pathRefusal(answers.path, known);
  if (path) refusals.push(path);
  if (refusals.length > 0 || !cohort?.enrolment || answers.path === undefined) return refuse(refusals);

  const patch: RegistrationPatch = {
    github_handle: author.login,
    cohort_id: cohort.cohort_id,
    path: answers.path.toLowerCase(),
  };
  const change = applyRegistration(roster, patch);
  // The form's answers are checked above; the roster's other rules (a room name too long for
  // GitHub from this login, say) are the facilitator's to sort out: a person reviews it.
  const review = change.errors.length > 0 ? 'manual' : cohort.enrolment.review;
  return { kind: 'accepted', review, cohort, patch, created: change.created, changed: change.changed };
}
