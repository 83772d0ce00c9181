/**
 * Appending to `provisioning-log.json` on disk. The writer never rewrites: it verifies what is on
 * disk, builds the new text as (what is on disk) + (new lines), and refuses when the file on disk is
 * not exactly a prefix of what it would write: another writer got there first, or someone edited it.
 * A lock file keeps two writers on one machine from interleaving; the re-read just before the
 * atomic rename catches the rest.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { writeFileAtomic } from '../shared/atomic-write';
import { decodeUtf8, formatTextProblem } from '../shared/text-input';
import {
  chainRecords,
  checkTimes,
  headHash,
  isLogPrefix,
  LogEntry,
  LogRecord,
  parseLog,
  serializeLog,
  verifyChain,
} from './log';

export class LogRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogRefusedError';
  }
}

export interface AppendResult {
  /** Entries added by this call (none when the run was already recorded). */
  appended: LogEntry[];
  /** The log's entries of this run and cohort: the new ones, or those recorded earlier. */
  runEntries: LogEntry[];
  /** Every entry now in the log. */
  entries: LogEntry[];
  alreadyRecorded: boolean;
}

export interface AppendOptions {
  /** Called after the log was read and the new text built, before the write: lets tests act as a second writer. */
  beforeWrite?: () => void;
  /** The clock that entries' times are checked against (default: the system clock). */
  now?: () => Date;
  /** Check and build everything, write nothing (not even the lock file). */
  dryRun?: boolean;
}

function readText(path: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const decoded = decodeUtf8(bytes);
  if ('problem' in decoded) {
    throw new LogRefusedError(
      `${formatTextProblem(path, decoded.problem)}: the log is damaged, so nothing was appended (see docs/provisioning-log.md, "Recovery")`,
    );
  }
  return decoded.text;
}

/**
 * Reads and fully checks the log (chain, layout, and times against `now`); throws LogRefusedError
 * when it cannot be appended to. A forged entry dated in the future stops the post-step here,
 * before anything is written, rather than silently keeping its learner from being updated.
 */
export function readLogForAppend(
  path: string,
  now: Date = new Date(),
): { text: string | undefined; entries: LogEntry[] } {
  const text = readText(path);
  if (text === undefined) return { text, entries: [] };
  const parsed = parseLog(text);
  const problems = [
    ...parsed.findings,
    ...(parsed.findings.length === 0 ? [...verifyChain(parsed.entries), ...checkTimes(parsed.entries, now)] : []),
  ];
  if (problems.length > 0) {
    throw new LogRefusedError(
      `${path} fails verification, so nothing was appended (run \`learning-rooms verify-log\` and see docs/provisioning-log.md, "Recovery"):\n` +
        problems.map((f) => `  - ${f.message}`).join('\n'),
    );
  }
  if (!parsed.canonical) {
    throw new LogRefusedError(
      `${path} is not in the canonical layout (reformatted by hand or by a tool?): restore it from git; nothing was appended`,
    );
  }
  return { text, entries: parsed.entries };
}

function acquireLock(path: string): () => void {
  const lock = `${path}.lock`;
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      let owner = '';
      try {
        owner = readFileSync(lock, 'utf8').trim();
      } catch {
        // the other writer may have just released it
      }
      throw new LogRefusedError(
        `another writer holds ${lock}${owner ? ` (${owner})` : ''}; nothing was appended. If no \`learning-rooms record\` is running, remove the lock file and re-run.`,
      );
    }
    throw err;
  }
  try {
    writeSync(fd, `pid ${process.pid} since ${new Date().toISOString()}\n`);
  } finally {
    closeSync(fd);
  }
  return () => {
    try {
      unlinkSync(lock);
    } catch {
      // already gone: nothing to release
    }
  };
}

/**
 * Appends one run's records for one cohort. Idempotent on (run id, cohort): when the log already
 * holds entries of that run for that cohort, nothing is written and those entries are returned, so
 * a re-run after a crash converges on what was recorded the first time.
 */
export function appendRun(
  path: string,
  runId: string,
  cohort: string,
  records: LogRecord[] | (() => LogRecord[]),
  opts: AppendOptions = {},
): AppendResult {
  const release = opts.dryRun ? () => undefined : acquireLock(path);
  try {
    const now = (opts.now ?? (() => new Date()))();
    const { text, entries } = readLogForAppend(path, now);
    const recorded = entries.filter((e) => e.run_id === runId && e.cohort === cohort);
    if (recorded.length > 0) return { appended: [], runEntries: recorded, entries, alreadyRecorded: true };
    // Records may be computed lazily: an already-recorded run then costs no classification at all.
    const list = typeof records === 'function' ? records() : records;
    const foreign = list.filter((r) => r.run_id !== runId || r.cohort !== cohort);
    if (foreign.length > 0)
      throw new Error(`internal: records of another run or cohort passed to appendRun (${foreign[0].learner})`);
    if (list.length === 0) return { appended: [], runEntries: [], entries, alreadyRecorded: false };

    const appended = chainRecords(list, headHash(entries));
    const all = entries.concat(appended);
    // This run's time (its apply's start) must be possible too: not ahead of now, not before an
    // apply already recorded. Entries of one run share that time, so one message says it.
    const impossible = checkTimes(all, now, entries.length);
    if (impossible.length > 0) {
      const others = impossible.length - 1;
      throw new LogRefusedError(
        `nothing was appended for run ${runId} (cohort ${cohort}): ${impossible[0].message}${others > 0 ? ` (and ${others} more entr${others === 1 ? 'y' : 'ies'} of this run)` : ''}. See docs/provisioning-log.md, "Recovery".`,
      );
    }
    const next = serializeLog(all);
    opts.beforeWrite?.();
    // The rule: what is on disk now must be a prefix of what we write (its closing brackets aside).
    const onDisk = readText(path);
    if (text === undefined ? onDisk !== undefined : onDisk === undefined || !isLogPrefix(onDisk, next)) {
      throw new LogRefusedError(
        `${path} changed while this run was being recorded (another writer got there first?): it is no longer a prefix of what would be written, so nothing was appended. Re-run to record on top of it.`,
      );
    }
    if (!opts.dryRun) writeFileAtomic(path, next);
    return { appended, runEntries: appended, entries: all, alreadyRecorded: false };
  } finally {
    release();
  }
}
