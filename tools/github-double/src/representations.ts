import { commitsBetween, diffTrees, mergeBase } from './git-graph';
import type { Urls } from './http';
import type {
  Account,
  Collaborator,
  Comment,
  Commit,
  CommitFileChange,
  Invitation,
  Issue,
  Label,
  Repo,
  RepoRole,
} from './types';

/**
 * The JSON bodies the double answers with, in GitHub's shapes (validated against GitHub's OpenAPI
 * description in the double's tests). Pure functions of state and the base URLs.
 */

export function userJson(a: Account, u: Urls): Record<string, unknown> {
  const url = `${u.api}/users/${a.login}`;
  return {
    login: a.login,
    id: a.id,
    node_id: a.nodeId,
    avatar_url: `${u.html}/avatars/u/${a.id}`,
    gravatar_id: '',
    url,
    html_url: `${u.html}/${a.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: a.type,
    site_admin: false,
  };
}

export function orgJson(a: Account, u: Urls, publicRepos: number): Record<string, unknown> {
  const url = `${u.api}/orgs/${a.login}`;
  return {
    login: a.login,
    id: a.id,
    node_id: a.nodeId,
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${u.html}/avatars/u/${a.id}`,
    description: null,
    name: a.name ?? a.login,
    html_url: `${u.html}/${a.login}`,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    type: 'Organization',
    created_at: a.createdAt,
    updated_at: a.createdAt,
    archived_at: null,
  };
}

export function publicUserJson(a: Account, u: Urls): Record<string, unknown> {
  return {
    ...userJson(a, u),
    name: a.name,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: a.createdAt,
    updated_at: a.createdAt,
  };
}

function repoUrls(r: Repo, u: Urls): Record<string, string> {
  const url = `${u.api}/repos/${r.owner.login}/${r.name}`;
  const host = new URL(u.html).host;
  return {
    html_url: `${u.html}/${r.owner.login}/${r.name}`,
    url,
    forks_url: `${url}/forks`,
    keys_url: `${url}/keys{/key_id}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    teams_url: `${url}/teams`,
    hooks_url: `${url}/hooks`,
    issue_events_url: `${url}/issues/events{/number}`,
    events_url: `${url}/events`,
    assignees_url: `${url}/assignees{/user}`,
    branches_url: `${url}/branches{/branch}`,
    tags_url: `${url}/tags`,
    blobs_url: `${url}/git/blobs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    trees_url: `${url}/git/trees{/sha}`,
    statuses_url: `${url}/statuses/{sha}`,
    languages_url: `${url}/languages`,
    stargazers_url: `${url}/stargazers`,
    contributors_url: `${url}/contributors`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    commits_url: `${url}/commits{/sha}`,
    git_commits_url: `${url}/git/commits{/sha}`,
    comments_url: `${url}/comments{/number}`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    contents_url: `${url}/contents/{+path}`,
    compare_url: `${url}/compare/{base}...{head}`,
    merges_url: `${url}/merges`,
    archive_url: `${url}/{archive_format}{/ref}`,
    downloads_url: `${url}/downloads`,
    issues_url: `${url}/issues{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    labels_url: `${url}/labels{/name}`,
    releases_url: `${url}/releases{/id}`,
    deployments_url: `${url}/deployments`,
    git_url: `git://${host}/${r.owner.login}/${r.name}.git`,
    ssh_url: `git@${host}:${r.owner.login}/${r.name}.git`,
    clone_url: `${u.html}/${r.owner.login}/${r.name}.git`,
    svn_url: `${u.html}/${r.owner.login}/${r.name}`,
  };
}

/** The fields shared by `repository` (nested in pulls and templates) and `full-repository`. */
export function repoJson(r: Repo, u: Urls): Record<string, unknown> {
  const s = r.settings;
  const openIssues = r.issues.filter((i) => i.state === 'open').length;
  return {
    id: r.id,
    node_id: r.nodeId,
    name: r.name,
    full_name: `${r.owner.login}/${r.name}`,
    owner: userJson(r.owner, u),
    private: r.visibility !== 'public',
    description: s.description,
    fork: false,
    ...repoUrls(r, u),
    mirror_url: null,
    homepage: s.homepage,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: [...r.files.values()].reduce((n, f) => n + f.content.length, 0) >> 10,
    default_branch: r.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: s.is_template,
    topics: r.topics,
    has_issues: s.has_issues,
    has_projects: s.has_projects,
    has_wiki: s.has_wiki,
    has_pages: s.has_pages,
    has_downloads: s.has_downloads,
    has_discussions: s.has_discussions,
    archived: r.archived,
    disabled: false,
    visibility: r.visibility,
    pushed_at: r.pushedAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_rebase_merge: s.allow_rebase_merge,
    allow_squash_merge: s.allow_squash_merge,
    allow_merge_commit: s.allow_merge_commit,
    allow_auto_merge: s.allow_auto_merge,
    allow_update_branch: s.allow_update_branch,
    allow_forking: s.allow_forking,
    delete_branch_on_merge: s.delete_branch_on_merge,
    web_commit_signoff_required: s.web_commit_signoff_required,
    use_squash_pr_title_as_default: s.use_squash_pr_title_as_default,
    squash_merge_commit_title: s.squash_merge_commit_title,
    squash_merge_commit_message: s.squash_merge_commit_message,
    merge_commit_title: s.merge_commit_title,
    merge_commit_message: s.merge_commit_message,
    license: null,
  };
}

