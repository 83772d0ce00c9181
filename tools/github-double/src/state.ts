import { createPublicKey, type KeyObject } from 'node:crypto';
import { blobSha, commitSha, lineChanges, treeSha } from './git';
import type { Seed, SeedIssue, SeedPull, SeedRepo, SeedRepoSettings } from './seed';
import type {
  Account,
  AppPermissions,
  Comment,
  Commit,
  CommitFileChange,
  Installation,
  Invitation,
  Issue,
  IssueEvent,
  Label,
  MintedToken,
  Org,
  PullFields,
  Repo,
  RepoRole,
  RepoSettings,
  StoredFile,
  Team,
} from './types';

export interface StateOptions {
  /** Milliseconds since the epoch; tests pass a controllable clock. */
  now: () => number;
  /** How long a repository generated from a template stays empty. */
  generateDelayMs: number;
  /** The App's public key, already read (the seed may name a file; reading it is the caller's job). */
  appPublicKey?: KeyObject | null;
}

export const DEFAULT_SETTINGS: RepoSettings = {
  description: null,
  homepage: null,
  has_issues: true,
  has_projects: true,
  has_wiki: true,
  has_downloads: true,
  has_discussions: false,
  has_pages: false,
  is_template: false,
  allow_rebase_merge: true,
  allow_squash_merge: true,
  allow_merge_commit: true,
  allow_auto_merge: false,
  allow_update_branch: false,
  allow_forking: true,
  delete_branch_on_merge: false,
  web_commit_signoff_required: false,
  use_squash_pr_title_as_default: false,
  squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
  squash_merge_commit_message: 'COMMIT_MESSAGES',
  merge_commit_title: 'MERGE_MESSAGE',
  merge_commit_message: 'PR_TITLE',
};

/** REST accepts both the old (`pull`, `push`) and the new (`read`, `write`) role names. */
export function toRole(permission: string | undefined): RepoRole | undefined {
  switch (permission ?? 'push') {
    case 'pull':
    case 'read':
      return 'read';
    case 'push':
    case 'write':
      return 'write';
    case 'triage':
      return 'triage';
    case 'maintain':
      return 'maintain';
    case 'admin':
      return 'admin';
    default:
      return undefined;
  }
}

const DEFAULT_LABEL_COLOR = 'ededed';

