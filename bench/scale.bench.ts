/**
 * `npm run bench:scale` (issue 13): for cohorts of 300, 1,000 and 5,000 learners with two required
 * files, the shards and Terraform processes, the requests and the minutes at production pacing of
 *   (a) a pull request adding one learner (its plan, and the apply after merging),
 *   (b) a watchdog run with no drift,
 *   (c) a watchdog run with one drifted room (found, planned and healed),
 *   (d) the first rollout,
 * and the longest any one Terraform process may take against the installation token's hour.
 * Synthesis and change scoping run for real; the fingerprint runs for real against the GitHub
 * double, whose request log counts what it sent; Terraform's own requests come from the cost model
 * (synthesis/cost-model.ts: the provider cannot run here). Then the apply CPU of one stack against
 * shards, measured with real Terraform on built-in `terraform_data` resources (no provider needed).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubDouble } from '@learning-rooms/github-double';
import { runCli } from '../cli/main';
import type { CliIo } from '../commands/io';
import { serializeRoster, type Roster } from '../roster';
import { readSettings } from '../contracts/settings';
import { planCohorts } from '../synthesis/cohort-plan';
import {
  ASSUMED_LATENCY_MS,
  applyNewRoomsCost,
  costSeconds,
  HEAL_ONE_RESOURCE,
  INVITATION_PENDING,
  Pacing,
  refreshCost,
  refreshPlanCost,
  shardWorstCase,
  TOKEN_LIFETIME_MINUTES,
  addCosts,
} from '../synthesis/cost-model';
import { deriveRateBudget } from '../synthesis/rate-budget';
import { JOB_SETUP_MINUTES } from '../gitops/stack-scope';
import { learner, roster } from '../test-kit/rosters';
import { RUN_SETUP_MINUTES, simulateRollout, STACK_SETUP_MINUTES } from '../test-kit/rollout';

const ROOT = join(__dirname, '..', '..');
const SIZES = (process.env.BENCH_SIZES ?? '300,1000,5000').split(',').map(Number);
const FILES = ['.github/workflows/progress.yml', '.github/workflows/ack.yml'];
const OWNER = 'acme';
const TOKEN = 'dummy-token-not-a-secret';
/** A GraphQL request of 50 rooms: the client's 1 s spacing (GitHub's advice) and an assumed 0.5 s answer. */
const GRAPHQL_SECONDS = 1.5;

