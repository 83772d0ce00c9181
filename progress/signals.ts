/**
 * What the progress core reads about one learner: the signals in their learning room, gathered by
 * the reader (progress/reader.ts) from GitHub. Plain data, so that the core is pure and testable.
 */

export type IssueState = 'open' | 'closed';
/** GitHub's state reason, lower-cased: completed, not_planned, reopened, duplicate. */
export type IssueStateReason = 'completed' | 'not_planned' | 'reopened' | 'duplicate';

/** Who closed an issue, when GitHub says (the issue's last ClosedEvent). */
export interface CloseInfo {
  /** Login of the account that closed it; null for a deleted account. */
  actor: string | null;
  /** The actor is an App or bot (a workflow of the room's template, the operator's App). */
  actorIsBot: boolean;
  /** When it was closed (the event's time), when GitHub says. */
  at?: string;
  /** The pull request whose merge closed it, if any. */
  pullRequest?: { number: number; merged: boolean; author: string | null };
}

export interface IssueSignal {
  number: number;
  title?: string;
  /** Who opened it (null for a deleted account); absent when unknown. */
  author?: string | null;
  state: IssueState;
  stateReason?: IssueStateReason | null;
  labels: string[];
  /** Absent when the reader did not learn who closed the issue. */
  closedBy?: CloseInfo;
}

export interface PullRequestSignal {
  number: number;
  title: string;
  body: string;
  /** merged: merged; closed: closed without merging. */
  state: 'open' | 'closed' | 'merged';
  author: string | null;
  /** When it was merged (ISO 8601), when merged and GitHub says. */
  mergedAt?: string;
  /** GitHub's own closingIssuesReferences ("owner/name" + number), when the reader fetched them. */
  closingIssues?: { repository: string; number: number }[];
}

export interface CommentSignal {
  /** Number of the issue or pull request the comment is on. */
  on: number;
  author: string | null;
  body: string;
  /** When it was written (ISO 8601), when known. */
  at?: string;
}

export interface RoomSignals {
  /** "owner/name" of the learning room. */
  repository: string;
  archived: boolean;
  /** Every issue of the room (pull requests excluded). */
  issues: IssueSignal[];
  pullRequests: PullRequestSignal[];
  /** Comments on issues and pull requests. */
  comments: CommentSignal[];
}

/** The learner's access to the room. */
export type Membership =
  /** Proven: GitHub lists the learner as a collaborator, or the learner wrote in the room. */
  | { kind: 'collaborator' }
  | { kind: 'invited'; expired: boolean; created_at?: string }
  /** No invitation is pending: accepted (or added directly). Without activity, access is not proven. */
  | { kind: 'no-invitation' }
  /** Not known (the room is missing). */
  | { kind: 'unknown' };

export interface LearnerSignals {
  handle: string;
  /** 'missing': the room does not exist (or the App cannot see it). */
  room: RoomSignals | 'missing';
  membership: Membership;
  /** Label marking challenge issues (the cohort's challenge_label, default "challenge"). */
  challengeLabel: string;
  /**
   * A team's room (a course's group assignment): every member's handle, the learner's included.
   * Any member's pull requests, closes and comments count for the team; `ack` and `day1-complete`
   * count only when the learner wrote them (docs/course.md, "Progress of a course"). Absent: the
   * learner's own room, where only the learner advances the learner.
   */
  team?: string[];
}