/** GitHub's slug of a team name: lower case, runs of other characters as one `-`. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `2026-11-25T20:28:35Z`: GitHub's timestamps carry no milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class DoubleState {
  readonly accounts = new Map<string, Account>();
  readonly orgs = new Map<string, Org>();
  readonly repos = new Map<string, Repo>();
  /** Static tokens from the seed: token -> login and optional permissions. */
  readonly staticTokens = new Map<string, { login: string; permissions: AppPermissions | null }>();
  readonly installations = new Map<number, Installation>();
  readonly mintedTokens = new Map<string, MintedToken>();
  app: { id: number; slug: string; publicKey: KeyObject | null } | null = null;
  autoUsers = false;
  private seq = 1000;
  private commitSeq = 0;
  private readonly pending = new Set<() => void>();

  constructor(readonly options: StateOptions) {}

  nextId(): number {
    return ++this.seq;
  }

  nowIso(): string {
    return isoSeconds(this.options.now());
  }

  account(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  ensureAccount(login: string, type: Account['type'] = 'User', name: string | null = null): Account {
    const existing = this.account(login);
    if (existing) {
      if (name) existing.name = name;
      return existing;
    }
    const id = this.nextId();
    const prefix = type === 'Organization' ? 'O_kgDO' : type === 'Bot' ? 'BOT_kgDO' : 'U_kgDO';
    const a: Account = { id, nodeId: `${prefix}${id}`, login, type, name, createdAt: this.nowIso() };
    this.accounts.set(login.toLowerCase(), a);
    return a;
  }

  /** An API call naming a user: known users, or any login when the seed allows `autoUsers`. */
  lookupUser(login: string): Account | undefined {
    return this.account(login) ?? (this.autoUsers ? this.ensureAccount(login) : undefined);
  }

  isOrgMember(org: Account, login: string): boolean {
    return this.orgs.get(org.login.toLowerCase())?.members.has(login.toLowerCase()) ?? false;
  }

  team(org: string, slug: string): Team | undefined {
    return this.orgs.get(org.toLowerCase())?.teams.get(slug.toLowerCase());
  }

  /** The provider names teams by organization id and team id (`/organizations/{org_id}/team/{team_id}`). */
  teamById(orgId: number, teamId: number): Team | undefined {
    for (const org of this.orgs.values()) {
      if (org.account.id !== orgId) continue;
      for (const t of org.teams.values()) if (t.id === teamId) return t;
    }
    return undefined;
  }

  /** A team, with GitHub's slug of its name; its members become members of the organization, as accepting a team invitation makes them. */
  createTeam(
    org: Org,
    f: { name: string; slug?: string; description?: string | null; privacy?: Team['privacy'] },
  ): Team {
    const slug = f.slug ?? slugify(f.name);
    if (org.teams.has(slug.toLowerCase())) throw new Error(`team ${slug} already exists in ${org.account.login}`);
    const id = this.nextId();
    const now = this.nowIso();
    const team: Team = {
      id,
      nodeId: `T_kwDO${id}`,
      org: org.account,
      name: f.name,
      slug,
      description: f.description ?? null,
      privacy: f.privacy ?? 'closed',
      members: new Map(),
      createdAt: now,
      updatedAt: now,
    };
    org.teams.set(slug.toLowerCase(), team);
    return team;
  }

  addTeamMember(team: Team, account: Account, role: 'member' | 'maintainer' = 'member'): void {
    team.members.set(account.login.toLowerCase(), { account, role });
    this.orgs.get(team.org.login.toLowerCase())?.members.add(account.login.toLowerCase());
  }

  repo(owner: string, name: string): Repo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  createRepo(
    owner: Account,
    name: string,
    init: Partial<RepoSettings> & { visibility?: Repo['visibility'] } = {},
  ): Repo {
    const id = this.nextId();
    const now = this.nowIso();
    const { visibility, ...settings } = init;
    const repo: Repo = {
      id,
      nodeId: `R_kgDO${id}`,
      owner,
      name,
      visibility: visibility ?? 'public',
      archived: false,
      defaultBranch: 'main',
      settings: { ...DEFAULT_SETTINGS, ...settings },
      topics: [],
      vulnerabilityAlerts: false,
      template: null,
      createdAt: now,
      updatedAt: now,
      pushedAt: now,
      files: new Map(),
      commits: new Map(),
      headSha: null,
      branches: new Map(),
      blobs: new Map(),
      trees: new Map(),
      teams: new Map(),
      ready: null,
      collaborators: new Map(),
      invitations: [],
      labels: [],
      issues: [],
      nextNumber: 1,
      environments: [],
      secrets: [],
      rulesets: [],
      dispatches: [],
    };
    this.repos.set(`${owner.login}/${name}`.toLowerCase(), repo);
    return repo;
  }

  renameRepo(repo: Repo, name: string): void {
    this.repos.delete(`${repo.owner.login}/${repo.name}`.toLowerCase());
    repo.name = name;
    this.repos.set(`${repo.owner.login}/${name}`.toLowerCase(), repo);
  }

  deleteRepo(repo: Repo): void {
    this.repos.delete(`${repo.owner.login}/${repo.name}`.toLowerCase());
  }

  touch(repo: Repo): void {
    repo.updatedAt = this.nowIso();
  }

  /**
   * One commit on `branch` (the default one unless given) that sets (Buffer) or removes (null) the
   * given paths. The branch must exist, except the default branch of an empty repository, which the
   * first commit creates (as a first push does).
   */
  commit(
    repo: Repo,
    changes: Map<string, Buffer | null>,
    message: string,
    author: Account,
    branch = repo.defaultBranch,
  ): Commit {
    const parent = repo.branches.get(branch);
    if (parent === undefined && (branch !== repo.defaultBranch || repo.branches.size > 0))
      throw new Error(`commit: no branch ${branch} in ${repo.owner.login}/${repo.name}`);
    const before = parent ? this.commitOf(repo, parent).tree : new Map<string, StoredFile>();
    const tree = new Map(before);
    const files: CommitFileChange[] = [];
    for (const [path, content] of changes) {
      const old = before.get(path);
      if (content === null) {
        if (!old) continue;
        tree.delete(path);
        files.push({ filename: path, status: 'removed', sha: old.sha, ...lineChanges(old.content, null) });
      } else {
        const sha = blobSha(content);
        tree.set(path, { content, sha });
        repo.blobs.set(sha, content);
        if (old?.sha === sha) continue;
        files.push({
          filename: path,
          status: old ? 'modified' : 'added',
          sha,
          ...lineChanges(old?.content ?? null, content),
        });
      }
    }
    const date = this.nowIso();
    const rootTree = treeSha([...tree].map(([p, f]) => [p, f.sha] as [string, string]));
    const parents = parent ? [parent] : [];
    const sha = commitSha(rootTree, parents, message, date, ++this.commitSeq);
    const c: Commit = {
      sha,
      treeSha: rootTree,
      message,
      parents,
      authorName: author.name ?? author.login,
      authorEmail: `${author.login}@users.noreply.example`,
      date,
      files,
      tree,
    };
    repo.commits.set(sha, c);
    repo.trees.set(rootTree, { tree, prefix: '' });
    this.setBranch(repo, branch, sha);
    repo.pushedAt = date;
    repo.updatedAt = date;
    return c;
  }

  /** A commit the repository holds (callers pass shas they took from its branches or commits). */
  commitOf(repo: Repo, sha: string): Commit {
    const c = repo.commits.get(sha);
    if (!c) throw new Error(`no commit ${sha} in ${repo.owner.login}/${repo.name}`);
    return c;
  }

  /** Points a branch at a commit (creating the branch); the default branch also updates `files` and `headSha`. */
  setBranch(repo: Repo, branch: string, sha: string): void {
    repo.branches.set(branch, sha);
    if (branch === repo.defaultBranch) {
      repo.headSha = sha;
      repo.files = this.commitOf(repo, sha).tree;
    }
  }

  deleteBranch(repo: Repo, branch: string): void {
    if (branch === repo.defaultBranch) throw new Error('deleteBranch: the default branch stays');
    repo.branches.delete(branch);
  }

  /** Makes an existing branch the default one (PATCH `default_branch`). */
  setDefaultBranch(repo: Repo, branch: string): void {
    const sha = repo.branches.get(branch);
    if (sha === undefined) throw new Error(`setDefaultBranch: no branch ${branch}`);
    repo.defaultBranch = branch;
    this.setBranch(repo, branch, sha);
  }

  /**
   * A repository generated from a template exists at once but stays empty until the copy finishes
   * after `generateDelayMs`, as on GitHub; `repo.ready` lets a write wait for it.
   */
  generate(
    template: Repo,
    owner: Account,
    name: string,
    opts: { description: string | null; private: boolean },
    actor: Account,
  ): Repo {
    const repo = this.createRepo(owner, name, {
      description: opts.description,
      visibility: opts.private ? 'private' : 'public',
    });
    repo.template = template;
    repo.defaultBranch = template.defaultBranch;
    const copy = (): void => {
      if (repo.files.size === 0 && template.files.size > 0) {
        this.commit(repo, new Map([...template.files].map(([p, f]) => [p, f.content])), 'Initial commit', actor);
      }
      repo.ready = null;
    };
    repo.ready = new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(t);
        this.pending.delete(finish);
        copy();
        resolve();
      };
      const t = setTimeout(finish, this.options.generateDelayMs);
      this.pending.add(finish);
    });
    return repo;
  }

  /** Completes every pending template copy now (tests: no waiting on the delay). */
  finishGeneration(): number {
    const n = this.pending.size;
    for (const finish of [...this.pending]) finish();
    return n;
  }

  /** Completes pending template copies at once, so that no timer outlives the server (stop, reset). */
  dispose(): void {
    for (const finish of [...this.pending]) finish();
  }

  label(repo: Repo, name: string): Label | undefined {
    return repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  }

  ensureLabel(repo: Repo, name: string, color = DEFAULT_LABEL_COLOR, description: string | null = null): Label {
    const found = this.label(repo, name);
    if (found) return found;
    const id = this.nextId();
    const l: Label = { id, nodeId: `LA_kwDO${id}`, name, color, description, isDefault: false };
    repo.labels.push(l);
    return l;
  }

  addIssue(
    repo: Repo,
    f: {
      title: string;
      body?: string | null;
      author: Account;
      labels?: string[];
      assignees?: Account[];
      state?: 'open' | 'closed';
      stateReason?: Issue['stateReason'];
      createdAt?: string;
      updatedAt?: string;
      closedAt?: string | null;
      number?: number;
      pull?: PullFields;
    },
  ): Issue {
    const id = this.nextId();
    const number = f.number ?? repo.nextNumber;
    repo.nextNumber = Math.max(repo.nextNumber, number + 1);
    const createdAt = f.createdAt ?? this.nowIso();
    const state = f.state ?? 'open';
    const closedAt = state === 'closed' ? (f.closedAt ?? f.updatedAt ?? createdAt) : null;
    const issue: Issue = {
      id,
      nodeId: `${f.pull ? 'PR_kwDO' : 'I_kwDO'}${id}`,
      number,
      title: f.title,
      body: f.body ?? null,
      state,
      stateReason:
        state === 'closed' ? (f.stateReason ?? 'completed') : f.stateReason === 'reopened' ? 'reopened' : null,
      author: f.author,
      labels: (f.labels ?? []).map((n) => this.ensureLabel(repo, n)),
      assignees: f.assignees ?? [],
      createdAt,
      updatedAt: f.updatedAt ?? closedAt ?? createdAt,
      closedAt,
      comments: [],
      events: [],
      pull: f.pull,
    };
    if (f.pull) issue.stateReason = null;
    repo.issues.push(issue);
    repo.issues.sort((a, b) => a.number - b.number);
    return issue;
  }

  addComment(issue: Issue, author: Account, body: string, createdAt?: string, updatedAt?: string): Comment {
    const id = this.nextId();
    const at = createdAt ?? this.nowIso();
    const c: Comment = { id, nodeId: `IC_kwDO${id}`, author, body, createdAt: at, updatedAt: updatedAt ?? at };
    issue.comments.push(c);
    if (c.updatedAt > issue.updatedAt) issue.updatedAt = c.updatedAt;
    return c;
  }

  /** An account that acts (closes, merges): a login ending in `[bot]` is an App's bot, as on GitHub. */
  ensureActor(login: string): Account {
    return this.account(login) ?? this.ensureAccount(login, login.endsWith('[bot]') ? 'Bot' : 'User');
  }

  /** Records a close or reopen as it happened (seeds describe past closes; see closeIssue for a new one). */
  recordEvent(
    issue: Issue,
    kind: IssueEvent['kind'],
    actor: Account,
    at: string,
    closer: IssueEvent['closer'] = null,
  ): void {
    const id = this.nextId();
    issue.events.push({
      id,
      nodeId: `${kind === 'closed' ? 'CE' : 'REE'}_lADO${id}`,
      kind,
      actor,
      createdAt: at,
      closer,
    });
  }

  /**
   * Closes an open issue or pull request and records who did it (GraphQL's ClosedEvent, REST's
   * `closed_by`); `closer` is the pull request whose merge closed it. False when already closed.
   */
  closeIssue(
    issue: Issue,
    actor: Account,
    opts: { at?: string; stateReason?: 'completed' | 'not_planned'; closer?: IssueEvent['closer'] } = {},
  ): boolean {
    if (issue.state === 'closed') return false;
    const at = opts.at ?? this.nowIso();
    issue.state = 'closed';
    issue.closedAt = at;
    issue.stateReason = issue.pull ? null : (opts.stateReason ?? 'completed');
    if (at > issue.updatedAt) issue.updatedAt = at;
    this.recordEvent(issue, 'closed', actor, at, opts.closer ?? null);
    return true;
  }

  reopenIssue(issue: Issue, actor: Account, at = this.nowIso()): boolean {
    if (issue.state === 'open') return false;
    issue.state = 'open';
    issue.closedAt = null;
    issue.stateReason = issue.pull ? null : 'reopened';
    if (at > issue.updatedAt) issue.updatedAt = at;
    this.recordEvent(issue, 'reopened', actor, at);
    return true;
  }

  /**
   * Merges an open pull request as `actor`. Merged into the default branch, it closes the open
   * issues of its own repository that it references (`closes`), with itself as the closer, as
   * GitHub does; the issues closed are returned. (Issues of other repositories are left alone.)
   */
  mergePull(repo: Repo, pr: Issue, actor: Account, at = this.nowIso()): Issue[] {
    const p = pr.pull;
    if (!p || p.merged) return [];
    p.merged = true;
    p.mergedAt = at;
    if (!this.closeIssue(pr, actor, { at })) pr.closedAt = at; // the admin API may merge a closed one
    if (p.baseRef !== repo.defaultBranch) return [];
    const closed: Issue[] = [];
    for (const ref of p.closes) {
      if (ref.repo.toLowerCase() !== `${repo.owner.login}/${repo.name}`.toLowerCase()) continue;
      const issue = this.findIssue(repo, ref.number);
      if (issue && !issue.pull && this.closeIssue(issue, actor, { at, closer: { repo, pull: pr } })) closed.push(issue);
    }
    return closed;
  }

  /** A collaborator who is not a member of the owning organization gets an invitation first. */
  invite(repo: Repo, invitee: Account, inviter: Account, role: RepoRole): Invitation {
    const existing = repo.invitations.find((i) => i.invitee === invitee && !i.expired);
    if (existing) {
      existing.role = role;
      return existing;
    }
    repo.invitations = repo.invitations.filter((i) => i.invitee !== invitee);
    const id = this.nextId();
    const inv: Invitation = {
      id,
      nodeId: `RI_kwDO${id}`,
      invitee,
      inviter,
      role,
      createdAt: this.nowIso(),
      expired: false,
    };
    repo.invitations.push(inv);
    return inv;
  }

  acceptInvitation(repo: Repo, inv: Invitation): void {
    repo.invitations = repo.invitations.filter((i) => i !== inv);
    repo.collaborators.set(inv.invitee.login.toLowerCase(), { account: inv.invitee, role: inv.role });
  }

  findIssue(repo: Repo, number: number): Issue | undefined {
    return repo.issues.find((i) => i.number === number);
  }
}

