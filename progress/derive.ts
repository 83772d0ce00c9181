/**
 * The progress core: one learner's signals in, a status and its evidence out. Pure and
 * deterministic: the same signals always give the same status (docs/progress.md is the model).
 *
 * The rule that shapes everything here: only the learner advances the learner. A comment, a
 * pull request or a close by anyone else is listed under `ignored`, with the reason, and never
 * counts. Labels only classify (which issues are challenges); they never advance anyone.
 */
import { sameHandle as sameLogin } from '../roster/handle';
import type { ProgressStatus } from '../roster/types';
import { closingReferences, isSameRepository } from './closing-keywords';
import type { IssueSignal, LearnerSignals, Membership, PullRequestSignal, RoomSignals } from './signals';

export type EvidenceSignal = 'room' | 'membership' | 'issue' | 'pull-request' | 'comment';

export interface Evidence {
  signal: EvidenceSignal;
  /** "#3" for an issue, pull request or the issue a comment is on. */
  ref?: string;
  detail: string;
}

export interface Derivation {
  status: ProgressStatus;
  challenges_closed: number;
  challenges_total: number;
  /** The signals that were counted. */
  evidence: Evidence[];
  /** Signals seen and deliberately not counted, each with the reason. */
  ignored: Evidence[];
  /**
   * The learner's last real signal (ISO 8601): a comment of theirs, a challenge close that counted,
   * a merged pull request of theirs. Absent when there is none, or GitHub gave no times.
   */
  last_activity?: string;
  /** For a complete learner: when the last challenge was done, when GitHub gave every close's time. */
  completed_at?: string;
}

/** Evidence of a room GitHub reports archived: read-only for the learner. */
export const ARCHIVED_ROOM_DETAIL = 'the learning room is archived (read-only)';

/** The latest of ISO 8601 times, compared as instants (undefined for none). */
function latest(times: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const t of times) {
    if (t === undefined || Number.isNaN(Date.parse(t))) continue;
    if (best === undefined || Date.parse(t) > Date.parse(best)) best = t;
  }
  return best;
}

/** The plain-text signals: a comment whose whole trimmed body, in any case, is exactly one of these. */
export const ACK = 'ack';
export const DAY1_COMPLETE = 'day1-complete';

/** The roster's case-insensitive handle comparison, for an author that may be a deleted account. */
function sameHandle(a: string | null | undefined, b: string): boolean {
  return typeof a === 'string' && sameLogin(a, b);
}

function isChallenge(issue: IssueSignal, label: string): boolean {
  const wanted = label.toLowerCase();
  return issue.labels.some((l) => l.toLowerCase() === wanted);
}

function who(login: string | null): string {
  return login === null ? 'a deleted account' : `@${login}`;
}

/**
 * Whose signals advance the room: the learner alone in their own room, any member in a team's room.
 * The words name them in evidence: the learner's own room keeps its texts exactly.
 */
interface Counter {
  is(login: string | null | undefined): boolean;
  /** "the learner" / "a member of the team". */
  whom: string;
  /** "the learner's" / "a team member's". */
  whose: string;
  /** Who, for a counted signal: "the learner", or "the team member @bob". */
  by(login: string | null | undefined): string;
  /** Possessive of `by`: "the learner's", "the team member @bob's". */
  byWhom(login: string | null | undefined): string;
}

function counterFor(handle: string, team: readonly string[] | undefined): Counter {
  if (team === undefined)
    return {
      is: (login) => sameHandle(login, handle),
      whom: 'the learner',
      whose: "the learner's",
      by: () => 'the learner',
      byWhom: () => "the learner's",
    };
  const by = (login: string | null | undefined) =>
    sameHandle(login, handle) ? 'the learner' : `the team member ${who(login ?? null)}`;
  return {
    is: (login) => sameHandle(login, handle) || team.some((m) => sameHandle(login, m)),
    whom: 'a member of the team',
    whose: "a team member's",
    by,
    byWhom: (login) => `${by(login)}'s`,
  };
}

/**
 * Challenge issue number -> the learner's merged pull request that closes it (the lowest number
 * when several do). Every other closing claim goes to `ignored` with the reason.
 */
