import { collaboratorsOf, effectiveRole, type Affiliation } from '../access';
import { HttpError, bodyObject, notFound, optionalString, validationFailed, type Route } from '../http';
import { paginate } from '../pagination';
import { collaboratorJson, invitationJson, userJson } from '../representations';
import { toRole } from '../state';
import type { RepoRole } from '../types';
import { actorAccount, json, noContent, repoFor, writableRepo } from './common';

const INVITATION_PERMISSIONS: RepoRole[] = ['read', 'write', 'maintain', 'triage', 'admin'];

function isAffiliation(v: string): v is Affiliation {
  return v === 'all' || v === 'direct' || v === 'outside';
}

/**
 * Collaborators and invitations. A user who is not a member of the owning organization is invited
 * (201 with the invitation); a member is added at once (204). The provider treats both alike and
 * reads invitations first, then collaborators.
 */
export const collaboratorRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/collaborators',
    permission: ['metadata', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const affiliation = ctx.req.query.get('affiliation') ?? 'all';
      if (!isAffiliation(affiliation))
        throw validationFailed('Validation Failed', [
          { resource: 'Collaborator', field: 'affiliation', code: 'invalid' },
        ]);
      const { page, headers } = paginate(ctx.req, collaboratorsOf(ctx.state, repo, affiliation));
      return json(
        200,
        page.map((c) => collaboratorJson(c, ctx.urls)),
        headers,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/collaborators/:user',
    permission: ['metadata', 'read'],
    handler: (ctx) => {
      // team members count too, as GitHub documents for this check
      if (!effectiveRole(repoFor(ctx), ctx.params.user)) throw notFound();
      return noContent();
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/collaborators/:user/permission',
    permission: ['metadata', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const user = ctx.state.account(ctx.params.user);
      if (!user) throw notFound();
      const r = effectiveRole(repo, user.login);
      const role = r ?? 'none';
      const permission = role === 'triage' ? 'read' : role === 'maintain' ? 'write' : role;
      return json(200, {
        permission,
        role_name: role,
        user: r ? collaboratorJson({ account: user, role: r }, ctx.urls) : userJson(user, ctx.urls),
      });
    },
  },
  {
    method: 'PUT',
    pattern: '/repos/:owner/:repo/collaborators/:user',
    permission: ['administration', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const user = ctx.state.lookupUser(ctx.params.user);
      if (!user) throw notFound();
      if (user.type !== 'User')
        throw validationFailed('Validation Failed', [
          { resource: 'Repository', code: 'custom', field: 'collaborator', message: `${user.login} is not a user` },
        ]);
      const permission = optionalString(bodyObject(ctx.req), 'permission');
      const role = toRole(permission);
      if (!role)
        throw validationFailed('Validation Failed', [
          {
            resource: 'Repository',
            code: 'invalid',
            field: 'permission',
            message: `permission ${permission} is not valid`,
          },
        ]);
      if (user === repo.owner) throw validationFailed('Repository owner cannot be a collaborator');
      const key = user.login.toLowerCase();
      const existing = repo.collaborators.get(key);
      if (existing || (repo.owner.type === 'Organization' && ctx.state.isOrgMember(repo.owner, user.login))) {
        repo.collaborators.set(key, { account: user, role });
        return noContent();
      }
      const inv = ctx.state.invite(repo, user, actorAccount(ctx), role);
      return json(201, invitationJson(repo, inv, ctx.urls));
    },
  },
  {
    // GitHub also cancels the user's pending invitations
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/collaborators/:user',
    permission: ['administration', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const key = ctx.params.user.toLowerCase();
      repo.collaborators.delete(key);
      repo.invitations = repo.invitations.filter((i) => i.invitee.login.toLowerCase() !== key);
      return noContent();
    },
  },
  {
    // pending invitations, expired ones included (the provider keeps those as present)
    method: 'GET',
    pattern: '/repos/:owner/:repo/invitations',
    permission: ['administration', 'read'],
    handler: (ctx) => {
      const repo = repoFor(ctx);
      const { page, headers } = paginate(ctx.req, repo.invitations);
      return json(
        200,
        page.map((i) => invitationJson(repo, i, ctx.urls)),
        headers,
      );
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/invitations/:id',
    permission: ['administration', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const inv = repo.invitations.find((i) => i.id === Number(ctx.params.id));
      if (!inv) throw notFound();
      // GitHub's description lists read, write, maintain, triage and admin only: the PUT's old names
      // (pull, push) are refused here, although the provider sends them (see docs/github-double.md)
      const body = bodyObject(ctx.req);
      if (body.permissions === undefined)
        throw new HttpError(422, 'Invalid request.\n\n"permissions" wasn\'t supplied.');
      const permissions = optionalString(body, 'permissions');
      if (!permissions || !INVITATION_PERMISSIONS.includes(permissions as RepoRole)) {
        throw new HttpError(
          422,
          `Invalid request.\n\nFor 'properties/permissions', ${JSON.stringify(permissions ?? null)} is not one of ${JSON.stringify(INVITATION_PERMISSIONS)}.`,
        );
      }
      inv.role = permissions as RepoRole;
      return json(200, invitationJson(repo, inv, ctx.urls));
    },
  },
  {
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/invitations/:id',
    permission: ['administration', 'write'],
    handler: (ctx) => {
      const repo = writableRepo(ctx);
      const before = repo.invitations.length;
      repo.invitations = repo.invitations.filter((i) => i.id !== Number(ctx.params.id));
      if (repo.invitations.length === before) throw notFound();
      return noContent();
    },
  },
];
