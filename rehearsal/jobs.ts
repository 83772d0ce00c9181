/**
 * The admin repository's workflows as the rehearsal runs them: each caller's jobs in order (Apply,
 * Progress, the Watchdog), and inside each reusable workflow's job the steps of the plan
 * (workflow-steps.ts) with the workflow's own commands and scripts, arguments and environment.
 * It keeps what the jobs produced for the report: the first synthesis's learner indexes, the
 * applies' run ids, the watchdog's findings.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LEARNER_INDEX_FILE, readLearnerIndex, roomsOf, type LearnerIndex } from '../contracts/learner-index';
import { LOCK_FILE } from '../gitops/provider-lock';
import { parseLog } from '../provisioning/log';
import { readRosterFile } from '../roster';
import { fail, JobRun, notRun, type JobHost, type StepCalls } from './job-run';
import { healStacks, type LearnerRoom, type LogOutcome, type StackLook } from './report';
import type { CallerJob, Phase, RunCondition } from './workflow-steps';
import { learnerKey } from '../roster/handle';

/** What the workflow jobs need of the rehearsal besides a job's needs. */
export interface JobsHost extends JobHost {
  readonly outDir: string;
  /** The filesystem mirror of the provider, when the operator gave one. */
  readonly mirror?: string;
  checkout(startsRun?: boolean): Promise<void>;
  /** A path inside the output folder, as the operator finds it there. */
  shown(path: string): string;
}

interface StackRun {
  stack: string;
  stackDir: string;
  runDir: string;
  plan?: number;
  apply?: number;
  replaced: string[];
}

interface PhaseOutputs {
  stacks: string[];
  synthOut?: string;
  fingerprint?: { ok: boolean; stacks: string[]; scope?: string };
  checks: Map<string, StackRun>;
  heal: string[];
}

/** A course's room, for the learners' play. */
export interface CourseRoomOfIndex {
  cohort: string;
  stack: string;
  assignment: string;
  /** owner/name */
  repository: string;
  members: string[];
  requiredFiles: string[];
}

/** The phases' folders, numbered in the order they ran. */
export const phaseFolder = (n: number, phase: Phase) => `${n}-${phase.id}`;

export class WorkflowJobs {
  /** The first synthesis's learner indexes by stack, for the report. */
  private readonly indexes = new Map<string, LearnerIndex>();
  /** The latest synthesis's learner indexes by stack: a course's rooms at the latest instant. */
  private readonly latest = new Map<string, LearnerIndex>();
  /** The run ids of the applies, whose outcomes the report shows. */
  readonly runIds: string[] = [];
  /** The watchdog's findings, for the dashboard of the Progress after it. */
  private findings?: string;
  /** Whether a Progress job succeeded (the roster's statuses are then this rehearsal's). */
  progressRan = false;
  private readonly stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

  constructor(private readonly host: JobsHost) {}

  async phase(phase: Phase, n: number, say: (t: string) => void): Promise<boolean> {
    const dir = join(this.host.outDir, phaseFolder(n, phase));
    const runId = `rehearsal-${this.stamp}-${n}`;
    const out: PhaseOutputs = { stacks: [], checks: new Map(), heal: [] };
    await this.host.checkout(true);
    for (const job of phase.jobs) {
      if (job.skipped) {
        this.host.processes.log(`\n== ${phase.caller} job ${job.id}: not rehearsed: ${job.skipped}`);
        continue;
      }
      const ok = await this.callerJob(job, dir, runId, out, say);
      if (!ok) return false;
    }
    return true;
  }

