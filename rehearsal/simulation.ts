/**
 * What the learners do in a rehearsal with --simulate, decided from the rooms alone (the same rooms
 * always get the same play): every room gets its challenge issues, as the template's automation
 * would open them; every learner but one accepts the invitation, and the last one's expires; the
 * learners who accepted work in four patterns (finish everything, close one challenge, only say
 * "ack", do nothing yet); one room loses a required file. The calls are the double's admin API.
 */

/** A room the apply created: whose, where, and what its cohort requires. */
export interface PlayedRoom {
  handle: string;
  cohort: string;
  /** owner/name */
  repository: string;
  requiredFiles: readonly string[];
  challengeLabel: string;
}

export interface LearnerPlay {
  handle: string;
  cohort: string;
  repository: string;
  accepts: boolean;
  expires: boolean;
  ack: boolean;
  day1: boolean;
  /** Challenges the learner closes, of CHALLENGES. */
  closes: number;
  /** The required file deleted from the room (drift). */
  deletes?: string;
  /** The status progress should derive before any heal. */
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

export function simulationPlan(rooms: readonly PlayedRoom[]): { plays: LearnerPlay[]; calls: AdminCall[] } {
  const drifted = rooms.find((r) => r.requiredFiles.length > 0);
  const plays = rooms.map((r, i): LearnerPlay => {
    const expires = i === rooms.length - 1;
    const p = PATTERNS[i % PATTERNS.length];
    return {
      handle: r.handle,
      cohort: r.cohort,
      repository: r.repository,
      accepts: !expires,
      expires,
      ack: !expires && p.ack,
      day1: !expires && p.day1,
      closes: expires ? 0 : p.closes,
      ...(r === drifted ? { deletes: r.requiredFiles[0] } : {}),
      expected: expires ? 'invitation-expired' : p.expected,
    };
  });
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
    for (let n = 1; n <= p.closes; n++)
      calls.push({
        method: 'PATCH',
        path: '/_admin/issues',
        body: { repo, number: n, state: 'closed', state_reason: 'completed', closed_by: p.handle },
      });
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
