/**
 * The edge of starter-code updates that talks to GitHub, through the one client
 * (shared/github-client.ts: App auth, throttling, retries). Reads: a template's head, trees and
 * blobs; a room's state (repository, our pull requests, branches, files). Writes, on the update's
 * branch only: the branch, one contents-API commit per file, the pull request. Nothing here
 * writes to a default branch. Nothing here logs a key or a token.
 */
import type { GitHubOctokit } from '../shared/github-client';
import type { TreeEntry } from './template-diff';

export function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'status' in err
    ? Number((err as { status: unknown }).status)
    : undefined;
}

/** A request refused for a rate limit (primary or secondary) that the client stopped waiting for. */
export function isRateLimited(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== 403 && status !== 429) return false;
  const e = err as { message?: string; response?: { headers?: Record<string, unknown> } };
  return String(e.response?.headers?.['x-ratelimit-remaining']) === '0' || /rate limit/i.test(e.message ?? '');
}

/** "owner/repo" -> parts (the roster's schema already checked the shape). */
export function splitFullName(fullName: string): { owner: string; repo: string } {
  const [owner, repo] = fullName.split('/');
  return { owner, repo };
}

export async function templateHead(octokit: GitHubOctokit, fullName: string): Promise<string> {
  const { owner, repo } = splitFullName(fullName);
  const { data } = await octokit.rest.repos.get({ owner, repo });
  const { data: ref } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${data.default_branch}` });
  return ref.object.sha;
}

/** Every file of a commit's tree. A truncated tree (over GitHub's 100,000 entries) is refused, never half-read. */
export async function readTree(octokit: GitHubOctokit, fullName: string, commit: string): Promise<TreeEntry[]> {
  const { owner, repo } = splitFullName(fullName);
  const { data } = await octokit.rest.git.getTree({ owner, repo, tree_sha: commit, recursive: 'true' });
  if (data.truncated)
    throw new Error(`the tree of ${fullName} at ${commit.slice(0, 7)} is too large for GitHub to list in one answer`);
  return data.tree.flatMap((e): TreeEntry[] =>
    e.path && e.sha && e.mode && e.type
      ? [{ path: e.path, mode: e.mode, type: e.type, sha: e.sha, ...(e.size !== undefined ? { size: e.size } : {}) }]
      : [],
  );
}

/** A blob's content, base64 as GitHub sends it (line breaks removed), ready for the contents API. */
export async function readBlob(octokit: GitHubOctokit, fullName: string, sha: string): Promise<string> {
  const { owner, repo } = splitFullName(fullName);
  const { data } = await octokit.rest.git.getBlob({ owner, repo, file_sha: sha });
  return data.encoding === 'base64'
    ? data.content.replace(/\s/g, '')
    : Buffer.from(data.content, 'utf8').toString('base64');
}

export interface OurPullRequest {
  number: number;
  url: string;
  state: 'open' | 'merged' | 'closed';
}

export type RoomState =
  | { exists: false }
  | {
      exists: true;
      archived: boolean;
      defaultBranch: string;
      /** Pull requests from the update's branch, any state. */
      pulls: OurPullRequest[];
    };

export async function readRoom(
  octokit: GitHubOctokit,
  owner: string,
  repo: string,
  branch: string,
): Promise<RoomState> {
  let data;
  try {
    ({ data } = await octokit.rest.repos.get({ owner, repo }));
  } catch (err) {
    if (statusOf(err) === 404) return { exists: false };
    throw err;
  }
  if (data.archived) return { exists: true, archived: true, defaultBranch: data.default_branch, pulls: [] };
  const pulls = await octokit.paginate(octokit.rest.pulls.list, {
    owner,
    repo,
    head: `${owner}:${branch}`,
    state: 'all',
    per_page: 100,
  });
  return {
    exists: true,
    archived: false,
    defaultBranch: data.default_branch,
    pulls: pulls.map((p) => ({
      number: p.number,
      url: p.html_url,
      state: p.merged_at ? 'merged' : p.state === 'open' ? 'open' : 'closed',
    })),
  };
}

/** The commit a branch points at, or undefined when there is no such branch. */
export async function branchHead(
  octokit: GitHubOctokit,
  owner: string,
  repo: string,
  branch: string,
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/** A commit's files, path -> blob sha. */
export async function filesAt(
  octokit: GitHubOctokit,
  owner: string,
  repo: string,
  commit: string,
): Promise<Map<string, string>> {
  const entries = await readTree(octokit, `${owner}/${repo}`, commit);
  return new Map(entries.filter((e) => e.type === 'blob').map((e) => [e.path, e.sha]));
}

export async function createBranch(
  octokit: GitHubOctokit,
  owner: string,
  repo: string,
  branch: string,
  sha: string,
): Promise<void> {
  await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha });
}

export async function deleteBranch(octokit: GitHubOctokit, owner: string, repo: string, branch: string): Promise<void> {
  await octokit.rest.git.deleteRef({ owner, repo, ref: `heads/${branch}` });
}

export async function putFile(
  octokit: GitHubOctokit,
  at: { owner: string; repo: string; branch: string },
  file: { path: string; content: string; sha?: string; message: string },
): Promise<void> {
  await octokit.rest.repos.createOrUpdateFileContents({
    owner: at.owner,
    repo: at.repo,
    branch: at.branch,
    path: file.path,
    message: file.message,
    content: file.content,
    ...(file.sha ? { sha: file.sha } : {}),
  });
}

export async function deleteFile(
  octokit: GitHubOctokit,
  at: { owner: string; repo: string; branch: string },
  file: { path: string; sha: string; message: string },
): Promise<void> {
  await octokit.rest.repos.deleteFile({
    owner: at.owner,
    repo: at.repo,
    branch: at.branch,
    path: file.path,
    sha: file.sha,
    message: file.message,
  });
}

export type OpenResult = { opened: OurPullRequest } | { nothingToPropose: true } | { alreadyOpen: true };

export async function openPullRequest(
  octokit: GitHubOctokit,
  at: { owner: string; repo: string; branch: string; base: string },
  text: { title: string; body: string },
): Promise<OpenResult> {
  try {
    const { data } = await octokit.rest.pulls.create({
      owner: at.owner,
      repo: at.repo,
      head: at.branch,
      base: at.base,
      title: text.title,
      body: text.body,
    });
    return { opened: { number: data.number, url: data.html_url, state: 'open' } };
  } catch (err) {
    if (statusOf(err) !== 422) throw err;
    const text422 = JSON.stringify((err as { response?: { data?: unknown } }).response?.data ?? '');
    if (/No commits between/i.test(text422)) return { nothingToPropose: true };
    if (/already exists/i.test(text422)) return { alreadyOpen: true };
    throw err;
  }
}
