/**
 * The front door's reads and writes through the REST API, for `enrol-request` and `enrol`: the
 * public repository's registration issues and the one comment on each, and on the admin
 * repository the roster on main (read, and committed back with a compare-and-swap on its blob)
 * and the review branch with its pull request. Every identity comes from the API (an issue's
 * author is `user.login`), never from a payload or a form.
 */
import type { GitHubOctokit } from '../shared/github-client';
import { FRONT_DOOR_LABEL } from './front-door';
import { FRONT_DOOR_MARKER } from './front-door-comment';
import type { IssueAuthor } from './issue-form';

export interface FullName {
  owner: string;
  repo: string;
}

export function splitFullName(fullName: string): FullName {
  const [owner, repo] = fullName.split('/');
  return { owner, repo };
}

export interface PublicIssue {
  number: number;
  state: 'open' | 'closed';
  author: IssueAuthor;
  body: string;
  labels: string[];
  createdAt: string;
  url: string;
}

interface IssueJson {
  number: number;
  state: string;
  user: { login: string; type?: string } | null;
  body?: string | null;
  labels: (string | { name?: string })[];
  created_at: string;
  html_url: string;
  pull_request?: unknown;
}

function publicIssue(i: IssueJson): PublicIssue | undefined {
  // A pull request is not a registration; an issue whose author was deleted ("ghost", null) has nobody to enrol.
  if (i.pull_request !== undefined || i.user === null) return undefined;
  return {
    number: i.number,
    state: i.state === 'closed' ? 'closed' : 'open',
    author: { login: i.user.login, ...(i.user.type ? { type: i.user.type } : {}) },
    body: i.body ?? '',
    labels: i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
    createdAt: i.created_at,
    url: i.html_url,
  };
}

const status = (err: unknown): number | undefined => {
  const s = (err as { status?: unknown }).status;
  return typeof s === 'number' ? s : undefined;
};

/** One issue, or undefined when it does not exist (or is a pull request). */
export async function readIssue(
  octokit: GitHubOctokit,
  where: FullName,
  number: number,
): Promise<PublicIssue | undefined> {
  try {
    const { data } = await octokit.rest.issues.get({ ...where, issue_number: number });
    return publicIssue(data as IssueJson);
  } catch (err) {
    if (status(err) === 404 || status(err) === 410) return undefined;
    throw err;
  }
}

/** Every open registration issue, oldest first. */
export async function listOpenRequests(octokit: GitHubOctokit, where: FullName): Promise<PublicIssue[]> {
  const list = (await octokit.paginate(octokit.rest.issues.listForRepo, {
    ...where,
    state: 'open',
    labels: FRONT_DOOR_LABEL,
    sort: 'created',
    direction: 'asc',
    per_page: 100,
  })) as IssueJson[];
  return list.map(publicIssue).filter((i): i is PublicIssue => i !== undefined);
}

export interface OurComment {
  id: number;
  body: string;
}

interface CommentJson {
  id: number;
  body?: string;
  user: { login: string; type?: string } | null;
  issue_url: string;
  created_at: string;
}

/**
 * Ours: written by an App (a bot account: no learner can write as one) and starting with the
 * marker. A learner who pastes the marker into their own comment changes nothing.
 */
const isOurs = (c: CommentJson) => c.user?.type === 'Bot' && (c.body ?? '').startsWith(FRONT_DOOR_MARKER);

/** Our comment on each issue of the repository (the first, if there were ever two), in one listing. */
export async function listOurComments(octokit: GitHubOctokit, where: FullName): Promise<Map<number, OurComment>> {
  const all = (await octokit.paginate(octokit.rest.issues.listCommentsForRepo, {
    ...where,
    sort: 'created',
    direction: 'asc',
    per_page: 100,
  })) as CommentJson[];
  const out = new Map<number, OurComment>();
  for (const c of all) {
    const n = Number(/\/issues\/(\d+)$/.exec(c.issue_url)?.[1]);
    if (isOurs(c) && Number.isInteger(n) && !out.has(n)) out.set(n, { id: c.id, body: c.body ?? '' });
  }
  return out;
}

export async function findOurComment(
  octokit: GitHubOctokit,
  where: FullName,
  issue: number,
): Promise<OurComment | undefined> {
  const list = (await octokit.paginate(octokit.rest.issues.listComments, {
    ...where,
    issue_number: issue,
    per_page: 100,
  })) as CommentJson[];
  const c = list.find(isOurs);
  return c && { id: c.id, body: c.body ?? '' };
}

