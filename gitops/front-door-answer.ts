/**
 * One request of the front door answered: judged against the roster (the window at the time the
 * request, as it reads now, was first accepted), the comment it gets, the state kept in that
 * comment, and whether the issue closes (once, when the room becomes ready). Pure; shared by
 * `enrol-request` (one request, when it is opened or edited) and `enrol` (every open request, on
 * a schedule), so a learner reads the same words whichever ran.
 */
import type { Roster } from '../roster/types';
import { judgeRequest, readRequest, requestFingerprint, type RequestDecision } from './front-door';
import { renderAccepted, renderRefused, renderStatus, type CommentState } from './front-door-comment';
import { learnerStatus, type QueueHints, type RoomSettings } from './front-door-status';
import type { IssueAuthor } from './issue-form';

/** How often the Enrol workflow runs (its caller's cron: every 15 minutes). */
export const ENROL_INTERVAL_MINUTES = 15;

/** The next scheduled enrolment after `now` (ms): the next quarter hour. */
export function nextBatchAt(now: number): number {
  const step = ENROL_INTERVAL_MINUTES * 60_000;
  return Math.floor(now / step) * step + step;
}

export interface AnswerContext {
  now: number;
  rooms: RoomSettings;
  /** What the learner indexes say of the waiting learners' places (readQueueHints). */
  hints?: QueueHints;
}

export interface Answer {
  decision: RequestDecision;
  /** The comment's whole text. */
  body: string;
  state: CommentState;
  /** Close the issue now: the room just became ready (not again if the learner reopens it). */
  close: boolean;
}

export function answerRequest(
  issue: { author: IssueAuthor; body: string },
  previous: CommentState | undefined,
  roster: Roster,
  ctx: AnswerContext,
): Answer {
  const answers = readRequest(issue.body);
  const request = requestFingerprint(issue.author.login, answers);
  const acceptedAt =
    previous?.state === 'accepted' && previous.request === request && previous.at ? previous.at : undefined;
  const decision = judgeRequest(answers, issue.author, roster, {
    now: ctx.now,
    ...(acceptedAt ? { windowAt: Date.parse(acceptedAt) } : {}),
  });
  switch (decision.kind) {
    case 'refused': {
      const state: CommentState = { state: 'refused', request };
      return { decision, state, body: renderRefused(decision, state), close: false };
    }
    case 'accepted': {
      const state: CommentState = { state: 'accepted', at: acceptedAt ?? new Date(ctx.now).toISOString(), request };
      return { decision, state, body: renderAccepted(decision, state, nextBatchAt(ctx.now)), close: false };
    }
    case 'enrolled': {
      const l = decision.learner;
      const status = learnerStatus(roster, l, ctx.rooms, ctx.hints, ctx.now);
      const ready = status.kind === 'ready' || status.kind === 'ready-course';
      const state: CommentState = { state: ready ? 'ready' : 'enrolled', request };
      return {
        decision,
        state,
        body: renderStatus(l, status, state),
        close: ready && previous?.state !== 'ready',
      };
    }
  }
}
