import {
  HttpError,
  bodyObject,
  notFound,
  optionalString,
  requiredString,
  validationFailed,
  type Route,
  type RouteContext,
} from '../http';
import { paginate } from '../pagination';
import { resolveRef } from '../git-graph';
import { commitJson, commitListJson, fullRepoJson, repoJson } from '../representations';
import type { Account, Commit, Repo, RepoSettings } from '../types';
import { actorAccount, json, noContent, repoFor, writableRepo } from './common';

const NAME_RE = /^[A-Za-z0-9._-]{1,100}$/;

const BOOLEAN_SETTINGS = [
  'has_issues',
  'has_projects',
  'has_wiki',
  'has_downloads',
  'has_discussions',
  'is_template',
  'allow_rebase_merge',
  'allow_squash_merge',
  'allow_merge_commit',
  'allow_auto_merge',
  'allow_update_branch',
  'allow_forking',
  'delete_branch_on_merge',
  'web_commit_signoff_required',
  'use_squash_pr_title_as_default',
] as const;
const ENUM_SETTINGS: Record<string, readonly string[]> = {
  squash_merge_commit_title: ['PR_TITLE', 'COMMIT_OR_PR_TITLE'],
  squash_merge_commit_message: ['PR_BODY', 'COMMIT_MESSAGES', 'BLANK'],
  merge_commit_title: ['PR_TITLE', 'MERGE_MESSAGE'],
  merge_commit_message: ['PR_BODY', 'PR_TITLE', 'BLANK'],
};

/** GitHub's answer when the name is taken (the provider shows `message` of `errors[0]`). */
export function nameClash(
  documentation = 'https://docs.github.com/rest/repos/repos#create-a-repository-using-a-template',
): HttpError {
  return new HttpError(422, 'Repository creation failed.', {
    errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
    documentation_url: documentation,
  });
}

function invalidField(field: string, message: string): HttpError {
  return validationFailed('Validation Failed', [{ resource: 'Repository', field, code: 'invalid', message }]);
}

function changesVisibility(repo: Repo, body: Record<string, unknown>): boolean {
  if (body.visibility !== undefined) return body.visibility !== repo.visibility;
  return body.private !== undefined && body.private !== (repo.visibility !== 'public');
}

/** Applies the settings a create or PATCH body carries; unknown fields are ignored, as on GitHub. */
function applySettings(repo: Repo, body: Record<string, unknown>): void {
  const s = repo.settings as unknown as Record<string, unknown>;
  for (const k of BOOLEAN_SETTINGS) {
    if (body[k] === undefined) continue;
    if (typeof body[k] !== 'boolean') throw invalidField(k, `${k} is not a boolean.`);
    s[k] = body[k];
  }
  for (const [k, allowed] of Object.entries(ENUM_SETTINGS)) {
    if (body[k] === undefined) continue;
    if (typeof body[k] !== 'string' || !allowed.includes(body[k] as string))
      throw invalidField(k, `${k} must be one of ${allowed.join(', ')}.`);
    s[k] = body[k];
  }
  for (const k of ['description', 'homepage'] as const) {
    if (body[k] === undefined) continue;
    if (body[k] !== null && typeof body[k] !== 'string') throw invalidField(k, `${k} is not a string.`);
    (repo.settings as RepoSettings)[k] = body[k] as string | null;
  }
  if (body.visibility !== undefined) {
    if (!['public', 'private', 'internal'].includes(body.visibility as string))
      throw invalidField('visibility', 'visibility must be public, private or internal.');
    repo.visibility = body.visibility as Repo['visibility'];
  } else if (body.private !== undefined) {
    if (typeof body.private !== 'boolean') throw invalidField('private', 'private is not a boolean.');
    repo.visibility = body.private ? 'private' : 'public';
  }
}

function ownerForCreate(ctx: RouteContext, login: string): Account {
  const owner = ctx.state.account(login);
  if (!owner || owner.type === 'Bot') throw notFound();
  if (ctx.identity.kind === 'installation' && ctx.identity.account !== owner) throw notFound();
  return owner;
}

/** GitHub refuses a client_payload of more than 10 top-level properties. */
const MAX_PAYLOAD_PROPERTIES = 10;