function seedIssueFields(state: DoubleState, item: SeedIssue) {
  return {
    number: item.number,
    title: item.title,
    body: item.body ?? null,
    author: state.ensureAccount(item.author),
    labels: item.labels,
    assignees: (item.assignees ?? []).map((l) => state.ensureAccount(l)),
    state: item.state,
    createdAt: seedTime(item.created_at),
    updatedAt: seedTime(item.updated_at),
    closedAt: seedTime(item.closed_at),
  };
}

function seedRepo(state: DoubleState, r: SeedRepo): void {
  const owner = state.account(r.owner) ?? state.ensureAccount(r.owner);
  const repo = state.createRepo(owner, r.name, {
    visibility: r.visibility ?? 'private',
    is_template: r.is_template ?? false,
    description: r.description ?? null,
    has_issues: r.has_issues ?? true,
  });
  repo.defaultBranch = r.default_branch ?? 'main';
  repo.topics = r.topics ?? [];
  const files = Object.entries(r.files ?? {});
  if (files.length)
    state.commit(repo, new Map(files.map(([p, t]) => [p, Buffer.from(t, 'utf8')])), 'Initial commit', owner);
  for (const l of r.labels ?? []) {
    if (typeof l === 'string') state.ensureLabel(repo, l);
    else state.ensureLabel(repo, l.name, l.color?.toLowerCase(), l.description ?? null);
  }
  for (const c of r.collaborators ?? []) {
    repo.collaborators.set(c.login.toLowerCase(), {
      account: state.ensureAccount(c.login),
      role: toRole(c.permission) ?? 'write',
    });
  }
  for (const i of r.invitations ?? []) {
    state.invite(repo, state.ensureAccount(i.login), owner, toRole(i.permission) ?? 'write').expired =
      i.expired ?? false;
  }
  for (const t of r.teams ?? []) {
    const team = state.team(r.owner, t.team)!; // parseSeed checked the team exists
    repo.teams.set(team.id, { team, role: toRole(t.permission ?? 'pull') ?? 'read' });
  }
  for (const b of r.branches ?? []) if (repo.headSha) state.setBranch(repo, b, repo.headSha);
  // closes are recorded once every pull request exists: an issue may name the one that closed it
  const issues = (r.issues ?? []).map((item) => [addSeedIssue(state, repo, item, true), item] as const);
  const pulls = (r.pulls ?? []).map((item) => [addSeedPull(state, repo, item, true), item] as const);
  for (const [issue, item] of [...issues, ...pulls]) addSeedClose(state, repo, issue, item);
  applyRepoSettings(state, repo, r);
  repo.archived = r.archived ?? false;
}

