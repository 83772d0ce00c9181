/**
 * `learning-rooms rehearse`: the whole loop on this machine against the GitHub double, with real
 * Terraform and the real provider, running the workflows' own commands and scripts in the
 * workflows' order (workflow-steps.ts) with the environment a runner gives each step. The edge:
 * files, git, child processes, the double, signals. The decisions are in the pure modules beside it.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { readSettings, SETTINGS_ENV } from '../contracts/settings';
import { LEARNER_INDEX_FILE, readLearnerIndex, type LearnerIndex } from '../contracts/learner-index';
import { GITOPS_CONFIG_FILE, gitopsEnv } from '../gitops/gitops-config';
import { LOCK_FILE } from '../gitops/provider-lock';
import { parseLog } from '../provisioning/log';
import { formatRosterError, readRosterFile, type Roster } from '../roster';
import { doubleProblem, startDouble, type RunningDouble } from './double';
import { preflight } from './preflight';
import { preflightMessage } from './preflight-core';
import { Processes, type ProcessResult } from './processes';
import {
  healStacks,
  learnerRows,
  learnerTable,
  readme,
  type FolderEntry,
  type IndexedRoom,
  type LogOutcome,
  type StackLook,
} from './report';
import { REHEARSAL_APP, rehearsalSeed, type TemplateFiles } from './seed';
import { simulationPlan, type LearnerPlay, type PlayedRoom } from './simulation';
import { jobEnv, machineEnv, parseGithubEnv, stepEnv, type AppCredentials } from './step-env';
import {
  rehearsalPhases,
  runsFor,
  type CallerJob,
  type Credentials,
  type Phase,
  type Run,
  type RunCondition,
  type WorkflowJob,
  type WorkflowStep,
} from './workflow-steps';

export interface RehearseOptions {
  /** The roster file (absolute). */
  roster: string;
  /** The output folder (absolute): new or empty. */
  outDir: string;
  simulate: boolean;
  keep: boolean;
  templateFiles: TemplateFiles;
  /** The operator's environment. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** How long `terraform providers lock` may take to reach the registry or read the mirror. */
  lockTimeoutMs: number;
}

