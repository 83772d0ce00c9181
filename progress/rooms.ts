/** Which repository is a learner's learning room: the same rule as synthesis, so progress reads the rooms provisioning made. */
import type { Cohort, Learner, Roster } from '../roster/types';
import { roomRepositoryName } from '../contracts/room-names';
import { DEFAULT_REPOSITORY_PATTERN } from '../contracts/settings';

export const DEFAULT_CHALLENGE_LABEL = 'challenge';

/**
 * The room's repository name: the learner's own `repository` (an adopted room), else the cohort's
 * `repository_pattern`, else the operator's default pattern (LEARNING_ROOMS_REPOSITORY_PATTERN,
 * as for synthesis), with the handle lower-cased.
 */
export function roomName(
  learner: Learner,
  cohort: Cohort | undefined,
  defaultPattern = DEFAULT_REPOSITORY_PATTERN,
): string {
  return roomRepositoryName(learner, cohort, defaultPattern);
}

export function challengeLabel(cohort: Cohort | undefined): string {
  return cohort?.challenge_label ?? DEFAULT_CHALLENGE_LABEL;
}

export function cohortOf(roster: Roster, cohortId: string): Cohort | undefined {
  return roster.cohorts.find((c) => c.cohort_id === cohortId);
}