/**
 * Replaces a repository's environments, repository secrets and rulesets with those of `s` (each
 * part only when given): the seed's and the admin API's way to set up a misconfiguration.
 */
export function applyRepoSettings(state: DoubleState, repo: Repo, s: SeedRepoSettings): void {
  const at = state.nowIso();
  const secret = (name: string) => ({ name, createdAt: at, updatedAt: at });
  if (s.environments) {
    repo.environments = s.environments.map((e) => {
      const id = state.nextId();
      const policy = e.deployment_branch_policy ?? null;
      return {
        id,
        nodeId: `EN_kwDO${id}`,
        name: e.name,
        createdAt: at,
        updatedAt: at,
        branchPolicy: policy === null ? null : policy.protected_branches ? 'protected' : 'custom',
        policies: (policy?.custom_branch_policies ? (e.branch_policies ?? []) : []).map((p) => {
          const pid = state.nextId();
          return {
            id: pid,
            nodeId: `MDE2OkdhdGVCcmFuY2hQb2xpY3k${pid}`,
            name: typeof p === 'string' ? p : p.name,
            type: typeof p === 'string' ? 'branch' : (p.type ?? 'branch'),
          };
        }),
        secrets: (e.secrets ?? []).map(secret),
      };
    });
  }
  if (s.secrets) repo.secrets = s.secrets.map(secret);
  if (s.rulesets) {
    repo.rulesets = s.rulesets.map((r) => {
      const id = state.nextId();
      return {
        id,
        nodeId: `RRS_lACk${id}`,
        name: r.name,
        target: r.target ?? 'branch',
        enforcement: r.enforcement ?? 'active',
        include: r.conditions?.ref_name.include ?? [],
        exclude: r.conditions?.ref_name.exclude ?? [],
        rules: r.rules ?? [],
        bypassActors: (r.bypass_actors ?? []).map((b) => ({
          actorId: b.actor_id ?? null,
          actorType: b.actor_type,
          bypassMode: b.bypass_mode ?? 'always',
        })),
        createdAt: at,
        updatedAt: at,
      };
    });
  }
}

