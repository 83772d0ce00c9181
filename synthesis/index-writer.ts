/**
 * Builds the learner index (the format of contracts/learner-index.ts) of a cohort's plan: every
 * learner of the cohort with the repository name and resource addresses, whether the learner is in
 * this run's configuration and, if not, why.
 */
import { collaboratorAddress, fileAddress, repositoryAddress } from '../contracts/room-addresses';
import type { CohortPlan, QueuedLearner } from './cohort-plan';
import type { LearnerIndex, LearnerIndexEntry } from '../contracts/learner-index';

function entry(
  plan: CohortPlan,
  handle: string,
  repository: string,
  admitted: boolean,
  reason?: string,
  archived = false,
  queue?: QueuedLearner['queue'],
): LearnerIndexEntry {
  const files: Record<string, string> = {};
  for (const f of plan.requiredFiles) files[f] = fileAddress(handle, f);
  return {
    github_handle: handle,
    cohort_id: plan.cohort_id,
    repository,
    admitted,
    ...(reason !== undefined ? { queued_reason: reason } : {}),
    ...(archived ? { archived: true } : {}),
    ...(queue ? { queue } : {}),
    addresses: { repository: repositoryAddress(handle), collaborator: collaboratorAddress(handle), files },
  };
}

export function buildLearnerIndex(plan: CohortPlan): LearnerIndex {
  const learners: LearnerIndexEntry[] = [];
  for (const r of plan.rooms) learners.push(entry(plan, r.github_handle, r.repository, true));
  for (const q of plan.queued)
    learners.push(entry(plan, q.github_handle, q.repository, false, q.reason, false, q.queue));
  for (const a of plan.archived) {
    if (!a.repository) continue;
    const reason =
      a.why === 'withdrawn'
        ? 'provisioning.state is "archived"; the room is archived, its files and the collaborator stay'
        : 'no longer in the roster; the room is archived, its files and the collaborator stay';
    learners.push(entry(plan, a.github_handle, a.repository, false, reason, true));
  }
  return { format_version: 1, cohort_id: plan.cohort_id, stack: plan.stack, owner: plan.owner, learners };
}