/** `GET /repos/{owner}/{repo}`: the provider reads `template_repository.owner.login` (missing owner panics). */
export function fullRepoJson(r: Repo, u: Urls): Record<string, unknown> {
  return {
    ...repoJson(r, u),
    template_repository: r.template ? repoJson(r.template, u) : null,
    network_count: 0,
    subscribers_count: 0,
    ...(r.owner.type === 'Organization' ? { organization: userJson(r.owner, u) } : {}),
  };
}

/** Base64 wrapped at 60 characters, as GitHub sends file content. */
export function wrappedBase64(content: Buffer): string {
  return (content.toString('base64').match(/.{1,60}/g) ?? []).map((l) => `${l}\n`).join('');
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * The metadata of a file; its `url` carries `?ref=` (the ref it was read at or written to, the
 * default branch unless one was named), which the provider parses the branch from.
 */
export function fileMetaJson(
  r: Repo,
  path: string,
  sha: string,
  size: number,
  u: Urls,
  ref = r.defaultBranch,
): Record<string, unknown> {
  const base = `${u.api}/repos/${r.owner.login}/${r.name}`;
  const self = `${base}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`;
  const git = `${base}/git/blobs/${sha}`;
  const html = `${u.html}/${r.owner.login}/${r.name}/blob/${ref}/${encodePath(path)}`;
  return {
    name: path.split('/').pop(),
    path,
    sha,
    size,
    url: self,
    html_url: html,
    git_url: git,
    download_url: `${u.html}/${r.owner.login}/${r.name}/raw/${ref}/${encodePath(path)}`,
    type: 'file',
    _links: { self, git, html },
  };
}

export function fileJson(
  r: Repo,
  path: string,
  content: Buffer,
  sha: string,
  u: Urls,
  ref = r.defaultBranch,
): Record<string, unknown> {
  return { ...fileMetaJson(r, path, sha, content.length, u, ref), content: wrappedBase64(content), encoding: 'base64' };
}

export function dirEntryJson(r: Repo, path: string, u: Urls, ref = r.defaultBranch): Record<string, unknown> {
  const base = `${u.api}/repos/${r.owner.login}/${r.name}`;
  const self = `${base}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`;
  const html = `${u.html}/${r.owner.login}/${r.name}/tree/${ref}/${encodePath(path)}`;
  return {
    type: 'dir',
    size: 0,
    name: path.split('/').pop(),
    path,
    sha: '0'.repeat(40),
    url: self,
    git_url: null,
    html_url: html,
    download_url: null,
    _links: { self, git: null, html },
  };
}

function gitUser(c: Commit): Record<string, string> {
  return { name: c.authorName, email: c.authorEmail, date: c.date };
}

const UNSIGNED = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };

/** The `commit` half of a contents PUT/DELETE answer; the provider reads `commit.sha`. */
export function fileCommitJson(r: Repo, c: Commit, u: Urls): Record<string, unknown> {
  const base = `${u.api}/repos/${r.owner.login}/${r.name}`;
  return {
    sha: c.sha,
    node_id: `C_kwDO${c.sha.slice(0, 12)}`,
    url: `${base}/git/commits/${c.sha}`,
    html_url: `${u.html}/${r.owner.login}/${r.name}/commit/${c.sha}`,
    author: gitUser(c),
    committer: gitUser(c),
    message: c.message,
    tree: { sha: c.treeSha, url: `${base}/git/trees/${c.treeSha}` },
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${base}/git/commits/${p}`,
      html_url: `${u.html}/${r.owner.login}/${r.name}/commit/${p}`,
    })),
    verification: UNSIGNED,
  };
}

/** A commit's changed files; the provider's file import (`getFileCommit`) looks for its path here. */
export function diffEntryJson(r: Repo, c: Commit, f: CommitFileChange, u: Urls): Record<string, unknown> {
  const path = encodePath(f.filename);
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${u.html}/${r.owner.login}/${r.name}/blob/${c.sha}/${path}`,
    raw_url: `${u.html}/${r.owner.login}/${r.name}/raw/${c.sha}/${path}`,
    contents_url: `${u.api}/repos/${r.owner.login}/${r.name}/contents/${path}?ref=${c.sha}`,
  };
}

