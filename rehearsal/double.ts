/**
 * The GitHub double, started in this process for a rehearsal. It is a workspace package of this
 * repository (tools/github-double), installed and built by `npm ci` with the product. This is the
 * one product file that names it, and it loads it by name at run time only: the product builds
 * without it, and no other command loads it (test/architecture.test.ts). Its rate limits are
 * lifted: a rehearsal shows the loop working, not GitHub's pacing (docs/scale.md is about that).
 */
import type { RehearsalSeed } from './seed';

export const DOUBLE_PACKAGE = '@learning-rooms/github-double';

export type AdminMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RoomCounters {
  total: number;
  byRepo: Record<string, { total: number; contentCreating: number }>;
}

/** What the rehearsal uses of the package; test/rehearsal/double.test.ts holds the package to it. */
export interface DoublePackage {
  startGitHubDouble(options: {
    seed: unknown;
    port: number;
    limits: { primary: number; graphql: number; secondaryPerMinute: number; secondaryPerHour: number };
  }): Promise<{
    baseUrl: string;
    admin(method: AdminMethod, path: string, body?: unknown): { status: number; body?: unknown };
    requests(): { seq: number }[];
    counters(sinceSeq?: number): RoomCounters;
    stop(): Promise<void>;
  }>;
}

export interface RunningDouble {
  /** `http://127.0.0.1:PORT/`, the provider's base_url. */
  baseUrl: string;
  admin(method: AdminMethod, path: string, body?: unknown): { status: number; body?: unknown };
  /** The sequence number of the last request so far, to count from. */
  lastSeq(): number;
  counters(sinceSeq?: number): RoomCounters;
  stop(): Promise<void>;
}

/** Why the double cannot be loaded (not installed or not built), or undefined. */
export function doubleProblem(toolDir: string): string | undefined {
  try {
    require.resolve(DOUBLE_PACKAGE);
    return undefined;
  } catch {
    return `the GitHub double (${DOUBLE_PACKAGE}, tools/github-double) is not installed or not built: run npm ci in ${toolDir}, and run again.`;
  }
}

const LIFTED = 1_000_000_000;

export async function startDouble(seed: RehearsalSeed): Promise<RunningDouble> {
  // By name, not a literal: the product's build does not need the package's types.
  const name: string = DOUBLE_PACKAGE;
  const { startGitHubDouble } = (await import(name)) as DoublePackage;
  const double = await startGitHubDouble({
    seed,
    port: 0,
    limits: { primary: LIFTED, graphql: LIFTED, secondaryPerMinute: LIFTED, secondaryPerHour: LIFTED },
  });
  let stopped: Promise<void> | undefined;
  return {
    baseUrl: double.baseUrl,
    admin: (method, path, body) => double.admin(method, path, body),
    lastSeq: () => double.requests().at(-1)?.seq ?? 0,
    counters: (since) => double.counters(since),
    // Idempotent: every exit path calls it, some twice.
    stop: () => (stopped ??= double.stop()),
  };
}
