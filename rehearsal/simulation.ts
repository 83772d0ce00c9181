/**
 * What the learners do in a rehearsal with --simulate, decided from the rooms alone (the same rooms
 * always get the same play): every room gets its challenge issues, as the template's automation
 * would open them; every learner but one accepts the invitation, and the last one's expires; the
 * learners who accepted work in four patterns (finish everything, close one challenge, only say
 * "ack", do nothing yet); one room loses a required file. The calls are the double's admin API.
 *
 * A course's room (rehearse --at) has one member, or a team's several: the patterns go round every
 * member of every room in order, so a team's members play differently, and their play is combined
 * as progress reads it: a challenge closed by any member is the team's (each closed once), while
 * `ack` and `day1-complete` count for their writer only. The learner who lets the invitation expire
 * is the last one alone in a room (progress reads a team's room as its members' together).
 */

/** A room the apply created: whose, where, and what its cohort requires. */
export interface PlayedRoom {
  handle: string;
  cohort: string;
  /** owner/name */
  repository: string;
  requiredFiles: readonly string[];
  challengeLabel: string;
  /** A course's room: its assignment. */
  assignment?: string;
  /** A course's room: everyone who plays in it (a team's members), in order; none: `handle` alone. */
  members?: readonly string[];
}

export interface LearnerPlay {
  handle: string;
  cohort: string;
  repository: string;
  /** A course's room: its assignment. */
  assignment?: string;
  accepts: boolean;
  expires: boolean;
  ack: boolean;
  day1: boolean;
  /** Challenges the learner closes, of CHALLENGES. */
  closes: number;
  /** The required file deleted from the room (drift). */
  deletes?: string;
  /** The status progress should derive for this room before any heal (a team's closes count for each member). */
  expected: string;
}

export interface AdminCall {
  method: 'POST' | 'PATCH';
  path: string;
  body: Record<string, unknown>;
}

/** Challenge issues per room. */
export const CHALLENGES = 3;
/** Who opens them: the room's automation, as the template's workflows would. */
export const CHALLENGE_AUTHOR = 'github-actions[bot]';

const PATTERNS = [
  { ack: true, day1: true, closes: CHALLENGES, expected: 'complete' },
  { ack: true, day1: false, closes: 1, expected: 'in-progress' },
  { ack: true, day1: false, closes: 0, expected: 'acknowledged' },
  { ack: false, day1: false, closes: 0, expected: 'not-started' },
] as const;

/** The status progress derives from a room's closed challenges and the learner's own signals (progress/derive.ts). */
function expectedStatus(done: number, ack: boolean, day1: boolean, expires: boolean): string {
  if (done === CHALLENGES) return 'complete';
  if (done > 0) return 'in-progress';
  if (day1) return 'day1-complete';
  if (ack) return 'acknowledged';
  return expires ? 'invitation-expired' : 'not-started';
}

export function simulationPlan(rooms: readonly PlayedRoom[]): { plays: LearnerPlay[]; calls: AdminCall[] } {
  const drifted = rooms.find((r) => r.requiredFiles.length > 0);
  const slots = rooms.flatMap((r) => (r.members?.length ? r.members : [r.handle]).map((handle) => ({ r, handle })));
  // The last learner alone in a room lets the invitation expire (a team's room reads as its members' together,
  // so one member's expired invitation does not show while another accepted): the last learner of single rooms.
  const lone = slots.map(({ r }, i) => ((r.members?.length ?? 1) <= 1 ? i : -1)).filter((i) => i >= 0);
  const expiring = lone.length > 0 ? lone[lone.length - 1] : slots.length - 1;
  const plays = slots.map(({ r, handle }, i): LearnerPlay => {
    const expires = i === expiring;
    const p = PATTERNS[i % PATTERNS.length];
    const first = slots.findIndex((s) => s.r === r) === i;
    return {
      handle,
      cohort: r.cohort,
      repository: r.repository,
      ...(r.assignment !== undefined ? { assignment: r.assignment } : {}),
      accepts: !expires,
      expires,
      ack: !expires && p.ack,
      day1: !expires && p.day1,
      closes: expires ? 0 : p.closes,
      ...(r === drifted && first ? { deletes: r.requiredFiles[0] } : {}),
      expected: '',
    };
  });
  // A room's challenges are closed once, by the first member who gets that far: any member's close is the team's.
  const done = new Map<string, number>();
  for (const p of plays) done.set(p.repository, Math.max(done.get(p.repository) ?? 0, p.closes));
  // Progress reads a room's membership as a whole: a room where someone accepted is a collaborator's.
  const accepted = new Set(plays.filter((p) => p.accepts).map((p) => p.repository));
  for (const p of plays)
    p.expected = expectedStatus(done.get(p.repository) ?? 0, p.ack, p.day1, p.expires && !accepted.has(p.repository));
  const calls: AdminCall[] = [];
  rooms.forEach((r) => {
    for (let n = 1; n <= CHALLENGES; n++)
      calls.push({
        method: 'POST',
        path: '/_admin/issues',
        body: {
          repo: r.repository,
          title: `Challenge ${n}`,
          body: `Challenge ${n} of ${CHALLENGES}. Close this issue when you are done.`,
          author: CHALLENGE_AUTHOR,
          labels: [r.challengeLabel],
        },
      });
  });
  const closed = new Map<string, number>();
  for (const p of plays) {
    const repo = p.repository;
    if (p.expires) calls.push({ method: 'POST', path: '/_admin/expire_invitation', body: { repo, login: p.handle } });
    if (p.accepts) calls.push({ method: 'POST', path: '/_admin/accept_invites', body: { repo, login: p.handle } });
    if (p.ack)
      calls.push({
        method: 'POST',
        path: '/_admin/comments',
        body: { repo, number: 1, author: p.handle, body: 'ack' },
      });
    for (let n = (closed.get(repo) ?? 0) + 1; n <= p.closes; n++)
      calls.push({
        method: 'PATCH',
        path: '/_admin/issues',
        body: { repo, number: n, state: 'closed', state_reason: 'completed', closed_by: p.handle },
      });
    closed.set(repo, Math.max(closed.get(repo) ?? 0, p.closes));
    if (p.day1)
      calls.push({
        method: 'POST',
        path: '/_admin/comments',
        body: { repo, number: 1, author: p.handle, body: 'day1-complete' },
      });
    if (p.deletes)
      calls.push({
        method: 'POST',
        path: '/_admin/delete_file',
        body: { repo, path: p.deletes, message: `Delete ${p.deletes} (the rehearsal's drift)` },
      });
  }
  return { plays, calls };
}

/** What a learner did in one room; a course's learner: in each of their rooms, by assignment. */
export function describePlays(plays: readonly LearnerPlay[]): string {
  return plays
    .map((p) => (p.assignment !== undefined ? `${p.assignment}: ${describePlay(p)}` : describePlay(p)))
    .join('; ');
}

/** One line per learner: what they did. */
export function describePlay(p: LearnerPlay): string {
  const parts: string[] = [];
  if (p.expires) parts.push('let the invitation expire');
  if (p.accepts) parts.push('accepted');
  if (p.ack) parts.push('ack');
  if (p.closes > 0) parts.push(`closed ${p.closes} of ${CHALLENGES}`);
  if (p.day1) parts.push('day1-complete');
  if (p.deletes) parts.push(`${p.deletes} deleted`);
  return parts.join(', ');
}