  private async callerJob(
    job: CallerJob,
    dir: string,
    runId: string,
    out: PhaseOutputs,
    say: (t: string) => void,
  ): Promise<boolean> {
    switch (job.uses) {
      case 'synth.yml':
        return this.synth(job, join(dir, job.id), out, say);
      case 'apply-stacks.yml': {
        const stacks = job.with?.resendExpired ? out.heal : out.stacks;
        if (stacks.length === 0) {
          say(`  ${job.id}: no stack to apply\n`);
          return true;
        }
        this.runIds.push(runId);
        let ok = true;
        for (const stack of stacks)
          ok = (await this.applyStack(job, join(dir, job.id, stack), runId, out, stack, say)) && ok;
        return ok;
      }
      case 'fingerprint.yml':
        return this.fingerprint(job, join(dir, job.id), out, say);
      case 'plan-stacks.yml': {
        // The Plan workflow plans the stacks its synthesis chose; the watchdog those its fingerprint found changed.
        const stacks = job.id === 'plan' ? out.stacks : (out.fingerprint?.stacks ?? []);
        for (const stack of stacks) await this.planStack(job, join(dir, job.id, stack), out, stack, say);
        return true;
      }
      case 'plan-comment.yml':
        return this.comment(job, join(dir, job.id), runId, out, say);
      case 'watchdog-report.yml':
        return this.watchdogReport(job, join(dir, job.id), out, say);
      case 'progress.yml':
        return this.progress(job, join(dir, job.id), dir, say);
      default:
        throw new Error(`no rehearsal of ${job.uses}`);
    }
  }

  private async settings(calls: StepCalls, j: JobRun): Promise<void> {
    const r = await calls.cli('gitops-env', []);
    if (r.code !== 0) fail(`gitops-env: exit ${r.code}: ${r.stderr.trim()}`);
    j.appendEnv(r.stdout);
  }

  private async synth(job: CallerJob, rt: string, out: PhaseOutputs, say: (t: string) => void): Promise<boolean> {
    const [stateJob, synthJob] = job.jobs;
    const stateInput = join(rt, 'state-input');
    const state = new JobRun(this.host, stateJob, rt, new Set());
    await state.steps({
      settings: (c) => this.settings(c, state),
      'state-input': async (c) => {
        const r = await c.script(join(this.host.toolDir, '.github', 'scripts', 'state-input.sh'), [stateInput]);
        if (r.code !== 0) fail(`state-input.sh: exit ${r.code}`);
      },
    });
    if (state.failed) return this.jobFailed(say, 'synth (current state)', state.failed, rt);

    const synthOut = join(rt, 'synth-out');
    const s = new JobRun(this.host, synthJob, rt, new Set());
    let valid = false;
    rmSync(join(this.host.admin, 'cdktf.out'), { recursive: true, force: true });
    await s.steps({
      settings: async (c) => {
        mkdirSync(synthOut, { recursive: true });
        const r = await c.cli('gitops-env', []);
        if (r.code !== 0) fail(`gitops-env: exit ${r.code}: ${r.stderr.trim()}`);
        writeFileSync(join(rt, 'gitops.env'), r.stdout);
        s.appendEnv(`${r.stdout}ROSTER_FILE=${join(this.host.admin, 'roster.json')}\n`);
      },
      validate: async (c) => {
        const r = await c.cli('validate', [join(this.host.admin, 'roster.json'), '--json'], {
          stdoutFile: join(synthOut, 'validation.json'),
        });
        valid = r.code === 0;
        if (!valid) say(`  the roster is not valid: see ${this.host.shown(join(synthOut, 'validation.json'))}\n`);
      },
      synth: async (c) => {
        if (!valid) notRun();
        const r = await c.cli('synth', [join(this.host.admin, 'roster.json')], {
          own: { LEARNING_ROOMS_STATE_DIR: stateInput },
        });
        if (r.code !== 0) fail(`synth: exit ${r.code}: ${r.stderr.trim()}`);
        say(indent(r.stdout, '    '));
      },
      scope: async (c) => {
        if (!valid) notRun();
        const stacks = join(this.host.admin, 'cdktf.out', 'stacks');
        if (!existsSync(stacks)) notRun();
        cpSync(stacks, join(synthOut, 'stacks'), { recursive: true });
        const summary = join(this.host.admin, 'cdktf.out', 'synthesis.json');
        if (existsSync(summary)) copyFileSync(summary, join(synthOut, 'synthesis.json'));
        const r = await c.script(
          join(this.host.toolDir, '.github', 'scripts', 'scope.sh'),
          [job.with?.scope ?? 'all', synthOut],
          {
            own: { STATE_INPUT: stateInput, BASE_REF: '' },
          },
        );
        if (r.code !== 0) fail(`scope.sh: exit ${r.code}: ${r.stderr.trim()}`);
      },
    });
    if (s.failed || !valid) return this.jobFailed(say, 'synth', s.failed ?? 'the roster is not valid', rt);
    out.synthOut = synthOut;
    out.stacks = JSON.parse(s.output('stacks') ?? '[]') as string[];
    say(`  synth: stacks to plan: ${out.stacks.join(', ') || 'none'}\n`);
    const first = this.indexes.size === 0;
    this.latest.clear();
    for (const stack of readdirSync(join(synthOut, 'stacks'))) {
      const index = readLearnerIndex(join(synthOut, 'stacks', stack, LEARNER_INDEX_FILE));
      this.latest.set(stack, index);
      if (first) this.indexes.set(stack, index);
    }
    return true;
  }

