/**
 * The edge of reconstruction that reads GitHub: Octokit as the GitHub App installation (or with a
 * token), the same environment the Terraform provider reads. Requests: ceil(repositories / 100)
 * to list the owner, then per matched learner 1 (invitations) + 1 (collaborators, skipped when the
 * learner is invited) + 1 per required file. Nothing here logs a key or a token.
 */
import { appPrivateKey, GitHubAuth, GitHubOctokit } from '../shared/github-client';
import { sameHandle } from '../roster';
import { MatchedRoom } from './match';
import { OwnerRepository, RoomInspection } from './types';

export { apiBaseUrl, createClient } from '../shared/github-client';

/**
 * Credentials from the provider's own variables: GITHUB_APP_ID + GITHUB_APP_INSTALLATION_ID +
 * GITHUB_APP_PEM_FILE (the PEM text; a literal "\n" stands for a line break, as for the provider),
 * else GITHUB_TOKEN. The error names the variables, never their values.
 */
export function authFromEnv(env: NodeJS.ProcessEnv): { auth?: GitHubAuth; error?: string } {
  const appId = env.GITHUB_APP_ID?.trim();
  const installationId = env.GITHUB_APP_INSTALLATION_ID?.trim();
  const pem = env.GITHUB_APP_PEM_FILE;
  const someApp = Boolean(appId || installationId || pem);
  if (appId && installationId && pem) {
    const key = appPrivateKey('GITHUB_APP_PEM_FILE', pem);
    return 'error' in key ? { error: key.error } : { auth: { kind: 'app', appId, installationId, privateKey: key.privateKey } };
  }
  if (someApp) {
    const missing = (['GITHUB_APP_ID', 'GITHUB_APP_INSTALLATION_ID', 'GITHUB_APP_PEM_FILE'] as const).filter((k) => !env[k]?.trim());
    return { error: `GitHub App credentials are incomplete: set ${missing.join(' and ')} as well` };
  }
  const token = env.GITHUB_TOKEN?.trim();
  if (token) return { auth: { kind: 'token', token } };
  return { error: 'no GitHub credentials: set GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE (the App), or GITHUB_TOKEN' };
}

function status(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'status' in err ? Number((err as { status: unknown }).status) : undefined;
}

/** Every repository of the owner (an organization, or else a user), paginated. */
export async function listOwnerRepositories(octokit: GitHubOctokit, owner: string): Promise<OwnerRepository[]> {
  const shape = (r: { name: string; archived?: boolean }): OwnerRepository => ({ name: r.name, archived: r.archived === true });
  try {
    const repos = await octokit.paginate(octokit.rest.repos.listForOrg, { org: owner, type: 'all', per_page: 100 });
    return repos.map(shape);
  } catch (err) {
    if (status(err) !== 404) throw err;
  }
  const repos = await octokit.paginate(octokit.rest.repos.listForUser, { username: owner, type: 'owner', per_page: 100 });
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
export async function inspectRooms(octokit: GitHubOctokit, owner: string, rooms: MatchedRoom[], concurrency = 4): Promise<Map<string, RoomInspection>> {
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
