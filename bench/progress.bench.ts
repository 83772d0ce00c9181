/**
 * `npm run bench:progress`: 1,000 learners in the GitHub double, polled three times (first read:
 * everything new; nothing changed; everything changed), printing the API requests per learner from
 * the double's own counters, wall time and peak memory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAppKeyPair, startGitHubDouble } from '@learning-rooms/github-double';
import { runProgress } from '../progress/run';
import { serializeRoster } from '../roster';
import {
  APP_ID,
  challenges,
  INSTALLATION_ID,
  OWNER,
  pastComment,
  pastPull,
  progressRoster,
  progressSeed,
  RoomSpec,
  roomNameOf,
} from '../test-kit/progress-world';

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 1000);

/** A realistic mix: most learners working, a few still invited or with expired invitations. */
function rooms(n: number): RoomSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const handle = `learner-${String(i).padStart(4, '0')}`;
    const kind = i % 20;
    if (kind === 0) return { handle, access: 'pending', issues: challenges(6) };
    if (kind === 1) return { handle, access: 'expired', issues: challenges(6) };
    if (kind === 2) return { handle, issues: challenges(6) }; // accepted, nothing written yet
    // the learner closed most; every tenth learner had one closed by a facilitator (not counted)
    const issues = challenges(6, i % 7, 1, i % 10 === 5 ? 'mentor' : handle);
    issues[0] = {
      ...issues[0],
      comments: [pastComment('mentor', 'Welcome!'), pastComment(handle, i % 3 === 0 ? 'day1-complete' : 'ack')],
    };
    return {
      handle,
      issues,
      pulls:
        i % 4 === 0
          ? [
              pastPull({
                number: 7,
                title: 'My solution',
                body: 'Closes #6',
                author: handle,
                state: 'closed',
                merged: true,
              }),
            ]
          : [],
    };
  });
}

async function main(): Promise<void> {
  const keys = generateAppKeyPair();
  const specs = rooms(LEARNERS);
  const double = await startGitHubDouble({ seed: progressSeed(specs, keys.publicKeyPem) });
  const dir = mkdtempSync(join(tmpdir(), 'bench-progress-'));
  writeFileSync(join(dir, 'roster.json'), serializeRoster(progressRoster(specs)));
  const options = {
    rosterPath: join(dir, 'roster.json'),
    reportPath: join(dir, 'progress.json'),
    owner: OWNER,
    baseUrl: double.baseUrl,
    auth: {
      kind: 'app' as const,
      appId: String(APP_ID),
      installationId: String(INSTALLATION_ID),
      privateKey: keys.privateKeyPem,
    },
    // No spacing between GraphQL requests against a local double (GitHub's default is 1 s each).
    minRequestIntervalMs: 0,
  };
  const rows: string[] = [];
  const poll = async (label: string) => {
    const seq = double.requests().at(-1)?.seq ?? 0;
    const t0 = process.hrtime.bigint();
    const result = await runProgress(options);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = double.counters(seq);
    const graphql = c.byRoute['POST /api/graphql'] ?? 0;
    const invitations = c.byRoute['GET /repos/:owner/:repo/invitations'] ?? 0;
    rows.push(
      [
        label.padEnd(22),
        String(c.total).padStart(8),
        (c.total / LEARNERS).toFixed(3).padStart(10),
        String(graphql).padStart(8),
        String(invitations).padStart(12),
        String(result.changes.length).padStart(8),
        (ms / 1000).toFixed(2).padStart(8),
      ].join(' '),
    );
    if (result.report.errors > 0) throw new Error(`${label}: ${result.report.errors} rooms not read`);
    return result;
  };

  const first = await poll('first read (all new)');
  await poll('nothing changed');
  double.advanceClock(5_000);
  for (const s of specs)
    double.admin('POST', '/_admin/comments', {
      repo: `${OWNER}/${roomNameOf('c1', s.handle)}`,
      number: 1,
      author: 'mentor',
      body: 'How is it going?',
    });
  await poll('everything changed');

  const counts = Object.entries(first.report.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  console.log(`${LEARNERS} learners in the GitHub double (${counts})`);
  console.log(
    [
      'poll'.padEnd(22),
      'requests'.padStart(8),
      'per learner'.padStart(10),
      'graphql'.padStart(8),
      'invitations'.padStart(12),
      'changes'.padStart(8),
      'wall s'.padStart(8),
    ].join(' '),
  );
  for (const r of rows) console.log(r);
  console.log(
    `requests include one installation-token mint per poll; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (double and reader in one process)`,
  );
  await double.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
