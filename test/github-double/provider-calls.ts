/**
 * The integrations/github provider's calls (6.9.0 with go-github v67) for the resources issue 16
 * synthesizes, written as its Go source sends them and reading the double's answers as it reads them
 * (docs/github-double.md, "Provider calls for course resources"). Shared by the replay tests.
 */
import type { GitHubDouble } from '@learning-rooms/github-double';
import { TOKEN } from './helpers';

/** go-github's answer: any status outside 2xx is an ErrorResponse (304 included). */
export class GoError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message?: string; errors?: unknown[] } | undefined,
  ) {
    super(`${status} ${body?.message ?? ''} ${JSON.stringify(body?.errors ?? [])}`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read field by field as Go does
export type Json = any;

export interface GoResponse {
  status: number;
  body: Json;
  etag: string | null;
  nextPage: number;
}

/** One go-github call: `/api/v3` + path, JSON body, the provider's ETag transport (`If-None-Match`) and an optional Accept. */
export async function gh(
  double: GitHubDouble,
  method: string,
  path: string,
  opts: { body?: unknown; etag?: string; accept?: string } = {},
): Promise<GoResponse> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${TOKEN}`,
    Accept: opts.accept ?? 'application/vnd.github.v3+json',
  };
  if (opts.etag) headers['If-None-Match'] = opts.etag;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${double.url}/api/v3${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
  const out = {
    status: res.status,
    body,
    etag: res.headers.get('etag'),
    nextPage: m ? Number(new URL(m[1]).searchParams.get('page')) : 0,
  };
  if (res.status < 200 || res.status > 299) throw new GoError(res.status, body);
  return out;
}

/** util_permissions.go getPermission */
export const getPermission = (p: string): string => (p === 'read' ? 'pull' : p === 'write' ? 'push' : p);

/** What the double's log shows since `seq`: `METHOD path?query status`, without `/api/v3`. */
export function calls(double: GitHubDouble, since: number): string[] {
  return double
    .requests(since)
    .map((r) => `${r.method} ${r.path.replace(/^\/api\/v3/, '')}${r.query ? `?${r.query}` : ''} ${r.status}`);
}
export const lastSeq = (double: GitHubDouble): number => double.requests().at(-1)?.seq ?? 0;

// ---------------------------------------------------------------------------------------------
// resource_github_repository_collaborators.go

export interface UserWant {
  username: string;
  permission: string;
}
export interface TeamWant {
  team_id: string;
  permission: string;
}
export interface Has {
  users: { username: string; permission: string }[];
  invites: { username: string; permission: string; id: number }[];
  teams: { teamID: number; slug: string; permission: string }[];
}

/** listAllCollaborators: collaborators ?affiliation=direct, then =outside (all pages), invitations, teams (an org owner). */
export async function listAllCollaborators(
  double: GitHubDouble,
  owner: string,
  repo: string,
  ignoreTeamIds: number[],
): Promise<Has> {
  const has: Has = { users: [], invites: [], teams: [] };
  for (const affiliation of ['direct', 'outside']) {
    for (let page = 0; ;) {
      const r = await gh(
        double,
        'GET',
        `/repos/${owner}/${repo}/collaborators?affiliation=${affiliation}${page ? `&page=${page}` : ''}&per_page=100`,
      );
      for (const c of r.body) has.users.push({ username: c.login, permission: getPermission(c.role_name) });
      if (!(page = r.nextPage)) break;
    }
  }
  for (let page = 0; ;) {
    const r = await gh(double, 'GET', `/repos/${owner}/${repo}/invitations?${page ? `page=${page}&` : ''}per_page=100`);
    for (const i of r.body)
      has.invites.push({ username: i.invitee.login, permission: getPermission(i.permissions), id: i.id });
    if (!(page = r.nextPage)) break;
  }
  for (let page = 0; ;) {
    const r = await gh(double, 'GET', `/repos/${owner}/${repo}/teams?${page ? `page=${page}&` : ''}per_page=100`);
    for (const t of r.body)
      if (!ignoreTeamIds.includes(t.id))
        has.teams.push({ teamID: t.id, slug: t.slug, permission: getPermission(t.permission) });
    if (!(page = r.nextPage)) break;
  }
  return has;
}

/** util.go getTeamID: a number is an id; anything else a slug, looked up each time it is called. */
export async function getTeamID(double: GitHubDouble, org: string, idOrSlug: string): Promise<number> {
  if (/^-?\d+$/.test(idOrSlug)) return Number(idOrSlug);
  return (await gh(double, 'GET', `/orgs/${org}/teams/${idOrSlug}`)).body.id;
}

/** repository_utils.go handleArchivedRepoDelete: a 403 whose message mentions "archived" is skipped. */
export async function skipArchived(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof GoError && e.status === 403 && /archived/i.test(e.body?.message ?? ''))) throw e;
  }
}

/** Create (= Update): list, matchTeamCollaborators, matchUserCollaboratorsAndInvites, then Read. */
export async function collaboratorsApply(
  double: GitHubDouble,
  o: { org: string; orgId: number; repo: string; users: UserWant[]; teams: TeamWant[]; ignoreTeams?: string[] },
): Promise<Json> {
  const ignore = [];
  for (const t of o.ignoreTeams ?? []) ignore.push(await getTeamID(double, o.org, t));
  const has = await listAllCollaborators(double, o.org, o.repo, ignore);
  // matchTeamCollaborators: changes in place, additions, then removals
  const remove = [];
  for (const h of has.teams) {
    let want = '';
    for (const w of o.teams)
      if ((await getTeamID(double, o.org, w.team_id)) === h.teamID) {
        want = w.permission;
        break;
      }
    if (!want) remove.push(h);
    else if (want !== h.permission)
      await gh(double, 'PUT', `/organizations/${o.orgId}/team/${h.teamID}/repos/${o.org}/${o.repo}`, {
        body: { permission: want },
      });
  }
  for (const w of o.teams) {
    const id = await getTeamID(double, o.org, w.team_id);
    if (!has.teams.some((h) => h.teamID === id))
      await gh(double, 'PUT', `/organizations/${o.orgId}/team/${id}/repos/${o.org}/${o.repo}`, {
        body: { permission: w.permission },
      });
  }
  for (const h of remove)
    await skipArchived(gh(double, 'DELETE', `/organizations/${o.orgId}/team/${h.teamID}/repos/${o.org}/${o.repo}`));
  // matchUserCollaboratorsAndInvites: usernames compared with == (case matters)
  for (const h of has.users) {
    const want = o.users.find((u) => u.username === h.username)?.permission ?? '';
    if (!want) await skipArchived(gh(double, 'DELETE', `/repos/${o.org}/${o.repo}/collaborators/${h.username}`));
    else if (want !== h.permission)
      await gh(double, 'PUT', `/repos/${o.org}/${o.repo}/collaborators/${h.username}`, { body: { permission: want } });
  }
  for (const h of has.invites) {
    const want = o.users.find((u) => u.username === h.username)?.permission ?? '';
    if (!want) await skipArchived(gh(double, 'DELETE', `/repos/${o.org}/${o.repo}/invitations/${h.id}`));
    else if (want !== h.permission)
      await gh(double, 'PATCH', `/repos/${o.org}/${o.repo}/invitations/${h.id}`, { body: { permissions: want } });
  }
  for (const w of o.users) {
    if (has.users.some((h) => h.username === w.username) || has.invites.some((h) => h.username === w.username))
      continue;
    await gh(double, 'PUT', `/repos/${o.org}/${o.repo}/collaborators/${w.username}`, {
      body: { permission: w.permission },
    });
  }
  return collaboratorsRead(double, o.org, o.repo, ignore);
}

/** Read: the state the provider stores (a TypeSet drops the duplicate an outside collaborator makes). */
export async function collaboratorsRead(
  double: GitHubDouble,
  org: string,
  repo: string,
  ignore: number[] = [],
): Promise<{ user: string[]; team: string[]; invitation_ids: Record<string, string> }> {
  const has = await listAllCollaborators(double, org, repo, ignore);
  const user = [...new Set([...has.users, ...has.invites].map((u) => `${u.username}:${u.permission}`))].sort();
  return {
    user,
    team: has.teams.map((t) => `${t.teamID}:${t.permission}`),
    invitation_ids: Object.fromEntries(has.invites.map((i) => [i.username, String(i.id)])),
  };
}
