/**
 * The rehearsal's child processes: one at a time, never blocking the event loop (the GitHub double
 * answers Terraform from this process), each in its own process group so that an interruption
 * stops it and everything it started. Every run is written to the log: the command, where, its
 * exit status and its output. Never the environment: it holds the App's key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, createWriteStream } from 'node:fs';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Send stdout to this file instead of keeping it (a plan or apply stream). */
  stdoutFile?: string;
  timeoutMs?: number;
  /** What the log says this is. */
  label?: string;
}

/** Exit status of a child stopped by a signal, as a shell reports it. */
const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGKILL: 137 };

export class Processes {
  private current?: ChildProcess;
  private stopping = false;

  private logFile?: string;

  /** From now on, write every run to this file. */
  logTo(file: string): void {
    this.logFile = file;
  }

  log(text: string): void {
    if (this.logFile) appendFileSync(this.logFile, text.endsWith('\n') ? text : `${text}\n`);
  }

  get interrupted(): boolean {
    return this.stopping;
  }

  run(command: string, args: readonly string[], opts: RunOptions): Promise<ProcessResult> {
    if (this.stopping) return Promise.resolve({ code: 130, stdout: '', stderr: 'interrupted', timedOut: false });
    this.log(`$ ${[command, ...args].map(quote).join(' ')}    (in ${opts.cwd}${opts.label ? `; ${opts.label}` : ''})`);
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], {
        cwd: opts.cwd,
        env: opts.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.current = child;
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const file = opts.stdoutFile ? createWriteStream(opts.stdoutFile) : undefined;
      if (file) child.stdout.pipe(file);
      else child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
      child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
      const timer = opts.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            killGroup(child, 'SIGKILL');
          }, opts.timeoutMs)
        : undefined;
      child.on('error', (err) => {
        if (timer) clearTimeout(timer);
        this.current = undefined;
        reject(err);
      });
      child.on('close', (status, signal) => {
        if (timer) clearTimeout(timer);
        this.current = undefined;
        const code = status ?? (signal ? (SIGNAL_CODES[signal] ?? 128) : 1);
        const done = () => {
          this.log(
            `${file ? `(stdout in ${opts.stdoutFile})\n` : stdout}${stderr}-> exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s${timedOut ? ' (time limit reached)' : ''}\n`,
          );
          resolve({ code, stdout, stderr, timedOut });
        };
        if (file) file.end(done);
        else done();
      });
    });
  }

  /** Stops the running child and its group (SIGTERM, then SIGKILL after `graceMs`), and refuses new ones. */
  async interrupt(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const child = this.current;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      child.once('close', () => {
        clearTimeout(timer);
        done();
      });
      killGroup(child, 'SIGTERM');
    });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** A word as a shell would need it, for the log. */
export function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
