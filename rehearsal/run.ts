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
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { readSettings, SETTINGS_ENV } from '../contracts/settings';
import { GITOPS_CONFIG_FILE, gitopsEnv } from '../gitops/gitops-config';
import { LOCK_FILE } from '../gitops/provider-lock';
import { formatRosterError, readRosterFile, type Roster } from '../roster';
import { doubleProblem, startDouble, type RunningDouble } from './double';
import { Interrupted } from './job-run';
import { phaseFolder, WorkflowJobs, type JobsHost } from './jobs';
import { writeOutput, type PhaseCount } from './output';
import { preflight } from './preflight';
import { preflightMessage } from './preflight-core';
import { Processes } from './processes';
import { REHEARSAL_APP, rehearsalSeed, type TemplateFiles } from './seed';
import { simulationPlan, type LearnerPlay, type PlayedRoom } from './simulation';
import { machineEnv, type AppCredentials } from './step-env';
import { courseSteps, rehearsalPhases, type Credentials, type PhaseId, type TimedPhase } from './workflow-steps';

export interface RehearseOptions {
  /** The roster file (absolute). */
  roster: string;
  /** The output folder (absolute): new or empty. */
  outDir: string;
  simulate: boolean;
  /** A course's instants (ISO 8601, in order): at each, the plan comment then the Apply; none: the rehearsal of today. */
  at: readonly string[];
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
/** The most rooms one apply can make: a learner's one room, or one per assignment of a course. */
export function roomsAtMost(roster: Roster | undefined): number {
  let n = 0;
  for (const l of roster?.learners ?? []) {
    const cohort = roster?.cohorts.find((c) => c.cohort_id === l.cohort_id);
    n += Math.max(1, cohort?.assignments?.length ?? 0);
  }
  return n;
}

export function rehearsalSettings(own: Record<string, string>, rooms: number): Record<string, string> {
  const out = { ...own };
  // Folders and backends of the operator's own runs have no meaning here: state stays in the admin repository.
  for (const k of [
    'LEARNING_ROOMS_BACKEND_CONFIG',
    'LEARNING_ROOMS_STATE_DIR',
    'LEARNING_ROOMS_BACKEND_DIR',
    'LEARNING_ROOMS_OUTDIR',
    'LEARNING_ROOMS_RUN_STARTED_AT',
    // The instant of a course is the rehearsal's (--at), never the operator's settings'.
    'LEARNING_ROOMS_AT',
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
    // Every room in the first apply: the admission budget paces GitHub's secondary limits, lifted in the double.
    [SETTINGS_ENV.admissionBudget]: String(Math.max(1, rooms)),
    LEARNING_ROOMS_HEAL: 'true',
  };
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
  const config = rehearsalSettings(own, roomsAtMost(roster));
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
    for (const path of new Set([
      ...(cohort.required_files ?? []),
      ...(cohort.assignments ?? []).flatMap((a) => a.required_files ?? []),
    ])) {
      const file = join(requiredFilesFrom, path);
      if (existsSync(file)) requiredFiles.set(path, readFileSync(file, 'utf8'));
      else if (!requiredFiles.has(path))
        problems.push(`cohort ${cohort.cohort_id}: required file ${path}: not in ${requiredFilesFrom}`);
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

/** One rehearsal: its admin repository, its key, its double, and the workflows it runs (jobs.ts). */
class Rehearsal implements JobsHost {
  readonly admin: string;
  readonly outDir: string;
  readonly machine: NodeJS.ProcessEnv;
  readonly gitConfig: string;
  readonly summary: string[] = [];
  readonly jobs: WorkflowJobs;
  double?: RunningDouble;
  sha = '';
  /** The instant of the phase that runs (rehearse --at). */
  at?: string;
  mirror?: string;
  private privateKeyPem = '';
  private plays?: LearnerPlay[];
  private readonly phaseCounts: PhaseCount[] = [];

  constructor(
    readonly o: RehearseOptions,
    readonly toolDir: string,
    readonly inputs: Inputs,
    readonly processes: Processes,
  ) {
    this.admin = join(o.outDir, 'admin');
    this.outDir = o.outDir;
    this.gitConfig = join(o.outDir, '.gitconfig');
    this.machine = machineEnv(o.env);
    this.jobs = new WorkflowJobs(this);
  }

  get baseUrl(): string {
    if (!this.double) throw new Error('the double is not started');
    return this.double.baseUrl;
  }

  shown(path: string): string {
    return relative(this.outDir, path) || '.';
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
  async checkout(startsRun = false): Promise<void> {
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

    const phases: TimedPhase[] =
      o.at.length > 0 ? courseSteps(o.at, o.simulate) : rehearsalPhases(o.simulate).map((phase) => ({ phase }));
    let ok = true;
    for (const [i, { phase, at }] of phases.entries()) {
      const n = i + 1;
      const since = this.double.lastSeq();
      this.at = at;
      say(`${n}. ${PHASE_TITLES[phase.id]} (the admin repository's ${phase.caller})${at ? ` at ${at}` : ''}\n`);
      ok = (await this.jobs.phase(phase, n, say)) && ok;
      const c = this.double.counters(since);
      this.phaseCounts.push({ phase: phaseFolder(n, phase), since, total: c.total, byRepo: c.byRepo });
      if (!ok) break;
      // The learners play once, after the last Apply (a course's: at its last instant).
      if (phase.id === 'apply' && o.simulate && !phases.slice(i + 1).some((p) => p.phase.id === 'apply'))
        ok = this.play(say);
      if (!ok) break;
    }
    writeOutput({
      outDir: o.outDir,
      rosterFile: o.roster,
      admin: this.admin,
      roster: inputs.roster,
      rooms: this.jobs.rooms(),
      log: this.jobs.logOutcomes(),
      runIds: this.jobs.runIds,
      plays: this.plays,
      progressRead: this.jobs.progressRan,
      phaseCounts: this.phaseCounts,
      all: this.double.counters(0),
      ok,
      say,
    });
    return ok ? 0 : 1;
  }

  /** The learners play (--simulate), through the double's admin API. */
  private play(say: (t: string) => void): boolean {
    const double = this.double!;
    const state = double.admin('GET', '/_admin/state').body as { repos: { full_name: string }[] };
    const existing = new Set(state.repos.map((x) => x.full_name.toLowerCase()));
    const rooms: PlayedRoom[] = [];
    const challengeLabel = (cohortId: string) =>
      this.inputs.roster.cohorts.find((c) => c.cohort_id === cohortId)?.challenge_label ?? 'challenge';
    const course = this.jobs.courseRooms();
    // A course (rehearse --at): its rooms at the last instant, each with its members (a team's several).
    for (const r of course.filter((x) => existing.has(x.repository.toLowerCase())))
      rooms.push({
        handle: r.members[0] ?? r.repository,
        cohort: r.cohort,
        repository: r.repository,
        requiredFiles: r.requiredFiles,
        challengeLabel: challengeLabel(r.cohort),
        assignment: r.assignment,
        members: r.members,
      });
    for (const r of this.jobs
      .rooms()
      .filter((x) => x.admitted && existing.has(x.repository.toLowerCase()))
      .filter((x) => !this.jobs.courseStacks().has(x.stack))) {
      const cohort = this.inputs.roster.cohorts.find((c) => c.cohort_id === r.cohort);
      rooms.push({
        handle: r.handle,
        cohort: r.cohort,
        repository: r.repository,
        requiredFiles: cohort?.required_files ?? [],
        challengeLabel: challengeLabel(r.cohort),
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
}

const PHASE_TITLES: Record<PhaseId, string> = {
  plan: 'Plan, the plan comment before the step',
  apply: 'Apply',
  progress: 'Progress',
  watchdog: 'Watchdog',
};

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
