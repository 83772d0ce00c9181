/** Which repository is a learner's learning room. */
import type { Cohort, Learner, Roster } from '../roster/types';

export const DEFAULT_REPOSITORY_PATTERN = '{cohort}-{handle}';
export const DEFAULT_CHALLENGE_LABEL = 'challenge';

/**
 * The room's repository name: the learner's own `repository` (an adopted room) or the cohort's
 * pattern, with the handle lower-cased. The same rule as synthesis (synthesis/naming.ts), so that
 * progress reads exactly the rooms that provisioning made.
 */
export function roomName(learner: Learner, cohort: Cohort | undefined): string {
  if (learner.repository) return learner.repository;
  const pattern = cohort?.repository_pattern ?? DEFAULT_REPOSITORY_PATTERN;
  return pattern.replace(/\{cohort\}/g, learner.cohort_id).replace(/\{handle\}/g, learner.github_handle.toLowerCase());
}

export function challengeLabel(cohort: Cohort | undefined): string {
  return cohort?.challenge_label ?? DEFAULT_CHALLENGE_LABEL;
}

export function cohortOf(roster: Roster, cohortId: string): Cohort | undefined {
  return roster.cohorts.find((c) => c.cohort_id === cohortId);
}
