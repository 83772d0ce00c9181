/**
 * The double's in-memory model of GitHub. Objects reference each other directly (an issue holds its
 * label objects), so a rename or a deletion is seen everywhere at once, as on GitHub.
 */

export type Permission = 'read' | 'write' | 'admin';
/** GitHub App permission names the double enforces (a subset of GitHub's). */
export type AppPermissionName =
  | 'administration'
  | 'contents'
  | 'issues'
  | 'metadata'
  | 'pull_requests'
  | 'members'
  | 'workflows'
  | 'actions'
  | 'environments'
  | 'secrets'
  | 'organization_administration';
export const APP_PERMISSION_NAMES: readonly AppPermissionName[] = [
  'administration',
  'contents',
  'issues',
  'metadata',
  'pull_requests',
  'members',
  'workflows',
  'actions',
  'environments',
  'secrets',
  'organization_administration',
];
export type AppPermissions = Partial<Record<AppPermissionName, Permission>>;
/** Repository roles, as the REST API names them in `role_name`. */
export type RepoRole = 'read' | 'triage' | 'write' | 'maintain' | 'admin';

export interface Account {
  id: number;
  nodeId: string;
  login: string;
  type: 'User' | 'Organization' | 'Bot';
  name: string | null;
  createdAt: string;
}

export interface Org {
  account: Account;
  /** Lower-cased logins. */
  members: Set<string>;
  /** Lower-cased slug -> team. */
  teams: Map<string, Team>;
  /** Organization Actions secrets (names only: the double never holds a value). */
  secrets: OrgSecret[];
}

