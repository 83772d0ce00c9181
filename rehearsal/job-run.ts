/**
 * One job of a workflow, as a runner runs it: its RUNNER_TEMP, $GITHUB_ENV, $GITHUB_OUTPUT and
 * step summary, and its steps in the plan's order (workflow-steps.ts). Each step's commands are
 * checked against the plan's runs for that step, so the rehearsal cannot run other commands than
 * the workflow it says it rehearses.
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Processes, ProcessResult } from './processes';
import { jobEnv, parseGithubEnv, stepEnv, type AppCredentials } from './step-env';
import {
  runsFor,
  type Credentials,
  type Run,
  type RunCondition,
  type WorkflowJob,
  type WorkflowStep,
} from './workflow-steps';

/** What a job needs of the rehearsal around it. */
export interface JobHost {
  readonly processes: Processes;
  /** The machine's environment, without what a runner would not have (step-env.ts). */
  readonly machine: NodeJS.ProcessEnv;
  readonly toolDir: string;
  /** The admin repository's work tree (GITHUB_WORKSPACE). */
  readonly admin: string;
  readonly gitConfig: string;
  /** The commit the workflow run started at. */
  readonly sha: string;
  /** The double's base URL. */
  readonly baseUrl: string;
  /** The instant of a course's step (rehearse --at): LEARNING_ROOMS_AT of every step. */
  readonly at?: string;
  credentials(c: Credentials): AppCredentials;
}

export class Interrupted extends Error {}

export class StepFailed extends Error {}

/** The workflow's `if:` would skip the step. */
class NotRun extends Error {}

export function notRun(): never {
  throw new NotRun('not run');
}

/** Runs one step of a job: the calls it makes are checked against the plan's runs for the step. */
export interface StepCalls {
  cli(command: string, args: string[], opts?: CallOptions): Promise<ProcessResult>;
  script(
    path: string,
    args: string[],
    opts?: CallOptions & { viaBash?: boolean; nested?: Run[] },
  ): Promise<ProcessResult>;
  terraform(sub: string, args: string[], opts?: CallOptions): Promise<ProcessResult>;
}
export interface CallOptions {
  cwd?: string;
  own?: Record<string, string>;
  stdoutFile?: string;
}

export class JobRun {
  readonly runnerTemp: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly files: { env: string; output: string; summary: string };
  appended: Record<string, string> = {};
  failed?: string;

  constructor(
    private readonly r: JobHost,
    readonly job: WorkflowJob,
    runnerTemp: string,
    readonly conditions: ReadonlySet<RunCondition>,
    readonly stack?: { name: string; dir: string },
  ) {
    this.runnerTemp = runnerTemp;
    mkdirSync(runnerTemp, { recursive: true });
    const tag = job.job;
    this.files = {
      env: join(runnerTemp, `github-env.${tag}`),
      output: join(runnerTemp, `github-output.${tag}`),
      summary: join(runnerTemp, `step-summary.${tag}.md`),
    };
    for (const f of Object.values(this.files)) writeFileSync(f, '');
    this.env = jobEnv(r.machine, {
      toolDir: r.toolDir,
      workspace: r.admin,
      runnerTemp,
      githubEnvFile: this.files.env,
      githubOutputFile: this.files.output,
      stepSummaryFile: this.files.summary,
      sha: r.sha,
      serverUrl: r.baseUrl.replace(/\/$/, ''),
      baseUrl: r.baseUrl,
      gitConfig: r.gitConfig,
      ...(r.at ? { at: r.at } : {}),
      ...(stack ? { stack: stack.name, stackDir: stack.dir } : {}),
    });
  }

  output(key: string): string | undefined {
    return parseGithubEnv(readFileSync(this.files.output, 'utf8'))[key];
  }

  appendEnv(lines: string): void {
    writeFileSync(this.files.env, lines, { flag: 'a' });
  }

  /**
   * Runs a step of the plan. `fn` calls notRun() when the workflow's `if:` would skip the step, and
   * throws StepFailed when the step fails (the job's later steps are skipped, as in the workflow).
   */
  async step(id: string, fn: (calls: StepCalls) => Promise<void>): Promise<void> {
    const s = this.job.steps.find((x) => x.id === id);
    if (!s) throw new Error(`${this.job.workflow}: no step ${id} in the plan`);
    if (this.failed) return;
    this.r.processes.log(
      `\n== ${this.job.workflow} ${this.job.job}${this.stack ? ` (${this.stack.name})` : ''}: ${s.name}${s.skipped ? ` [not rehearsed: ${s.skipped}]` : ''}`,
    );
    const executed: Run[] = [];
    const env = (own: Record<string, string> = {}) =>
      stepEnv(this.env, this.appended, own, s.credentials ? this.r.credentials(s.credentials) : undefined);
    const call = async (run: Run, command: string, args: string[], opts: CallOptions, nested: Run[] = []) => {
      executed.push(run, ...nested);
      const result = await this.r.processes.run(command, args, {
        cwd: opts.cwd ?? this.r.admin,
        env: env(opts.own),
        stdoutFile: opts.stdoutFile,
        label: s.credentials ? `as the ${s.credentials} App` : undefined,
      });
      if (this.r.processes.interrupted) throw new Interrupted('interrupted');
      return result;
    };
    const calls: StepCalls = {
      cli: (command, args, opts = {}) =>
        call(
          `cli:${command}`,
          process.execPath,
          [join(this.r.toolDir, 'bin', 'learning-rooms.js'), command, ...args],
          opts,
        ),
      script: (path, args, opts = {}) =>
        call(
          `script:${basename(path)}`,
          opts.viaBash ? 'bash' : path,
          opts.viaBash ? [path, ...args] : args,
          opts,
          opts.nested,
        ),
      terraform: (sub, args, opts = {}) => call(`terraform:${sub}`, 'terraform', [sub, ...args], opts),
    };
    let skipped = false;
    let failure: StepFailed | undefined;
    try {
      await fn(calls);
    } catch (err) {
      if (err instanceof NotRun) skipped = true;
      else if (err instanceof StepFailed) failure = err;
      else throw err;
    }
    this.appended = { ...this.appended, ...parseGithubEnv(readFileSync(this.files.env, 'utf8')) };
    const planned = s.skipped || skipped ? [] : runsFor(s, this.conditions);
    const ran = executed.filter((x, i) => x !== executed[i - 1]);
    const agrees = failure ? planned.slice(0, ran.length).join() === ran.join() : planned.join() === ran.join();
    if (!agrees)
      throw new Error(
        `the rehearsal of "${s.name}" (${this.job.workflow}) ran ${ran.join(', ') || 'nothing'}; the plan says ${planned.join(', ') || 'nothing'}`,
      );
    if (failure) {
      this.failed = failure.message;
      this.r.processes.log(`step failed: ${failure.message}`);
    }
  }

  /** Runs the job's steps that `handlers` implement, in the plan's order (checked: every step has its handler). */
  async steps(handlers: Record<string, (calls: StepCalls) => Promise<void>>): Promise<void> {
    const missing = this.job.steps.filter((s) => !(s.id in handlers) && !s.skipped).map((s) => s.id);
    if (missing.length > 0) throw new Error(`${this.job.workflow}: no handler for ${missing.join(', ')}`);
    for (const s of this.job.steps as readonly WorkflowStep[]) {
      const h = handlers[s.id] ?? (async () => undefined);
      await this.step(s.id, h);
    }
  }
}

export const fail = (message: string): never => {
  throw new StepFailed(message);
};
