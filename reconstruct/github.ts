/**
 * The edge of reconstruction that reads GitHub: Octokit as the GitHub App installation (or with a
 * token, both read by shared/github-credentials.ts from the provider's environment). Requests:
 * ceil(repositories / 100) to list the owner, then per matched learner 1 (invitations) + 1
 * (collaborators, skipped when the learner is invited) + 1 per required file. Nothing here logs a
 * key or a token.
 */
import type { GitHubOctokit } from '../shared/github-client';
import { sameHandle } from '../roster';
import { MatchedRoom } from './match';
import { OwnerRepository, RoomInspection } from './types';

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
