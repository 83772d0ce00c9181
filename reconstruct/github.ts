/**
 * The edge of reconstruction that reads GitHub: Octokit as the GitHub App installation (or with a
 * token, both read by shared/github-credentials.ts from the provider's environment). Requests:
 * ceil(repositories / 100) to list the owner, then per matched learner 1 (invitations) + 1
 * (collaborators, skipped when the learner is invited) + 1 per required file; per matched course
 * room 1 (invitations) + 1 (collaborators) + 1 per required file, and with a feedback pull request
 * 3 more (the branch's ref, the repository's default branch, the pull requests into `feedback`).
 * Nothing here logs a key or a token.
 */
import type { GitHubOctokit } from '../shared/github-client';
import { sameHandle } from '../roster';
import { MatchedRoom } from './match';
import { OwnerRepository, RoomInspection } from './types';
import type { CourseRoomInspection, MatchedCourseRoom } from './course';
import { FEEDBACK_BRANCH } from '../roster/course';

function status(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'status' in err
    ? Number((err as { status: unknown }).status)
    : undefined;
}

/** Every repository of the owner (an organization, or else a user), paginated. */
export async function listOwnerRepositories(octokit: GitHubOctokit, owner: string): Promise<OwnerRepository[]> {
  const shape = (r: { name: string; archived?: boolean }): OwnerRepository => ({
    name: r.name,
    archived: r.archived === true,
  });
  try {
    const repos = await octokit.paginate(octokit.rest.repos.listForOrg, { org: owner, type: 'all', per_page: 100 });
    return repos.map(shape);
  } catch (err) {
    if (status(err) !== 404) throw err;
  }
  const repos = await octokit.paginate(octokit.rest.repos.listForUser, {
    username: owner,
    type: 'owner',
    per_page: 100,
  });
  return repos.map(shape);
}

/** Whether a file exists at `path` on the default branch (what the provider's read sees). */
async function fileExists(octokit: GitHubOctokit, owner: string, repo: string, path: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path });
    return !Array.isArray(data) && data.type === 'file';
  } catch (err) {
    if (status(err) === 404) return false;
    throw err;
  }
}

/** What exists in one room: invitations, collaborators (only when needed), required files. */
export async function inspectRoom(octokit: GitHubOctokit, owner: string, room: MatchedRoom): Promise<RoomInspection> {
  const repo = room.github_name;
  const invitations = await octokit.paginate(octokit.rest.repos.listInvitations, { owner, repo, per_page: 100 });
  const invited = invitations.map((i) => i.invitee?.login).filter((l): l is string => typeof l === 'string');
  const inspection: RoomInspection = { invited, files: {} };
  const invitation = invitations.find((i) => i.invitee && sameHandle(i.invitee.login, room.github_handle));
  if (invitation) inspection.learnerPermission = invitation.permissions;
  else {
    const collaborators = await octokit.paginate(octokit.rest.repos.listCollaborators, { owner, repo, per_page: 100 });
    inspection.collaborators = collaborators.map((c) => c.login);
    const mine = collaborators.find((c) => sameHandle(c.login, room.github_handle));
    if (mine?.role_name) inspection.learnerPermission = mine.role_name;
  }
  for (const path of room.required_files) inspection.files[path] = await fileExists(octokit, owner, repo, path);
  return inspection;
}

/** Inspects every room, a few at a time; keyed by the lower-cased configured name (what buildReconstruction reads). */
export async function inspectRooms(
  octokit: GitHubOctokit,
  owner: string,
  rooms: MatchedRoom[],
  concurrency = 4,
): Promise<Map<string, RoomInspection>> {
  const out = new Map<string, RoomInspection>();
  let next = 0;
  const worker = async () => {
    while (next < rooms.length) {
      const room = rooms[next++];
      out.set(room.repository.toLowerCase(), await inspectRoom(octokit, owner, room));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rooms.length) }, worker));
  return out;
}

/** Whether the branch exists (the provider's github_branch reads `git/ref/heads/<branch>`). */
async function branchExists(octokit: GitHubOctokit, owner: string, repo: string, branch: string): Promise<boolean> {
  try {
    await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
    return true;
  } catch (err) {
    if (status(err) === 404) return false;
    throw err;
  }
}

/**
 * The feedback pull request: from the default branch into `feedback`, open or closed (merged
 * included); the open one first, else the first made (provisioning made it once).
 */
async function feedbackPullRequest(
  octokit: GitHubOctokit,
  owner: string,
  repo: string,
): Promise<{ number: number; state: string } | undefined> {
  const { data } = await octokit.rest.repos.get({ owner, repo });
  const pulls = await octokit.paginate(octokit.rest.pulls.list, {
    owner,
    repo,
    state: 'all',
    base: FEEDBACK_BRANCH,
    head: `${owner}:${data.default_branch}`,
    per_page: 100,
  });
  const mine = pulls
    .filter((p) => p.base.ref === FEEDBACK_BRANCH && p.head.ref === data.default_branch)
    .sort((a, b) => (a.state === 'open' ? 0 : 1) - (b.state === 'open' ? 0 : 1) || a.number - b.number);
  return mine[0] && { number: mine[0].number, state: mine[0].state };
}

/** What exists in one course room: its people, required files, feedback branch and pull request. */
export async function inspectCourseRoom(
  octokit: GitHubOctokit,
  owner: string,
  room: MatchedCourseRoom,
): Promise<CourseRoomInspection> {
  const repo = room.github_name;
  const invitations = await octokit.paginate(octokit.rest.repos.listInvitations, { owner, repo, per_page: 100 });
  const collaborators = await octokit.paginate(octokit.rest.repos.listCollaborators, { owner, repo, per_page: 100 });
  const inspection: CourseRoomInspection = {
    invited: invitations.map((i) => i.invitee?.login).filter((l): l is string => typeof l === 'string'),
    collaborators: collaborators.map((c) => c.login),
    files: {},
  };
  for (const path of room.required_files) inspection.files[path] = await fileExists(octokit, owner, repo, path);
  if (room.feedback) {
    inspection.feedbackBranch = await branchExists(octokit, owner, repo, FEEDBACK_BRANCH);
    const pr = await feedbackPullRequest(octokit, owner, repo);
    if (pr) inspection.feedbackPullRequest = pr;
  }
  return inspection;
}

/** Inspects every course room, a few at a time; keyed by the lower-cased configured name. */
export async function inspectCourseRooms(
  octokit: GitHubOctokit,
  owner: string,
  rooms: MatchedCourseRoom[],
  concurrency = 4,
): Promise<Map<string, CourseRoomInspection>> {
  const out = new Map<string, CourseRoomInspection>();
  let next = 0;
  const worker = async () => {
    while (next < rooms.length) {
      const room = rooms[next++];
      out.set(room.repository.toLowerCase(), await inspectCourseRoom(octokit, owner, room));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rooms.length) }, worker));
  return out;
}
