import type { IncomingHttpHeaders } from 'node:http';
import type { DoubleState } from './state';
import type { AppPermissionName, Identity, Permission } from './types';

/** Where links in response bodies point: the REST base the client used, and the web base. */
export interface Urls {
  api: string;
  html: string;
}

export interface DoubleRequest {
  method: string;
  /** The REST path with any `/api/v3` prefix removed. */
  path: string;
  /** The path as received (what faults and the request log match). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  bodyText: string;
  body: unknown;
  urls: Urls;
}

export interface DoubleResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const DOCS = 'https://docs.github.com/enterprise-server@3.19/rest';

/** An error answer in GitHub's shape: `{message, documentation_url, status}` (+ `errors`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): DoubleResponse {
    return {
      status: this.status,
      headers: this.headers,
      body: { message: this.message, documentation_url: DOCS, ...this.extra, status: String(this.status) },
    };
  }
}

export const notFound = (): HttpError => new HttpError(404, 'Not Found');

export function validationFailed(message: string, errors: Array<Record<string, unknown>> = []): HttpError {
  return new HttpError(422, message, errors.length ? { errors } : {});
}

export interface RouteContext {
  req: DoubleRequest;
  params: Record<string, string>;
  state: DoubleState;
  identity: Identity;
  urls: Urls;
  /** The caller's current rate-limit standing (for `/rate_limit` and GraphQL `rateLimit`). */
  rate(resource: 'core' | 'graphql'): { limit: number; used: number; remaining: number; resetAt: number };
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/repos/:owner/:repo/contents/*path`: `:x` is one segment, `*x` the rest of the path. */
  pattern: string;
  /** The App permission an installation (or a restricted token) needs. */
  permission?: [AppPermissionName, Permission];
  /** A second permission GitHub asks for as well (a repository and an organization permission). */
  alsoNeeds?: [AppPermissionName, Permission];
  /**
   * The documented twin whose response schemas this route's answers are validated against, for a
   * path GitHub serves but its OpenAPI description leaves out (the provider's `/organizations/{org_id}/team/{team_id}/...`).
   */
  documentedAs?: string;
  /** Who may call it: by default users and installations; `app` = only with the App's JWT. */
  auth?: 'app' | 'any';
  /** Not charged to the primary rate limit (as GitHub does not charge `/rate_limit`). */
  free?: boolean;
  handler(ctx: RouteContext): DoubleResponse | Promise<DoubleResponse>;
}

export function bodyObject(req: DoubleRequest): Record<string, unknown> {
  const b = req.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw new HttpError(400, 'Problems parsing JSON');
  return b as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw validationFailed('Invalid request.', [
      { resource: 'Request', field, code: 'invalid', message: `${field} is not a string.` },
    ]);
  return v;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const v = optionalString(body, field);
  if (v === undefined) throw validationFailed(`Invalid request.\n\n"${field}" wasn't supplied.`);
  return v;
}
