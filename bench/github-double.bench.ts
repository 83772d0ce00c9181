/**
 * npm run bench:github-double: how fast the GitHub double answers a provider-shaped workload.
 * For 100 and 300 learners: the first-apply call sequence of each room (16 REST calls, as in the
 * recorded runs), then a no-change refresh (7 calls, the repository read answered 304), then one
 * GraphQL query per 20 rooms (aliases), reading issues and comments. Prints time, requests per
 * second and peak memory. One process per size, so that each peak memory figure is its own.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { measureAsync, printTable, type Measurement } from './measure';

const TOKEN = 'bench-token';
const H = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
const FILES = ['.github/workflows/progress.yml', '.github/workflows/ack.yml'];

async function req(
  d: GitHubDouble,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; etag: string | null }> {
  const res = await fetch(`${d.apiUrl}${path}`, {
    method,
    headers: { ...H, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, etag: res.headers.get('etag') };
}

/** The provider's create sequence for one room (see docs/github-double.md / the fixtures README). */
async function firstApply(d: GitHubDouble, handle: string): Promise<{ etag: string; shas: string[] }> {
  const r = `/repos/acme/room-${handle}`;
  await req(d, 'POST', '/repos/acme/tmpl/generate', {
    name: `room-${handle}`,
    owner: 'acme',
    description: '',
    include_all_branches: false,
    private: true,
  });
  await req(d, 'DELETE', `${r}/vulnerability-alerts`);
  await req(d, 'PATCH', r, { name: `room-${handle}`, has_issues: true });
  await req(d, 'PATCH', r, { visibility: 'private' });
  await req(d, 'GET', r);
  await req(d, 'GET', `${r}/vulnerability-alerts`);
  for (const f of FILES) await req(d, 'GET', `${r}/contents/${f}`);
  await req(d, 'PUT', `${r}/collaborators/${handle}`, { permission: 'push' });
  const shas: string[] = [];
  for (const f of FILES)
    shas.push(
      (
        (
          await req(d, 'PUT', `${r}/contents/${f}`, {
            message: `Add ${f}`,
            content: Buffer.from(`# ${f}\n`).toString('base64'),
          })
        ).json as { commit: { sha: string } }
      ).commit.sha,
    );
  await req(d, 'GET', `${r}/invitations?per_page=100`);
  for (const f of FILES) await req(d, 'GET', `${r}/contents/${f}`);
  for (const s of shas) await req(d, 'GET', `${r}/commits/${s}`);
  const etag = (await req(d, 'GET', r)).etag ?? '';
  return { etag, shas };
}

async function refresh(d: GitHubDouble, handle: string, etag: string, shas: string[]): Promise<void> {
  const r = `/repos/acme/room-${handle}`;
  const repo = await req(d, 'GET', r, undefined, { 'If-None-Match': etag });
  if (repo.status !== 304) throw new Error(`expected 304 for ${r}, got ${repo.status}`);
  await req(d, 'GET', `${r}/invitations?per_page=100`);
  await req(d, 'GET', `${r}/collaborators?per_page=100`);
  for (const f of FILES) await req(d, 'GET', `${r}/contents/${f}`);
  for (const s of shas) await req(d, 'GET', `${r}/commits/${s}`);
}

interface Rate {
  calls: number;
  perSecond: number;
  cpuMsPerCall: number;
}

async function run(n: number): Promise<{ rows: Measurement[]; rps: Record<string, Rate> }> {
  const handles = Array.from({ length: n }, (_, i) => `learner${i}`);
  const d = await startGitHubDouble({
    seed: {
      orgs: [{ login: 'acme' }],
      autoUsers: true,
      tokens: [{ token: TOKEN, login: 'operator' }],
      repos: [{ owner: 'acme', name: 'tmpl', is_template: true, files: { 'README.md': '# room\n' } }],
    },
    generateDelayMs: 0,
    limits: { primary: 1_000_000, secondaryPerMinute: 1_000_000, secondaryPerHour: 1_000_000 },
  });
  try {
    const rows: Measurement[] = [];
    const rps: Record<string, Rate> = {};
    const state = new Map<string, { etag: string; shas: string[] }>();
    // CPU time as well (client and double share this process): on a loaded machine wall time
    // mostly measures the neighbours
    const count = async (label: string, fn: () => Promise<void>) => {
      const before = d.counters().total;
      const cpu0 = process.cpuUsage();
      const { m } = await measureAsync(label, fn);
      const cpu = process.cpuUsage(cpu0);
      rows.push(m);
      const calls = d.counters().total - before;
      rps[label] = {
        calls,
        perSecond: Math.round((calls / m.ms) * 1000),
        cpuMsPerCall: Number(((cpu.user + cpu.system) / 1000 / calls).toFixed(2)),
      };
    };
    await count(`${n}: first apply (16+1 calls per room)`, async () => {
      for (const h of handles) state.set(h, await firstApply(d, h));
    });
    await count(`${n}: no-change refresh (7 calls per room)`, async () => {
      for (const h of handles) await refresh(d, h, state.get(h)!.etag, state.get(h)!.shas);
    });
    // progress material for the GraphQL step (after the refresh: a new issue changes the repository's ETag): one issue with one comment per room
    for (const h of handles) {
      const issue = d.admin('POST', '/_admin/issues', { repo: `acme/room-${h}`, title: 'Step 1', author: 'operator' })
        .body as { number: number };
      d.admin('POST', '/_admin/comments', { repo: `acme/room-${h}`, number: issue.number, author: h, body: 'ack' });
    }
    await count(`${n}: GraphQL, 20 rooms per query`, async () => {
      for (let i = 0; i < n; i += 20) {
        const aliases = handles
          .slice(i, i + 20)
          .map(
            (h, k) =>
              `r${k}: repository(owner: "acme", name: "room-${h}") { issues(first: 50) { nodes { number state comments(first: 50) { nodes { author { login } body } } } } }`,
          );
        const res = await fetch(d.graphqlUrl, {
          method: 'POST',
          headers: H,
          body: JSON.stringify({ query: `{ ${aliases.join('\n')} }` }),
        });
        const body = (await res.json()) as { errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
      }
    });
    return { rows, rps };
  } finally {
    await d.stop();
  }
}

const size = Number(process.argv[2]);
if (Number.isFinite(size) && size > 0) {
  run(size).then((out) => process.stdout.write(`${JSON.stringify(out)}\n`));
} else {
  const all: Measurement[] = [];
  const rates: Record<string, Rate> = {};
  for (const n of [100, 300]) {
    const out = JSON.parse(execFileSync(process.execPath, [__filename, String(n)], { encoding: 'utf8' })) as {
      rows: Measurement[];
      rps: Record<string, Rate>;
    };
    all.push(...out.rows);
    Object.assign(rates, out.rps);
  }
  printTable(all);
  console.log('\ncalls, calls per second (wall), CPU ms per call (client + double):');
  for (const [label, r] of Object.entries(rates))
    console.log(`  ${label}: ${r.calls} calls, ${r.perSecond}/s, ${r.cpuMsPerCall} ms CPU`);
  console.log(`(${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)})`);
}
