import { createHash, randomBytes } from 'node:crypto';
import { allows, permissionsOf, resolveIdentity } from './auth';
import { Faults } from './faults';
import { graphqlOperationKind, runGraphql } from './graphql';
import { HttpError, type DoubleRequest, type DoubleResponse, type Route, type RouteContext } from './http';
import { RateLimiter, type LimitConfig, type Resource } from './limits';
import { RequestLog } from './request-log';
import { Router } from './router';
import { collaboratorRoutes } from './routes/collaborators';
import { contentRoutes } from './routes/contents';
import { issueRoutes } from './routes/issues';
import { labelRoutes } from './routes/labels';
import { metaRoutes, rateLimitRoute } from './routes/meta';
import { pullRoutes } from './routes/pulls';
import { repoRoutes } from './routes/repos';
import { gitRoutes } from './routes/git';
import { repoSettingRoutes } from './routes/repo-settings';
import { teamRoutes } from './routes/teams';
import type { DoubleState } from './state';
import type { Identity } from './types';

export const ROUTES: Route[] = [
  rateLimitRoute,
  ...metaRoutes,
  ...repoRoutes,
  ...gitRoutes,
  ...contentRoutes,
  ...collaboratorRoutes,
  ...teamRoutes,
  ...issueRoutes,
  ...labelRoutes,
  ...pullRoutes,
  ...repoSettingRoutes,
];

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const GRAPHQL_PATHS = new Set(['/graphql', '/api/graphql']);
// a repository's own paths, and a team's access to it (by slug or, as the provider sends it, by id)
const REPO_PATH_RE = /^(?:\/orgs\/[^/]+\/teams\/[^/]+|\/organizations\/\d+\/team\/\d+)?\/repos\/([^/]+)\/([^/]+)/;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function etagOf(body: string): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

function etagMatches(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  const want = strip(etag);
  return [ifNoneMatch]
    .flat()
    .join(',')
    .split(',')
    .some((t) => t.trim() === '*' || strip(t) === want);
}

/** The repository a request concerns, for per-learner counts; a generate counts for the new one. */
function repoKey(req: DoubleRequest, route: Route | null): string | null {
  if (route?.pattern === '/repos/:owner/:repo/generate' && req.body && typeof req.body === 'object') {
    const b = req.body as Record<string, unknown>;
    if (typeof b.name === 'string') return `${typeof b.owner === 'string' ? b.owner : ''}/${b.name}`.toLowerCase();
  }
  const m = REPO_PATH_RE.exec(req.path);
  return m ? `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`.toLowerCase() : null;
}

export interface ServedResponse extends DoubleResponse {
  headers: Record<string, string>;
  /** The serialized body, if any. */
  text?: string;
}

/**
 * The request pipeline, independent of node:http: faults, authentication, rate limits,
 * permissions, the route's handler, ETags, headers and the request log.
 */
export class DoubleCore {
  readonly faults = new Faults();
  readonly log = new RequestLog();
  readonly limits: RateLimiter;
  private readonly router = new Router<Route>(ROUTES);

  constructor(
    public state: DoubleState,
    limits: LimitConfig,
    readonly now: () => number,
  ) {
    this.limits = new RateLimiter(limits, now);
  }