/** Adds the comment, or edits ours in place; nothing when it already says this. */
export async function writeComment(
  octokit: GitHubOctokit,
  where: FullName,
  issue: number,
  existing: OurComment | undefined,
  body: string,
): Promise<'added' | 'updated' | 'unchanged'> {
  if (existing?.body === body) return 'unchanged';
  if (existing) {
    await octokit.rest.issues.updateComment({ ...where, comment_id: existing.id, body });
    return 'updated';
  }
  await octokit.rest.issues.createComment({ ...where, issue_number: issue, body });
  return 'added';
}

export async function closeIssue(
  octokit: GitHubOctokit,
  where: FullName,
  issue: number,
  reason: 'completed' | 'not_planned',
): Promise<void> {
  await octokit.rest.issues.update({ ...where, issue_number: issue, state: 'closed', state_reason: reason });
}

export interface RosterAt {
  text: string;
  /** The blob's sha: the commit back names it, so a roster changed meanwhile is never overwritten. */
  sha: string;
}

export async function readFileAt(
  octokit: GitHubOctokit,
  where: FullName,
  path: string,
  ref: string,
): Promise<RosterAt | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...where, path, ref });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
    return { text: Buffer.from(data.content, 'base64').toString('utf8'), sha: data.sha };
  } catch (err) {
    if (status(err) === 404) return undefined;
    throw err;
  }
}

/** One commit of `path` on `branch`; 'conflict' when the file changed since `sha` was read. */
export async function commitFile(
  octokit: GitHubOctokit,
  where: FullName,
  branch: string,
  path: string,
  text: string,
  sha: string | undefined,
  message: string,
): Promise<string | 'conflict'> {
  try {
    const { data } = await octokit.rest.repos.createOrUpdateFileContents({
      ...where,
      path,
      branch,
      message,
      content: Buffer.from(text, 'utf8').toString('base64'),
      ...(sha ? { sha } : {}),
    });
    return data.commit.sha ?? '';
  } catch (err) {
    if (status(err) === 409) return 'conflict';
    throw err;
  }
}

/**
 * The review branch set to `base` plus `text` at `path`, and its one open pull request made or
 * retitled. Left alone when it already holds exactly this text (so a facilitator reviewing it
 * sees no churn). Returns the pull request's address and whether anything changed.
 */
export async function updateReviewBranch(
  octokit: GitHubOctokit,
  where: FullName,
  branch: string,
  base: { branch: string; path: string; text: string },
  pull: { title: string; body: string },
): Promise<{ url: string; changed: boolean }> {
  const open = (
    await octokit.rest.pulls.list({ ...where, state: 'open', head: `${where.owner}:${branch}`, per_page: 10 })
  ).data[0];
  const current = await readFileAt(octokit, where, base.path, branch).catch(() => undefined);
  if (open && current?.text === base.text) return { url: open.html_url, changed: false };
  const main = (await octokit.rest.git.getRef({ ...where, ref: `heads/${base.branch}` })).data.object.sha;
  let exists = true;
  try {
    await octokit.rest.git.getRef({ ...where, ref: `heads/${branch}` });
  } catch (err) {
    if (status(err) !== 404) throw err;
    exists = false;
  }
  // Rebuilt from main every time: the branch holds what waits for review now, nothing older.
  if (exists) await octokit.rest.git.updateRef({ ...where, ref: `heads/${branch}`, sha: main, force: true });
  else await octokit.rest.git.createRef({ ...where, ref: `refs/heads/${branch}`, sha: main });
  const onMain = await readFileAt(octokit, where, base.path, main);
  const commit = await commitFile(octokit, where, branch, base.path, base.text, onMain?.sha, pull.title);
  if (commit === 'conflict')
    throw new Error(`${branch}: ${base.path} changed while the branch was rebuilt; the next run tries again`);
  if (open) {
    await octokit.rest.pulls.update({ ...where, pull_number: open.number, title: pull.title, body: pull.body });
    return { url: open.html_url, changed: true };
  }
  const made = await octokit.rest.pulls.create({
    ...where,
    head: branch,
    base: base.branch,
    title: pull.title,
    body: pull.body,
  });
  return { url: made.data.html_url, changed: true };
}

/** Closes the open review pull request when no registration waits for review any more; its address, or undefined. */
export async function closeReviewPullRequest(
  octokit: GitHubOctokit,
  where: FullName,
  branch: string,
  why: string,
): Promise<string | undefined> {
  const open = (
    await octokit.rest.pulls.list({ ...where, state: 'open', head: `${where.owner}:${branch}`, per_page: 10 })
  ).data[0];
  if (!open) return undefined;
  // Said in its description: the token may write pull requests, not issue comments.
  await octokit.rest.pulls.update({
    ...where,
    pull_number: open.number,
    state: 'closed',
    body: `${why}\n\n${open.body ?? ''}`,
  });
  return open.html_url;
}
