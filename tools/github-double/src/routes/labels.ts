import { bodyObject, HttpError, notFound, optionalString, requiredString, validationFailed, type Route } from '../http';
import { paginate } from '../pagination';
import { labelJson } from '../representations';
import { json, noContent, repoFor, writableRepo } from './common';

const COLOR_RE = /^[0-9a-fA-F]{6}$/;

/** GitHub's 422 for a label field, as the create and the update both give it. */
function labelInvalid(code: 'invalid' | 'already_exists', field: 'color' | 'name'): HttpError {
  return validationFailed('Validation Failed', [{ resource: 'Label', code, field }]);
}

/** Repository labels; names are case-insensitive, and deleting one takes it off every issue. */
export const labelRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/labels',
    permission: ['metadata', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const { page, headers } = paginate(ctx.req, repo.labels);
      return json(
        200,
        page.map((l) => labelJson(repo, l, ctx.urls)),
        headers,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/labels/:name',
    permission: ['metadata', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const l = ctx.state.label(repo, ctx.params.name);
      if (!l) throw notFound();
      return json(200, labelJson(repo, l, ctx.urls));
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/labels',
    permission: ['issues', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const body = bodyObject(ctx.req);
      const name = requiredString(body, 'name');
      const color = (optionalString(body, 'color') ?? 'ededed').replace(/^#/, '');
      if (!COLOR_RE.test(color)) throw labelInvalid('invalid', 'color');
      if (ctx.state.label(repo, name)) throw labelInvalid('already_exists', 'name');
      const l = ctx.state.ensureLabel(repo, name, color.toLowerCase(), optionalString(body, 'description') ?? null);
      return json(201, labelJson(repo, l, ctx.urls));
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/labels/:name',
    permission: ['issues', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const l = ctx.state.label(repo, ctx.params.name);
      if (!l) throw notFound();
      const body = bodyObject(ctx.req);
      const newName = optionalString(body, 'new_name');
      if (newName !== undefined && newName.toLowerCase() !== l.name.toLowerCase() && ctx.state.label(repo, newName)) {
        throw labelInvalid('already_exists', 'name');
      }
      const color = optionalString(body, 'color')?.replace(/^#/, '');
      if (color !== undefined && !COLOR_RE.test(color)) throw labelInvalid('invalid', 'color');
      if (newName !== undefined) l.name = newName;
      if (color !== undefined) l.color = color.toLowerCase();
      if (body.description !== undefined) l.description = optionalString(body, 'description') ?? null;
      return json(200, labelJson(repo, l, ctx.urls));
    },
  },
  {
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/labels/:name',
    permission: ['issues', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const l = ctx.state.label(repo, ctx.params.name);
      if (!l) throw notFound();
      repo.labels = repo.labels.filter((x) => x !== l);
      for (const i of repo.issues) i.labels = i.labels.filter((x) => x !== l);
      return noContent();
    },
  },
];
