/**
 * The github provider's resources a learning room is made of, as cdktf `TerraformResource`
 * constructs that carry the attributes the stack policy allows (contracts/stack-policy.ts) and
 * nothing else. They stand in for the generated classes of @cdktf/provider-github, measured too slow
 * (npm run bench:synth, 10,000 learners, 2 shared cores): with the generated classes 10.2 s of CPU,
 * 10 to 22 s of wall time and 560 MiB; with these 5.7 s of CPU, 6 to 10 s and 330 MiB, for the same
 * bytes. A generated Repository builds a dozen output-reference objects that each capture a full
 * stack trace, and every generated resource synthesizes some 50 attributes, mostly unset, that cdktf
 * resolves three times.
 *
 * Adding a resource type to a room: a class here (a config interface; attributes in Terraform's
 * snake_case), and its entry in ROOM_RESOURCES of the stack policy.
 */
import { Construct } from 'constructs';
import { TerraformResource, TerraformResourceLifecycle } from 'cdktf';
import { GITHUB_PROVIDER } from '../contracts/stack-policy';

/** Ties each resource to the github provider, as the generated classes do (cdktf's provider-presence validation reads it). */
const GENERATOR = { providerName: 'github', providerVersion: GITHUB_PROVIDER.version };

type Attributes = Record<string, unknown>;

export interface GithubRepositoryConfig {
  readonly name: string;
  readonly description?: string;
  readonly visibility: 'private' | 'internal' | 'public';
  readonly hasIssues: boolean;
  readonly archiveOnDestroy: boolean;
  /** Generate the repository from this template. */
  readonly template: { readonly owner: string; readonly repository: string };
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** `github_repository`. */
export class GithubRepository extends TerraformResource {
  public static readonly tfResourceType = 'github_repository';

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GithubRepositoryConfig,
  ) {
    super(scope, id, {
      terraformResourceType: GithubRepository.tfResourceType,
      terraformGeneratorMetadata: GENERATOR,
      lifecycle: config.lifecycle,
    });
  }

  /** The repository's name as a reference (`${github_repository.<id>.name}`), so dependents wait for it. */
  public get name(): string {
    return this.getStringAttribute('name');
  }

  /** The default branch GitHub gave the room (the template's), as a reference. */
  public get defaultBranch(): string {
    return this.getStringAttribute('default_branch');
  }

  protected synthesizeAttributes(): Attributes {
    const c = this.config;
    return {
      name: c.name,
      ...(c.description !== undefined ? { description: c.description } : {}),
      visibility: c.visibility,
      has_issues: c.hasIssues,
      archive_on_destroy: c.archiveOnDestroy,
      template: { owner: c.template.owner, repository: c.template.repository },
    };
  }
}

export interface GithubRepositoryCollaboratorConfig {
  /** The repository's name; pass GithubRepository.name so Terraform orders the two. */
  readonly repository: string;
  readonly username: string;
  readonly permission: 'pull' | 'triage' | 'push' | 'maintain' | 'admin';
}

/** `github_repository_collaborator`. */
export class GithubRepositoryCollaborator extends TerraformResource {
  public static readonly tfResourceType = 'github_repository_collaborator';

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GithubRepositoryCollaboratorConfig,
  ) {
    super(scope, id, {
      terraformResourceType: GithubRepositoryCollaborator.tfResourceType,
      terraformGeneratorMetadata: GENERATOR,
    });
  }

  protected synthesizeAttributes(): Attributes {
    return { repository: this.config.repository, username: this.config.username, permission: this.config.permission };
  }
}

export interface GithubRepositoryFileConfig {
  /** The repository's name; pass GithubRepository.name so Terraform orders the two. */
  readonly repository: string;
  /** Path in the repository. */
  readonly file: string;
  /** Already escaped for Terraform (contracts/terraform-template.ts): cdktf writes strings as they are. */
  readonly content: string;
  readonly overwriteOnCreate: boolean;
  /** A course room's feedback branch, which must exist before the file's commit. */
  readonly dependsOn?: TerraformResource[];
}