function closingPullRequests(
  room: RoomSignals,
  counts: Counter,
  challenges: Set<number>,
  ignored: Evidence[],
): Map<number, number> {
  const closes = new Map<number, number>();
  const prs = [...room.pullRequests].sort((a, b) => a.number - b.number);
  for (const pr of prs) {
    const targets = claimedIssues(pr, room.repository, ignored);
    const challengeTargets = targets.filter((n) => challenges.has(n));
    if (challengeTargets.length === 0) continue;
    const list = challengeTargets.map((n) => `#${n}`).join(', ');
    if (pr.state !== 'merged') {
      const why = pr.state === 'open' ? 'is not merged yet' : 'was closed without merging';
      ignored.push({ signal: 'pull-request', ref: `#${pr.number}`, detail: `claims to close ${list} but ${why}` });
      continue;
    }
    if (!counts.is(pr.author)) {
      ignored.push({
        signal: 'pull-request',
        ref: `#${pr.number}`,
        detail: `closes ${list} but was written by ${who(pr.author)}, not ${counts.whom}`,
      });
      continue;
    }
    for (const n of challengeTargets) if (!closes.has(n)) closes.set(n, pr.number);
  }
  return closes;
}

/** Issue numbers of this room that a pull request claims to close, by keyword or by GitHub's own references. */
function claimedIssues(pr: PullRequestSignal, repository: string, ignored: Evidence[]): number[] {
  const numbers = new Set<number>();
  const elsewhere = new Set<string>();
  const refs = [...closingReferences(pr.title), ...closingReferences(pr.body), ...(pr.closingIssues ?? [])];
  for (const ref of refs) {
    if (isSameRepository(ref, repository)) numbers.add(ref.number);
    else {
      const name = `${ref.repository}#${ref.number}`;
      if (elsewhere.has(name.toLowerCase())) continue;
      elsewhere.add(name.toLowerCase());
      ignored.push({
        signal: 'pull-request',
        ref: `#${pr.number}`,
        detail: `closes ${name}, an issue of another repository`,
      });
    }
  }
  return [...numbers].sort((a, b) => a - b);
}

/** Whether a closed challenge counts, from who closed it. */
function closeCounts(issue: IssueSignal, counter: Counter): { counts: boolean; detail: string } {
  if (issue.stateReason === 'not_planned' || issue.stateReason === 'duplicate') {
    return { counts: false, detail: `closed as ${issue.stateReason.replace('_', ' ')}` };
  }
  const by = issue.closedBy;
  // Without a closing event the issue's state is the only record (docs/progress.md, "Closed challenges").
  if (by === undefined) return { counts: true, detail: 'closed' };
  if (by.pullRequest) {
    const pr = by.pullRequest;
    if (pr.merged && counter.is(pr.author))
      return { counts: true, detail: `closed by ${counter.byWhom(pr.author)} pull request #${pr.number}` };
    return { counts: false, detail: `closed by pull request #${pr.number} of ${who(pr.author)}, not ${counter.whose}` };
  }
  if (counter.is(by.actor)) return { counts: true, detail: `closed by ${counter.by(by.actor)}` };
  if (by.actorIsBot) return { counts: true, detail: `closed by the automation ${who(by.actor)}` };
  return { counts: false, detail: `closed by ${who(by.actor)}, not ${counter.whom}` };
}

function membershipEvidence(m: Membership): Evidence | undefined {
  switch (m.kind) {
    case 'collaborator':
      return { signal: 'membership', detail: 'collaborator on the room' };
    case 'invited':
      return {
        signal: 'membership',
        detail: `invitation ${m.expired ? 'expired' : 'pending'}${m.created_at ? ` (sent ${m.created_at})` : ''}`,
      };
    case 'no-invitation':
      return { signal: 'membership', detail: 'no pending invitation (accepted, or added directly)' };
    case 'unknown':
      return undefined;
  }
}

