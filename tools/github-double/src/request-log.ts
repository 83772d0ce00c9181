export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  /** The path as received, with any `/api/v3` prefix. */
  path: string;
  query: string;
  status: number;
  /** POST/PATCH/PUT/DELETE (and GraphQL mutations): what GitHub's secondary limits count. */
  contentCreating: boolean;
  /** The route pattern that handled it, e.g. `GET /repos/:owner/:repo`, or null for a 404 path. */
  route: string | null;
  /** `owner/name` (lower case) of the repository concerned; for a generate, the new one. */
  repo: string | null;
  actor: string;
  fault: boolean;
}

export interface Counters {
  total: number;
  contentCreating: number;
  byStatus: Record<string, number>;
  byMethod: Record<string, number>;
  byRoute: Record<string, number>;
  byRepo: Record<string, { total: number; contentCreating: number }>;
}

function bump(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1;
}

/** Every API request the double answered (admin calls excluded), and counters over them. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  add(e: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const entry = { seq: ++this.seq, ...e };
    this.entries.push(entry);
    return entry;
  }

  /** Entries after `sinceSeq` (all by default). */
  list(sinceSeq = 0): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > sinceSeq);
  }

  counters(sinceSeq = 0): Counters {
    const c: Counters = { total: 0, contentCreating: 0, byStatus: {}, byMethod: {}, byRoute: {}, byRepo: {} };
    for (const e of this.list(sinceSeq)) {
      c.total += 1;
      if (e.contentCreating) c.contentCreating += 1;
      bump(c.byStatus, String(e.status));
      bump(c.byMethod, e.method);
      bump(c.byRoute, e.route ?? `${e.method} (no route)`);
      if (e.repo) {
        const r = (c.byRepo[e.repo] ??= { total: 0, contentCreating: 0 });
        r.total += 1;
        if (e.contentCreating) r.contentCreating += 1;
      }
    }
    return c;
  }

  clear(): void {
    this.entries = [];
  }
}
