/**
 * The one GitHub API client of the project's readers (progress, reconstruct): Octokit authenticated
 * as the GitHub App installation (or with a token; github-credentials.ts reads them), with
 * throttling (waits on primary and secondary rate limits) and retries of server errors. Nothing
 * here ever logs a key or a token.
 */
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import type { GitHubAuth } from './github-credentials';

export const GitHubOctokit = Octokit.plugin(throttling, retry);
export type GitHubOctokit = InstanceType<typeof GitHubOctokit>;

export interface ClientOptions {
  /** API root: https://api.github.com, or a GitHub Enterprise Server host (see apiBaseUrl). */
  baseUrl: string;
  auth: GitHubAuth;
  /** Longest wait for a rate limit to reset before giving up on the request (seconds). */
  maxRateLimitWaitSeconds?: number;
  /** Retries of a 5xx or network error (plugin-retry; its delay grows 1 s, 4 s, 9 s...). */
  retries?: number;
  /** Base of plugin-retry's delay in milliseconds (tests shorten it). */
  retryAfterBaseMs?: number;
  /**
   * Spacing of GraphQL requests and writes. Default: plugin-throttling's 1,000 ms, GitHub's advice
   * against secondary rate limits; the tests and the benchmark against the double set 0. Writes
   * that notify people (comments, issues, pull requests) are spaced three times as far, as the
   * plugin's default (3,000 ms) is.
   */
  minRequestIntervalMs?: number;
  /**
   * Spacing of requests that notify people (opening a pull request, an issue, a comment). Default:
   * plugin-throttling's 3,000 ms; the tests against the double set 0.
   */
  minNotificationIntervalMs?: number;
  /** Warnings (rate-limit waits) for the operator. */
  warn?: (message: string) => void;
  /** Names the caller in the User-Agent header (GitHub asks for one). */
  userAgent?: string;
}

/**
 * The REST root for a base URL, as the Terraform provider reads it: api.github.com stays; any other
 * host is GitHub Enterprise Server, REST under `/api/v3` (Octokit then finds GraphQL at `/api/graphql`).
 */
export function apiBaseUrl(base: string): string {
  const url = new URL(base);
  const path = url.pathname.replace(/\/+$/, '');
  if (url.hostname === 'api.github.com' || url.hostname.endsWith('.ghe.com')) return `${url.origin}${path}`;
  return path.endsWith('/api/v3') ? `${url.origin}${path}` : `${url.origin}${path}/api/v3`;
}

/**
 * Where people open what the API at `base` serves: https://github.com for api.github.com (and
 * https://NAME.ghe.com for api.NAME.ghe.com), the host itself for GitHub Enterprise Server.
 */
export function htmlBaseUrl(base: string): string {
  const url = new URL(base);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  if (url.hostname.startsWith('api.') && url.hostname.endsWith('.ghe.com'))
    return `${url.protocol}//${url.hostname.slice(4)}`;
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v3$/, '');
  return `${url.origin}${path}`;
}

export function createClient(options: ClientOptions): GitHubOctokit {
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const warn = options.warn ?? (() => undefined);
  const silent = () => undefined;
  const auth =
    options.auth.kind === 'app'
      ? {
          authStrategy: createAppAuth,
          auth: {
            appId: options.auth.appId,
            privateKey: options.auth.privateKey,
            installationId: options.auth.installationId,
          },
        }
      : { auth: options.auth.token };
  const onLimit =
    (kind: string, tries: number) =>
    (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number) => {
      if (retryCount < tries && retryAfter <= maxWait) {
        warn(`${kind} rate limit on ${request.method} ${request.url}; waiting ${retryAfter} s`);
        return true;
      }
      warn(`${kind} rate limit on ${request.method} ${request.url}: giving up (reset in ${retryAfter} s)`);
      return false;
    };
  return new GitHubOctokit({
    ...auth,
    baseUrl: apiBaseUrl(options.baseUrl),
    userAgent: options.userAgent ?? 'learning-rooms',
    // Octokit's own log would print request details to the console; warnings go through `warn` only.
    log: { debug: silent, info: silent, warn: silent, error: silent },
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.retryAfterBaseMs ?? 1000 },
    throttle: {
      ...(options.minRequestIntervalMs !== undefined
        ? {
            write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.minRequestIntervalMs }),
            notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * options.minRequestIntervalMs }),
          }
        : {}),
      ...(options.minNotificationIntervalMs !== undefined
        ? { notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.minNotificationIntervalMs }) }
        : {}),
      onRateLimit: onLimit('primary', 1),
      onSecondaryRateLimit: onLimit('secondary', 2),
    },
  });
}