/** `repository_dispatch`: recorded, answered 204 (no workflow runs in the double). */
const dispatchRoute: Route = {
  method: 'POST',
  pattern: '/repos/:owner/:repo/dispatches',
  permission: ['contents', 'write'],
  handler: (ctx) => {
    const repo = writableRepo(ctx);
    const body = bodyObject(ctx.req);
    const eventType = body.event_type;
    if (typeof eventType !== 'string' || eventType.length === 0)
      throw validationFailed('Invalid request.\n\n"event_type" wasn\'t supplied.');
    if (eventType.length > 100)
      throw validationFailed('Invalid request.\n\nevent_type is too long (maximum is 100 characters).');
    const payload = body.client_payload;
    if (payload !== undefined && (payload === null || typeof payload !== 'object' || Array.isArray(payload))) {
      throw validationFailed("Invalid request.\n\nFor 'properties/client_payload', is not an object.");
    }
    const fields = (payload ?? {}) as Record<string, unknown>;
    if (Object.keys(fields).length > MAX_PAYLOAD_PROPERTIES)
      throw validationFailed(
        `Invalid request.\n\nNo more than ${MAX_PAYLOAD_PROPERTIES} properties are allowed; ${Object.keys(fields).length} were supplied.`,
      );
    repo.dispatches.push({
      event_type: eventType,
      client_payload: fields,
      sender: actorAccount(ctx).login,
      at: ctx.state.nowIso(),
    });
    return noContent();
  },
};

