import { HttpError, notFound, type DoubleResponse } from './http';
import type { LimitConfig } from './limits';
import { parseFaults } from './faults';
import type { DoubleCore } from './pipeline';
import { parseRepoSettings, parseSeed, type SeedComment, type SeedIssue, type SeedPull } from './seed';
import { addSeedIssue, addSeedPull, applyRepoSettings, isoSeconds, toRole } from './state';
import { APP_PERMISSION_NAMES, type AppPermissions } from './types';
import type { Account, Repo } from './types';

/**
 * Out-of-band control under `/_admin/`: drift (delete a file, remove a collaborator, archive),
 * invitations (accept, expire), content for progress tests (issues, comments, pull requests),
 * faults, limits, the clock, the request log and counters, and reset. Not logged, not limited.
 */
export interface AdminContext {
  core: DoubleCore;
  /** The JSON body when it is an object ({} otherwise); `raw` is the body as sent. */
  body: Record<string, unknown>;
  raw: unknown;
  query: URLSearchParams;
  /** Rebuilds the state from the seed. */
  resetState(): void;
  advanceClock(ms: number): number;
}

/** Host names that reach the double only from this machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The host name of a Host header value (`127.0.0.1:8080`, `[::1]:8080`, `localhost`), lower case. */
function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/**
 * Why an admin request must be refused (403), or undefined. The admin API needs no token, so two
 * ways a browser could reach it are closed: DNS rebinding (a page whose own name now resolves to
 * 127.0.0.1 sends `Host: evil.example`), and a cross-site request from a page (an `Origin` that is
 * not the double's own, or `Sec-Fetch-Site` saying the request came from another site or origin).
 */
export function adminRequestRefusal(
  headers: { host?: string; origin?: string; 'sec-fetch-site'?: string },
  port: number,
): string | undefined {
  const shown = (v: string) => JSON.stringify(v.length > 100 ? `${v.slice(0, 100)}…` : v);
  if (headers.host === undefined)
    return 'admin API: a Host header is required (127.0.0.1, localhost or [::1], with any port)';
  if (!LOOPBACK_HOSTS.has(hostName(headers.host))) {
    return `admin API: expected a loopback Host (127.0.0.1, localhost or [::1], with any port), found ${shown(headers.host)}`;
  }
  if (headers.origin !== undefined) {
    let own = false;
    try {
      const o = new URL(headers.origin);
      own =
        o.protocol === 'http:' &&
        LOOPBACK_HOSTS.has(o.hostname) &&
        o.port === String(port) &&
        o.origin === headers.origin;
    } catch {
      // "null" (a sandboxed or file: page) or garbage: not the double's own origin
    }
    if (!own)
      return `admin API: cross-site request refused: expected no Origin or the double's own (http://127.0.0.1:${port}), found ${shown(headers.origin)}`;
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `admin API: cross-site request refused (Sec-Fetch-Site: ${shown(site)}; expected same-origin or none)`;
  }
  return undefined;
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  pattern: string;
  handler(a: AdminContext): DoubleResponse;
}

export const ok = (body: unknown): DoubleResponse => ({ status: 200, body });

export function bad(message: string): HttpError {
  return new HttpError(400, message);
}

export function str(a: AdminContext, field: string): string {
  const v = a.body[field];
  if (typeof v !== 'string' || !v) throw bad(`${field}: expected a non-empty string`);
  return v;
}

export function repoArg(a: AdminContext): Repo {
  const full = str(a, 'repo');
  const [owner, name] = full.split('/');
  const repo = owner && name ? a.core.state.repo(owner, name) : undefined;
  if (!repo) throw new HttpError(404, `repo: no repository ${full} (expected owner/name)`);
  return repo;
}