  /** prepare-stack and restore-state.sh, then terraform init: the same in apply-stacks.yml and plan-stacks.yml. */
  private prepareSteps(j: JobRun, run: StackRun) {
    return {
      settings: (c: StepCalls) => this.settings(c, j),
      prepare: async (c: StepCalls) => {
        const r = await c.cli(
          'prepare-stack',
          [
            '--dir',
            run.stackDir,
            '--out-dir',
            join(j.runnerTemp, 'run', run.stack),
            '--state-dir',
            join(j.runnerTemp, 'state'),
            '--lock-file',
            LOCK_FILE,
            '--cli-config',
            join(j.runnerTemp, 'run', `${run.stack}.tfrc`),
            '--github-env',
            j.env.GITHUB_ENV ?? '',
          ],
          { own: this.host.mirror ? { LEARNING_ROOMS_PROVIDER_MIRROR: this.host.mirror } : {} },
        );
        if (r.code !== 0) fail(`prepare-stack: exit ${r.code}: ${r.stderr.trim()}`);
        const s = await c.script(join(this.host.toolDir, '.github', 'scripts', 'restore-state.sh'), [
          run.stack,
          join(j.runnerTemp, 'state'),
        ]);
        if (s.code !== 0) fail(`restore-state.sh: exit ${s.code}: ${s.stderr.trim()}`);
      },
      init: async (c: StepCalls) => {
        const r = await c.terraform('init', ['-input=false', '-no-color', '-lockfile=readonly'], { cwd: run.runDir });
        if (r.code !== 0) fail(`terraform init: exit ${r.code}: ${r.stderr.trim().split('\n').slice(-6).join(' ')}`);
      },
    };
  }

  private newStackRun(out: PhaseOutputs, rt: string, stack: string): StackRun {
    return { stack, stackDir: join(out.synthOut!, 'stacks', stack), runDir: join(rt, 'run', stack), replaced: [] };
  }

  private readExitcode(run: StackRun): number {
    const file = join(run.runDir, 'exitcode');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 1;
  }

