/**
 * One room of a course (docs/course.md): a repository generated from the assignment's template, its
 * whole list of people in one authoritative `github_repository_collaborators` (the learner, or every
 * member of a team, with push until their cutoff and pull after it; the facilitators; an
 * organisation team), the required files and, when the assignment asks for it, GitHub Classroom's
 * feedback pull request. Resource names follow contracts/room-addresses.ts (`<assignment>--<owner>`).
 *
 * The feedback branch is made from the default branch before any required file is written (the
 * files depend on it), so the starter code is all it holds and the pull request, which depends on
 * the files, has commits to show: GitHub refuses one with no commit between its branches.
 */
import { Construct } from 'constructs';
import {
  GithubBranch,
  GithubRepository,
  GithubRepositoryCollaborators,
  GithubRepositoryFile,
  GithubRepositoryPullRequest,
  Permission,
} from './github-resources';
import { REPOSITORY_SETTINGS, RequiredFile } from './learning-room';
import { courseFileResourceName, feedbackResourceName, fileSlug } from '../contracts/room-addresses';
import { escapeTerraformTemplate } from '../contracts/terraform-template';
import { repositoryNameProblem } from '../contracts/room-names';
import {
  FEEDBACK_BRANCH_IGNORE_CHANGES,
  FEEDBACK_PULL_REQUEST_IGNORE_CHANGES,
  PERMISSIONS,
  REPOSITORY_IGNORE_CHANGES,
} from '../contracts/stack-policy';
import { foldHandle, isValidHandle } from '../roster/handle';
import { FEEDBACK_BODY, FEEDBACK_BRANCH, FEEDBACK_TITLE } from '../roster/course';

export interface RoomPerson {
  /** The GitHub login exactly as GitHub spells it: the provider compares logins case-sensitively. */
  readonly username: string;
  readonly permission: Permission;
}

export interface AssignmentRoomProps {
  /** `<assignment>--<owner>` (contracts/room-addresses.ts courseRoomKey). */
  readonly key: string;
  readonly repositoryName: string;
  readonly template: { readonly owner: string; readonly repository: string };
  readonly requiredFiles: readonly RequiredFile[];
  /** The learner, or the team's members. */
  readonly members: readonly RoomPerson[];
  /** The cohort's facilitators by handle. */
  readonly facilitators?: readonly RoomPerson[];
  /** The cohort's facilitators' organisation team. */
  readonly facilitatorTeam?: { readonly id: number; readonly permission: Permission };
  /** GitHub Classroom's feedback branch and pull request, made at provisioning. */
  readonly feedbackPullRequest: boolean;
  /** `public` once a portfolio end of course publishes the room. */
  readonly visibility: 'private' | 'public';
  readonly description?: string;
}