/** `branch` (an existing branch, the default one unless given) and `author` (a login, the owner unless given) of an out-of-band commit. */
function pushArgs(a: AdminContext, repo: Repo): { branch: string; author: Account } {
  const branch = a.body.branch === undefined ? repo.defaultBranch : str(a, 'branch');
  // an empty repository's first commit makes its default branch
  if (!repo.branches.has(branch) && !(branch === repo.defaultBranch && repo.branches.size === 0))
    throw new HttpError(404, `branch: no branch ${branch} in ${repo.owner.login}/${repo.name}`);
  const author = a.body.author === undefined ? repo.owner : a.core.state.ensureActor(str(a, 'author'));
  return { branch, author };
}

/** Checks an out-of-band issue or pull request with the seed's own schema, so both agree. */
function checkSeedItem(kind: 'issues' | 'pulls', item: unknown): void {
  // a closing pull request is checked against the real repository by the caller, not the stand-in one
  const by =
    kind === 'issues' && item && typeof item === 'object'
      ? (item as { closed_by_pull?: unknown }).closed_by_pull
      : undefined;
  const pulls = Number.isInteger(by) ? [{ number: by, title: 'x', author: 'x' }] : [];
  const { errors } = parseSeed(
    { repos: [{ owner: 'x', name: 'x', [kind]: [item], ...(kind === 'issues' ? { pulls } : {}) }] },
    kind === 'issues' ? 'issue' : 'pull request',
  );
  if (errors.length)
    throw bad(errors.map((e) => e.replace(`repos.0.${kind}.0.`, '').replace(`repos.0.${kind}.0`, '(body)')).join('\n'));
}

function withoutRepo(body: Record<string, unknown>): Record<string, unknown> {
  const { repo: _repo, ...rest } = body;
  return rest;
}