export const repoRoutes: Route[] = [
  dispatchRoute,
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo',
    permission: ['metadata', 'read'],
    handler: (ctx) => json(200, fullRepoJson(repoFor(ctx), ctx.urls)),
  },
  {
    method: 'PATCH',
    pattern: '/repos/:owner/:repo',
    permission: ['administration', 'write'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const body = bodyObject(ctx.req);
      // An archived repository accepts only being unarchived, or a repeated archive that changes
      // nothing else the double can tell. A visibility change is refused: GitHub's API answers 403
      // "Repository was archived so is read-only." to it (cli/cli#7176), although the web UI allows it.
      if (repo.archived && body.archived !== false) {
        if (body.archived === true && !changesVisibility(repo, body)) return json(200, fullRepoJson(repo, ctx.urls));
        throw new HttpError(403, 'Repository was archived so is read-only.');
      }
      const newName = optionalString(body, 'name');
      if (newName !== undefined && newName !== repo.name) {
        if (!NAME_RE.test(newName)) throw invalidField('name', 'name is invalid.');
        const clash = ctx.state.repo(repo.owner.login, newName);
        if (clash && clash !== repo) throw nameClash('https://docs.github.com/rest/repos/repos#update-a-repository');
        ctx.state.renameRepo(repo, newName);
      }
      applySettings(repo, body);
      const defaultBranch = optionalString(body, 'default_branch');
      if (defaultBranch !== undefined && defaultBranch !== repo.defaultBranch) {
        if (!repo.branches.has(defaultBranch))
          throw invalidField(
            'default_branch',
            `The branch ${defaultBranch} was not found. Please push that ref first or create it via the Git Data API.`,
          );
        ctx.state.setDefaultBranch(repo, defaultBranch);
      }
      if (body.archived !== undefined) {
        if (typeof body.archived !== 'boolean') throw invalidField('archived', 'archived is not a boolean.');
        repo.archived = body.archived;
      }
      ctx.state.touch(repo);
      return json(200, fullRepoJson(repo, ctx.urls));
    },
  },
  {
    method: 'DELETE',
    pattern: '/repos/:owner/:repo',
    permission: ['administration', 'write'],
    handler: (ctx) => {
      ctx.state.deleteRepo(repoFor(ctx));
      return noContent();
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/generate',
    permission: ['administration', 'write'],
    handler: (ctx) => {
      const template = repoFor(ctx);
      if (!template.settings.is_template)
        throw validationFailed(`${template.owner.login}/${template.name} is not a template repository.`);
      const body = bodyObject(ctx.req);
      const name = requiredString(body, 'name');
      if (!NAME_RE.test(name)) throw invalidField('name', 'name is invalid.');
      const owner = ownerForCreate(ctx, optionalString(body, 'owner') ?? actorAccount(ctx).login);
      if (ctx.state.repo(owner.login, name)) throw nameClash();
      const repo = ctx.state.generate(
        template,
        owner,
        name,
        { description: optionalString(body, 'description') ?? null, private: body.private === true },
        actorAccount(ctx),
      );
      return json(201, fullRepoJson(repo, ctx.urls));
    },
  },
  {
    method: 'POST',
    pattern: '/orgs/:org/repos',
    permission: ['administration', 'write'],
    handler: (ctx) => {
      const owner = ownerForCreate(ctx, ctx.params.org);
      if (owner.type !== 'Organization') throw notFound();
      const body = bodyObject(ctx.req);
      const name = requiredString(body, 'name');
      if (!NAME_RE.test(name)) throw invalidField('name', 'name is invalid.');
      if (ctx.state.repo(owner.login, name))
        throw nameClash('https://docs.github.com/rest/repos/repos#create-an-organization-repository');
      const repo = ctx.state.createRepo(owner, name);
      applySettings(repo, body);
      if (body.auto_init === true)
        ctx.state.commit(
          repo,
          new Map([['README.md', Buffer.from(`# ${name}\n`)]]),
          'Initial commit',
          actorAccount(ctx),
        );
      return json(201, fullRepoJson(repo, ctx.urls));
    },
  },
  {
    // 204 = enabled, 404 = disabled: how GitHub answers and how the provider reads it
    method: 'GET',
    pattern: '/repos/:owner/:repo/vulnerability-alerts',
    permission: ['administration', 'read'],
    handler: (ctx) => {
      if (!repoFor(ctx).vulnerabilityAlerts) throw notFound();
      return noContent();
    },
  },
  ...(['PUT', 'DELETE'] as const).map((method): Route => ({
    method,
    pattern: '/repos/:owner/:repo/vulnerability-alerts',
    permission: ['administration', 'write'],
    handler: (ctx) => {
      writableRepo(ctx).vulnerabilityAlerts = method === 'PUT';
      return noContent();
    },
  })),
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/topics',
    permission: ['metadata', 'read'],
    handler: (ctx) => json(200, { names: repoFor(ctx).topics }),
  },
  {
    method: 'PUT',
    pattern: '/repos/:owner/:repo/topics',
    permission: ['administration', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const names = bodyObject(ctx.req).names;
      if (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))
        throw validationFailed('Invalid request.\n\n"names" wasn\'t supplied.');
      repo.topics = (names as string[]).map((n) => n.toLowerCase());
      return json(200, { names: repo.topics });
    },
  },
  {
    // The provider's file import finds the file's commit here (`?sha=<branch>&path=<file>`), then
    // reads each commit's `files`; history is linear in the double (first parents).
    method: 'GET',
    pattern: '/repos/:owner/:repo/commits',
    permission: ['contents', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      if (repo.ready || repo.headSha === null) throw new HttpError(409, 'Git Repository is empty.');
      const start = resolveRef(repo, ctx.req.query.get('sha') || repo.defaultBranch)?.sha;
      if (!start) throw notFound();
      const path = (ctx.req.query.get('path') ?? '').replace(/^\/+|\/+$/g, '');
      const touches = (c: Commit): boolean =>
        !path || c.files.some((f) => f.filename === path || f.filename.startsWith(`${path}/`));
      const history: Commit[] = [];
      for (let c = repo.commits.get(start); c; c = c.parents[0] ? repo.commits.get(c.parents[0]) : undefined) {
        if (touches(c)) history.push(c);
      }
      const { page, headers } = paginate(ctx.req, history);
      return json(
        200,
        page.map((c) => commitListJson(repo, c, ctx.urls)),
        headers,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/commits/:sha',
    permission: ['contents', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const ref = ctx.params.sha;
      const c = resolveRef(repo, ref);
      if (!c) throw new HttpError(422, `No commit found for SHA: ${ref}`);
      return json(200, commitJson(repo, c, ctx.urls));
    },
  },
  {
    method: 'GET',
    pattern: '/orgs/:org/repos',
    permission: ['metadata', 'read'],
    handler: (ctx) => {
      const org = ctx.state.orgs.get(ctx.params.org.toLowerCase());
      if (!org) throw notFound();
      const { page, headers } = paginate(
        ctx.req,
        [...ctx.state.repos.values()].filter((r) => r.owner === org.account),
      );
      return json(
        200,
        page.map((r) => repoJson(r, ctx.urls)),
        headers,
      );
    },
  },
];
