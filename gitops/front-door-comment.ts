/**
 * The one comment on a learner's public registration issue, kept up to date: what to fix, accepted
 * (enrolled with the next group, or sent to a facilitator), waiting for the room (place in the
 * queue), or the room ready (where it is and how to accept the invitation). Written for the
 * learner: plain words, no tool jargon, nobody @-mentioned, never a name or an email, never the
 * enrolment code. Every value from outside goes through `code` or `text` (gitops/markdown.ts).
 *
 * The first line is a hidden HTML comment: the marker that finds the comment again, and the state
 * the admin side keeps there (the comment is the App's; a learner cannot edit it).
 */
import { timeText } from '../roster/enrolment';
import type { Learner } from '../roster/types';
import type { CohortChoice, Refusal, RequestDecision } from './front-door';
import type { LearnerStatus } from './front-door-status';
import { code, text } from './markdown';

export const FRONT_DOOR_MARKER = '<!-- learning-rooms:front-door';

/** What the comment last said, and since when a request was accepted as it reads now. */
export interface CommentState {
  state: 'refused' | 'accepted' | 'enrolled' | 'ready';
  /** accepted: when the request, with these answers, was first accepted (ISO 8601). */
  at?: string;
  /** The request's fingerprint when judged (front-door.ts requestFingerprint). */
  request?: string;
}

const STATES = new Set(['refused', 'accepted', 'enrolled', 'ready']);

export function commentHeader(s: CommentState): string {
  return `${FRONT_DOOR_MARKER} state=${s.state}${s.at ? ` at=${s.at}` : ''}${s.request ? ` request=${s.request}` : ''} -->`;
}

