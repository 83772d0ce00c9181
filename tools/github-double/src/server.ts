import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_ROUTES, adminRequestRefusal, type AdminContext, type AdminRoute } from './admin';
import { TEAM_ADMIN_ROUTES } from './admin-teams';
import { parseFaults, type FaultSpec } from './faults';
import { HttpError, type DoubleRequest, type DoubleResponse } from './http';
import { DEFAULT_LIMITS, type LimitConfig } from './limits';
import { DoubleCore } from './pipeline';
import type { Counters, LoggedRequest } from './request-log';
import { Router } from './router';
import { parseSeed, type Seed } from './seed';
import { stateFromSeed, type DoubleState } from './state';

export interface GitHubDoubleOptions {
  /** The seed (see docs/github-double.md); validated, every problem reported at once. */
  seed?: unknown;
  /** 0 (default) picks a free port. The double listens on 127.0.0.1 only. */
  port?: number;
  /** How long a repository generated from a template stays empty (default 20 ms). */
  generateDelayMs?: number;
  limits?: Partial<LimitConfig>;
  faults?: FaultSpec[];
  /** The clock (ms since the epoch); `advanceClock` adds to it. */
  now?: () => number;
  /** The App's public key PEM; overrides the seed's `app.publicKey`. */
  appPublicKeyPem?: string;
}

export interface GitHubDouble {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `http://127.0.0.1:PORT/`: the provider's `base_url` (REST then lives under /api/v3). */
  baseUrl: string;
  /** `http://127.0.0.1:PORT/api/v3`: an Octokit `baseUrl`. */
  apiUrl: string;
  /** `http://127.0.0.1:PORT/api/graphql` */
  graphqlUrl: string;
  readonly state: DoubleState;
  readonly core: DoubleCore;
  counters(sinceSeq?: number): Counters;
  requests(sinceSeq?: number): LoggedRequest[];
  setFaults(faults: FaultSpec[]): void;
  setLimits(patch: Partial<LimitConfig>): LimitConfig;
  /** Moves the double's clock forward (token expiry, rate-limit windows) without sleeping. */
  advanceClock(ms: number): void;
  /** Runs an admin operation in-process, exactly as `METHOD /_admin/...` over HTTP would. */
  admin(method: AdminRoute['method'], path: string, body?: unknown): DoubleResponse;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 50 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, 'Request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, text?: string): void {
  res.writeHead(status, headers);
  res.end(text);
}

export function seedOrThrow(value: unknown, source = 'seed'): Seed {
  const { seed, errors } = parseSeed(value ?? {}, source);
  if (!seed) throw new Error(`invalid GitHub double seed:\n${errors.join('\n')}`);
  return seed;
}

/** Starts the double on 127.0.0.1. Tests use port 0 and read `url` / `baseUrl`. */
export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  const seed = seedOrThrow(options.seed);
  let offset = 0;
  const baseNow = options.now ?? Date.now;
  const now = () => baseNow() + offset;
  // a seed may name the key's file (relative to the working directory when started in-process)
  const keyPem =
    options.appPublicKeyPem ?? (seed.app?.publicKeyFile ? readFileSync(seed.app.publicKeyFile, 'utf8') : undefined);
  const appPublicKey = keyPem ? createPublicKey(keyPem) : null;
  const makeState = () => stateFromSeed(seed, { now, generateDelayMs: options.generateDelayMs ?? 20, appPublicKey });
  const core = new DoubleCore(makeState(), { ...DEFAULT_LIMITS, ...options.limits }, now);
  if (options.faults) {
    const { faults, errors } = parseFaults(options.faults);
    if (!faults) throw new Error(`invalid faults:\n${errors.join('\n')}`);
    core.faults.set(faults);
  }
  const adminRouter = new Router<AdminRoute>([...ADMIN_ROUTES, ...TEAM_ADMIN_ROUTES]);

  const runAdmin = (method: string, path: string, raw: unknown, query = new URLSearchParams()): DoubleResponse => {
    const m = adminRouter.match(method, path);
    if (!('route' in m)) return new HttpError(404, `No admin endpoint ${method} ${path}`).toResponse();
    const ctx: AdminContext = {
      core,
      raw,
      body: raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {},
      query,
      resetState: () => {
        core.state.dispose();
        core.state = makeState();
      },
      advanceClock: (ms) => {
        offset += ms;
        return now();
      },
    };
    try {
      return m.route.handler(ctx);
    } catch (e) {
      if (e instanceof HttpError) return e.toResponse();
      throw e;
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      if (url.pathname.startsWith('/_admin/')) {
        // Checked before the body is read: a refused request changes nothing and learns nothing.
        const refusal = adminRequestRefusal(
          {
            host: req.headers.host,
            origin: req.headers.origin,
            'sec-fetch-site': req.headers['sec-fetch-site'] as string | undefined,
          },
          (server.address() as AddressInfo).port,
        );
        if (refusal) {
          req.resume();
          send(
            res,
            403,
            { 'Content-Type': 'application/json; charset=utf-8' },
            JSON.stringify({ message: refusal, status: '403' }),
          );
          return;
        }
      }
      const bodyText = await readBody(req);
      let body: unknown;
      if (bodyText.trim()) {
        try {
          body = JSON.parse(bodyText);
        } catch {
          send(
            res,
            400,
            { 'Content-Type': 'application/json; charset=utf-8' },
            JSON.stringify({
              message: 'Problems parsing JSON',
              documentation_url: 'https://docs.github.com/rest',
              status: '400',
            }),
          );
          return;
        }
      }
      if (url.pathname.startsWith('/_admin/')) {
        const r = runAdmin(method, url.pathname, body, url.searchParams);
        send(
          res,
          r.status,
          { 'Content-Type': 'application/json; charset=utf-8' },
          r.body === undefined ? undefined : JSON.stringify(r.body),
        );
        return;
      }
      const origin = `http://${req.headers.host ?? `127.0.0.1:${(server.address() as AddressInfo).port}`}`;
      const prefixed = url.pathname === '/api/v3' || url.pathname.startsWith('/api/v3/');
      const dreq: DoubleRequest = {
        method,
        rawPath: url.pathname,
        path: prefixed ? url.pathname.slice('/api/v3'.length) || '/' : url.pathname,
        query: url.searchParams,
        headers: req.headers,
        bodyText,
        body,
        urls: { api: prefixed ? `${origin}/api/v3` : origin, html: origin },
      };
      const out = await core.handle(dreq);
      send(res, out.status, out.headers, out.text);
    })().catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof Error ? e.message : String(e);
      if (!res.headersSent)
        send(
          res,
          status,
          { 'Content-Type': 'application/json; charset=utf-8' },
          JSON.stringify({ message, status: String(status) }),
        );
      else res.end();
    });
  });
  // keep-alive sockets would hold stop() open; GitHub closes idle ones too
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseUrl: `${url}/`,
    apiUrl: `${url}/api/v3`,
    graphqlUrl: `${url}/api/graphql`,
    get state() {
      return core.state;
    },
    core,
    counters: (since) => core.log.counters(since),
    requests: (since) => core.log.list(since),
    setFaults: (faults) => {
      const parsed = parseFaults(faults);
      if (!parsed.faults) throw new Error(parsed.errors.join('\n'));
      core.faults.set(parsed.faults);
    },
    setLimits: (patch) => core.setLimits(patch),
    advanceClock: (ms) => {
      offset += ms;
    },
    admin: (method, path, body) => runAdmin(method, path, body ?? {}),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        core.state.dispose();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
