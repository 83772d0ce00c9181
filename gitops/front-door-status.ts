/**
 * Where an enrolled learner stands, for the comment on their public registration issue: waiting
 * for a room (their place in the cohort's queue, and the expected time when the learner index
 * gives one), a first attempt that failed and will be retried, or the room ready (its address and
 * where to accept the invitation). Pure: the roster and the rooms' settings in.
 */
import { roomRepositoryName } from '../contracts/room-names';
import { sameHandle } from '../roster/handle';
import type { Learner, Roster } from '../roster/types';

export interface RoomSettings {
  /** Who owns the rooms. */
  owner: string;
  /** The default room name pattern (a cohort's own pattern wins). */
  repositoryPattern: string;
  /** Where people open repositories: https://github.com, or the GitHub Enterprise Server host. */
  htmlBase: string;
}

/** What the learner index may say about a waiting learner (synthesis' queue), when it says it. */
export interface QueueHint {
  position?: number;
  /** ISO 8601: the run expected to make the room. */
  expected_at?: string;
}

export type LearnerStatus =
  | { kind: 'waiting'; position: number; of: number; expectedAt?: string }
  | { kind: 'retrying' }
  | { kind: 'ready'; room: string; roomUrl: string; invitationsUrl: string };

/** A room exists once one was made: a later failed heal does not take it away. */
export function hasRoom(l: Learner): boolean {
  return (
    l.provisioning.state === 'provisioned' ||
    (l.provisioning.state !== 'archived' && l.provisioning.provisioned_at !== undefined)
  );
}

/**
 * The cohort's learners waiting for a room, in the order synthesis admits them (as the dashboard
 * counts them): earlier failures first, then pending learners, each in roster order.
 */
export function cohortQueue(roster: Roster, cohortId: string): Learner[] {
  const waiting = roster.learners.filter(
    (l) => l.cohort_id === cohortId && l.provisioning.state !== 'archived' && !hasRoom(l),
  );
  return [
    ...waiting.filter((l) => l.provisioning.state === 'failed'),
    ...waiting.filter((l) => l.provisioning.state === 'pending'),
  ];
}

export function learnerStatus(
  roster: Roster,
  learner: Learner,
  settings: RoomSettings,
  hint?: QueueHint,
): LearnerStatus {
  if (hasRoom(learner)) {
    const cohort = roster.cohorts.find((c) => c.cohort_id === learner.cohort_id);
    const room = roomRepositoryName(learner, cohort, settings.repositoryPattern);
    const roomUrl = `${settings.htmlBase}/${settings.owner}/${room}`;
    return { kind: 'ready', room, roomUrl, invitationsUrl: `${roomUrl}/invitations` };
  }
  if (learner.provisioning.state === 'failed') return { kind: 'retrying' };
  const queue = cohortQueue(roster, learner.cohort_id);
  const at = queue.findIndex((l) => sameHandle(l.github_handle, learner.github_handle));
  const expected =
    hint?.expected_at !== undefined && !Number.isNaN(Date.parse(hint.expected_at))
      ? { expectedAt: hint.expected_at }
      : {};
  const position = hint?.position ?? at + 1;
  return { kind: 'waiting', position, of: Math.max(queue.length, position), ...expected };
}