/** `GET /repos/{owner}/{repo}/commits/{sha}`: with `files` and `stats`, which a list of commits leaves out. */
export function commitJson(r: Repo, c: Commit, u: Urls): Record<string, unknown> {
  const additions = c.files.reduce((n, f) => n + f.additions, 0);
  const deletions = c.files.reduce((n, f) => n + f.deletions, 0);
  return {
    ...commitListJson(r, c, u),
    stats: { total: additions + deletions, additions, deletions },
    files: c.files.map((f) => diffEntryJson(r, c, f, u)),
  };
}

/** One commit in `GET /repos/{owner}/{repo}/commits`. */
export function commitListJson(r: Repo, c: Commit, u: Urls): Record<string, unknown> {
  const base = `${u.api}/repos/${r.owner.login}/${r.name}`;
  return {
    sha: c.sha,
    node_id: `C_kwDO${c.sha.slice(0, 12)}`,
    url: `${base}/commits/${c.sha}`,
    html_url: `${u.html}/${r.owner.login}/${r.name}/commit/${c.sha}`,
    comments_url: `${base}/commits/${c.sha}/comments`,
    commit: {
      url: `${base}/git/commits/${c.sha}`,
      author: gitUser(c),
      committer: gitUser(c),
      message: c.message,
      comment_count: 0,
      tree: { sha: c.treeSha, url: `${base}/git/trees/${c.treeSha}` },
      verification: UNSIGNED,
    },
    author: null,
    committer: null,
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${base}/commits/${p}`,
      html_url: `${u.html}/${r.owner.login}/${r.name}/commit/${p}`,
    })),
  };
}

const ROLE_PERMISSIONS: Record<RepoRole, Record<string, boolean>> = {
  read: { pull: true, triage: false, push: false, maintain: false, admin: false },
  triage: { pull: true, triage: true, push: false, maintain: false, admin: false },
  write: { pull: true, triage: true, push: true, maintain: false, admin: false },
  maintain: { pull: true, triage: true, push: true, maintain: true, admin: false },
  admin: { pull: true, triage: true, push: true, maintain: true, admin: true },
};

/** The provider takes the permission from `role_name`. */
export function collaboratorJson(c: Collaborator, u: Urls): Record<string, unknown> {
  return { ...userJson(c.account, u), permissions: ROLE_PERMISSIONS[c.role], role_name: c.role };
}

export function invitationJson(r: Repo, i: Invitation, u: Urls): Record<string, unknown> {
  return {
    id: i.id,
    node_id: i.nodeId,
    repository: repoJson(r, u),
    invitee: userJson(i.invitee, u),
    inviter: userJson(i.inviter, u),
    permissions: i.role,
    created_at: i.createdAt,
    expired: i.expired,
    url: `${u.api}/user/repository_invitations/${i.id}`,
    html_url: `${u.html}/${r.owner.login}/${r.name}/invitations`,
  };
}

export function labelJson(r: Repo, l: Label, u: Urls): Record<string, unknown> {
  return {
    id: l.id,
    node_id: l.nodeId,
    url: `${u.api}/repos/${r.owner.login}/${r.name}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    description: l.description,
    default: l.isDefault,
  };
}

/** Who closed a closed issue: the actor of its last close (null when open or when none is recorded). */
export function closedByOf(i: Issue): Account | null {
  if (i.state !== 'closed') return null;
  return i.events.filter((e) => e.kind === 'closed').at(-1)?.actor ?? null;
}

function closedBy(i: Issue, u: Urls): Record<string, unknown> | null {
  const a = closedByOf(i);
  return a ? userJson(a, u) : null;
}

/** `single`: the one-issue answer (GET or PATCH of one issue), which alone carries `closed_by`, as on GitHub. */
export function issueJson(r: Repo, i: Issue, u: Urls, single = false): Record<string, unknown> {
  const base = `${u.api}/repos/${r.owner.login}/${r.name}`;
  const url = `${base}/issues/${i.number}`;
  return {
    id: i.id,
    node_id: i.nodeId,
    url,
    repository_url: base,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${u.html}/${r.owner.login}/${r.name}/${i.pull ? 'pull' : 'issues'}/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: userJson(i.author, u),
    labels: i.labels.map((l) => labelJson(r, l, u)),
    assignee: i.assignees[0] ? userJson(i.assignees[0], u) : null,
    assignees: i.assignees.map((a) => userJson(a, u)),
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: i.comments.length,
    closed_at: i.closedAt,
    ...(single ? { closed_by: closedBy(i, u) } : {}),
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    author_association: i.author === r.owner ? 'OWNER' : 'NONE',
    ...(i.pull
      ? {
          pull_request: {
            url: `${base}/pulls/${i.number}`,
            html_url: `${u.html}/${r.owner.login}/${r.name}/pull/${i.number}`,
            diff_url: `${u.html}/${r.owner.login}/${r.name}/pull/${i.number}.diff`,
            patch_url: `${u.html}/${r.owner.login}/${r.name}/pull/${i.number}.patch`,
            merged_at: i.pull.mergedAt,
          },
        }
      : {}),
  };
}

