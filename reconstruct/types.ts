/**
 * Reconstruction: what exists on GitHub, matched to the roster, as Terraform import entries.
 * The import entries file (`imports/<cohort>.json`) is the contract between `learning-rooms
 * reconstruct` (writer) and synthesis (reader, which turns entries into `import` blocks).
 */

/** One Terraform import: adopt the existing object `id` at `address` instead of creating it. */
export interface ImportEntry {
  cohort_id: string;
  github_handle: string;
  /** Address in the cohort's stack (synthesis/addresses.ts). */
  address: string;
  /** The provider's import id: repository `name`, collaborator `name:login`, file `name/path`. */
  id: string;
}

/** A repository under the student owner, as listed by the API. */
export interface OwnerRepository {
  name: string;
  archived: boolean;
}

/** What the edge found in one matched repository. */
export interface RoomInspection {
  /** Logins with a pending (possibly expired) invitation. The provider counts these as present. */
  invited: string[];
  /** Logins of collaborators; undefined when not listed because the learner was already invited. */
  collaborators?: string[];
  /** Required file path -> whether a file exists at that path on the default branch. */
  files: Record<string, boolean>;
  /** The learner's permission as GitHub reports it (invitation `permissions`, collaborator `role_name`). */
  learnerPermission?: string;
}

export type LearnerOutcome =
  /** Every resource of the room exists and is imported. */
  | 'adopted'
  /** The repository exists and is imported; some of its resources are missing and will be created. */
  | 'partly-adopted'
  /** No repository: the plan creates the whole room. */
  | 'to-create'
  /** Archived in the roster: synthesis does not manage the room, nothing is imported. */
  | 'archived'
  /** Shares its repository name with another learner: nothing imported until the roster is fixed. */
  | 'conflict';

export interface LearnerReconstruction {
  cohort_id: string;
  github_handle: string;
  /** The repository name the configuration uses. */
  repository: string;
  outcome: LearnerOutcome;
  /** Addresses imported. */
  imported: string[];
  /** Addresses that do not exist on GitHub: the plan will create them. */
  missing: string[];
  /** Facts the operator should know (case differences, pending invitations, archived on GitHub). */
  notes: string[];
}

export interface CohortReconstruction {
  cohort_id: string;
  imports: ImportEntry[];
  learners: LearnerReconstruction[];
}

export interface ReconstructionReport {
  owner: string;
  cohorts: CohortReconstruction[];
  /** Repositories shaped like a learning room of the selected cohorts that no learner claims. */
  unmatched_repositories: string[];
  /** Other repositories under the owner, ignored. */
  other_repositories: number;
}

export const IMPORTS_FORMAT_VERSION = 1;

/** The file `imports/<cohort>.json`. */
export interface ImportsFile {
  format_version: typeof IMPORTS_FORMAT_VERSION;
  cohort_id: string;
  owner: string;
  /** When reconstruct ran (ISO 8601); for the reviewer, not used by synthesis. */
  generated_at: string;
  imports: ImportEntry[];
  /** Per learner: what was adopted and what the next plan will create. */
  learners: LearnerReconstruction[];
}
