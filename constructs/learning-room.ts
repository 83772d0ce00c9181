/**
 * One learner's learning room: a private repository generated from the cohort's template, the
 * learner as a collaborator with push, and the cohort's required files. Resource names follow
 * contracts/room-addresses.ts, so plans and applies attribute every change to a learner.
 */
import { Construct } from 'constructs';
import {
  GithubRepository,
  GithubRepositoryCollaborator,
  GithubRepositoryFile,
  GithubTeamRepository,
  Permission,
} from './github-resources';
import {
  facilitatorResourceName,
  facilitatorTeamResourceName,
  fileResourceName,
  fileSlug,
  learnerResourceName,
} from '../contracts/room-addresses';
import { escapeTerraformTemplate } from '../contracts/terraform-template';
import { repositoryNameProblem } from '../contracts/room-names';
import { REPOSITORY_IGNORE_CHANGES } from '../contracts/stack-policy';
import { foldHandle, isValidHandle } from '../roster/handle';

export interface RequiredFile {
  /** Path in the room, e.g. `.github/workflows/progress.yml`. */
  readonly path: string;
  /** The file's literal text (escaping for Terraform happens here, not in the caller). */
  readonly content: string;
}

export interface LearningRoomProps {
  /** The learner's GitHub login, as spelled in the roster. */
  readonly githubHandle: string;
  /** Repository name under the provider's owner. */
  readonly repositoryName: string;
  readonly template: { readonly owner: string; readonly repository: string };
  readonly requiredFiles: readonly RequiredFile[];
  /** Shown on GitHub; must not contain personal data beyond the handle. */
  readonly description?: string;
  /**
   * The cohort's facilitators: one collaborator each (their permission never changes, so the singular
   * resource's ForceNew does no harm), and the facilitators' organisation team by numeric id.
   */
  readonly facilitators?: readonly { readonly username: string; readonly permission: Permission }[];
  readonly facilitatorTeam?: { readonly id: number; readonly permission: Permission };
}

/** The settings of every room's repository. */
export const REPOSITORY_SETTINGS = {
  visibility: 'private',
  // The provider sends unset has_* as false on create; progress reads the room's issues.
  has_issues: true,
  // A learner removed from the roster gets the room archived, never deleted.
  archive_on_destroy: true,
} as const;
export const COLLABORATOR_PERMISSION = 'push';

/** Every problem with the props at once; empty when they are valid. */
export function learningRoomProblems(props: LearningRoomProps): string[] {
  const who = `learning room of "${props.githubHandle}"`;
  const problems: string[] = [];
  if (!isValidHandle(props.githubHandle))
    problems.push(`${who}: githubHandle: expected a GitHub login (1-39 of A-Za-z0-9 and single inner hyphens)`);
  const nameProblem = repositoryNameProblem(props.repositoryName);
  if (nameProblem) problems.push(`${who}: repositoryName: ${nameProblem}`);
  if (!isValidHandle(props.template.owner))
    problems.push(`${who}: template.owner: expected a GitHub owner, found "${props.template.owner}"`);
  if (repositoryNameProblem(props.template.repository)) {
    problems.push(`${who}: template.repository: expected a repository name, found "${props.template.repository}"`);
  }
  for (const f of props.facilitators ?? []) {
    if (!isValidHandle(f.username))
      problems.push(`${who}: facilitators: expected a GitHub login, found "${f.username}"`);
    else if (foldHandle(f.username) === foldHandle(props.githubHandle))
      problems.push(`${who}: facilitators: "${f.username}" is the room's learner`);
  }
  const t = props.facilitatorTeam;
  if (t && (!Number.isSafeInteger(t.id) || t.id < 1))
    problems.push(`${who}: facilitatorTeam.id: expected a numeric team id, found ${String(t.id)}`);
  const slugs = new Map<string, string>();
  for (const f of props.requiredFiles) {
    const slug = fileSlug(f.path);
    if (slug === '' || f.path.startsWith('/') || f.path.split('/').some((s) => s === '..' || s === '.' || s === '')) {
      problems.push(`${who}: requiredFiles: expected a relative path inside the repository, found "${f.path}"`);
    } else if (slugs.has(slug)) {
      problems.push(`${who}: requiredFiles: "${f.path}" and "${slugs.get(slug)}" map to one resource name "${slug}"`);
    } else slugs.set(slug, f.path);
  }
  return problems;
}

/**
 * Synthesis builds one per admitted learner, under the cohort's CohortStack; its resources are what
 * the stack's cdk.tf.json holds for that learner, at the addresses of contracts/room-addresses.ts.
 */
export class LearningRoom extends Construct {
  public readonly repository: GithubRepository;
  public readonly collaborator: GithubRepositoryCollaborator;
  public readonly files: GithubRepositoryFile[];
  public readonly facilitators: GithubRepositoryCollaborator[];
  public readonly facilitatorTeam?: GithubTeamRepository;

  constructor(scope: Construct, props: LearningRoomProps) {
    const problems = learningRoomProblems(props);
    if (problems.length) throw new Error(problems.join('\n'));
    const name = learnerResourceName(props.githubHandle);
    super(scope, name);

    this.repository = new GithubRepository(this, 'repository', {
      name: props.repositoryName,
      description: props.description,
      visibility: REPOSITORY_SETTINGS.visibility,
      hasIssues: REPOSITORY_SETTINGS.has_issues,
      archiveOnDestroy: REPOSITORY_SETTINGS.archive_on_destroy,
      template: { owner: props.template.owner, repository: props.template.repository },
      lifecycle: { ignoreChanges: [...REPOSITORY_IGNORE_CHANGES] },
    });
    this.repository.overrideLogicalId(name);
    // One reference token for all dependents: each token captures a stack trace when made.
    const repository = this.repository.name;

    this.collaborator = new GithubRepositoryCollaborator(this, 'collaborator', {
      repository,
      username: props.githubHandle,
      permission: COLLABORATOR_PERMISSION,
    });
    this.collaborator.overrideLogicalId(name);

    this.files = props.requiredFiles.map((f) => {
      const file = new GithubRepositoryFile(this, `file-${fileSlug(f.path)}`, {
        repository,
        file: f.path,
        content: escapeTerraformTemplate(f.content),
        // A file that exists already (from the template, or left in state by a failed read) is
        // overwritten instead of failing "refusing to overwrite existing file".
        overwriteOnCreate: true,
      });
      file.overrideLogicalId(fileResourceName(props.githubHandle, f.path));
      return file;
    });

    this.facilitators = (props.facilitators ?? []).map((f) => {
      const c = new GithubRepositoryCollaborator(this, `facilitator-${foldHandle(f.username)}`, {
        repository,
        username: f.username,
        permission: f.permission,
      });
      c.overrideLogicalId(facilitatorResourceName(props.githubHandle, f.username));
      return c;
    });
    if (props.facilitatorTeam) {
      this.facilitatorTeam = new GithubTeamRepository(this, 'facilitator-team', {
        teamId: props.facilitatorTeam.id,
        repository,
        permission: props.facilitatorTeam.permission,
      });
      this.facilitatorTeam.overrideLogicalId(facilitatorTeamResourceName(props.githubHandle));
    }
  }
}