/** An Actions secret as the API shows it: a name and two times, never a value. */
export interface Secret {
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface OrgSecret extends Secret {
  visibility: 'all' | 'private' | 'selected';
  /** For `selected`: lower-cased `owner/name` of the repositories that may read it. */
  repositories: string[];
}

/** A deployment environment: which refs may use it, and its secrets (names). */
export interface Environment {
  id: number;
  nodeId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** null: every branch; `protected`: protected branches; `custom`: the name patterns of `policies`. */
  branchPolicy: null | 'protected' | 'custom';
  policies: { id: number; nodeId: string; name: string; type: 'branch' | 'tag' }[];
  secrets: Secret[];
}

export interface RulesetBypassActor {
  actorId: number | null;
  actorType: 'Integration' | 'OrganizationAdmin' | 'RepositoryRole' | 'Team' | 'DeployKey';
  bypassMode: 'always' | 'pull_request';
}

/** A repository ruleset, kept as created (rules and conditions in the API's own shape). */
export interface Ruleset {
  id: number;
  nodeId: string;
  name: string;
  target: 'branch' | 'tag';
  enforcement: 'active' | 'evaluate' | 'disabled';
  include: string[];
  exclude: string[];
  rules: { type: string; parameters?: Record<string, unknown> }[];
  bypassActors: RulesetBypassActor[];
  createdAt: string;
  updatedAt: string;
}

export interface StoredFile {
  content: Buffer;
  /** Git blob sha of the content. */
  sha: string;
}

/** One file a commit changed (GitHub's `diff-entry`); the provider finds a file's commit by these. */
export interface CommitFileChange {
  filename: string;
  status: 'added' | 'modified' | 'removed';
  /** Blob sha of the new content (of the old content for a removal, as GitHub shows it). */
  sha: string;
  additions: number;
  deletions: number;
}

export interface Commit {
  sha: string;
  treeSha: string;
  message: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  date: string;
  files: CommitFileChange[];
  /** Every file as of this commit (shared, never mutated: a new commit makes a new map). */
  tree: ReadonlyMap<string, StoredFile>;
}

export interface Collaborator {
  account: Account;
  role: RepoRole;
}

/** A team of an organization. Members are org members; the team's access lives on each repository. */
export interface Team {
  id: number;
  nodeId: string;
  org: Account;
  name: string;
  slug: string;
  description: string | null;
  privacy: 'closed' | 'secret';
  /** Lower-cased login -> member. */
  members: Map<string, { account: Account; role: 'member' | 'maintainer' }>;
  createdAt: string;
  updatedAt: string;
}

export interface Invitation {
  id: number;
  nodeId: string;
  invitee: Account;
  inviter: Account;
  role: RepoRole;
  createdAt: string;
  expired: boolean;
}

export interface Label {
  id: number;
  nodeId: string;
  name: string;
  color: string;
  description: string | null;
  isDefault: boolean;
}

export interface Comment {
  id: number;
  nodeId: string;
  author: Account;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface IssueRef {
  /** `owner/name` as given; resolved case-insensitively when read. */
  repo: string;
  number: number;
}

export interface PullFields {
  merged: boolean;
  mergedAt: string | null;
  draft: boolean;
  headRef: string;
  baseRef: string;
  /** Issues this pull request closes when merged (GraphQL `closingIssuesReferences`). */
  closes: IssueRef[];
  /** Head and base commits when opened through the API; read live from the branches while they exist. */
  headSha?: string;
  baseSha?: string;
}

/**
 * One close or reopen of an issue or pull request, for GraphQL's `timelineItems` (ClosedEvent,
 * ReopenedEvent); REST's `closed_by` is the actor of the last close.
 */
export interface IssueEvent {
  id: number;
  nodeId: string;
  kind: 'closed' | 'reopened';
  actor: Account;
  createdAt: string;
  /** A close by the merge of a pull request: that pull request (GraphQL `ClosedEvent.closer`). */
  closer: { repo: Repo; pull: Issue } | null;
}

/** Issues and pull requests share a repository's numbering, as on GitHub. */
export interface Issue {
  id: number;
  nodeId: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  author: Account;
  labels: Label[];
  assignees: Account[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  comments: Comment[];
  /** Closes and reopens, oldest first; a closed issue seeded without `closed_by` has none. */
  events: IssueEvent[];
  pull?: PullFields;
}

/** Settings the provider PATCHes and reads back; kept as sent so a re-read shows no drift. */
export interface RepoSettings {
  description: string | null;
  homepage: string | null;
  has_issues: boolean;
  has_projects: boolean;
  has_wiki: boolean;
  has_downloads: boolean;
  has_discussions: boolean;
  has_pages: boolean;
  is_template: boolean;
  allow_rebase_merge: boolean;
  allow_squash_merge: boolean;
  allow_merge_commit: boolean;
  allow_auto_merge: boolean;
  allow_update_branch: boolean;
  allow_forking: boolean;
  delete_branch_on_merge: boolean;
  web_commit_signoff_required: boolean;
  use_squash_pr_title_as_default: boolean;
  squash_merge_commit_title: 'PR_TITLE' | 'COMMIT_OR_PR_TITLE';
  squash_merge_commit_message: 'PR_BODY' | 'COMMIT_MESSAGES' | 'BLANK';
  merge_commit_title: 'PR_TITLE' | 'MERGE_MESSAGE';
  merge_commit_message: 'PR_BODY' | 'PR_TITLE' | 'BLANK';
}

export interface Repo {
  id: number;
  nodeId: string;
  owner: Account;
  name: string;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  defaultBranch: string;
  settings: RepoSettings;
  topics: string[];
  vulnerabilityAlerts: boolean;
  template: Repo | null;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** The default branch's files (its head commit's `tree`); replaced, never mutated, by each commit. */
  files: ReadonlyMap<string, StoredFile>;
  commits: Map<string, Commit>;
  /** The default branch's head commit (null while the repository is empty). */
  headSha: string | null;
  /** Branch name -> head commit sha, the default branch included (empty while the repository is empty). */
  branches: Map<string, string>;
  /** Blob sha -> content, for `git/blobs` and trees. */
  blobs: Map<string, Buffer>;
  /** Tree sha -> the commit tree and the folder it stands for ('' = the root), for `git/trees`. */
  trees: Map<string, { tree: ReadonlyMap<string, StoredFile>; prefix: string }>;
  /** Team id -> the team's role on this repository. */
  teams: Map<number, { team: Team; role: RepoRole }>;
  /** Until a generated repository is ready it looks empty; writes wait for it. */
  ready: Promise<void> | null;
  collaborators: Map<string, Collaborator>;
  invitations: Invitation[];
  labels: Label[];
  issues: Issue[];
  nextNumber: number;
  environments: Environment[];
  /** Repository-level Actions secrets. */
  secrets: Secret[];
  rulesets: Ruleset[];
  /** `repository_dispatch` events sent to the repository, oldest first (no workflow runs here). */
  dispatches: Dispatch[];
}

/** A `POST /repos/{o}/{r}/dispatches` as received. */
export interface Dispatch {
  event_type: string;
  client_payload: Record<string, unknown>;
  /** Who sent it (a user, or an App's bot). */
  sender: string;
  at: string;
}

export interface Installation {
  id: number;
  account: Account;
  permissions: AppPermissions;
  /** The App it belongs to: the seed's `app` (which can sign JWTs) or one of `apps` (listed only). */
  appId: number;
  appSlug: string;
  repositorySelection: 'all' | 'selected';
}

/** Who a request acts as, after authentication. */
export type Identity =
  | { kind: 'anonymous'; key: string }
  | { kind: 'user'; key: string; account: Account; permissions: AppPermissions | null }
  | { kind: 'app'; key: string; appId: number }
  | { kind: 'installation'; key: string; installation: Installation; account: Account };

export interface MintedToken {
  installationId: number;
  expiresAt: number;
  permissions: AppPermissions;
}