/** This checkout of learning-rooms: the folder with bin/learning-rooms.js and .github/scripts (TOOL_DIR). */
export function toolRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'bin', 'learning-rooms.js')) || !existsSync(join(dir, '.github', 'scripts'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no learning-rooms checkout above ${from}`);
    dir = up;
  }
  return dir;
}

/** The settings a rehearsal gives the workflows, over the admin repository's own (config/gitops.json). */
export function rehearsalSettings(own: Record<string, string>, learners: number): Record<string, string> {
  const out = { ...own };
  // Folders and backends of the operator's own runs have no meaning here: state stays in the admin repository.
  for (const k of [
    'LEARNING_ROOMS_BACKEND_CONFIG',
    'LEARNING_ROOMS_STATE_DIR',
    'LEARNING_ROOMS_BACKEND_DIR',
    'LEARNING_ROOMS_OUTDIR',
    'LEARNING_ROOMS_RUN_STARTED_AT',
  ])
    delete out[k];
  return {
    ...out,
    PROVISIONING_MODE: 'github-app',
    LEARNING_ROOMS_BACKEND: 'git',
    LEARNING_ROOMS_REQUIRED_FILES_DIR: 'required-files',
    // Rehearsal pacing: the double answers at once, so the provider need not wait a second per request.
    [SETTINGS_ENV.writeDelayMs]: '10',
    [SETTINGS_ENV.readDelayMs]: '10',
    // Every learner in the first apply: the admission budget paces GitHub's secondary limits, lifted in the double.
    [SETTINGS_ENV.admissionBudget]: String(Math.max(1, learners)),
    LEARNING_ROOMS_HEAL: 'true',
  };
}

class Interrupted extends Error {}

class StepFailed extends Error {}

/** The workflow's `if:` would skip the step. */
class NotRun extends Error {}

function notRun(): never {
  throw new NotRun('not run');
}

interface Inputs {
  roster: Roster;
  rosterText: Buffer;
  config: Record<string, string>;
  owner: string;
  defaultTemplate: string;
  requiredFilesFrom: string;
  requiredFiles: Map<string, string>;
}

/** Reads the roster, its folder's settings and required files: every problem at once. */
function readInputs(o: RehearseOptions, toolDir: string): { inputs?: Inputs; problems: string[] } {
  const problems: string[] = [];
  const rosterDir = dirname(o.roster);
  const { roster, errors } = readRosterFile(o.roster);
  problems.push(...errors.map((e) => formatRosterError(e, o.roster)));
  if (roster && roster.learners.length === 0)
    problems.push(`${o.roster}: no learners: add at least one to rehearse their rooms`);
  let own: Record<string, string> = {};
  const configFile = join(rosterDir, GITOPS_CONFIG_FILE);
  if (existsSync(configFile)) {
    const read = gitopsEnv(readFileSync(configFile, 'utf8'), configFile);
    problems.push(...read.errors);
    own = read.env;
  }
  const config = rehearsalSettings(own, roster?.learners.length ?? 0);
  const { settings, errors: settingsErrors } = readSettings(config);
  problems.push(...settingsErrors.map((e) => `${existsSync(configFile) ? configFile : 'settings'}: ${e}`));

  const ownDir = own[SETTINGS_ENV.requiredFilesDir];
  let requiredFilesFrom = resolve(rosterDir, ownDir ?? 'required-files');
  if (!existsSync(requiredFilesFrom)) {
    if (ownDir) problems.push(`${configFile}: ${SETTINGS_ENV.requiredFilesDir}: no folder ${requiredFilesFrom}`);
    // A roster without its admin repository around it (the bundled example): this release's required files.
    requiredFilesFrom = join(toolDir, 'required-files');
  }
  const requiredFiles = new Map<string, string>();
  for (const cohort of roster?.cohorts ?? [])
    for (const path of cohort.required_files ?? []) {
      const file = join(requiredFilesFrom, path);
      if (existsSync(file)) requiredFiles.set(path, readFileSync(file, 'utf8'));
      else problems.push(`cohort ${cohort.cohort_id}: required file ${path}: not in ${requiredFilesFrom}`);
    }
  if (existsSync(o.outDir) && (!statSync(o.outDir).isDirectory() || readdirSync(o.outDir).length > 0))
    problems.push(`--out-dir ${o.outDir}: expected a new or empty folder; it holds something already`);
  if (!roster || !settings || problems.length > 0) return { problems };
  return {
    problems,
    inputs: {
      roster,
      rosterText: readFileSync(o.roster),
      config,
      owner: settings.owner,
      defaultTemplate: settings.templateRepo,
      requiredFilesFrom,
      requiredFiles,
    },
  };
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
  fingerprint?: { ok: boolean; stacks: string[] };
  checks: Map<string, StackRun>;
  heal: string[];
}

/** The phases' folders, numbered in the order they ran. */
const phaseFolder = (n: number, phase: Phase) => `${n}-${phase.id}`;

export async function rehearse(o: RehearseOptions): Promise<number> {
  const toolDir = toolRoot();
  const processes = new Processes();
  // Installed first: a Ctrl-C during the preflight stops its terraform too.
  let signal: NodeJS.Signals | undefined;
  let keeping = false;
  let wake: (() => void) | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    if (!signal && !keeping)
      o.stderr(`\nlearning-rooms rehearse: ${s}: stopping the running step and the GitHub double...\n`);
    signal ??= s;
    void processes.interrupt();
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const interruptedCode = () => (signal === 'SIGTERM' ? 143 : 130);
  try {
    const { inputs, problems } = readInputs(o, toolDir);
    const pre = await preflight(o.env, o.cwd, o.lockTimeoutMs, processes);
    if (signal) return interruptedCode();
    const missingDouble = doubleProblem(toolDir);
    if (missingDouble) pre.problems.push(missingDouble);
    if (problems.length > 0 || pre.problems.length > 0) {
      if (problems.length > 0)
        o.stderr(problems.map((p) => `learning-rooms rehearse: ${p}\n`).join('') + (pre.problems.length ? '\n' : ''));
      if (pre.problems.length > 0) o.stderr(preflightMessage(pre.problems));
      else o.stderr('learning-rooms rehearse: nothing was started.\n');
      return problems.length > 0 ? 1 : 2;
    }
    if (!inputs || !pre.terraform || !pre.lockText || !pre.provider)
      throw new Error('preflight passed without its findings');

    mkdirSync(o.outDir, { recursive: true });
    processes.logTo(join(o.outDir, 'rehearsal.log'));
    const r = new Rehearsal(o, toolDir, inputs, processes);
    writeFileSync(join(o.outDir, LOCK_FILE), pre.lockText);
    const say = (t: string) => {
      o.stdout(t);
      r.summary.push(t);
    };
    const provider =
      pre.provider.from === 'mirror'
        ? `the mirror ${pre.provider.path} (${pre.provider.named})`
        : 'the Terraform registry';
    say(
      `learning-rooms rehearse: ${relative(o.cwd, o.roster) || o.roster}, ${count(inputs.roster.learners.length, 'learner')} in ${count(inputs.roster.cohorts.length, 'cohort')}; everything goes to ${o.outDir}\n` +
        `  Terraform ${pre.terraform.version} (${pre.terraform.platform}); the github provider from ${provider}, locked in ${LOCK_FILE}\n`,
    );
    let code = 1;
    try {
      code = await r.run(pre.provider.from === 'mirror' ? pre.provider.path : undefined, say, () => signal);
      if (o.keep && !signal && r.double) {
        say(keepMessage(r.double.baseUrl, o.outDir));
        keeping = true;
        await new Promise<void>((done) => (wake = done));
      }
    } catch (err) {
      if (!(err instanceof Interrupted) && !signal) {
        // The message for the operator; the stack for whoever reads the log.
        o.stderr(`learning-rooms rehearse: stopped: ${err instanceof Error ? err.message : String(err)}\n`);
        processes.log(`stopped: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
      code = 1;
    } finally {
      await processes.interrupt(2000);
      if (r.double) await r.double.stop();
      // A Ctrl-C that ends --keep is how the operator stops it, not a failure.
      if (signal && !keeping) code = interruptedCode();
      const end =
        `${signal && !keeping ? `interrupted (${signal}): ` : ''}${r.double ? 'the GitHub double is stopped. ' : ''}` +
        `Everything is in ${o.outDir}${existsSync(join(o.outDir, 'README.txt')) ? ' (README.txt says what each file is)' : ' (rehearsal.log says how far it came)'}.\n`;
      o.stdout(end);
      r.summary.push(end);
      writeFileSync(join(o.outDir, 'summary.txt'), r.summary.join(''));
    }
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function keepMessage(baseUrl: string, outDir: string): string {
  const url = baseUrl.replace(/\/$/, '');
  return [
    '',
    `The GitHub double keeps running at ${baseUrl} (--keep): REST under ${url}/api/v3/, GraphQL at ${url}/api/graphql.`,
    `  curl ${url}/_admin/state          the rooms, files, collaborators and invitations`,
    `  curl ${url}/_admin/counters       requests so far, per room in byRepo`,
    `  curl ${url}/_admin/requests       every request`,
    `  curl -XPOST ${url}/_admin/accept_invites -d '{}'   and the other admin endpoints of docs/github-double.md`,
    `  API calls as the App: App ${REHEARSAL_APP.id}, installations ${REHEARSAL_APP.installations.provisioning} (provisioning) and ${REHEARSAL_APP.installations['read-only']} (read-only), key ${join(outDir, 'app', 'app.pem')}`,
    'Stop it with Ctrl-C.',
    '',
  ].join('\n');
}

/** Runs one step of a job: the calls it makes are checked against the plan's runs for the step. */
interface StepCalls {
  cli(command: string, args: string[], opts?: CallOptions): Promise<ProcessResult>;
  script(
    path: string,
    args: string[],
    opts?: CallOptions & { viaBash?: boolean; nested?: Run[] },
  ): Promise<ProcessResult>;
  terraform(sub: string, args: string[], opts?: CallOptions): Promise<ProcessResult>;
}
interface CallOptions {
  cwd?: string;
  own?: Record<string, string>;
  stdoutFile?: string;
}

class JobRun {
  readonly runnerTemp: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly files: { env: string; output: string; summary: string };
  appended: Record<string, string> = {};
  failed?: string;

  constructor(
    private readonly r: Rehearsal,
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
      serverUrl: r.double!.baseUrl.replace(/\/$/, ''),
      baseUrl: r.double!.baseUrl,
      gitConfig: r.gitConfig,
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

const fail = (message: string): never => {
  throw new StepFailed(message);
};

class Rehearsal {
  readonly admin: string;
  readonly machine: NodeJS.ProcessEnv;
  readonly gitConfig: string;
  readonly summary: string[] = [];
  double?: RunningDouble;
  sha = '';
  private privateKeyPem = '';
  private mirror?: string;
  readonly runIds: string[] = [];
  private readonly stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  /** The first apply's stacks and indexes, for the report. */
  private readonly indexes = new Map<string, LearnerIndex>();
  private plays?: LearnerPlay[];
  private readonly phaseCounts: {
    phase: string;
    since: number;
    total: number;
    byRepo: Record<string, { total: number; contentCreating: number }>;
  }[] = [];

  constructor(
    readonly o: RehearseOptions,
    readonly toolDir: string,
    readonly inputs: Inputs,
    readonly processes: Processes,
  ) {
    this.admin = join(o.outDir, 'admin');
    this.gitConfig = join(o.outDir, '.gitconfig');
    this.machine = machineEnv(o.env);
  }

  credentials(c: Credentials): AppCredentials {
    return {
      appId: REHEARSAL_APP.id,
      installationId: REHEARSAL_APP.installations[c],
      privateKeyPem: this.privateKeyPem,
    };
  }

  private gitEnv(): NodeJS.ProcessEnv {
    return { ...this.machine, GIT_CONFIG_GLOBAL: this.gitConfig, GIT_CONFIG_NOSYSTEM: '1' };
  }

  private async git(args: string[], cwd = this.admin): Promise<string> {
    const r = await this.processes.run('git', args, { cwd, env: this.gitEnv() });
    if (this.processes.interrupted) throw new Interrupted('interrupted');
    if (r.code !== 0) throw new Error(`git ${args.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  }

  /** The admin repository: a git work tree whose `origin` is a bare repository beside it, holding the roster's folder. */
  private async adminRepository(): Promise<void> {
    const { o, inputs } = this;
    writeFileSync(this.gitConfig, '');
    const origin = join(o.outDir, 'admin.git');
    await this.git(['init', '-q', '--bare', '-b', 'main', origin], o.outDir);
    await this.git(['clone', '-q', origin, this.admin], o.outDir);
    writeFileSync(join(this.admin, 'roster.json'), inputs.rosterText);
    mkdirSync(join(this.admin, 'config'), { recursive: true });
    writeFileSync(join(this.admin, GITOPS_CONFIG_FILE), JSON.stringify(inputs.config, null, 2) + '\n');
    cpSync(inputs.requiredFilesFrom, join(this.admin, 'required-files'), { recursive: true });
    copyFileSync(join(o.outDir, LOCK_FILE), join(this.admin, LOCK_FILE));
    writeFileSync(join(this.admin, '.gitignore'), 'cdktf.out/\nsynth-out/\n');
    await this.git(['add', '-A']);
    await this.git([
      '-c',
      'user.name=learning-rooms rehearse',
      '-c',
      'user.email=rehearse@example.invalid',
      'commit',
      '-q',
      '-m',
      'The admin repository of the rehearsal',
    ]);
    await this.git(['push', '-q', 'origin', 'HEAD:main']);
  }

  /** What actions/checkout gives a job: the newest main. A workflow run's GITHUB_SHA is the commit it started at. */
  private async checkout(startsRun = false): Promise<void> {
    await this.git(['fetch', '-q', 'origin']);
    await this.git(['checkout', '-q', '--detach', 'origin/main']);
    await this.git(['reset', '-q', '--hard', 'origin/main']);
    if (startsRun) this.sha = await this.git(['rev-parse', 'HEAD']);
  }

  async run(
    mirror: string | undefined,
    say: (t: string) => void,
    interrupted: () => NodeJS.Signals | undefined,
  ): Promise<number> {
    const { o, inputs } = this;
    this.mirror = mirror;
    // The provisioning App's key (and the read-only App's: the double authenticates one App).
    const keys = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    this.privateKeyPem = keys.privateKey;
    mkdirSync(join(o.outDir, 'app'), { recursive: true });
    writeFileSync(join(o.outDir, 'app', 'app.pem'), keys.privateKey, { mode: 0o600 });
    chmodSync(join(o.outDir, 'app', 'app.pem'), 0o600);
    writeFileSync(join(o.outDir, 'app', 'app.pub.pem'), keys.publicKey);
    const seed = rehearsalSeed({
      roster: inputs.roster,
      owner: inputs.owner,
      defaultTemplate: inputs.defaultTemplate,
      requiredFiles: inputs.requiredFiles,
      templateFiles: o.templateFiles,
      publicKeyPem: keys.publicKey,
    });
    writeFileSync(join(o.outDir, 'app', 'seed.json'), JSON.stringify(seed, null, 2) + '\n');
    await this.adminRepository();

    this.double = await startDouble(seed);
    if (interrupted()) throw new Interrupted('interrupted');
    say(
      `  the GitHub double: ${this.double.baseUrl} (owner ${inputs.owner}; templates ${seed.repos.map((r) => `${r.owner}/${r.name}`).join(', ')} with the required files ${o.templateFiles}; ${seed.users.length} users; App ${REHEARSAL_APP.id} installed twice on ${inputs.owner}: ${REHEARSAL_APP.installations.provisioning} as the provisioning App, ${REHEARSAL_APP.installations['read-only']} as the read-only App)\n`,
    );

    const phases = rehearsalPhases(o.simulate);
    let ok = true;
    for (const [i, phase] of phases.entries()) {
      const n = i + 1;
      const since = this.double.lastSeq();
      say(
        `${n}. ${phase.id === 'apply' ? 'Apply' : phase.id === 'progress' ? 'Progress' : 'Watchdog'} (the admin repository's ${phase.caller})\n`,
      );
      ok = (await this.phase(phase, n, say)) && ok;
      const c = this.double.counters(since);
      this.phaseCounts.push({ phase: phaseFolder(n, phase), since, total: c.total, byRepo: c.byRepo });
      if (!ok) break;
      if (phase.id === 'apply' && o.simulate) ok = this.play(say);
      if (!ok) break;
    }
    this.report(say, ok);
    return ok ? 0 : 1;
  }

  private async phase(phase: Phase, n: number, say: (t: string) => void): Promise<boolean> {
    const dir = join(this.o.outDir, phaseFolder(n, phase));
    const runId = `rehearsal-${this.stamp}-${n}`;
    const out: PhaseOutputs = { stacks: [], checks: new Map(), heal: [] };
    await this.checkout(true);
    for (const job of phase.jobs) {
      if (job.skipped) {
        this.processes.log(`\n== ${phase.caller} job ${job.id}: not rehearsed: ${job.skipped}`);
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
        for (const stack of out.fingerprint?.stacks ?? [])
          await this.planStack(job, join(dir, job.id, stack), out, stack, say);
        return true;
      }
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
    const state = new JobRun(this, stateJob, rt, new Set());
    await state.steps({
      settings: (c) => this.settings(c, state),
      'state-input': async (c) => {
        const r = await c.script(join(this.toolDir, '.github', 'scripts', 'state-input.sh'), [stateInput]);
        if (r.code !== 0) fail(`state-input.sh: exit ${r.code}`);
      },
    });
    if (state.failed) return this.jobFailed(say, 'synth (current state)', state.failed, rt);

    const synthOut = join(rt, 'synth-out');
    const s = new JobRun(this, synthJob, rt, new Set());
    let valid = false;
    rmSync(join(this.admin, 'cdktf.out'), { recursive: true, force: true });
    await s.steps({
      settings: async (c) => {
        mkdirSync(synthOut, { recursive: true });
        const r = await c.cli('gitops-env', []);
        if (r.code !== 0) fail(`gitops-env: exit ${r.code}: ${r.stderr.trim()}`);
        writeFileSync(join(rt, 'gitops.env'), r.stdout);
        s.appendEnv(`${r.stdout}ROSTER_FILE=${join(this.admin, 'roster.json')}\n`);
      },
      validate: async (c) => {
        const r = await c.cli('validate', [join(this.admin, 'roster.json'), '--json'], {
          stdoutFile: join(synthOut, 'validation.json'),
        });
        valid = r.code === 0;
        if (!valid) say(`  the roster is not valid: see ${this.shown(join(synthOut, 'validation.json'))}\n`);
      },
      synth: async (c) => {
        if (!valid) notRun();
        const r = await c.cli('synth', [join(this.admin, 'roster.json')], {
          own: { LEARNING_ROOMS_STATE_DIR: stateInput },
        });
        if (r.code !== 0) fail(`synth: exit ${r.code}: ${r.stderr.trim()}`);
        say(indent(r.stdout, '    '));
      },
      scope: async (c) => {
        if (!valid) notRun();
        const stacks = join(this.admin, 'cdktf.out', 'stacks');
        if (!existsSync(stacks)) notRun();
        cpSync(stacks, join(synthOut, 'stacks'), { recursive: true });
        const summary = join(this.admin, 'cdktf.out', 'synthesis.json');
        if (existsSync(summary)) copyFileSync(summary, join(synthOut, 'synthesis.json'));
        const r = await c.script(
          join(this.toolDir, '.github', 'scripts', 'scope.sh'),
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
    if (!this.indexes.size)
      for (const stack of readdirSync(join(synthOut, 'stacks')))
        this.indexes.set(stack, readLearnerIndex(join(synthOut, 'stacks', stack, LEARNER_INDEX_FILE)));
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
          { own: this.mirror ? { LEARNING_ROOMS_PROVIDER_MIRROR: this.mirror } : {} },
        );
        if (r.code !== 0) fail(`prepare-stack: exit ${r.code}: ${r.stderr.trim()}`);
        const s = await c.script(join(this.toolDir, '.github', 'scripts', 'restore-state.sh'), [
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
    await this.checkout();
    const run = this.newStackRun(out, rt, stack);
    const conditions = new Set<RunCondition>(job.with?.resendExpired ? ['resend-expired'] : []);
    const j = new JobRun(this, job.jobs[0], rt, conditions, { name: stack, dir: run.stackDir });
    const records = join(rt, 'records');
    await j.steps({
      ...this.prepareSteps(j, run),
      plan: async (c) => {
        if (conditions.has('resend-expired')) {
          const r = await c.cli(
            'expired-invitations',
            ['--roster', join(this.admin, 'roster.json'), '--index', join(run.stackDir, LEARNER_INDEX_FILE)],
            {
              stdoutFile: join(rt, 'expired.txt'),
            },
          );
          if (r.code !== 0) fail(`expired-invitations: exit ${r.code}: ${r.stderr.trim()}`);
          run.replaced = readFileSync(join(rt, 'expired.txt'), 'utf8').split('\n').filter(Boolean);
        }
        const r = await c.script(
          join(this.toolDir, '.github', 'scripts', 'terraform-plan.sh'),
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
      apply: async (c) => {
        if (run.plan !== 2) notRun();
        const r = await c.terraform('apply', ['-input=false', '-no-color', '-json', 'tfplan'], {
          cwd: run.runDir,
          stdoutFile: join(run.runDir, 'apply.jsonl'),
        });
        run.apply = r.code;
        for (const e of streamErrors(join(run.runDir, 'apply.jsonl'))) this.processes.log(`error: ${e}`);
      },
      'keep-records': async () => {
        if (run.apply === undefined) notRun();
        mkdirSync(records, { recursive: true });
        for (const f of ['plan.json', 'apply.jsonl']) copyFileSync(join(run.runDir, f), join(records, f));
        copyFileSync(join(run.stackDir, LEARNER_INDEX_FILE), join(records, LEARNER_INDEX_FILE));
        const state = join(rt, 'state', `${stack}.tfstate`);
        if (existsSync(state)) copyFileSync(state, join(records, 'state.tfstate'));
        for (const f of ['commit-back.sh', 'record-stack.sh'])
          copyFileSync(join(this.toolDir, '.github', 'scripts', f), join(rt, f));
      },
      record: async (c) => {
        if (run.apply === undefined) notRun();
        const r = await c.script(
          join(rt, 'commit-back.sh'),
          [
            `learning-rooms: record the apply of ${this.sha.slice(0, 12)} to ${stack} [skip ci]`,
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
      verdict: async () => {
        if (run.plan === 1) fail(`the plan failed: ${errorsIn(join(run.runDir, 'plan.stream.jsonl'))}`);
        if (run.apply !== undefined && run.apply !== 0)
          fail(
            `the apply failed for some learners: ${errorsIn(join(run.runDir, 'apply.jsonl'))} (the summary: ${this.shown(join(records, 'summary.md'))})`,
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
    await this.checkout();
    const run = this.newStackRun(out, rt, stack);
    const j = new JobRun(this, job.jobs[0], rt, new Set(), { name: stack, dir: run.stackDir });
    await j.steps({
      ...this.prepareSteps(j, run),
      plan: async (c) => {
        const r = await c.script(join(this.toolDir, '.github', 'scripts', 'terraform-plan.sh'), ['-lock=false'], {
          cwd: run.runDir,
        });
        if (r.code !== 0) fail(`terraform-plan.sh: exit ${r.code}`);
        run.plan = this.readExitcode(run);
      },
      verdict: async () => {
        if (run.plan === 1) fail(`the plan failed: ${errorsIn(join(run.runDir, 'plan.stream.jsonl'))}`);
      },
    });
    out.checks.set(stack, run);
    say(`  check ${stack}: plan ${planWords(run.plan)}${j.failed ? ` (${j.failed}; see ${this.shown(rt)})` : ''}\n`);
  }

  private async fingerprint(job: CallerJob, rt: string, out: PhaseOutputs, say: (t: string) => void): Promise<boolean> {
    if (out.stacks.length === 0) return true;
    await this.checkout();
    const j = new JobRun(this, job.jobs[0], rt, new Set());
    const dir = rt;
    let stacks: string[] = [];
    await j.steps({
      settings: (c) => this.settings(c, j),
      fingerprint: async (c) => {
        mkdirSync(dir, { recursive: true });
        const r = await c.cli('fingerprint', [
          join(this.admin, 'roster.json'),
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
    out.fingerprint = { ok: !j.failed, stacks };
    say(
      j.failed
        ? `  fingerprint: failed (${j.failed}); every stack counts as planned\n`
        : `  fingerprint: ${stacks.length ? `differs from the configuration: ${stacks.join(', ')}` : 'every room matches its configuration'} (see ${this.shown(join(dir, 'report.md'))})\n`,
    );
    return true;
  }

  private async watchdogReport(
    job: CallerJob,
    rt: string,
    out: PhaseOutputs,
    say: (t: string) => void,
  ): Promise<boolean> {
    await this.checkout();
    const j = new JobRun(this, job.jobs[0], rt, new Set());
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
          const e = await c.cli('expired-invitations', ['--roster', join(this.admin, 'roster.json'), '--index', index]);
          if (e.code !== 0) fail(`expired-invitations: exit ${e.code}: ${e.stderr.trim()}`);
          looks.push({
            stack,
            planned,
            exitcode: planFile && existsSync(planFile) ? check.plan : undefined,
            expired: e.stdout.split('\n').filter(Boolean).length,
          });
        }
        mkdirSync(dir, { recursive: true });
        const r = await c.cli('watchdog-report', [
          '--roster',
          join(this.admin, 'roster.json'),
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
      `  report: ${status}; heal: ${out.heal.join(', ') || 'nothing'} (the admin issue's text: ${this.shown(join(dir, 'watchdog-issue.md'))})\n`,
    );
    this.findings = join(dir, 'watchdog-findings.json');
    return true;
  }

  private findings?: string;
  private progressRan = false;

  private async progress(job: CallerJob, rt: string, _phaseDir: string, say: (t: string) => void): Promise<boolean> {
    const j = new JobRun(this, job.jobs[0], rt, new Set());
    await j.steps({
      settings: async (c) => {
        await this.settings(c, j);
        for (const f of ['commit-back.sh', 'progress-step.sh'])
          copyFileSync(join(this.toolDir, '.github', 'scripts', f), join(rt, f));
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
    const roster = readRosterFile(join(this.admin, 'roster.json')).roster;
    const counts = new Map<string, number>();
    for (const l of roster?.learners ?? [])
      counts.set(l.progress?.status ?? 'not read', (counts.get(l.progress?.status ?? 'not read') ?? 0) + 1);
    say(`  progress: ${[...counts].map(([s, n]) => `${s} ${n}`).join(', ')}${j.failed ? ` (${j.failed})` : ''}\n`);
    this.progressRan = this.progressRan || !j.failed;
    return j.failed ? this.jobFailed(say, 'progress', j.failed, rt) : true;
  }

  /** The learners play (--simulate), through the double's admin API. */
  private play(say: (t: string) => void): boolean {
    const double = this.double!;
    const state = double.admin('GET', '/_admin/state').body as { repos: { full_name: string }[] };
    const existing = new Set(state.repos.map((x) => x.full_name.toLowerCase()));
    const rooms: PlayedRoom[] = [];
    for (const r of this.rooms().filter((x) => x.admitted && existing.has(x.repository.toLowerCase()))) {
      const cohort = this.inputs.roster.cohorts.find((c) => c.cohort_id === r.cohort);
      rooms.push({
        handle: r.handle,
        cohort: r.cohort,
        repository: r.repository,
        requiredFiles: cohort?.required_files ?? [],
        challengeLabel: cohort?.challenge_label ?? 'challenge',
      });
    }
    const { plays, calls } = simulationPlan(rooms);
    this.plays = plays;
    const failures: string[] = [];
    for (const call of calls) {
      const a = double.admin(call.method, call.path, call.body);
      if (a.status >= 300)
        failures.push(
          `${call.method} ${call.path} ${JSON.stringify(call.body)}: ${a.status} ${JSON.stringify(a.body)}`,
        );
    }
    writeFileSync(join(this.o.outDir, 'learners-played.json'), JSON.stringify({ plays, calls }, null, 2) + '\n');
    const expired = plays.filter((p) => p.expires).map((p) => p.handle);
    const drift = plays.filter((p) => p.deletes).map((p) => `${p.deletes} deleted from ${p.repository}`);
    say(
      `The learners play (--simulate): ${plays.filter((p) => p.accepts).length} accept their invitation, ${expired.length ? `${expired.join(', ')} lets it expire` : 'none lets it expire'}; ` +
        `${plays.filter((p) => p.ack).length} write ack; ${plays.filter((p) => p.closes > 0).length} close challenges; drift: ${drift.join(', ') || 'none'}\n`,
    );
    if (rooms.length === 0) failures.push('no room was created, so no learner can play');
    if (failures.length > 0) {
      say(`  the play failed:\n${failures.map((f) => `    ${f}\n`).join('')}`);
      return false;
    }
    return true;
  }

  /** Every learner of the first synthesis with their room (owner/name) and stack. */
  private rooms(): IndexedRoom[] {
    const out: IndexedRoom[] = [];
    for (const [stack, index] of [...this.indexes].sort(([a], [b]) => a.localeCompare(b)))
      for (const l of index.learners)
        out.push({
          handle: l.github_handle,
          cohort: l.cohort_id,
          stack,
          repository: `${index.owner}/${l.repository}`,
          admitted: l.admitted,
        });
    return out;
  }

  private logOutcomes(): LogOutcome[] {
    const file = join(this.admin, 'provisioning-log.json');
    if (!existsSync(file)) return [];
    return parseLog(readFileSync(file, 'utf8')).entries;
  }

  private recordedOutcomes(runId: string, stackDir: string): string | undefined {
    const index = readLearnerIndex(join(stackDir, LEARNER_INDEX_FILE));
    const mine = new Set(index.learners.map((l) => `${l.cohort_id}\u0000${l.github_handle.toLowerCase()}`));
    const counts = new Map<string, number>();
    for (const e of this.logOutcomes())
      if (e.run_id === runId && mine.has(`${e.cohort}\u0000${e.learner.toLowerCase()}`))
        counts.set(e.outcome, (counts.get(e.outcome) ?? 0) + 1);
    return counts.size ? [...counts].map(([k, n]) => `${k} ${n}`).join(', ') : undefined;
  }

  private jobFailed(say: (t: string) => void, what: string, why: string, rt: string): false {
    say(
      `  ${what} FAILED: ${why}\n    the job's folder: ${this.shown(rt)}; every command and its output: rehearsal.log\n`,
    );
    return false;
  }

  /** A path inside the output folder, as the operator finds it there. */
  shown(path: string): string {
    return relative(this.o.outDir, path) || '.';
  }

  /** The records, the per-learner table, the request counts and the README, into the output folder. */
  private report(say: (t: string) => void, ok: boolean): void {
    const { o } = this;
    const copied: FolderEntry[] = [];
    for (const [f, what] of [
      ['roster.json', 'the roster after recording (provisioning states) and progress (statuses)'],
      ['provisioning-log.json', 'the provisioning log: one entry per learner per apply, hash-chained'],
      ['progress.json', "every learner's status with its evidence"],
      ['progress.md', 'the progress report for facilitators'],
      ['progress-history.json', 'counts per status per day'],
      ['dashboard', "the facilitator's dashboard: index.html, and redacted.html to share"],
    ] as const) {
      const from = join(this.admin, f);
      if (!existsSync(from)) continue;
      cpSync(from, join(o.outDir, f), { recursive: true });
      copied.push({ path: statSync(from).isDirectory() ? `${f}/` : f, what });
    }
    const roster = readRosterFile(join(this.admin, 'roster.json')).roster ?? this.inputs.roster;
    const all = this.double!.counters(0);
    const rows = learnerRows({
      roster,
      rooms: this.rooms(),
      log: this.logOutcomes(),
      runIds: new Set(this.runIds),
      plays: this.plays,
      progressRead: this.progressRan,
      applyRequests: this.phaseCounts[0]?.byRepo ?? {},
      allRequests: all.byRepo,
    });
    writeFileSync(
      join(o.outDir, 'requests.json'),
      JSON.stringify(
        {
          total: all.total,
          phases: this.phaseCounts,
          learners: rows.map((r) => ({ learner: r.handle, cohort: r.cohort, room: r.room, requests: r.requests })),
        },
        null,
        2,
      ) + '\n',
    );
    say(`\n${learnerTable(rows)}`);
    const perRoom = Object.values(all.byRepo).reduce((n, x) => n + x.total, 0);
    say(
      `Requests to the double: ${all.total} in all, ${perRoom} of them for a room (the table's counts; requests per phase in requests.json), the rest GraphQL reads and App tokens.\n`,
    );
    const phases = readdirSync(o.outDir)
      .filter((d) => /^\d+-/.test(d))
      .sort();
    const entries: FolderEntry[] = [
      { path: 'README.txt', what: 'this file' },
      { path: 'summary.txt', what: 'what the rehearsal printed' },
      {
        path: 'rehearsal.log',
        what: 'every command of every step, where it ran, its exit status and its output (never an environment: it holds the key)',
      },
      ...copied,
      {
        path: 'requests.json',
        what: "the double's request counts: in all, per phase, per room (byRepo is owner/room)",
      },
      ...(this.plays
        ? [
            {
              path: 'learners-played.json',
              what: 'what each learner did (--simulate) and the admin API calls that did it',
            },
          ]
        : []),
      {
        path: LOCK_FILE,
        what: 'the provider lock file the rehearsal made with terraform providers lock (also committed in admin/)',
      },
      {
        path: 'app/app.pem',
        what: "the throwaway App's private key (PKCS#1, mode 0600): it only ever opened this double",
      },
      {
        path: 'app/app.pub.pem, app/seed.json',
        what: 'its public key, and the world the double started with (from the roster)',
      },
      {
        path: 'admin/',
        what: 'the admin repository (git): roster, config/gitops.json with the rehearsal settings, state/; `git -C admin log origin/main` shows each record commit',
      },
      {
        path: 'admin.git/',
        what: "its remote, standing in for GitHub's copy: the records are pushed there by commit-back.sh",
      },
      ...phases.map((p) => ({ path: `${p}/`, what: phaseWhat(p) })),
      {
        path: '<n>-apply/apply/<stack>/run/<stack>/',
        what: 'the trusted folder Terraform ran in: plan.json (terraform show -json), plan.stream.jsonl, apply.jsonl, exitcode',
      },
      {
        path: '<n>-*/<job>[/<stack>]/',
        what: "each job's RUNNER_TEMP: its $GITHUB_ENV, $GITHUB_OUTPUT, step summary, records/summary.md (the apply's summary)",
      },
    ];
    writeFileSync(
      join(o.outDir, 'README.txt'),
      readme(entries, [
        `Roster: ${o.roster}`,
        `Result: ${ok ? 'every step passed' : 'a step failed: see summary.txt and rehearsal.log'}`,
        "The steps are the workflows' own (rehearsal/workflow-steps.ts in learning-rooms), run with the",
        'environment a runner gives them; GITHUB_BASE_URL points at the double, and config/gitops.json adds',
        'the rehearsal settings: pacing of 10 ms, every learner admitted, the git backend, healing on.',
      ]),
    );
  }
}

function phaseWhat(folder: string): string {
  if (folder.endsWith('-apply'))
    return "the Apply: synth/ (the synth job: state-input, synth-out/ = the artifact), apply/<stack>/ (each stack's apply job)";
  if (folder.endsWith('-watchdog'))
    return 'the Watchdog: synth/, fingerprint/, check/<stack>/ (refreshing plans), report/ (the admin issue text, findings), heal/<stack>/';
  return 'the Progress job: progress/';
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

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