const KEY = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*--[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/** Every problem with the props at once; empty when they are valid. */
export function assignmentRoomProblems(props: AssignmentRoomProps): string[] {
  const who = `room ${props.key}`;
  const problems: string[] = [];
  if (!KEY.test(props.key))
    problems.push(`${who}: key: expected "<assignment>--<learner or team>", found "${props.key}"`);
  const nameProblem = repositoryNameProblem(props.repositoryName);
  if (nameProblem) problems.push(`${who}: repositoryName: ${nameProblem}`);
  if (!isValidHandle(props.template.owner))
    problems.push(`${who}: template.owner: expected a GitHub owner, found "${props.template.owner}"`);
  if (repositoryNameProblem(props.template.repository))
    problems.push(`${who}: template.repository: expected a repository name, found "${props.template.repository}"`);
  if (props.members.length === 0)
    problems.push(`${who}: members: expected the learner or the team's members, found none`);
  const seen = new Map<string, string>();
  for (const [field, people] of [
    ['members', props.members],
    ['facilitators', props.facilitators ?? []],
  ] as const) {
    for (const p of people) {
      if (!isValidHandle(p.username)) problems.push(`${who}: ${field}: expected a GitHub login, found "${p.username}"`);
      if (!PERMISSIONS.includes(p.permission))
        problems.push(
          `${who}: ${field}: "${p.username}": expected one of ${PERMISSIONS.join(', ')}, found "${p.permission}"`,
        );
      const other = seen.get(foldHandle(p.username));
      // One login twice would be two users to the provider's case-sensitive matching, and a fight.
      if (other !== undefined) problems.push(`${who}: ${field}: "${p.username}" is already listed (as "${other}")`);
      seen.set(foldHandle(p.username), p.username);
    }
  }
  const t = props.facilitatorTeam;
  if (t && (!Number.isSafeInteger(t.id) || t.id < 1))
    problems.push(`${who}: facilitatorTeam.id: expected a numeric team id, found ${String(t.id)}`);
  const slugs = new Map<string, string>();
  for (const f of props.requiredFiles) {
    const slug = fileSlug(f.path);
    if (slug === '' || f.path.startsWith('/') || f.path.split('/').some((s) => s === '..' || s === '.' || s === '')) {
      problems.push(`${who}: requiredFiles: expected a relative path inside the repository, found "${f.path}"`);
    } else if (slugs.has(slug) || slug === 'feedback') {
      problems.push(
        `${who}: requiredFiles: "${f.path}" maps to the resource name "${slug}", ${slug === 'feedback' ? "the feedback branch's" : `as "${slugs.get(slug)}" does`}`,
      );
    } else slugs.set(slug, f.path);
  }
  if (props.feedbackPullRequest && props.requiredFiles.length === 0)
    problems.push(
      `${who}: feedbackPullRequest: expected at least one required file (the commit the feedback branch lacks: GitHub refuses a pull request with none)`,
    );
  return problems;
}

export class AssignmentRoom extends Construct {
  public readonly repository: GithubRepository;
  public readonly collaborators: GithubRepositoryCollaborators;
  public readonly files: GithubRepositoryFile[];
  public readonly branch?: GithubBranch;
  public readonly pullRequest?: GithubRepositoryPullRequest;

  constructor(scope: Construct, props: AssignmentRoomProps) {
    const problems = assignmentRoomProblems(props);
    if (problems.length) throw new Error(problems.join('\n'));
    super(scope, props.key);

    this.repository = new GithubRepository(this, 'repository', {
      name: props.repositoryName,
      description: props.description,
      visibility: props.visibility,
      hasIssues: REPOSITORY_SETTINGS.has_issues,
      // The end of course archives a room by leaving the configuration, exactly like a withdrawal.
      archiveOnDestroy: REPOSITORY_SETTINGS.archive_on_destroy,
      template: { owner: props.template.owner, repository: props.template.repository },
      lifecycle: { ignoreChanges: [...REPOSITORY_IGNORE_CHANGES] },
    });
    this.repository.overrideLogicalId(props.key);
    const repository = this.repository.name;

    // Sorted by login, so the same people always write the same bytes.
    const people = [...props.members, ...(props.facilitators ?? [])].sort((a, b) =>
      foldHandle(a.username) < foldHandle(b.username) ? -1 : foldHandle(a.username) > foldHandle(b.username) ? 1 : 0,
    );
    this.collaborators = new GithubRepositoryCollaborators(this, 'collaborators', {
      repository,
      users: people,
      teams: props.facilitatorTeam
        ? [{ teamId: props.facilitatorTeam.id, permission: props.facilitatorTeam.permission }]
        : [],
    });
    this.collaborators.overrideLogicalId(props.key);

    // One reference token for both (each token captures a stack trace when made).
    const defaultBranch = props.feedbackPullRequest ? this.repository.defaultBranch : '';
    if (props.feedbackPullRequest) {
      this.branch = new GithubBranch(this, 'feedback-branch', {
        repository,
        branch: FEEDBACK_BRANCH,
        sourceBranch: defaultBranch,
        lifecycle: { ignoreChanges: [...FEEDBACK_BRANCH_IGNORE_CHANGES] },
      });
      this.branch.overrideLogicalId(feedbackResourceName(props.key));
    }

    this.files = props.requiredFiles.map((f) => {
      const file = new GithubRepositoryFile(this, `file-${fileSlug(f.path)}`, {
        repository,
        file: f.path,
        content: escapeTerraformTemplate(f.content),
        overwriteOnCreate: true,
        ...(this.branch ? { dependsOn: [this.branch] } : {}),
      });
      file.overrideLogicalId(courseFileResourceName(props.key, f.path));
      return file;
    });

    if (this.branch) {
      this.pullRequest = new GithubRepositoryPullRequest(this, 'feedback-pull-request', {
        baseRepository: repository,
        baseRef: FEEDBACK_BRANCH,
        headRef: defaultBranch,
        title: FEEDBACK_TITLE,
        body: FEEDBACK_BODY,
        maintainerCanModify: false,
        dependsOn: [this.branch, ...this.files],
        lifecycle: { ignoreChanges: [...FEEDBACK_PULL_REQUEST_IGNORE_CHANGES] },
      });
      this.pullRequest.overrideLogicalId(feedbackResourceName(props.key));
    }
  }
}
