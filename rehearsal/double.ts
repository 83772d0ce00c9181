/**
 * The GitHub double, started in this process for a rehearsal. It is a workspace package of this
 * repository (tools/github-double), installed and built by `npm ci` with the product, and loaded
 * only here and only when a rehearsal starts: no other command pays for it. Its rate limits are
 * lifted: a rehearsal shows the loop working, not GitHub's pacing (docs/scale.md is about that).
 */
import type { RehearsalSeed } from './seed';

export interface AdminAnswer {
  status: number;
  body?: unknown;
}

export interface RoomCounters {
  total: number;
  byRepo: Record<string, { total: number; contentCreating: number }>;
}

export interface RunningDouble {
  /** `http://127.0.0.1:PORT/`, the provider's base_url. */
  baseUrl: string;
  admin(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): AdminAnswer;
  /** The sequence number of the last request so far, to count from. */
  lastSeq(): number;
  counters(sinceSeq?: number): RoomCounters;
  stop(): Promise<void>;
}

const LIFTED = 1_000_000_000;

export async function startDouble(seed: RehearsalSeed): Promise<RunningDouble> {
  const { startGitHubDouble } = await import('@learning-rooms/github-double');
  const double = await startGitHubDouble({
    seed,
    port: 0,
    limits: { primary: LIFTED, graphql: LIFTED, secondaryPerMinute: LIFTED, secondaryPerHour: LIFTED },
  });
  let stopped: Promise<void> | undefined;
  return {
    baseUrl: double.baseUrl,
    admin: (method, path, body) => {
      const r = double.admin(method, path, body);
      return { status: r.status, body: r.body };
    },
    lastSeq: () => double.requests().at(-1)?.seq ?? 0,
    counters: (since) => double.counters(since),
    // Idempotent: every exit path calls it, some twice.
    stop: () => (stopped ??= double.stop()),
  };
}
