/**
 * `npm run bench:reconstruct`: reconstruct against the GitHub double for N learners whose rooms
 * exist (half invited, half collaborators; 2 required files, one missing in every fifth room).
 * Prints wall time, requests (per learner) and peak RSS. The double runs in the same process, so
 * the memory figure includes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/main';
import { startGitHubDouble } from '@learning-rooms/github-double';
import { Roster, serializeRoster } from '../roster';
import { measureAsync, Measurement, printTable } from './measure';

const FILES = ['.github/workflows/progress.yml', '.github/workflows/ack.yml'];

async function run(n: number): Promise<{ row: Measurement; requests: number; imports: number }> {
  const handles = Array.from({ length: n }, (_, i) => `learner-${i}`);
  const double = await startGitHubDouble({
    port: 0,
    limits: { primary: 100_000 },
    seed: {
      orgs: [{ login: 'acme', members: ['operator'] }],
      autoUsers: true,
      tokens: [{ token: 'bench-token-not-a-secret', login: 'operator' }],
      repos: handles.map((h, i) => ({
        owner: 'acme',
        name: `c1-${h}`,
        files: Object.fromEntries(FILES.filter((_, k) => !(k === 1 && i % 5 === 0)).map((f) => [f, 'x\n'])),
        ...(i % 2
          ? { collaborators: [{ login: h, permission: 'push' }] }
          : { invitations: [{ login: h, permission: 'push' }] }),
      })),
    },
  });
  const cwd = mkdtempSync(join(tmpdir(), 'bench-reconstruct-'));
  const roster: Roster = {
    format_version: 1,
    cohorts: [{ cohort_id: 'c1', required_files: FILES }],
    learners: handles.map((h) => ({
      github_handle: h,
      cohort_id: 'c1',
      path: 'web',
      provisioning: { state: 'provisioned' },
    })),
  };
  writeFileSync(join(cwd, 'roster.json'), serializeRoster(roster));
  const env = {
    PROVISIONING_STUDENT_OWNER: 'acme',
    GITHUB_BASE_URL: double.baseUrl,
    GITHUB_TOKEN: 'bench-token-not-a-secret',
  };
  let out = '';
  const { result: code, m } = await measureAsync(`reconstruct ${n} learners`, () =>
    runCli(['reconstruct', '--json'], { stdout: (t) => (out += t), stderr: (t) => process.stderr.write(t), cwd, env }),
  );
  const requests = double.requests().length;
  await double.stop();
  if (code !== 0) throw new Error(`reconstruct exited ${code}`);
  const report = JSON.parse(out) as { cohorts: { imports: unknown[] }[] };
  return { row: m, requests, imports: report.cohorts[0].imports.length };
}

const size = Number(process.argv[2]);
if (Number.isFinite(size) && size > 0) {
  run(size).then((r) => process.stdout.write(JSON.stringify(r) + '\n'));
} else {
  // Each size in its own process, so the peak memory belongs to that size alone.
  const rows: Measurement[] = [];
  for (const n of [100, 1000]) {
    const r = JSON.parse(execFileSync(process.execPath, [__filename, String(n)], { encoding: 'utf8' })) as {
      row: Measurement;
      requests: number;
      imports: number;
    };
    rows.push(r.row);
    console.log(
      `${n} learners: ${r.requests} requests (${(r.requests / n).toFixed(2)} per learner), ${r.imports} import entries`,
    );
  }
  printTable(rows);
}