const seedTime = (t: string | undefined): string | undefined => (t ? isoSeconds(Date.parse(t)) : undefined);

/**
 * The closing event a seed gives a closed issue or pull request: `closed_by` (an account) and, for
 * an issue, `closed_by_pull` (the merged pull request that closed it; its author closed it unless
 * `closed_by` says otherwise). Neither: no event, as for an issue imported without its history.
 */
export function addSeedClose(state: DoubleState, repo: Repo, issue: Issue, item: SeedIssue | SeedPull): void {
  if (issue.state !== 'closed' || issue.closedAt === null) return;
  const number = 'closed_by_pull' in item ? item.closed_by_pull : undefined;
  const pull = number !== undefined ? state.findIssue(repo, number) : undefined;
  if (number !== undefined && !pull?.pull)
    throw new Error(`closed_by_pull: no pull request #${number} in ${repo.owner.login}/${repo.name}`);
  const login = item.closed_by ?? pull?.author.login;
  if (login === undefined) return;
  state.recordEvent(issue, 'closed', state.ensureActor(login), issue.closedAt, pull ? { repo, pull } : null);
}

/**
 * An issue in the seed's form (also used by the admin endpoint that adds issues out of band).
 * `deferClose`: the caller records its closing event later (addSeedClose), once pull requests exist.
 */
