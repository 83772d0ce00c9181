import { HttpError } from './http';

export interface LimitConfig {
  /** Requests per hour per caller (REST `core`); the App installation default on GitHub is 5000. */
  primary: number;
  /** Points per hour for GraphQL (one point per query here). */
  graphql: number;
  /** Requests per hour without authentication. */
  anonymous: number;
  /** Content-creating requests allowed per minute and per hour (GitHub: 80 and 500). */
  secondaryPerMinute: number;
  secondaryPerHour: number;
  /** 403 as GitHub usually answers; 429 to rehearse the other form. */
  secondaryStatus: 403 | 429;
}

export const DEFAULT_LIMITS: LimitConfig = {
  primary: 5000,
  graphql: 5000,
  anonymous: 60,
  secondaryPerMinute: 80,
  secondaryPerHour: 500,
  secondaryStatus: 403,
};

export const SECONDARY_DOCS =
  'https://docs.github.com/enterprise-server@3.19/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
const PRIMARY_DOCS =
  'https://docs.github.com/enterprise-server@3.19/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits';
const HOUR_MS = 3600_000;
const MINUTE_MS = 60_000;

export type Resource = 'core' | 'graphql';

interface Bucket {
  resetAt: number;
  used: number;
}

export interface RateStatus {
  limit: number;
  used: number;
  remaining: number;
  resetAt: number;
  resource: Resource;
}

/**
 * Primary and secondary rate limits per caller. A success never reports `Remaining: 0`: the
 * request that would use the last unit is refused instead, because go-github stops calling
 * locally once it has seen `Remaining: 0` with a future reset.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly writes = new Map<string, number[]>();

  constructor(
    public config: LimitConfig,
    private readonly now: () => number,
  ) {}

  private limitFor(key: string, resource: Resource): number {
    if (key === 'anonymous') return this.config.anonymous;
    return resource === 'graphql' ? this.config.graphql : this.config.primary;
  }

  private bucket(key: string, resource: Resource): Bucket {
    const id = `${key}|${resource}`;
    const now = this.now();
    let b = this.buckets.get(id);
    if (!b || b.resetAt <= now) {
      b = { resetAt: now + HOUR_MS, used: 0 };
      this.buckets.set(id, b);
    }
    return b;
  }

  status(key: string, resource: Resource): RateStatus {
    const b = this.bucket(key, resource);
    const limit = this.limitFor(key, resource);
    return { limit, used: b.used, remaining: Math.max(0, limit - b.used), resetAt: b.resetAt, resource };
  }

  headers(key: string, resource: Resource): Record<string, string> {
    const s = this.status(key, resource);
    return {
      'X-RateLimit-Limit': String(s.limit),
      'X-RateLimit-Remaining': String(s.remaining),
      'X-RateLimit-Used': String(s.used),
      'X-RateLimit-Reset': String(Math.ceil(s.resetAt / 1000)),
      'X-RateLimit-Resource': resource,
    };
  }

  /** 403 with `Remaining: 0` and `Reset` when the caller has no budget left for one more success. */
  checkPrimary(key: string, resource: Resource): HttpError | null {
    const s = this.status(key, resource);
    if (s.used + 1 < s.limit) return null;
    return new HttpError(
      403,
      `API rate limit exceeded for ${key}.`,
      { documentation_url: PRIMARY_DOCS },
      { ...this.headers(key, resource), 'X-RateLimit-Remaining': '0' },
    );
  }

  /** The secondary limit on content-creating requests, with `Retry-After` until a slot frees up. */
  checkSecondary(key: string): HttpError | null {
    const now = this.now();
    const times = (this.writes.get(key) ?? []).filter((t) => t > now - HOUR_MS);
    this.writes.set(key, times);
    const lastMinute = times.filter((t) => t > now - MINUTE_MS);
    let retryAtMs: number | null = null;
    if (lastMinute.length >= this.config.secondaryPerMinute)
      retryAtMs = lastMinute[lastMinute.length - this.config.secondaryPerMinute] + MINUTE_MS;
    if (times.length >= this.config.secondaryPerHour) {
      const hourRetry = times[times.length - this.config.secondaryPerHour] + HOUR_MS;
      retryAtMs = Math.max(retryAtMs ?? 0, hourRetry);
    }
    if (retryAtMs === null) return null;
    const retryAfter = Math.max(1, Math.ceil((retryAtMs - now) / 1000));
    return new HttpError(
      this.config.secondaryStatus,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
      { documentation_url: SECONDARY_DOCS },
      { ...this.headers(key, 'core'), 'Retry-After': String(retryAfter) },
    );
  }

  /** Counts a request (or, with -1, gives back a unit: a 304 is free on GitHub). */
  charge(key: string, resource: Resource, units = 1): void {
    const b = this.bucket(key, resource);
    b.used = Math.max(0, b.used + units);
  }

  recordWrite(key: string): void {
    const list = this.writes.get(key) ?? [];
    list.push(this.now());
    this.writes.set(key, list);
  }

  reset(): void {
    this.buckets.clear();
    this.writes.clear();
  }
}
