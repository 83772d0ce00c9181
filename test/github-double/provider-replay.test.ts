import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFaults, startGitHubDouble, type FaultSpec, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed } from './helpers';

/**
 * Replays, request by request, what the real Terraform provider (integrations/github 6.9.0) sent
 * to a GitHub double in the recorded runs, with the same admin steps and faults between runs, and
 * expects the status the provider got each time. Commit shas, file shas and ETags differ per
 * double, so those are substituted with the ones this double handed out.
 *
 * The clock stands still: on GitHub (and here) a push changes `pushed_at` and so the repository's
 * ETag, while the recording double's ETags ignored pushes. A frozen clock keeps `pushed_at` fixed,
 * so the replay can expect exactly the recorded 304s.
 */

const FIXTURES = join(__dirname, '..', 'fixtures', 'terraform');

interface Recorded {
  m: string;
  p: string;
  q: string;
  status: number;
  body: Record<string, unknown> | null;
  h: Record<string, string>;
}

function recorded(name: string): Recorded[] {
  return readFileSync(join(FIXTURES, name), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Recorded);
}

/** A recorded fault file, checked as the admin endpoint checks it. */
function faults(name: string): FaultSpec[] {
  const parsed = parseFaults(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')));
  if (!parsed.faults) throw new Error(parsed.errors.join('\n'));
  return parsed.faults;
}

const etags = new Map<string, string>();

async function replay(double: GitHubDouble, name: string): Promise<Array<{ req: string; want: number; got: number }>> {
  const out = [];
  for (const r of recorded(name)) {
    let path = r.p;
    const repoMatch = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)/.exec(path);
    const repo = repoMatch ? double.state.repo(repoMatch[1], repoMatch[2]) : undefined;
    if (repo && /\/commits\/[0-9a-f]{40}$/.test(path)) path = path.replace(/[0-9a-f]{40}$/, repo.headSha ?? 'none');
    let body = r.body;
    if (r.m === 'DELETE' && body && typeof body.sha === 'string' && repo) {
      const file = repo.files.get(decodeURIComponent(path.split('/contents/')[1]));
      body = { ...body, sha: file?.sha ?? body.sha };
    }
    const headers: Record<string, string> = { Authorization: r.h.Authorization, Accept: r.h.Accept };
    if (r.h['If-None-Match']) headers['If-None-Match'] = etags.get(path) ?? r.h['If-None-Match'];
    if (body) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${double.url}${path}${r.q ? `?${r.q}` : ''}`, {
      method: r.m,
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    await res.arrayBuffer();
    const etag = res.headers.get('etag');
    if (etag) etags.set(path, etag);
    out.push({ req: `${r.m} ${r.p}${r.q ? `?${r.q}` : ''}`, want: r.status, got: res.status });
  }
  return out;
}

function mismatches(rows: Array<{ req: string; want: number; got: number }>) {
  return rows.filter((r) => r.want !== r.got);
}

describe('replaying the recorded provider runs', () => {
  let double: GitHubDouble;
  beforeAll(async () => {
    double = await startGitHubDouble({
      seed: acmeSeed(),
      generateDelayMs: 5,
      now: () => Date.parse('2026-03-01T09:00:00Z'),
    });
  });
  afterAll(() => double.stop());

  test('01-05: create with a failed generate, then the retry', async () => {
    double.setFaults(faults('faults-02-apply-create.json'));
    expect(mismatches(await replay(double, 'requests-01-plan-create.jsonl'))).toEqual([]);
    expect(mismatches(await replay(double, 'requests-02-apply-create.jsonl'))).toEqual([]);
    double.setFaults([]);
    expect(mismatches(await replay(double, 'requests-04-plan-retry.jsonl'))).toEqual([]);
    expect(mismatches(await replay(double, 'requests-05-apply-retry.jsonl'))).toEqual([]);
    const carol = double.state.repo('acme', '2026-spring-carol')!;
    expect(carol.template?.name).toBe('tmpl');
    expect([...carol.files.keys()].sort()).toEqual([
      '.github/workflows/ack.yml',
      '.github/workflows/progress.yml',
      'README.md',
    ]);
    expect(carol.invitations.map((i) => i.invitee.login)).toEqual(['carol']);
  });

  test('06: after the learners accept, a no-change plan gets 304 for each repository', async () => {
    const accepted = double.admin('POST', '/_admin/accept_invites', {});
    expect((accepted.body as { accepted: string[] }).accepted).toHaveLength(3);
    const rows = await replay(double, 'requests-06-plan-nochange.jsonl');
    expect(mismatches(rows)).toEqual([]);
    expect(rows.filter((r) => r.got === 304)).toHaveLength(3);
  });

  test('07-08: drift made out of band is seen, then healed', async () => {
    expect(
      double.admin('POST', '/_admin/delete_file', {
        repo: 'acme/2026-spring-bob',
        path: '.github/workflows/progress.yml',
      }).status,
    ).toBe(200);
    expect(
      double.admin('POST', '/_admin/remove_collaborator', { repo: 'acme/2026-spring-bob', login: 'bob' }).status,
    ).toBe(200);
    expect(mismatches(await replay(double, 'requests-07-plan-drift.jsonl'))).toEqual([]);
    expect(mismatches(await replay(double, 'requests-08-apply-heal.jsonl'))).toEqual([]);
    const bob = double.state.repo('acme', '2026-spring-bob')!;
    expect(bob.files.has('.github/workflows/progress.yml')).toBe(true);
    expect(bob.invitations.map((i) => i.invitee.login)).toEqual(['bob']);
  });

  test('09-10: removing a learner deletes the files and the collaborator, then archives', async () => {
    expect(mismatches(await replay(double, 'requests-09-plan-remove.jsonl'))).toEqual([]);
    expect(mismatches(await replay(double, 'requests-10-apply-remove.jsonl'))).toEqual([]);
    const carol = double.state.repo('acme', '2026-spring-carol')!;
    expect(carol.archived).toBe(true);
    expect(carol.collaborators.size).toBe(0);
    expect([...carol.files.keys()]).toEqual(['README.md']);
  });

  test('11-12: a secondary limit on one generate, then a 429 on a read', async () => {
    expect(mismatches(await replay(double, 'requests-11-plan-add-dave.jsonl'))).toEqual([]);
    double.setFaults(faults('faults-11-apply-secondary-ratelimit.json'));
    const rows = await replay(double, 'requests-11-apply-secondary-ratelimit.jsonl');
    expect(mismatches(rows)).toEqual([]);
    expect(rows.filter((r) => r.got === 403)).toHaveLength(1);
    double.setFaults(faults('faults-12-plan-429.json'));
    const before = double.requests().length;
    expect(mismatches(await replay(double, 'requests-12-plan-429.jsonl'))).toEqual([]);
    const faulted = double.requests(double.requests()[before - 1].seq).filter((e) => e.fault);
    expect(faulted.map((e) => `${e.status} ${e.method} ${e.path}`)).toEqual([
      '429 GET /api/v3/repos/acme/2026-spring-bob',
    ]);
  });

  test('per-learner counts match the reference table for the no-change plan', async () => {
    double.setFaults([]);
    const since = double.requests().at(-1)!.seq;
    await replay(double, 'requests-06-plan-nochange.jsonl');
    const c = double.counters(since);
    expect(c.byRepo['acme/2026-spring-alice']).toEqual({ total: 7, contentCreating: 0 });
    expect(c.contentCreating).toBe(0);
  });
});