interface Row {
  learners: number;
  case: string;
  processes: string;
  requests: string;
  minutes: string;
  note: string;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const min = (s: number) => (s / 60).toFixed(1);

async function cli(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

function cohortRoster(n: number, shardSize: number): Roster {
  const r = roster(
    Array.from({ length: n }, (_, i) =>
      learner(`learner-${String(i).padStart(4, '0')}`, 'c1', {
        provisioning: {
          state: 'provisioned',
          provisioned_at: '2026-09-01T00:00:00Z',
          shard: Math.floor(i / shardSize),
        },
      }),
    ),
    ['c1'],
  );
  r.cohorts[0].required_files = FILES;
  return r;
}

async function scenario(n: number, rows: Row[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  try {
    for (const f of FILES) {
      mkdirSync(join(dir, 'required-files', '.github', 'workflows'), { recursive: true });
      writeFileSync(join(dir, 'required-files', f), readFileSync(join(ROOT, 'required-files', f)));
    }
    const { settings } = readSettings({ PROVISIONING_STUDENT_OWNER: OWNER });
    if (!settings) throw new Error('settings');
    // S and the budget as synthesis derives them for a cohort still to roll out
    const pending = roster(
      Array.from({ length: n }, (_, i) => learner(`p${i}`)),
      ['c1'],
    );
    pending.cohorts[0].required_files = FILES;
    const rolloutPlan = planCohorts({ roster: pending, settings });
    const S = rolloutPlan.stacks[0].shardSize;
    const perRun = rolloutPlan.budget.admitted;
    const tuning = rolloutPlan.stacks[0].provider;
    const pacing: Pacing = {
      readDelayMs: tuning.read_delay_ms,
      writeDelayMs: tuning.write_delay_ms,
      latencyMs: ASSUMED_LATENCY_MS,
    };
    const K = FILES.length;

    const r = cohortRoster(n, S);
    writeFileSync(join(dir, 'roster.json'), serializeRoster(r));
    const env = { PROVISIONING_STUDENT_OWNER: OWNER, LEARNING_ROOMS_RUN_STARTED_AT: '2026-09-28T10:12:00Z' };
    const base = await cli(['synth', 'roster.json', '--out-dir', 'base'], dir, env);
    if (base.code !== 0) throw new Error(base.stderr);
    const shards = Math.ceil(n / S);

    // (a) a pull request adding one learner: main's data and the pull request's, synthesized by the same code
    const plus: Roster = { ...r, learners: [...r.learners, learner('newcomer', 'c1')] };
    writeFileSync(join(dir, 'head.json'), serializeRoster(plus));
    const head = await cli(['synth', 'head.json', '--out-dir', 'head'], dir, env);
    if (head.code !== 0) throw new Error(head.stderr);
    const scoped = await cli(['changed-stacks', '--base', 'base', '--head', 'head', '--out', 'scope.json'], dir, {});
    const scope = JSON.parse(readFileSync(join(dir, 'scope.json'), 'utf8')) as {
      stacks: { stack: string; requests: number; minutes: number }[];
      total: { requests: number; minutes: number };
    };
    const todayRequests = 1 + n * refreshCost(K, INVITATION_PENDING).requests;
    rows.push({
      learners: n,
      case: '(a) pull request +1 learner: plan',
      processes: `${scope.stacks.length} of ${shards} stacks`,
      requests: fmt(scope.total.requests),
      minutes: `${scope.total.minutes.toFixed(1)} (+${JOB_SETUP_MINUTES} set-up)`,
      note: `planned ${scoped.stdout.trim()}, -refresh=false; today one stack: ${fmt(todayRequests)} requests, ${min(todayRequests * (pacing.readDelayMs / 1000))} min`,
    });
    const existing = n - S * (shards - 1);
    const afterMerge = addCosts(refreshPlanCost(existing, K), applyNewRoomsCost(1, K));
    rows.push({
      learners: n,
      case: '(a) ...its apply after merging',
      processes: '2 (plan, apply)',
      requests: fmt(afterMerge.requests),
      minutes: min(costSeconds(afterMerge, pacing)),
      note: `refresh of the ${existing} rooms of the changed shard, then 1 new room`,
    });

    // (b), (c): the fingerprint against the double, with every room as configured
    const repos = r.learners.map((l) => ({
      owner: OWNER,
      name: `c1-${l.github_handle}`,
      visibility: 'private',
      files: Object.fromEntries(FILES.map((f) => [f, readFileSync(join(ROOT, 'required-files', f), 'utf8')])),
      collaborators: [{ login: l.github_handle, permission: 'push' }],
    }));
    const double = await startGitHubDouble({
      seed: {
        orgs: [{ login: OWNER, members: ['operator'] }],
        autoUsers: true,
        tokens: [{ token: TOKEN, login: 'operator' }],
        repos,
      },
    });
    try {
      const fpEnv = { GITHUB_TOKEN: TOKEN, GITHUB_BASE_URL: double.baseUrl, PROVISIONING_STUDENT_OWNER: OWNER };
      const fingerprint = async () => {
        const seq = double.requests().at(-1)?.seq ?? 0;
        const t0 = process.hrtime.bigint();
        const res = await cli(['fingerprint', '--synth', 'base', '--token', '--request-interval', '0'], dir, fpEnv);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const c = double.counters(seq);
        const graphql = c.byRoute['POST /api/graphql'] ?? 0;
        return { stacks: JSON.parse(res.stdout) as string[], total: c.total, graphql, rest: c.total - graphql, ms };
      };
      const clean = await fingerprint();
      const cleanSeconds = clean.graphql * GRAPHQL_SECONDS + clean.rest * (ASSUMED_LATENCY_MS / 1000);
      rows.push({
        learners: n,
        case: '(b) watchdog, no drift',
        processes: '0 Terraform',
        requests: `${clean.total} (measured)`,
        minutes: min(cleanSeconds),
        note: `${clean.graphql} GraphQL + ${clean.rest} REST; ${clean.stacks.length} stacks to plan; ${Math.round(clean.ms)} ms against the double`,
      });

      double.admin('POST', '/_admin/delete_file', {
        repo: `${OWNER}/c1-${r.learners[Math.floor(n / 2)].github_handle}`,
        path: FILES[1],
      });
      const drift = await fingerprint();
      // the check plans the drifted shard (refresh); heal plans it again and applies the one file
      const check = refreshPlanCost(S, K);
      const heal = addCosts(refreshPlanCost(S, K), HEAL_ONE_RESOURCE);
      const terraform = addCosts(check, heal);
      rows.push({
        learners: n,
        case: '(c) watchdog, one drifted room',
        processes: '3 (check plan, heal plan, heal apply)',
        requests: fmt(drift.total + terraform.requests),
        minutes: min(drift.graphql * GRAPHQL_SECONDS + costSeconds(terraform, pacing)),
        note: `fingerprint ${drift.total} (measured) sends ${drift.stacks.length} of ${shards} stacks to a plan: ${drift.stacks.join(', ')}`,
      });
    } finally {
      await double.stop();
    }

    // (d) the first rollout, run by run
    const rollout = simulateRollout({
      learners: n,
      files: K,
      shardSize: S,
      roomsPerRun: perRun,
      intervalMinutes: settings.runIntervalMinutes,
      pacing,
      runSetupMinutes: RUN_SETUP_MINUTES,
      stackSetupMinutes: STACK_SETUP_MINUTES,
    });
    rows.push({
      learners: n,
      case: '(d) first rollout',
      processes: `${rollout.processes.length * 2} in ${rollout.runs.length} runs`,
      requests: fmt(rollout.requests),
      minutes: `${(rollout.elapsedMinutes / 60).toFixed(1)} h`,
      note: `${perRun} rooms a run; ${Math.round(rollout.efficiency * 100)}% of the rate 500 content writes/h allows (${(rollout.idealMinutes / 60).toFixed(1)} h at best); at most ${rollout.maxContentCreationPerHour} content writes in an hour`,
    });
    const worst = shardWorstCase(S, perRun, K, pacing);
    rows.push({
      learners: n,
      case: 'longest process vs the token',
      processes: `S = ${S}`,
      requests: fmt(worst.requests),
      minutes: `${min(worst.seconds)} of ${TOKEN_LIFETIME_MINUTES}`,
      note: `worst case: full refresh of ${S} rooms + apply of ${Math.min(S, perRun)} new ones (the rollout's longest: ${rollout.maxProcessMinutes.toFixed(1)} min); today one stack: refresh alone ${min(1 + n * 7 * (pacing.readDelayMs / 1000))} min`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU seconds (user + system) of `terraform apply` creating `n` terraform_data resources of ~9 KB each (one learner's state) in one stack. */
function applyCpu(n: number, work: string): number {
  const dir = join(work, `n${n}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const resource = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`learner_${i}`, { input: { state: 'x'.repeat(9000), i } }]),
  );
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: resource } }));
  writeFileSync(join(work, 'cli.tfrc'), '');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: work,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: join(work, 'cli.tfrc'),
  };
  if (spawnSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'ignore' }).status !== 0)
    throw new Error('terraform init failed');
  // stdout ignored: the plan prints every 9 KB value, more than a pipe's buffer
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%U %S', 'terraform', 'apply', '-auto-approve', '-input=false', '-no-color'],
    { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (r.status !== 0) throw new Error(`terraform apply failed: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return user + sys;
}

function applyCpuTable(shardSize: number): void {
  const tf = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  const time = spawnSync('/usr/bin/time', ['-f', '%U', 'true'], { encoding: 'utf8' });
  if (tf.status !== 0 || time.status !== 0) {
    console.log('\nApply CPU: skipped (terraform or /usr/bin/time is not on this machine)');
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'bench-scale-cpu-'));
  try {
    console.log(
      `\nApply CPU (real Terraform, terraform_data of ~9 KB state per learner): one stack vs shards of ${shardSize}`,
    );
    console.log('learners | one stack CPU s | per learner ms | shards CPU s | per learner ms');
    const shard = applyCpu(shardSize, work);
    for (const n of [100, 200, 400]) {
      const one = applyCpu(n, work);
      // n learners in shards of S: whole shards cost what one shard of S costs; the remainder is measured
      const whole = Math.floor(n / shardSize);
      const rest = n - whole * shardSize;
      const sharded = whole * shard + (rest > 0 ? applyCpu(rest, work) : 0);
      console.log(
        `${String(n).padStart(8)} | ${one.toFixed(2).padStart(15)} | ${((one / n) * 1000).toFixed(1).padStart(14)} | ${sharded.toFixed(2).padStart(12)} | ${((sharded / n) * 1000).toFixed(1).padStart(14)}`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const n of SIZES) await scenario(n, rows);
  const budget = deriveRateBudget();
  const head = ['learners', 'case', 'Terraform processes', 'requests', 'minutes', 'how'];
  const cells = rows.map((r) => [fmt(r.learners), r.case, r.processes, r.requests, r.minutes, r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (i === 5 ? 0 : c[i].length))));
  const line = (c: string[]) => c.map((x, i) => (i === 5 ? x : x.padEnd(widths[i]))).join(' | ');
  console.log(
    `Production pacing: read_delay_ms ${budget.readDelayMs}, write_delay_ms ${budget.writeDelayMs}, ${ASSUMED_LATENCY_MS} ms assumed per answer; one refreshing Terraform process at a time.`,
  );
  console.log(line(head));
  console.log(widths.map((w, i) => '-'.repeat(i === 5 ? 3 : w)).join('-|-'));
  for (const c of cells) console.log(line(c));
  console.log(
    `\nAny hour, everything together (the rate budget, synthesis/rate-budget.ts): Terraform at most ${fmt(budget.hourly.terraform)} + progress ${fmt(budget.hourly.progress)} + pull-request plans ${fmt(budget.hourly.pullRequestPlans)} = ${fmt(budget.hourly.total)} of 5,000 requests; writes at most ${budget.writesPerMinute} a minute (GitHub: 80).`,
  );
  applyCpuTable(59);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
