/**
 * Builds and writes the learner index (synthesis/learner-index.ts contract) beside a cohort's
 * cdk.tf.json: every learner of the cohort with the repository name and resource addresses, whether
 * the learner is in this run's configuration and, if not, why.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write';
import { collaboratorAddress, fileAddress, repositoryAddress } from './addresses';
import type { CohortPlan } from './cohort-plan';
import { LEARNER_INDEX_FILE, LearnerIndex, LearnerIndexEntry } from './learner-index';

function entry(plan: CohortPlan, handle: string, repository: string, admitted: boolean, reason?: string, archived = false): LearnerIndexEntry {
  const files: Record<string, string> = {};
  for (const f of plan.requiredFiles) files[f] = fileAddress(handle, f);
  return {
    github_handle: handle,
    cohort_id: plan.cohort_id,
    repository,
    admitted,
    ...(reason !== undefined ? { queued_reason: reason } : {}),
    ...(archived ? { archived: true } : {}),
    addresses: { repository: repositoryAddress(handle), collaborator: collaboratorAddress(handle), files },
  };
}

export function buildLearnerIndex(plan: CohortPlan): LearnerIndex {
  const learners: LearnerIndexEntry[] = [];
  for (const r of plan.rooms) learners.push(entry(plan, r.github_handle, r.repository, true));
  for (const q of plan.queued) learners.push(entry(plan, q.github_handle, q.repository, false, q.reason));
  for (const a of plan.archived) {
    if (!a.repository) continue;
    const reason =
      a.why === 'withdrawn'
        ? 'provisioning.state is "archived"; the room is archived, its files and the collaborator stay'
        : 'no longer in the roster; the room is archived, its files and the collaborator stay';
    learners.push(entry(plan, a.github_handle, a.repository, false, reason, true));
  }
  return { format_version: 1, cohort_id: plan.cohort_id, stack: plan.cohort_id, owner: plan.owner, learners };
}

export function writeLearnerIndex(stackDir: string, index: LearnerIndex): string {
  const path = join(stackDir, LEARNER_INDEX_FILE);
  writeFileAtomic(path, JSON.stringify(index, null, 2) + '\n');
  return path;
}
