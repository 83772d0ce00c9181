// PLACEHOLDER on branch gitops only: the contract types of the record helper's module, so that the
// gitops code type-checks until branch `record` lands; replaced wholesale by `git merge record`.
import type { LearnerIndex } from '../synthesis/learner-index';

export type LearnerPlanAction = 'provision' | 'heal' | 'update' | 'archive' | 'no-change' | 'queued';
export interface PlannedResource {
  address: string;
  actions: string[];
  reason?: string;
}
export interface LearnerPlanChange {
  github_handle: string;
  cohort_id?: string;
  repository?: string;
  action: LearnerPlanAction;
  resources: PlannedResource[];
  incomplete?: true;
}
export function learnerPlanChanges(_plan: unknown, _index?: LearnerIndex): LearnerPlanChange[] {
  throw new Error('provisioning/plan-changes.ts is not merged yet');
}