export function deriveProgress(signals: LearnerSignals): Derivation {
  const { handle, room } = signals;
  const counter = counterFor(handle, signals.team);
  if (room === 'missing') {
    return {
      status: 'room-missing',
      challenges_closed: 0,
      challenges_total: 0,
      evidence: [{ signal: 'room', detail: 'the learning room does not exist or the App cannot see it' }],
      ignored: [],
    };
  }
  const evidence: Evidence[] = [];
  const ignored: Evidence[] = [];
  if (room.archived) evidence.push({ signal: 'room', detail: ARCHIVED_ROOM_DETAIL });
  const activity: (string | undefined)[] = room.pullRequests
    .filter((p) => p.state === 'merged' && counter.is(p.author))
    .map((p) => p.mergedAt);

  const challenges = room.issues
    .filter((i) => isChallenge(i, signals.challengeLabel))
    .sort((a, b) => a.number - b.number);
  const challengeNumbers = new Set(challenges.map((c) => c.number));
  const byPr = closingPullRequests(room, counter, challengeNumbers, ignored);
  const doneAt: (string | undefined)[] = [];

  let done = 0;
  for (const issue of challenges) {
    const pr = byPr.get(issue.number);
    if (pr !== undefined) {
      done++;
      const merged = room.pullRequests.find((p) => p.number === pr);
      doneAt.push(merged?.mergedAt);
      evidence.push({
        signal: 'issue',
        ref: `#${issue.number}`,
        detail: `challenge closed by ${counter.byWhom(merged?.author)} merged pull request #${pr}`,
      });
      continue;
    }
    if (issue.state !== 'closed') continue;
    const { counts, detail } = closeCounts(issue, counter);
    if (counts) {
      done++;
      doneAt.push(issue.closedBy?.at);
      activity.push(issue.closedBy?.at);
      evidence.push({ signal: 'issue', ref: `#${issue.number}`, detail: `challenge ${detail}` });
    } else {
      ignored.push({ signal: 'issue', ref: `#${issue.number}`, detail: `challenge ${detail}` });
    }
  }

  let acked = false;
  let day1 = false;
  const comments = room.comments
    .map((c, index) => ({ c, index }))
    .sort((a, b) => a.c.on - b.c.on || a.index - b.index)
    .map(({ c }) => c);
  for (const c of comments) {
    const text = c.body.trim().toLowerCase();
    const exact = text === ACK || text === DAY1_COMPLETE;
    const mine = sameHandle(c.author, handle);
    // In a team's room any member's comment is the team's activity; `ack` and `day1-complete` stay personal.
    if (counter.is(c.author)) activity.push(c.at);
    if (exact && mine) {
      if (text === ACK && !acked) {
        acked = true;
        evidence.push({ signal: 'comment', ref: `#${c.on}`, detail: `"${ACK}" by the learner` });
      }
      if (text === DAY1_COMPLETE && !day1) {
        day1 = true;
        evidence.push({ signal: 'comment', ref: `#${c.on}`, detail: `"${DAY1_COMPLETE}" by the learner` });
      }
    } else if (exact) {
      const teammate =
        signals.team !== undefined && counter.is(c.author)
          ? ', a team member: it counts for its writer only'
          : ', not the learner';
      ignored.push({ signal: 'comment', ref: `#${c.on}`, detail: `"${text}" by ${who(c.author)}${teammate}` });
    } else if (mine && (text.startsWith(ACK) || text.startsWith('day1')) && text.length <= 40) {
      // A near miss ("acknowledged", "ack!") is worth a facilitator's glance, never a status.
      ignored.push({
        signal: 'comment',
        ref: `#${c.on}`,
        detail: `"${text}" by the learner is not exactly "${ACK}" or "${DAY1_COMPLETE}"`,
      });
    }
  }

  const m = membershipEvidence(signals.membership);
  if (m) evidence.push(m);

  const total = challenges.length;
  let status: ProgressStatus;
  if (total > 0 && done === total) status = 'complete';
  else if (done > 0) status = 'in-progress';
  else if (day1) status = 'day1-complete';
  else if (acked) status = 'acknowledged';
  else if (signals.membership.kind === 'invited')
    status = signals.membership.expired ? 'invitation-expired' : 'invited';
  else status = 'not-started';
  const last = latest(activity);
  const completed = status === 'complete' && doneAt.every((t) => t !== undefined) ? latest(doneAt) : undefined;
  return {
    status,
    challenges_closed: done,
    challenges_total: total,
    evidence,
    ignored,
    ...(last ? { last_activity: last } : {}),
    ...(completed ? { completed_at: completed } : {}),
  };
}