  private async applyStack(
    job: CallerJob,
    rt: string,
    runId: string,
    out: PhaseOutputs,
    stack: string,
    say: (t: string) => void,
  ): Promise<boolean> {
    await this.host.checkout();
    const run = this.newStackRun(out, rt, stack);
    const conditions = new Set<RunCondition>(job.with?.resendExpired ? ['resend-expired'] : []);
    const j = new JobRun(this.host, job.jobs[0], rt, conditions, { name: stack, dir: run.stackDir });
    const records = join(rt, 'records');
    await j.steps({
      ...this.prepareSteps(j, run),
      plan: async (c) => {
        if (conditions.has('resend-expired')) {
          const r = await c.cli(
            'expired-invitations',
            // --withdraw: a course's expired invitations are deleted first, so the plan re-sends them
            [
              '--roster',
              join(this.host.admin, 'roster.json'),
              '--index',
              join(run.stackDir, LEARNER_INDEX_FILE),
              '--withdraw',
            ],
            {
              stdoutFile: join(rt, 'expired.txt'),
            },
          );
          if (r.code !== 0) fail(`expired-invitations: exit ${r.code}: ${r.stderr.trim()}`);
          run.replaced = readFileSync(join(rt, 'expired.txt'), 'utf8').split('\n').filter(Boolean);
        }
        const r = await c.script(
          join(this.host.toolDir, '.github', 'scripts', 'terraform-plan.sh'),
          ['-lock-timeout=10m', ...run.replaced.map((a) => `-replace=${a}`)],
          { cwd: run.runDir },
        );
        if (r.code !== 0) fail(`terraform-plan.sh: exit ${r.code}`);
        run.plan = this.readExitcode(run);
      },
      'check-plan': async (c) => {
        if (run.plan !== 2) notRun();
        const r = await c.cli('check-plan', [
          '--plan',
          join(run.runDir, 'plan.json'),
          '--index',
          join(run.stackDir, LEARNER_INDEX_FILE),
        ]);
        if (r.code !== 0) fail(`check-plan refused the plan: ${r.stderr.trim() || r.stdout.trim()}`);
      },
      'pending-invitations': async (c) => {
        // A course's cutoff: invitations still pending get GitHub's documented "read" before the apply.
        if (run.plan !== 2) notRun();
        const r = await c.cli('pending-invitations', ['--plan', join(run.runDir, 'plan.json')]);
        if (r.code !== 0) fail(`pending-invitations: exit ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
      },
      apply: async (c) => {
        if (run.plan !== 2) notRun();
        const r = await c.terraform('apply', ['-input=false', '-no-color', '-json', 'tfplan'], {
          cwd: run.runDir,
          stdoutFile: join(run.runDir, 'apply.jsonl'),
        });
        run.apply = r.code;
        for (const e of streamErrors(join(run.runDir, 'apply.jsonl'))) this.host.processes.log(`error: ${e}`);
      },
      'keep-records': async () => {
        if (run.apply === undefined) notRun();
        mkdirSync(records, { recursive: true });
        for (const f of ['plan.json', 'apply.jsonl']) copyFileSync(join(run.runDir, f), join(records, f));
        copyFileSync(join(run.stackDir, LEARNER_INDEX_FILE), join(records, LEARNER_INDEX_FILE));
        const state = join(rt, 'state', `${stack}.tfstate`);
        if (existsSync(state)) copyFileSync(state, join(records, 'state.tfstate'));
        for (const f of ['commit-back.sh', 'record-stack.sh'])
          copyFileSync(join(this.host.toolDir, '.github', 'scripts', f), join(rt, f));
      },
      record: async (c) => {
        if (run.apply === undefined) notRun();
        const r = await c.script(
          join(rt, 'commit-back.sh'),
          [
            `learning-rooms: record the apply of ${this.host.sha.slice(0, 12)} to ${stack} [skip ci]`,
            'roster.json',
            'provisioning-log.json',
            'state',
            '--',
            'bash',
            join(rt, 'record-stack.sh'),
            records,
          ],
          {
            viaBash: true,
            nested: ['script:record-stack.sh'],
            own: { GH_TOKEN: 'rehearsal-needs-no-token', RUN_ID: runId },
          },
        );
        if (r.code !== 0) fail(`recording failed (commit-back.sh, exit ${r.code}): ${r.stderr.trim()}`);
      },
      'starter-code': async (c) => {
        // Said once per cohort, by its shard 0 stack; it never fails the apply (`|| echo` in the workflow).
        if (stack.includes('.shard-')) notRun();
        const r = await c.cli('propose-update', [
          'roster.json',
          '--count',
          '--cohort',
          stack,
          '--summary-out',
          j.env.GITHUB_STEP_SUMMARY ?? '',
        ]);
        if (r.code !== 0)
          this.host.processes.log('The starter-code line could not be written (see above); the apply is not affected.');
      },
      verdict: async () => {
        if (run.plan === 1) fail(`the plan failed: ${errorsIn(join(run.runDir, 'plan.stream.jsonl'))}`);
        if (run.apply !== undefined && run.apply !== 0)
          fail(
            `the apply failed for some learners: ${errorsIn(join(run.runDir, 'apply.jsonl'))} (the summary: ${this.host.shown(join(records, 'summary.md'))})`,
          );
      },
    });
    const outcomes = this.recordedOutcomes(runId, run.stackDir);
    const line = [
      `  ${job.id} ${stack}: plan ${planWords(run.plan)}`,
      ...(run.replaced.length ? [`${run.replaced.length} expired invitation(s) re-sent (-replace)`] : []),
      ...(run.apply !== undefined ? [`apply ${run.apply === 0 ? 'done' : `failed (exit ${run.apply})`}`] : []),
      ...(outcomes ? [`recorded: ${outcomes}`] : []),
    ].join('; ');
    say(`${line}\n`);
    if (j.failed) return this.jobFailed(say, `${job.id} ${stack}`, j.failed, rt);
    return true;
  }

  private async planStack(
    job: CallerJob,
    rt: string,
    out: PhaseOutputs,
    stack: string,
    say: (t: string) => void,
  ): Promise<void> {
    await this.host.checkout();
    const run = this.newStackRun(out, rt, stack);
    const j = new JobRun(this.host, job.jobs[0], rt, new Set(), { name: stack, dir: run.stackDir });
    await j.steps({
      ...this.prepareSteps(j, run),
      plan: async (c) => {
        const r = await c.script(
          join(this.host.toolDir, '.github', 'scripts', 'terraform-plan.sh'),
          ['-lock=false', ...(job.with?.refresh === false ? ['-refresh=false'] : [])],
          { cwd: run.runDir },
        );
        if (r.code !== 0) fail(`terraform-plan.sh: exit ${r.code}`);
        run.plan = this.readExitcode(run);
      },
      verdict: async () => {
        if (run.plan === 1) fail(`the plan failed: ${errorsIn(join(run.runDir, 'plan.stream.jsonl'))}`);
      },
    });
    out.checks.set(stack, run);
    say(
      `  check ${stack}: plan ${planWords(run.plan)}${j.failed ? ` (${j.failed}; see ${this.host.shown(rt)})` : ''}\n`,
    );
  }

  /** plan-comment.yml: the comment rendered from the plans of the Plan workflow's stacks, printed and kept. */
  private async comment(
    job: CallerJob,
    rt: string,
    runId: string,
    out: PhaseOutputs,
    say: (t: string) => void,
  ): Promise<boolean> {
    await this.host.checkout();
    const j = new JobRun(this.host, job.jobs[0], rt, new Set());
    const dir = join(rt, 'comment');
    await j.steps({
      render: async (c) => {
        const args: string[] = [];
        for (const stack of out.stacks) {
          const index = join(out.synthOut!, 'stacks', stack, LEARNER_INDEX_FILE);
          const planFile = out.checks.get(stack) && join(out.checks.get(stack)!.runDir, 'plan.json');
          if (planFile && existsSync(planFile)) args.push('--plan', planFile, '--index', index);
          else args.push('--failed-index', index);
        }
        const scope = join(out.synthOut!, 'scope.json');
        if (existsSync(scope)) args.push('--scope', scope);
        mkdirSync(dir, { recursive: true });
        const r = await c.cli('plan-comment', [
          ...args,
          '--run-url',
          `file://${rt}`,
          '--commit',
          this.host.sha,
          '--trusted-code',
          this.host.sha,
          '--pinned-settings',
          join(out.synthOut!, 'pinned-settings.txt'),
          '--out',
          join(dir, 'plan-comment.md'),
          '--full-out',
          join(dir, 'plan-report.md'),
        ]);
        if (r.code !== 0) fail(`plan-comment: exit ${r.code}: ${r.stderr.trim()}`);
      },
    });
    if (j.failed) return this.jobFailed(say, 'comment', j.failed, rt);
    // Kept beside the phases, one per step of the course, in order.
    const kept = join(this.host.outDir, 'plan-comments');
    mkdirSync(kept, { recursive: true });
    const name = `${String(readdirSync(kept).length + 1).padStart(2, '0')}-${(this.host.at ?? runId).replace(/:/g, '')}.md`;
    copyFileSync(join(dir, 'plan-comment.md'), join(kept, name));
    say(
      `  the plan comment${this.host.at ? ` at ${this.host.at}` : ''} (${this.host.shown(join(kept, name))}):\n` +
        indent(readFileSync(join(dir, 'plan-comment.md'), 'utf8'), '    | '),
    );
    return true;
  }

  private async fingerprint(job: CallerJob, rt: string, out: PhaseOutputs, say: (t: string) => void): Promise<boolean> {
    if (out.stacks.length === 0) return true;
    await this.host.checkout();
    const j = new JobRun(this.host, job.jobs[0], rt, new Set());
    const dir = rt;
    let stacks: string[] = [];
    await j.steps({
      settings: (c) => this.settings(c, j),
      fingerprint: async (c) => {
        mkdirSync(dir, { recursive: true });
        const r = await c.cli('fingerprint', [
          join(this.host.admin, 'roster.json'),
          '--synth',
          out.synthOut!,
          '--out',
          join(dir, 'scope.json'),
          '--report-out',
          join(dir, 'report.md'),
        ]);
        if (r.code !== 0) fail(`fingerprint: exit ${r.code}: ${r.stderr.trim()}`);
        stacks = JSON.parse(r.stdout.trim() || '[]') as string[];
      },
    });
    out.fingerprint = { ok: !j.failed, stacks, scope: join(dir, 'scope.json') };
    say(
      j.failed
        ? `  fingerprint: failed (${j.failed}); every stack counts as planned\n`
        : `  fingerprint: ${stacks.length ? `differs from the configuration: ${stacks.join(', ')}` : 'every room matches its configuration'} (see ${this.host.shown(join(dir, 'report.md'))})\n`,
    );
    return true;
  }

  private async watchdogReport(
    job: CallerJob,
    rt: string,
    out: PhaseOutputs,
    say: (t: string) => void,
  ): Promise<boolean> {
    await this.host.checkout();
    const j = new JobRun(this.host, job.jobs[0], rt, new Set());
    const dir = rt;
    let status = '';
    await j.steps({
      render: async (c) => {
        const all = readdirSync(join(out.synthOut!, 'stacks')).sort();
        const looks: StackLook[] = [];
        const args: string[] = [];
        for (const stack of all) {
          const index = join(out.synthOut!, 'stacks', stack, LEARNER_INDEX_FILE);
          const planned = !out.fingerprint?.ok || (out.fingerprint?.stacks ?? []).includes(stack);
          const check = out.checks.get(stack);
          const planFile = check && join(check.runDir, 'plan.json');
          if (planned && planFile && existsSync(planFile)) args.push('--plan', planFile, '--index', index);
          else if (planned) args.push('--failed-index', index);
          const e = await c.cli('expired-invitations', [
            '--roster',
            join(this.host.admin, 'roster.json'),
            '--index',
            index,
            '--count',
            ...(out.fingerprint?.scope ? ['--fingerprint', out.fingerprint.scope] : []),
          ]);
          if (e.code !== 0) fail(`expired-invitations: exit ${e.code}: ${e.stderr.trim()}`);
          looks.push({
            stack,
            planned,
            exitcode: planFile && existsSync(planFile) ? check.plan : undefined,
            expired: Number(e.stdout.trim()),
          });
        }
        mkdirSync(dir, { recursive: true });
        const r = await c.cli('watchdog-report', [
          '--roster',
          join(this.host.admin, 'roster.json'),
          ...args,
          '--heal',
          '--run-url',
          `file://${rt}`,
          '--out',
          join(dir, 'watchdog-issue.md'),
          '--full-out',
          join(dir, 'watchdog-report.md'),
          '--findings-out',
          join(dir, 'watchdog-findings.json'),
        ]);
        if (r.code !== 0) fail(`watchdog-report: exit ${r.code}: ${r.stderr.trim()}`);
        status = r.stdout.trim();
        out.heal = healStacks(looks);
      },
      issue: async () => undefined,
    });
    if (j.failed) return this.jobFailed(say, 'report', j.failed, rt);
    say(
      `  report: ${status}; heal: ${out.heal.join(', ') || 'nothing'} (the admin issue's text: ${this.host.shown(join(dir, 'watchdog-issue.md'))})\n`,
    );
    this.findings = join(dir, 'watchdog-findings.json');
    return true;
  }

  private async progress(job: CallerJob, rt: string, _phaseDir: string, say: (t: string) => void): Promise<boolean> {
    const j = new JobRun(this.host, job.jobs[0], rt, new Set());
    await j.steps({
      settings: async (c) => {
        await this.settings(c, j);
        for (const f of ['commit-back.sh', 'progress-step.sh'])
          copyFileSync(join(this.host.toolDir, '.github', 'scripts', f), join(rt, f));
      },
      findings: async () => {
        if (!this.findings || !existsSync(this.findings)) return;
        mkdirSync(join(rt, 'watchdog'), { recursive: true });
        copyFileSync(this.findings, join(rt, 'watchdog', 'watchdog-findings.json'));
      },
      progress: async (c) => {
        const r = await c.script(
          join(rt, 'commit-back.sh'),
          [
            'learning-rooms: progress of record [skip ci]',
            'roster.json',
            'progress.json',
            'progress.md',
            'progress-history.json',
            'dashboard/index.html',
            'dashboard/redacted.html',
            '--',
            'bash',
            join(rt, 'progress-step.sh'),
          ],
          { viaBash: true, nested: ['script:progress-step.sh'], own: { GH_TOKEN: 'rehearsal-needs-no-token' } },
        );
        if (r.code !== 0) fail(`progress (commit-back.sh, exit ${r.code}): ${r.stderr.trim()}`);
      },
      verdict: async () => {
        if (existsSync(join(rt, 'dashboard-failed'))) fail('the dashboard could not be written (see rehearsal.log)');
        if (existsSync(join(rt, 'progress-partial'))) fail('some rooms could not be read; see progress.md');
      },
    });
    const roster = readRosterFile(join(this.host.admin, 'roster.json')).roster;
    const counts = new Map<string, number>();
    for (const l of roster?.learners ?? [])
      counts.set(l.progress?.status ?? 'not read', (counts.get(l.progress?.status ?? 'not read') ?? 0) + 1);
    say(`  progress: ${[...counts].map(([s, n]) => `${s} ${n}`).join(', ')}${j.failed ? ` (${j.failed})` : ''}\n`);
    this.progressRan = this.progressRan || !j.failed;
    return j.failed ? this.jobFailed(say, 'progress', j.failed, rt) : true;
  }

  /** Every learner of the first synthesis with their rooms (owner/name; a course's, one per assignment) and stack. */
  rooms(): LearnerRoom[] {
    const out: LearnerRoom[] = [];
    for (const [stack, index] of [...this.indexes].sort(([a], [b]) => a.localeCompare(b)))
      for (const l of index.learners) {
        // A course's learner is in one room per assignment (their team's included); others in their one room.
        const theirs = index.course ? roomsOf(index, l.github_handle) : [l];
        for (const room of theirs)
          out.push({
            handle: l.github_handle,
            cohort: l.cohort_id,
            stack,
            repository: `${index.owner}/${room.repository}`,
            admitted: room.admitted,
          });
      }
    return out;
  }

  /**
   * A course's rooms as the latest synthesis configured them (rehearse --at: the last instant's),
   * admitted and not archived, with their members and required files; none for single rooms.
   */
  courseRooms(): CourseRoomOfIndex[] {
    const out: CourseRoomOfIndex[] = [];
    for (const [stack, index] of [...this.latest].sort(([a], [b]) => a.localeCompare(b)))
      for (const room of index.course?.rooms ?? [])
        if (room.admitted && !room.archived)
          out.push({
            cohort: index.cohort_id,
            stack,
            assignment: room.assignment,
            repository: `${index.owner}/${room.repository}`,
            members: room.members.map((m) => m.github_handle),
            requiredFiles: Object.keys(room.addresses.files),
          });
    return out;
  }

  /** The stacks of a course (their learners' rooms are courseRooms()). */
  courseStacks(): Set<string> {
    return new Set([...this.latest].filter(([, index]) => index.course).map(([stack]) => stack));
  }

  logOutcomes(): LogOutcome[] {
    const file = join(this.host.admin, 'provisioning-log.json');
    if (!existsSync(file)) return [];
    return parseLog(readFileSync(file, 'utf8')).entries;
  }

  private recordedOutcomes(runId: string, stackDir: string): string | undefined {
    const index = readLearnerIndex(join(stackDir, LEARNER_INDEX_FILE));
    const mine = new Set(index.learners.map((l) => learnerKey(l.github_handle, l.cohort_id)));
    const counts = new Map<string, number>();
    for (const e of this.logOutcomes())
      if (e.run_id === runId && mine.has(learnerKey(e.learner, e.cohort)))
        counts.set(e.outcome, (counts.get(e.outcome) ?? 0) + 1);
    return counts.size ? [...counts].map(([k, n]) => `${k} ${n}`).join(', ') : undefined;
  }

  private jobFailed(say: (t: string) => void, what: string, why: string, rt: string): false {
    say(
      `  ${what} FAILED: ${why}\n    the job's folder: ${this.host.shown(rt)}; every command and its output: rehearsal.log\n`,
    );
    return false;
  }
}