export function addSeedIssue(state: DoubleState, repo: Repo, item: SeedIssue, deferClose = false): Issue {
  const issue = state.addIssue(repo, { ...seedIssueFields(state, item), stateReason: item.state_reason });
  for (const c of item.comments ?? [])
    state.addComment(issue, state.ensureAccount(c.author), c.body, seedTime(c.created_at), seedTime(c.updated_at));
  if (item.updated_at) issue.updatedAt = isoSeconds(Date.parse(item.updated_at));
  if (!deferClose) addSeedClose(state, repo, issue, item);
  return issue;
}

/** A pull request in the seed's form (also used by the admin endpoint that adds pull requests). */
export function addSeedPull(state: DoubleState, repo: Repo, item: SeedPull, deferClose = false): Issue {
  const merged = item.merged ?? false;
  const fields = seedIssueFields(state, item);
  const closes = (item.closes ?? []).map((c) => {
    if (typeof c === 'number') return { repo: `${repo.owner.login}/${repo.name}`, number: c };
    const [full, n] = c.split('#');
    return { repo: full, number: Number(n) };
  });
  const mergedAt = merged
    ? item.merged_at
      ? isoSeconds(Date.parse(item.merged_at))
      : (fields.closedAt ?? fields.updatedAt ?? state.nowIso())
    : null;
  const pr = state.addIssue(repo, {
    ...fields,
    state: merged ? 'closed' : item.state,
    closedAt: merged ? (fields.closedAt ?? mergedAt) : fields.closedAt,
    pull: {
      merged,
      mergedAt,
      draft: item.draft ?? false,
      headRef: item.head ?? `topic-${fields.number ?? repo.nextNumber}`,
      baseRef: item.base ?? repo.defaultBranch,
      closes,
    },
  });
  for (const c of item.comments ?? [])
    state.addComment(pr, state.ensureAccount(c.author), c.body, seedTime(c.created_at), seedTime(c.updated_at));
  if (item.updated_at) pr.updatedAt = isoSeconds(Date.parse(item.updated_at));
  if (!deferClose) addSeedClose(state, repo, pr, item);
  return pr;
}

