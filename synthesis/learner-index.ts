/**
 * The learner index written by synthesis beside each stack's cdk.tf.json
 * (`cdktf.out/stacks/<cohort>/learners.json`). The post-step, the plan comment and reconstruction
 * read it to attribute Terraform changes to learners.
 */

export const LEARNER_INDEX_FILE = 'learners.json';

export interface LearnerIndexEntry {
  github_handle: string;
  cohort_id: string;
  repository: string;
  /** true: the learner's resources are in this stack's configuration. */
  admitted: boolean;
  /** For a learner not admitted this run: why (budget, archive, ...), in words for the operator. */
  queued_reason?: string;
  /** true: left out on purpose because the room is being (or was) archived, not waiting for admission. */
  archived?: boolean;
  addresses: {
    repository: string;
    collaborator: string;
    /** required file path -> address */
    files: Record<string, string>;
  };
}

export interface LearnerIndex {
  format_version: 1;
  cohort_id: string;
  /** Stack name, also the folder name under cdktf.out/stacks/. */
  stack: string;
  owner: string;
  learners: LearnerIndexEntry[];
}

/**
 * A learner synthesis left out of the configuration because the room is being archived (withdrawn,
 * or gone from the roster), as opposed to one waiting for admission.
 */
export function isArchivedEntry(entry: LearnerIndexEntry): boolean {
  return !entry.admitted && entry.archived === true;
}