/** Every line of `text` indented, without a trailing empty line. */
function indent(text: string, by: string): string {
  const t = text.trimEnd();
  return t ? `${t.replace(/^/gm, by)}\n` : '';
}

function planWords(code: number | undefined): string {
  if (code === 0) return 'no changes';
  if (code === 2) return 'changes';
  if (code === 1) return 'failed';
  return 'not made';
}

/** The error diagnostics of a plan or apply stream (what the workflow's jq prints). */
function streamErrors(file: string): string[] {
  const out: string[] = [];
  if (existsSync(file))
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      try {
        const e = JSON.parse(line) as {
          '@level'?: string;
          '@message'?: string;
          diagnostic?: { address?: string; summary?: string; detail?: string };
        };
        if (e['@level'] !== 'error') continue;
        const d = e.diagnostic;
        const flat = d?.detail?.replace(/\s+/g, ' ').trim();
        const detail = flat ? `: ${flat.length > 240 ? `${flat.slice(0, 240)}…` : flat}` : '';
        out.push(`${d?.address ? `${d.address}: ` : ''}${d?.summary ?? e['@message'] ?? ''}${detail}`);
      } catch {
        // not a JSON line
      }
    }
  return out;
}

/** The first errors of a stream, for a message. */
function errorsIn(file: string, max = 3): string {
  const all = streamErrors(file);
  if (all.length === 0) return `no error diagnostic in ${basename(file)} (see rehearsal.log)`;
  return `${all.slice(0, max).join('; ')}${all.length > max ? `; and ${all.length - max} more` : ''}`;
}