/** The state in a comment's first line, or undefined when it is not one of ours. */
export function readCommentState(body: string): CommentState | undefined {
  const first = body.split('\n', 1)[0];
  if (!first.startsWith(`${FRONT_DOOR_MARKER} `)) return undefined;
  const fields = new Map([...first.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  const state = fields.get('state');
  if (state === undefined || !STATES.has(state)) return undefined;
  const at = fields.get('at');
  const request = fields.get('request');
  return {
    state: state as CommentState['state'],
    ...(at !== undefined && !Number.isNaN(Date.parse(at)) ? { at } : {}),
    ...(request !== undefined && /^[0-9a-f]{16}$/.test(request) ? { request } : {}),
  };
}

function cohortName(c: CohortChoice): string {
  return c.title ? `${code(c.cohort_id)} (${text(c.title, 100)})` : code(c.cohort_id);
}

function openText(open: CohortChoice[], except?: string): string {
  const shown = open.filter((c) => c.cohort_id !== except);
  return shown.length > 0
    ? `Cohorts open for registration now: ${shown.map(cohortName).join(', ')}.`
    : 'No cohort is open for registration right now.';
}

const EDITABLE = new Set<Refusal['why']>([
  'cohort-missing',
  'cohort-unknown',
  'cohort-not-here',
  'code-missing',
  'code-wrong',
  'path-missing',
  'path-invalid',
]);

/** One line per problem, each naming the answer it is about. */
export function refusalLine(r: Refusal, open: CohortChoice[]): string {
  switch (r.why) {
    case 'bot':
      return `**Your account**: this request was opened by ${code(r.login, 60)}, an app or bot account. Learning rooms are for people: sign in to your own GitHub account and open a new request there.`;
    case 'login':
      return `**Your account**: the account name ${code(r.login, 60)} cannot be used for a learning room automatically. Please ask your facilitator to add you.`;
    case 'withdrawn':
      return `**Your account**: you were withdrawn from the cohort ${code(r.cohort)} and your learning room was archived (kept, but read-only). This page cannot undo that. If you should be back in the cohort, please ask your facilitator.`;
    case 'cohort-missing':
      return `**Cohort**: this answer is empty. Write the cohort name your facilitator gave you. ${openText(open)}`;
    case 'cohort-unknown':
      return `**Cohort**: there is no cohort called ${code(r.typed, 60)}. Check the spelling in your facilitator's message.${r.suggestion ? ` Did you mean ${code(r.suggestion)}?` : ''} ${openText(open)}`;
    case 'cohort-not-here':
      return `**Cohort**: the cohort ${code(r.cohort)} does not take registrations on this page. Please ask your facilitator how to join it. ${openText(open, r.cohort)}`;
    case 'not-yet':
      return `**Cohort**: registration for ${code(r.cohort)} opens ${r.when}. We check this request again by ourselves once it opens: you do not need to do anything.`;
    case 'closed':
      return `**Cohort**: registration for ${code(r.cohort)} closed ${r.when}. If you still need a place, please ask your facilitator.`;
    case 'not-allowed':
      return `**Your account**: ${code(r.login, 60)} is not on the list of people who may register for ${code(r.cohort)}. If you gave your facilitator another GitHub account, sign in with that one and open a new request there; otherwise, ask your facilitator to add ${code(r.login, 60)} to the list.`;
    case 'code-missing':
      return `**Enrolment code**: the cohort ${code(r.cohort)} needs the enrolment code your facilitator gave you. Add it to your request.`;
    case 'code-wrong':
      return `**Enrolment code**: this is not the code for ${code(r.cohort)}. Copy it again from your facilitator's message (capital letters and spaces do not matter).`;
    case 'path-missing':
      return `**Learning path**: this answer is empty. Write the learning path your facilitator gave you, for example ${code(r.known[0] ?? 'web')}.`;
    case 'path-invalid':
      return `**Learning path**: ${code(r.typed, 60)} cannot be a learning path name: use only lower-case letters, digits, dots, dashes and underscores.${r.suggestion ? ` Did you mean ${code(r.suggestion)}?` : ''}`;
  }
}

export function renderRefused(decision: Extract<RequestDecision, { kind: 'refused' }>, state: CommentState): string {
  const editable = decision.refusals.some((r) => EDITABLE.has(r.why));
  return [
    commentHeader(state),
    'Thank you for registering. We cannot accept this request yet:',
    '',
    ...decision.refusals.map((r) => `- ${refusalLine(r, decision.open)}`),
    ...(editable
      ? [
          '',
          'To fix it, edit your request: choose **···** at the top right of it, then **Edit**, correct your answers and save. We check your request again every time you edit it.',
        ]
      : []),
  ].join('\n');
}

/** For an older request of a learner who opened a newer one for the same cohort: this one is closed. */
export function renderSuperseded(newer: number, state: CommentState): string {
  return [
    commentHeader(state),
    `You opened a newer request for this cohort, #${newer}; we follow that one, so this one is closed. Nothing else to do here.`,
  ].join('\n');
}

/** When the next group is enrolled, in words: "at about 10:45 UTC". */
export function batchTime(nextBatchAt: number): string {
  return `at about ${timeText(nextBatchAt)}`;
}

export function renderAccepted(
  decision: Extract<RequestDecision, { kind: 'accepted' }>,
  state: CommentState,
  nextBatchAt: number,
): string {
  const { cohort_id: cohort, path } = decision.patch;
  const change = decision.created
    ? []
    : ['', `You are already in this cohort: this changes your learning path to ${code(path)}.`];
  const next =
    decision.review === 'auto'
      ? `You will be enrolled with the next group of learners, ${batchTime(nextBatchAt)}. Then your learning room is created, and GitHub emails you an invitation to it.`
      : 'A facilitator approves registrations for this cohort, in groups. Once they approve yours, your learning room is created, and GitHub emails you an invitation to it.';
  return [
    commentHeader(state),
    decision.review === 'auto'
      ? 'Thank you, your registration is accepted.'
      : 'Thank you, your registration is received.',
    '',
    `- **Cohort**: ${code(cohort)}`,
    `- **Learning path**: ${code(path)}`,
    ...change,
    '',
    next,
    '',
    'This comment is updated at each step, and this issue closes when your room is ready. If you change your answers, we check your request again.',
  ].join('\n');
}

export function renderStatus(learner: Learner, status: LearnerStatus, state: CommentState): string {
  const where = `${code(learner.cohort_id)} (learning path ${code(learner.path)})`;
  switch (status.kind) {
    case 'waiting': {
      const expected = status.expectedAt ? `, and it is expected ${batchTime(Date.parse(status.expectedAt))}` : '';
      return [
        commentHeader(state),
        `You are enrolled in ${where}.`,
        '',
        `Your learning room is being prepared: you are number ${status.position} of ${status.of} ${status.allCohorts ? 'in the queue for learning rooms' : 'waiting for a room in this cohort'}${expected}. Rooms are created in groups, several times a day. When yours is ready, GitHub emails you an invitation and this comment says so.`,
      ].join('\n');
    }
    case 'retrying':
      return [
        commentHeader(state),
        `You are enrolled in ${where}.`,
        '',
        'Creating your learning room did not work the first time. It is tried again by itself, and your facilitator can see what went wrong: you do not need to do anything. This comment says so when your room is ready.',
      ].join('\n');
    case 'ready':
      return [
        commentHeader(state),
        `Your learning room is ready: ${status.roomUrl}`,
        '',
        `To get in, accept the invitation while signed in to GitHub as ${code(learner.github_handle, 60)}: ${status.invitationsUrl} (GitHub also emailed it to you). The invitation expires after 7 days; if it has expired, ask your facilitator to send a new one.`,
        '',
        'We close this issue now that your room is ready. You can still comment here if you need help.',
      ].join('\n');
    case 'ready-course':
      return [
        commentHeader(state),
        `Your learning rooms are ready, one for each assignment open now:`,
        '',
        ...status.rooms.map(
          (r) => `- ${r.title ? `**${text(r.title, 100)}** (${code(r.assignment)})` : code(r.assignment)}: ${r.url}`,
        ),
        '',
        `To get in, accept each invitation while signed in to GitHub as ${code(learner.github_handle, 60)}: ${status.rooms.map((r) => r.invitationsUrl).join(', ')} (GitHub also emailed them to you). Each invitation expires after 7 days; if one has expired, ask your facilitator to send a new one.`,
        '',
        'When a later assignment opens, its room is added and GitHub emails you the invitation.',
        '',
        'We close this issue now that your rooms are ready. You can still comment here if you need help.',
      ].join('\n');
  }
}