  async handle(req: DoubleRequest): Promise<ServedResponse> {
    const isGraphql = GRAPHQL_PATHS.has(req.rawPath);
    const matched = isGraphql ? null : this.router.match(req.method, req.path);
    const route = matched && 'route' in matched ? matched.route : null;
    const params = matched && 'route' in matched ? matched.params : {};
    const resource: Resource = isGraphql ? 'graphql' : 'core';
    let identity: Identity = { kind: 'anonymous', key: 'anonymous' };
    let contentCreating = WRITE_METHODS.has(req.method) && !(route?.auth === 'app');
    let res: DoubleResponse;
    let fault = false;
    let charge = false;

    const spec = this.faults.take(req.method, req.rawPath, req.bodyText);
    if (spec?.latency_ms) await sleep(spec.latency_ms);
    try {
      identity = resolveIdentity(
        this.state,
        typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined,
        this.now(),
      );
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      if (spec?.status === undefined)
        return this.finish(req, route, identity, resource, contentCreating, false, e.toResponse(), false);
    }
    if (spec?.status !== undefined) {
      fault = true;
      res = { status: spec.status, body: spec.body, headers: spec.headers ?? {} };
      return this.finish(req, route, identity, resource, contentCreating, false, res, fault);
    }

    try {
      if (isGraphql) {
        if (req.method !== 'POST') throw new HttpError(404, 'Not Found');
        contentCreating = graphqlOperationKind(req.body) === 'mutation';
        if (identity.kind === 'anonymous') throw new HttpError(401, 'This endpoint requires you to be authenticated.');
        if (identity.kind === 'app') throw new HttpError(403, 'Resource not accessible by integration');
      } else {
        if (!route) throw new HttpError(404, 'Not Found');
        if (route.auth === 'app' && identity.kind !== 'app')
          throw new HttpError(401, 'A JSON web token could not be decoded');
        if (route.auth !== 'app' && route.auth !== 'any') {
          if (identity.kind === 'anonymous') throw new HttpError(401, 'Requires authentication');
          if (identity.kind === 'app') throw new HttpError(403, 'Resource not accessible by integration');
        }
      }
      const free = route?.free ?? false;
      if (!free) {
        const primary = this.limits.checkPrimary(identity.key, resource);
        // GraphQL reports an exhausted limit as a RATE_LIMITED error, as GitHub does
        if (primary && isGraphql)
          throw new HttpError(
            403,
            primary.message,
            { errors: [{ type: 'RATE_LIMITED', message: primary.message }] },
            primary.headers,
          );
        if (primary) throw primary;
      }
      if (contentCreating) {
        const secondary = this.limits.checkSecondary(identity.key);
        if (secondary) throw secondary;
        this.limits.recordWrite(identity.key);
      }
      for (const needed of [route?.permission, route?.alsoNeeds]) {
        if (!needed || allows(permissionsOf(identity), needed)) continue;
        const accepted = [route?.permission, route?.alsoNeeds]
          .filter((p) => p !== undefined)
          .map(([name, level]) => `${name}=${level}`)
          .join(',');
        throw new HttpError(
          403,
          'Resource not accessible by integration',
          {},
          { 'X-Accepted-GitHub-Permissions': accepted },
        );
      }
      charge = !free;
      const ctx: RouteContext = {
        req,
        params,
        state: this.state,
        identity,
        urls: req.urls,
        rate: (r) => this.limits.status(identity.key, r),
      };
      if (charge) this.limits.charge(identity.key, resource);
      res = isGraphql ? await runGraphql(ctx) : await route!.handler(ctx); // route is set unless isGraphql (checked above)
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      res = e.toResponse();
    }
    return this.finish(req, route, identity, resource, contentCreating, charge, res, fault);
  }

  private finish(
    req: DoubleRequest,
    route: Route | null,
    identity: Identity,
    resource: Resource,
    contentCreating: boolean,
    charged: boolean,
    res: DoubleResponse,
    fault: boolean,
  ): ServedResponse {
    let status = res.status;
    let text = res.body === undefined ? undefined : JSON.stringify(res.body);
    const headers: Record<string, string> = {};
    if (text !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    if (req.method === 'GET' && status === 200 && text !== undefined) {
      const etag = etagOf(text);
      headers.ETag = etag;
      if (!fault && etagMatches(req.headers['if-none-match'], etag)) {
        // a conditional hit is free on GitHub; give back the unit charged before the handler ran
        if (charged) this.limits.charge(identity.key, resource, -1);
        status = 304;
        text = undefined;
        delete headers['Content-Type'];
      }
    }
    Object.assign(
      headers,
      this.limits.headers(identity.key, resource),
      {
        'X-GitHub-Media-Type': 'github.v3; format=json',
        'X-GitHub-Request-Id': randomBytes(8).toString('hex').toUpperCase(),
      },
      res.headers ?? {},
    );
    this.log.add({
      at: new Date(this.now()).toISOString(),
      method: req.method,
      path: req.rawPath,
      query: req.query.toString(),
      status,
      contentCreating,
      route: route ? `${route.method} ${route.pattern}` : GRAPHQL_PATHS.has(req.rawPath) ? `POST ${req.rawPath}` : null,
      repo: repoKey(req, route),
      actor: identity.key,
      fault,
    });
    return { status, headers, text };
  }

  /** Replaces the limits (tests lower them to trip the secondary limit cheaply). */
  setLimits(patch: Partial<LimitConfig>): LimitConfig {
    this.limits.config = { ...this.limits.config, ...patch };
    return this.limits.config;
  }
}