export function commentJson(r: Repo, i: Issue, c: Comment, u: Urls): Record<string, unknown> {
  const base = `${u.api}/repos/${r.owner.login}/${r.name}`;
  return {
    id: c.id,
    node_id: c.nodeId,
    url: `${base}/issues/comments/${c.id}`,
    html_url: `${u.html}/${r.owner.login}/${r.name}/issues/${i.number}#issuecomment-${c.id}`,
    issue_url: `${base}/issues/${i.number}`,
    body: c.body,
    user: userJson(c.author, u),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.author === r.owner ? 'OWNER' : 'NONE',
  };
}

export function pullJson(r: Repo, i: Issue, u: Urls): Record<string, unknown> {
  const p = i.pull;
  if (!p) throw new Error(`#${i.number} is not a pull request`);
  const base = `${u.api}/repos/${r.owner.login}/${r.name}`;
  const url = `${base}/pulls/${i.number}`;
  const html = `${u.html}/${r.owner.login}/${r.name}/pull/${i.number}`;
  // live from the branches while they exist, else as last known (seeded pull requests have no branches)
  const sha = r.branches.get(p.headRef) ?? p.headSha ?? r.headSha ?? '0'.repeat(40);
  const baseSha = r.branches.get(p.baseRef) ?? p.baseSha ?? r.headSha ?? '0'.repeat(40);
  const ref = (name: string, at: string) => ({
    label: `${r.owner.login}:${name}`,
    ref: name,
    sha: at,
    user: userJson(r.owner, u),
    repo: repoJson(r, u),
  });
  const link = (href: string) => ({ href });
  return {
    url,
    id: i.id,
    node_id: i.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${base}/issues/${i.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${base}/pulls/comments{/number}`,
    comments_url: `${base}/issues/${i.number}/comments`,
    statuses_url: `${base}/statuses/${sha}`,
    number: i.number,
    state: i.state,
    locked: false,
    title: i.title,
    user: userJson(i.author, u),
    body: i.body,
    labels: i.labels.map((l) => labelJson(r, l, u)),
    milestone: null,
    active_lock_reason: null,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.merged ? sha : null,
    assignee: i.assignees[0] ? userJson(i.assignees[0], u) : null,
    assignees: i.assignees.map((a) => userJson(a, u)),
    requested_reviewers: [],
    requested_teams: [],
    head: ref(p.headRef, sha),
    base: ref(p.baseRef, baseSha),
    _links: {
      self: link(url),
      html: link(html),
      issue: link(`${base}/issues/${i.number}`),
      comments: link(`${base}/issues/${i.number}/comments`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${base}/pulls/comments{/number}`),
      commits: link(`${url}/commits`),
      statuses: link(`${base}/statuses/${sha}`),
    },
    author_association: i.author === r.owner ? 'OWNER' : 'NONE',
    auto_merge: null,
    draft: p.draft,
  };
}

/** `GET /pulls/{number}`: the list shape plus the merge and size fields (sizes are zero here). */
export function fullPullJson(r: Repo, i: Issue, u: Urls): Record<string, unknown> {
  const merged = i.pull?.merged ?? false;
  const size = pullSize(r, i);
  return {
    ...pullJson(r, i, u),
    merged,
    mergeable: i.state === 'open' ? true : null,
    rebaseable: i.state === 'open' ? true : null,
    mergeable_state: i.state === 'open' ? 'clean' : 'unknown',
    merged_by: null,
    comments: i.comments.length,
    review_comments: 0,
    // concerns pull requests from forks; the double's are within one repository
    maintainer_can_modify: false,
    ...size,
  };
}

/**
 * A pull request's size as GitHub shows it: the commits of head not in base, and the files changed
 * since their merge base; while both branches exist. Seeded pull requests without branches: 1 commit, no changes.
 */
function pullSize(r: Repo, i: Issue): { commits: number; additions: number; deletions: number; changed_files: number } {
  const head = i.pull ? r.branches.get(i.pull.headRef) : undefined;
  const base = i.pull ? r.branches.get(i.pull.baseRef) : undefined;
  if (!head || !base) return { commits: 1, additions: 0, deletions: 0, changed_files: 0 };
  const mb = mergeBase(r, base, head);
  const files = diffTrees(mb ? r.commits.get(mb)!.tree : new Map(), r.commits.get(head)!.tree); // branch heads and their merge base are commits of r
  return {
    commits: commitsBetween(r, base, head).length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}