export const ADMIN_ROUTES: AdminRoute[] = [
  {
    method: 'POST',
    pattern: '/_admin/accept_invites',
    handler: (a) => {
      const login = typeof a.body.login === 'string' ? a.body.login.toLowerCase() : undefined;
      const repos = a.body.repo !== undefined ? [repoArg(a)] : [...a.core.state.repos.values()];
      const accepted: string[] = [];
      for (const repo of repos) {
        for (const inv of [...repo.invitations]) {
          if (inv.expired || (login && inv.invitee.login.toLowerCase() !== login)) continue;
          a.core.state.acceptInvitation(repo, inv);
          accepted.push(`${repo.owner.login}/${repo.name}:${inv.invitee.login}`);
        }
      }
      return ok({ accepted });
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/expire_invitation',
    handler: (a) => {
      const repo = repoArg(a);
      const login = str(a, 'login').toLowerCase();
      const inv = repo.invitations.find((i) => i.invitee.login.toLowerCase() === login);
      if (!inv) throw notFound();
      inv.expired = true;
      return ok({ expired: `${repo.owner.login}/${repo.name}:${inv.invitee.login}` });
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/delete_file',
    handler: (a) => {
      const repo = repoArg(a);
      const path = str(a, 'path').replace(/^\/+/, '');
      if (!repo.files.has(path)) throw new HttpError(404, `path: no file ${path} in ${repo.owner.login}/${repo.name}`);
      const owner = repo.owner;
      const c = a.core.state.commit(
        repo,
        new Map([[path, null]]),
        typeof a.body.message === 'string' ? a.body.message : `Delete ${path}`,
        owner,
      );
      return ok({ deleted: path, commit: c.sha });
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/write_file',
    handler: (a) => {
      const repo = repoArg(a);
      const path = str(a, 'path').replace(/^\/+/, '');
      const content = a.body.content;
      if (typeof content !== 'string') throw bad('content: expected the file text as a string');
      const { branch, author } = pushArgs(a, repo);
      const c = a.core.state.commit(
        repo,
        new Map([[path, Buffer.from(content, 'utf8')]]),
        typeof a.body.message === 'string' ? a.body.message : `Update ${path}`,
        author,
        branch,
      );
      return ok({ written: path, commit: c.sha });
    },
  },
  {
    // a push of one commit (a learner's, or a teacher's to the template): path -> text, or null to delete
    method: 'POST',
    pattern: '/_admin/push',
    handler: (a) => {
      const repo = repoArg(a);
      const files = a.body.files;
      if (!files || typeof files !== 'object' || Array.isArray(files) || !Object.keys(files).length)
        throw bad('files: expected {path: text or null, ...}');
      const changes = new Map<string, Buffer | null>();
      for (const [path, text] of Object.entries(files)) {
        if (text !== null && typeof text !== 'string') throw bad(`files.${path}: expected the file text or null`);
        changes.set(path.replace(/^\/+/, ''), text === null ? null : Buffer.from(text, 'utf8'));
      }
      const { branch, author } = pushArgs(a, repo);
      const c = a.core.state.commit(
        repo,
        changes,
        typeof a.body.message === 'string' ? a.body.message : 'Update',
        author,
        branch,
      );
      return ok({ branch, commit: c.sha });
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/remove_collaborator',
    handler: (a) => {
      const repo = repoArg(a);
      const login = str(a, 'login').toLowerCase();
      const had = repo.collaborators.delete(login);
      const invites = repo.invitations.length;
      repo.invitations = repo.invitations.filter((i) => i.invitee.login.toLowerCase() !== login);
      if (!had && invites === repo.invitations.length) throw notFound();
      return ok({ removed: login });
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/add_collaborator',
    handler: (a) => {
      const repo = repoArg(a);
      const user = a.core.state.ensureAccount(str(a, 'login'));
      const role = toRole(typeof a.body.permission === 'string' ? a.body.permission : undefined);
      if (!role) throw bad('permission: expected pull, triage, push, maintain or admin');
      repo.collaborators.set(user.login.toLowerCase(), { account: user, role });
      return ok({ added: user.login, role });
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/archive_repo',
    handler: (a) => {
      const repo = repoArg(a);
      repo.archived = a.body.archived !== false;
      a.core.state.touch(repo);
      return ok({ repo: `${repo.owner.login}/${repo.name}`, archived: repo.archived });
    },
  },
  {
    // Replaces the environments, repository secrets or rulesets (each part given), in the seed's form.
    method: 'POST',
    pattern: '/_admin/repo_settings',
    handler: (a) => {
      const { settings, errors } = parseRepoSettings(a.raw);
      if (!settings) throw bad(errors.join('\n'));
      const repo = repoArg(a);
      applyRepoSettings(a.core.state, repo, settings);
      return ok({
        repo: `${repo.owner.login}/${repo.name}`,
        environments: repo.environments.length,
        secrets: repo.secrets.length,
        rulesets: repo.rulesets.length,
      });
    },
  },
  {
    // Changes an installation's permissions (replaced whole) or repository selection.
    method: 'PATCH',
    pattern: '/_admin/installations',
    handler: (a) => {
      const i = a.core.state.installations.get(Number(a.body.id));
      if (!i) throw new HttpError(404, `id: no installation ${String(a.body.id)}`);
      const p = a.body.permissions;
      if (p !== undefined) {
        const entries = p !== null && typeof p === 'object' && !Array.isArray(p) ? Object.entries(p) : [['(body)', p]];
        const wrong = entries.filter(
          ([k, v]) => !APP_PERMISSION_NAMES.includes(k as never) || !['read', 'write', 'admin'].includes(v as string),
        );
        if (wrong.length > 0)
          throw bad(
            `permissions: expected {name: read|write|admin} with names among ${APP_PERMISSION_NAMES.join(', ')}; wrong: ${wrong.map(([k]) => k).join(', ')}`,
          );
        i.permissions = p as AppPermissions;
      }
      const sel = a.body.repository_selection;
      if (sel !== undefined) {
        if (sel !== 'all' && sel !== 'selected') throw bad('repository_selection: expected all or selected');
        i.repositorySelection = sel;
      }
      return ok({ id: i.id, permissions: i.permissions, repository_selection: i.repositorySelection });
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/finish_generation',
    handler: (a) => ok({ finished: a.core.state.finishGeneration() }),
  },
  {
    method: 'POST',
    pattern: '/_admin/delete_repo',
    handler: (a) => {
      const repo = repoArg(a);
      a.core.state.deleteRepo(repo);
      return ok({ deleted: `${repo.owner.login}/${repo.name}` });
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/issues',
    handler: (a) => {
      const repo = repoArg(a);
      const item = withoutRepo(a.body);
      checkSeedItem('issues', item);
      const by = (item as unknown as SeedIssue).closed_by_pull;
      if (by !== undefined && !a.core.state.findIssue(repo, by)?.pull) {
        throw bad(
          `closed_by_pull: expected the number of a pull request of ${repo.owner.login}/${repo.name}, got ${by}`,
        );
      }
      const issue = addSeedIssue(a.core.state, repo, item as unknown as SeedIssue);
      return { status: 201, body: { number: issue.number, node_id: issue.nodeId } };
    },
  },
  {
    method: 'PATCH',
    pattern: '/_admin/issues',
    handler: (a) => {
      const repo = repoArg(a);
      const issue = a.core.state.findIssue(repo, Number(a.body.number));
      if (!issue) throw new HttpError(404, `number: no issue or pull request #${String(a.body.number)}`);
      const st = a.core.state;
      const at = typeof a.body.at === 'string' ? isoSeconds(Date.parse(a.body.at)) : st.nowIso();
      if (typeof a.body.title === 'string') issue.title = a.body.title;
      if (typeof a.body.body === 'string') issue.body = a.body.body;
      if (Array.isArray(a.body.labels)) issue.labels = a.body.labels.map((n) => st.ensureLabel(repo, String(n)));
      // who closes, reopens or merges: `closed_by`, else the issue's or pull request's author
      if (a.body.closed_by !== undefined && (typeof a.body.closed_by !== 'string' || !a.body.closed_by))
        throw bad('closed_by: expected a login');
      const actor = typeof a.body.closed_by === 'string' ? st.ensureActor(a.body.closed_by) : issue.author;
      let closes: number[] = [];
      if (issue.pull && a.body.merged === true) {
        closes = st.mergePull(repo, issue, actor, at).map((i) => i.number);
      } else if (a.body.state === 'closed') {
        st.closeIssue(issue, actor, {
          at,
          stateReason: a.body.state_reason === 'not_planned' ? 'not_planned' : 'completed',
        });
      } else if (a.body.state === 'open') {
        st.reopenIssue(issue, actor, at);
      }
      issue.updatedAt = at;
      return ok({ number: issue.number, state: issue.state, ...(closes.length ? { closed_issues: closes } : {}) });
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/comments',
    handler: (a) => {
      const repo = repoArg(a);
      const issue = a.core.state.findIssue(repo, Number(a.body.number));
      if (!issue) throw new HttpError(404, `number: no issue or pull request #${String(a.body.number)}`);
      const { number: _n, ...comment } = withoutRepo(a.body);
      checkSeedItem('issues', { title: 'x', author: 'x', comments: [comment] });
      const c = comment as unknown as SeedComment;
      const at = c.created_at ? isoSeconds(Date.parse(c.created_at)) : undefined;
      const made = a.core.state.addComment(
        issue,
        a.core.state.ensureAccount(c.author),
        c.body,
        at,
        c.updated_at ? isoSeconds(Date.parse(c.updated_at)) : undefined,
      );
      return { status: 201, body: { id: made.id, node_id: made.nodeId } };
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/pulls',
    handler: (a) => {
      const repo = repoArg(a);
      const item = withoutRepo(a.body);
      checkSeedItem('pulls', item);
      const pr = addSeedPull(a.core.state, repo, item as unknown as SeedPull);
      return { status: 201, body: { number: pr.number, node_id: pr.nodeId } };
    },
  },
  {
    method: 'GET',
    pattern: '/_admin/faults',
    handler: (a) => ok(a.core.faults.list()),
  },
  {
    // the body is the list itself (as in the recorded fixtures) or {faults: [...], append?: true}
    method: 'POST',
    pattern: '/_admin/faults',
    handler: (a) => {
      const raw = Array.isArray(a.raw) ? a.raw : a.body.faults;
      const { faults, errors } = parseFaults(raw);
      if (!faults) throw bad(errors.join('\n'));
      if (a.body.append === true) a.core.faults.add(faults);
      else a.core.faults.set(faults);
      return ok(a.core.faults.list());
    },
  },
  {
    method: 'DELETE',
    pattern: '/_admin/faults',
    handler: (a) => {
      a.core.faults.clear();
      return ok([]);
    },
  },
  {
    // repository_dispatch events received, oldest first: what a workflow would have been started with
    method: 'GET',
    pattern: '/_admin/dispatches',
    handler: (a) => ok(repoArg({ ...a, body: { repo: a.query.get('repo') ?? '' } }).dispatches),
  },
  {
    method: 'GET',
    pattern: '/_admin/requests',
    handler: (a) => ok(a.core.log.list(Number(a.query.get('since') ?? 0))),
  },
  {
    method: 'GET',
    pattern: '/_admin/counters',
    handler: (a) => ok(a.core.log.counters(Number(a.query.get('since') ?? 0))),
  },
  {
    method: 'GET',
    pattern: '/_admin/limits',
    handler: (a) => ok(a.core.limits.config),
  },
  {
    method: 'POST',
    pattern: '/_admin/limits',
    handler: (a) => {
      const patch: Partial<LimitConfig> = {};
      for (const [k, v] of Object.entries(a.body)) {
        if (!(k in a.core.limits.config))
          throw bad(`${k}: unknown limit (expected one of ${Object.keys(a.core.limits.config).join(', ')})`);
        if (!Number.isInteger(v) || (v as number) < 1) throw bad(`${k}: expected a whole number >= 1`);
        if (k === 'secondaryStatus' && v !== 403 && v !== 429) throw bad('secondaryStatus: expected 403 or 429');
        (patch as Record<string, number>)[k] = v as number;
      }
      return ok(a.core.setLimits(patch));
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/clock',
    handler: (a) => {
      const ms = a.body.advance_ms;
      if (!Number.isInteger(ms) || (ms as number) < 0)
        throw bad('advance_ms: expected a whole number of milliseconds >= 0');
      return ok({ now: new Date(a.advanceClock(ms as number)).toISOString() });
    },
  },
  {
    // everything by default; {"state": false} keeps the world and clears log, counters, limits, faults
    method: 'POST',
    pattern: '/_admin/reset',
    handler: (a) => {
      if (a.body.state !== false) a.resetState();
      if (a.body.log !== false) a.core.log.clear();
      if (a.body.limits !== false) a.core.limits.reset();
      if (a.body.faults !== false) a.core.faults.clear();
      return ok({ reset: true });
    },
  },
  {
    method: 'GET',
    pattern: '/_admin/state',
    handler: (a) =>
      ok({
        repos: [...a.core.state.repos.values()].map((r) => ({
          full_name: `${r.owner.login}/${r.name}`,
          archived: r.archived,
          visibility: r.visibility,
          template: r.template ? `${r.template.owner.login}/${r.template.name}` : null,
          generating: r.ready !== null,
          files: [...r.files.keys()].sort(),
          branches: Object.fromEntries([...r.branches].sort(([x], [y]) => (x < y ? -1 : 1))),
          teams: [...r.teams.values()].map((t) => ({ team: t.team.slug, role: t.role })),
          collaborators: [...r.collaborators.values()].map((c) => ({ login: c.account.login, role: c.role })),
          invitations: r.invitations.map((i) => ({ login: i.invitee.login, role: i.role, expired: i.expired })),
          issues: r.issues.filter((i) => !i.pull).length,
          pulls: r.issues.filter((i) => i.pull).length,
        })),
      }),
  },
];