/** `github_repository_file`. */
export class GithubRepositoryFile extends TerraformResource {
  public static readonly tfResourceType = 'github_repository_file';

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GithubRepositoryFileConfig,
  ) {
    super(scope, id, {
      terraformResourceType: GithubRepositoryFile.tfResourceType,
      terraformGeneratorMetadata: GENERATOR,
      dependsOn: config.dependsOn,
    });
  }

  protected synthesizeAttributes(): Attributes {
    const c = this.config;
    return { repository: c.repository, file: c.file, content: c.content, overwrite_on_create: c.overwriteOnCreate };
  }
}

export type Permission = 'pull' | 'triage' | 'push' | 'maintain' | 'admin';

export interface GithubRepositoryCollaboratorsConfig {
  /** The repository's name; pass GithubRepository.name so Terraform orders the two. */
  readonly repository: string;
  /** Every user with access, as GitHub spells the login (the provider compares them case-sensitively). */
  readonly users: readonly { readonly username: string; readonly permission: Permission }[];
  /** An organisation team by numeric id (a slug would cost a request per comparison). */
  readonly teams?: readonly { readonly teamId: number; readonly permission: Permission }[];
}

/**
 * `github_repository_collaborators`: the room's whole list of people, authoritative (anyone not
 * listed is removed). A changed permission is sent in place, so a cutoff keeps the learner's access.
 */
export class GithubRepositoryCollaborators extends TerraformResource {
  public static readonly tfResourceType = 'github_repository_collaborators';

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GithubRepositoryCollaboratorsConfig,
  ) {
    super(scope, id, {
      terraformResourceType: GithubRepositoryCollaborators.tfResourceType,
      terraformGeneratorMetadata: GENERATOR,
    });
  }

  protected synthesizeAttributes(): Attributes {
    const c = this.config;
    return {
      repository: c.repository,
      user: c.users.map((u) => ({ permission: u.permission, username: u.username })),
      ...(c.teams?.length
        ? { team: c.teams.map((t) => ({ permission: t.permission, team_id: String(t.teamId) })) }
        : {}),
    };
  }
}

export interface GithubBranchConfig {
  readonly repository: string;
  readonly branch: string;
  /** The branch it starts from: pass GithubRepository.defaultBranch. */
  readonly sourceBranch: string;
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** `github_branch`. */
export class GithubBranch extends TerraformResource {
  public static readonly tfResourceType = 'github_branch';

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GithubBranchConfig,
  ) {
    super(scope, id, {
      terraformResourceType: GithubBranch.tfResourceType,
      terraformGeneratorMetadata: GENERATOR,
      lifecycle: config.lifecycle,
    });
  }

  protected synthesizeAttributes(): Attributes {
    const c = this.config;
    return { repository: c.repository, branch: c.branch, source_branch: c.sourceBranch };
  }
}

export interface GithubRepositoryPullRequestConfig {
  readonly baseRepository: string;
  readonly baseRef: string;
  readonly headRef: string;
  readonly title: string;
  readonly body: string;
  readonly maintainerCanModify: boolean;
  readonly dependsOn?: TerraformResource[];
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** `github_repository_pull_request`. */
export class GithubRepositoryPullRequest extends TerraformResource {
  public static readonly tfResourceType = 'github_repository_pull_request';

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GithubRepositoryPullRequestConfig,
  ) {
    super(scope, id, {
      terraformResourceType: GithubRepositoryPullRequest.tfResourceType,
      terraformGeneratorMetadata: GENERATOR,
      lifecycle: config.lifecycle,
      dependsOn: config.dependsOn,
    });
  }

  protected synthesizeAttributes(): Attributes {
    const c = this.config;
    return {
      base_repository: c.baseRepository,
      base_ref: c.baseRef,
      head_ref: c.headRef,
      title: c.title,
      body: c.body,
      maintainer_can_modify: c.maintainerCanModify,
    };
  }
}

export interface GithubTeamRepositoryConfig {
  readonly teamId: number;
  readonly repository: string;
  readonly permission: Permission;
}

/** `github_team_repository`: a team's access to one repository. */
export class GithubTeamRepository extends TerraformResource {
  public static readonly tfResourceType = 'github_team_repository';

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GithubTeamRepositoryConfig,
  ) {
    super(scope, id, {
      terraformResourceType: GithubTeamRepository.tfResourceType,
      terraformGeneratorMetadata: GENERATOR,
    });
  }

  protected synthesizeAttributes(): Attributes {
    const c = this.config;
    return { team_id: String(c.teamId), repository: c.repository, permission: c.permission };
  }
}