/** Builds the in-memory world from a validated seed (see `parseSeed`). */
export function stateFromSeed(seed: Seed, options: StateOptions): DoubleState {
  const state = new DoubleState(options);
  state.autoUsers = seed.autoUsers ?? false;
  for (const u of seed.users ?? []) {
    if (typeof u === 'string') state.ensureAccount(u);
    else state.ensureAccount(u.login, 'User', u.name ?? null);
  }
  for (const o of seed.orgs ?? []) {
    const account = state.ensureAccount(o.login, 'Organization', o.name ?? null);
    account.type = 'Organization';
    const members = new Set<string>();
    for (const m of o.members ?? []) members.add(state.ensureAccount(m).login.toLowerCase());
    const at = state.nowIso();
    const secrets = (o.secrets ?? []).map((x) => ({
      name: x.name,
      createdAt: at,
      updatedAt: at,
      visibility: x.visibility ?? 'all',
      repositories: (x.repositories ?? []).map((r) => r.toLowerCase()),
    }));
    const org: Org = { account, members, teams: new Map<string, Team>(), secrets };
    state.orgs.set(o.login.toLowerCase(), org);
    for (const t of o.teams ?? []) {
      const team = state.createTeam(org, {
        name: t.name,
        slug: t.slug,
        description: t.description ?? null,
        privacy: t.privacy,
      });
      for (const m of t.members ?? []) state.addTeamMember(team, state.ensureAccount(m));
      for (const m of t.maintainers ?? []) state.addTeamMember(team, state.ensureAccount(m), 'maintainer');
    }
  }
  for (const t of seed.tokens ?? []) {
    // GitHub's bot accounts (an App's `slug[bot]`) are Bots; a token may stand for one in a test.
    state.staticTokens.set(t.token, {
      login: state.ensureAccount(t.login, t.login.endsWith('[bot]') ? 'Bot' : 'User').login,
      permissions: t.permissions ?? null,
    });
  }
  if (seed.app) {
    const key = options.appPublicKey ?? (seed.app.publicKey ? createPublicKey(seed.app.publicKey) : null);
    state.app = { id: seed.app.id, slug: seed.app.slug ?? 'learning-rooms-double', publicKey: key };
  }
  for (const app of [
    ...(seed.app ? [{ id: seed.app.id, slug: state.app!.slug, installations: seed.app.installations }] : []),
    ...(seed.apps ?? []),
  ]) {
    for (const i of app.installations ?? []) {
      state.installations.set(i.id, {
        id: i.id,
        account: state.ensureAccount(i.account),
        permissions: i.permissions,
        appId: app.id,
        appSlug: app.slug,
        repositorySelection: i.repository_selection ?? 'all',
      });
    }
  }
  for (const r of seed.repos ?? []) seedRepo(state, r);
  return state;
}
