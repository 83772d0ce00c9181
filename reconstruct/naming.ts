/**
 * The naming rule of synthesis (synthesis/cohort-plan.ts), for a roster without Terraform state: an
 * explicit `repository` wins, else the cohort's pattern, else the default pattern. The name itself
 * comes from contracts/room-names.ts (as for progress and the plan guard), the learner's permission
 * from the LearningRoom construct; nothing here names a repository on its own.
 */
import { roomRepositoryName } from '../contracts/room-names';
import { COLLABORATOR_PERMISSION } from '../constructs/learning-room';
import { RoomNaming } from './match';

export function synthesisNaming(defaultPattern: string): RoomNaming {
  const patternFor: RoomNaming['patternFor'] = (cohort) => cohort.repository_pattern ?? defaultPattern;
  return {
    patternFor,
    collaboratorPermission: COLLABORATOR_PERMISSION,
    repositoryFor: (learner, cohort) => roomRepositoryName(learner, cohort, defaultPattern),
  };
}
