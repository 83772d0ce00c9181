/**
 * Reconstruction: what exists on GitHub, matched to the roster, as Terraform import entries.
 * The import entries file (`imports/<cohort>.json`) and its parts are in contracts/import-entries.ts:
 * reconstruct writes it, synthesis reads it.
 */
import type { CohortImports } from '../contracts/import-entries';

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

/** One cohort's import entries and per-learner outcomes: what its imports file holds. */
export type CohortReconstruction = CohortImports;

export interface ReconstructionReport {
  owner: string;
  cohorts: CohortReconstruction[];
  /** Repositories shaped like a learning room of the selected cohorts that no learner claims. */
  unmatched_repositories: string[];
  /** Other repositories under the owner, ignored. */
  other_repositories: number;
}
