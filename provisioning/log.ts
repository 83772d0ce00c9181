/**
 * The provisioning log of record (`provisioning-log.json`): append-only, hash-chained, one entry
 * per learner per applied stack per run. Pure functions: entry hashing, the canonical file text,
 * parsing and verification. File I/O (locking, the prefix check, atomic writes) is in log-file.ts.
 *
 * File text (canonical, one entry per line so a diff shows exactly the appended lines):
 *
 *     {
 *       "format_version": 1,
 *       "entries": [
 *         {"run_id":"…","commit":"…",…,"prev_hash":"000…","hash":"3f1…"},
 *         {"run_id":"…",…}
 *       ]
 *     }
 *
 * hash = sha256 hex of `learning-rooms/provisioning-log/v1\n` + the entry without `hash`, as JSON
 * with keys sorted and no whitespace. prev_hash is the previous entry's hash (64 zeros for the first).
 */
import { createHash } from 'node:crypto';
import { FAILURE_CAUSES, FailureCause, PROVISIONING_OUTCOMES, ProvisioningOutcome } from '../roster/types';
import { nestingBeyond } from '../shared/text-input';
import { foldHandle } from '../roster/handle';

export const LOG_FORMAT_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);
/**
 * How far apart two clocks may be: the runner that applied (whose stream dates an entry) and the
 * machine that records or verifies. An entry may lie this far ahead of "now", or this far behind
 * an earlier entry, and still be believed. Entries of one run share one time (the apply's start).
 */
export const LOG_CLOCK_SKEW_MS = 10 * 60 * 1000;
const HASH_DOMAIN = 'learning-rooms/provisioning-log/v1\n';
/** The log is 3 levels deep (document, entries, entry); deeper values would reach the recursive hashing. */
const LOG_MAX_DEPTH = 64;

/** What the post-step knows about one learner before the entry is chained. */
export interface LogRecord {
  run_id: string;
  commit: string;
  /** ISO 8601, UTC. */
  time: string;
  cohort: string;
  learner: string;
  repository?: string;
  outcome: ProvisioningOutcome;
  cause?: FailureCause;
  detail: string;
}

export interface LogEntry extends LogRecord {
  prev_hash: string;
  hash: string;
}

/** Field order of an entry line; also the set of fields an entry may have. */
const FIELD_ORDER: (keyof LogEntry)[] = [
  'run_id',
  'commit',
  'time',
  'cohort',
  'learner',
  'repository',
  'outcome',
  'cause',
  'detail',
  'prev_hash',
  'hash',
];
const REQUIRED: (keyof LogEntry)[] = [
  'run_id',
  'commit',
  'time',
  'cohort',
  'learner',
  'outcome',
  'detail',
  'prev_hash',
  'hash',
];

function canonicalJson(value: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) if (value[k] !== undefined) sorted[k] = value[k];
  return JSON.stringify(sorted);
}

export function entryHash(entry: Omit<LogEntry, 'hash'> | LogEntry): string {
  const { hash: _ignored, ...rest } = entry as LogEntry;
  return createHash('sha256')
    .update(HASH_DOMAIN + canonicalJson(rest as unknown as Record<string, unknown>))
    .digest('hex');
}

/** Chains records after `prevHash` (the current last entry's hash, or GENESIS_HASH). */
export function chainRecords(records: LogRecord[], prevHash: string): LogEntry[] {
  const out: LogEntry[] = [];
  let prev = prevHash;
  for (const r of records) {
    const base: Omit<LogEntry, 'hash'> = { ...orderedRecord(r), prev_hash: prev };
    const entry: LogEntry = { ...base, hash: entryHash(base) };
    out.push(entry);
    prev = entry.hash;
  }
  return out;
}

function orderedRecord(r: LogRecord): LogRecord {
  const o: LogRecord = {
    run_id: r.run_id,
    commit: r.commit,
    time: r.time,
    cohort: r.cohort,
    learner: r.learner,
    outcome: r.outcome,
    detail: r.detail,
  };
  if (r.repository !== undefined) o.repository = r.repository;
  if (r.cause !== undefined) o.cause = r.cause;
  return o;
}

export function entryLine(e: LogEntry): string {
  const o: Record<string, unknown> = {};
  for (const k of FIELD_ORDER) if (e[k] !== undefined) o[k] = e[k];
  return JSON.stringify(o);
}

const HEAD = `{\n  "format_version": ${LOG_FORMAT_VERSION},\n  "entries": [\n`;
const TAIL = '\n  ]\n}\n';

/** The canonical file text for these entries. */
export function serializeLog(entries: LogEntry[]): string {
  if (entries.length === 0) return `${HEAD}  ]\n}\n`;
  // Built as an array of pieces: string concatenation of 10^5 lines stays linear either way.
  const parts: string[] = [HEAD];
  for (let i = 0; i < entries.length; i++) {
    if (i > 0) parts.push(',\n');
    parts.push('    ', entryLine(entries[i]));
  }
  parts.push(TAIL);
  return parts.join('');
}

/**
 * true when `older` (a canonical log file) is a prefix of `newer` once its closing brackets are
 * set aside: `newer` keeps every byte of every entry of `older` and only adds lines after them.
 */
export function isLogPrefix(older: string, newer: string): boolean {
  if (older === newer) return true;
  if (!older.endsWith(TAIL)) return false;
  const body = older.slice(0, older.length - TAIL.length);
  if (body === HEAD.slice(0, -1)) return newer.startsWith(HEAD); // an empty log
  return newer.startsWith(body) && newer.startsWith(',\n', body.length);
}

export interface LogFinding {
  kind:
    | 'syntax'
    | 'format'
    | 'field'
    | 'edited'
    | 'removed'
    | 'inserted'
    | 'reordered'
    | 'duplicate'
    | 'anchor'
    | 'future'
    | 'time-order';
  /** 0-based position of the entry concerned in the file. */
  index?: number;
  learner?: string;
  cohort?: string;
  run_id?: string;
  message: string;
}

export interface ParsedLog {
  entries: LogEntry[];
  /** Syntax and field problems; entries with field problems are still returned (best effort). */
  findings: LogFinding[];
  /** true when the text is exactly serializeLog(entries). */
  canonical: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function who(e: Partial<LogEntry> | undefined, index: number): string {
  if (!e) return `entry ${index}`;
  const l = typeof e.learner === 'string' ? e.learner : '?';
  const c = typeof e.cohort === 'string' ? e.cohort : '?';
  const r = typeof e.run_id === 'string' ? e.run_id : '?';
  return `entry ${index} (learner ${l}, cohort ${c}, run ${r})`;
}

function checkFields(raw: unknown, index: number, findings: LogFinding[]): LogEntry | undefined {
  if (!isRecord(raw)) {
    findings.push({ kind: 'field', index, message: `entry ${index}: expected an object` });
    return undefined;
  }
  const problems: string[] = [];
  for (const k of REQUIRED) if (typeof raw[k] !== 'string') problems.push(`"${k}" should be a string`);
  for (const k of Object.keys(raw))
    if (!FIELD_ORDER.includes(k as keyof LogEntry)) problems.push(`unknown field "${k}"`);
  if (typeof raw.outcome === 'string' && !(PROVISIONING_OUTCOMES as readonly string[]).includes(raw.outcome)) {
    problems.push(`"outcome" should be one of ${PROVISIONING_OUTCOMES.join(', ')}, found "${raw.outcome}"`);
  }
  if (raw.cause !== undefined && !(FAILURE_CAUSES as readonly string[]).includes(String(raw.cause))) {
    problems.push(`"cause" should be one of ${FAILURE_CAUSES.join(', ')}, found ${JSON.stringify(raw.cause)}`);
  }
  if (raw.outcome === 'failed' && raw.cause === undefined) problems.push('a failed entry needs a "cause"');
  if (typeof raw.time === 'string' && Number.isNaN(Date.parse(raw.time)))
    problems.push(`"time" should be an ISO 8601 time, found "${raw.time}"`);
  for (const k of ['hash', 'prev_hash'] as const) {
    if (typeof raw[k] === 'string' && !/^[0-9a-f]{64}$/.test(raw[k] as string))
      problems.push(`"${k}" should be 64 hex digits`);
  }
  const entry = raw as unknown as LogEntry;
  if (problems.length > 0)
    findings.push({ kind: 'field', index, ...ids(entry), message: `${who(entry, index)}: ${problems.join('; ')}` });
  return entry;
}

function ids(e: Partial<LogEntry>): Pick<LogFinding, 'learner' | 'cohort' | 'run_id'> {
  const o: Pick<LogFinding, 'learner' | 'cohort' | 'run_id'> = {};
  if (typeof e.learner === 'string') o.learner = e.learner;
  if (typeof e.cohort === 'string') o.cohort = e.cohort;
  if (typeof e.run_id === 'string') o.run_id = e.run_id;
  return o;
}

/**
 * Parses the log. A file that is not valid JSON (cut off by a crash or a bad merge) still yields
 * the entries on its intact lines, so the operator can see how far it is good.
 */
export function parseLog(text: string): ParsedLog {
  const findings: LogFinding[] = [];
  const tooDeep = nestingBeyond(text, LOG_MAX_DEPTH);
  if (tooDeep) {
    findings.push({
      kind: 'syntax',
      message: `${tooDeep.message} at line ${tooDeep.line}, column ${tooDeep.column}: a log entry is a flat object, so the file is damaged`,
    });
    return { entries: [], findings, canonical: false };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    findings.push({
      kind: 'syntax',
      message: `not valid JSON (${(err as Error).message}): the file is truncated or damaged`,
    });
    const entries: LogEntry[] = [];
    for (const line of text.split('\n')) {
      const m = /^\s*(\{.*\})\s*,?\s*$/.exec(line);
      if (!m || line.includes('"format_version"')) continue;
      try {
        const e = checkFields(JSON.parse(m[1]), entries.length, findings);
        if (e) entries.push(e);
      } catch {
        break; // the damaged line: nothing after it is trusted
      }
    }
    if (entries.length > 0) {
      findings[0].message += `; ${entries.length} entr${entries.length === 1 ? 'y is' : 'ies are'} readable before the damage`;
    }
    return { entries, findings, canonical: false };
  }
  if (!isRecord(doc) || !Array.isArray(doc.entries)) {
    findings.push({ kind: 'syntax', message: 'expected {"format_version": 1, "entries": [...]}' });
    return { entries: [], findings, canonical: false };
  }
  if (doc.format_version !== LOG_FORMAT_VERSION) {
    findings.push({
      kind: 'syntax',
      message: `format_version ${JSON.stringify(doc.format_version)} is not supported; expected ${LOG_FORMAT_VERSION}`,
    });
  }
  const entries: LogEntry[] = [];
  doc.entries.forEach((raw, i) => {
    const e = checkFields(raw, i, findings);
    if (e) entries.push(e);
  });
  const canonical = findings.length === 0 && serializeLog(entries) === text;
  return { entries, findings, canonical };
}

/** One learner in one run of one cohort: the log records it once. */
function runLearnerKey(e: { run_id: string; cohort: string; learner: string }): string {
  return `${e.run_id}\u0000${e.cohort}\u0000${foldHandle(e.learner)}`;
}

/**
 * Checks the hash chain and says which entry is wrong and how:
 * - edited: the entry's content does not match its own hash;
 * - inserted: the entries around it chain to each other, and nothing chains to it;
 * - removed: an entry chains to a hash that no entry in the file has;
 * - reordered: an entry chains to an entry that is elsewhere in the file;
 * - duplicate: the same learner, cohort and run twice.
 * Removing entries from the end is invisible to the chain alone: see `checkAnchors`.
 */
export function verifyChain(entries: LogEntry[]): LogFinding[] {
  const findings: LogFinding[] = [];
  const at = (i: number) => who(entries[i], i);
  const indexOfHash = new Map<string, number>();
  const chainedTo = new Set<string>();
  entries.forEach((e, i) => {
    if (!indexOfHash.has(e.hash)) indexOfHash.set(e.hash, i);
    chainedTo.add(e.prev_hash);
  });
  const expectedPrev = (i: number) => (i === 0 ? GENESIS_HASH : entries[i - 1].hash);

  // Inserted entries first, so the two broken links around each are explained once.
  const inserted = new Set<number>();
  for (let k = 0; k < entries.length - 1; k++) {
    if (entries[k + 1].prev_hash === expectedPrev(k) && !chainedTo.has(entries[k].hash)) inserted.add(k);
  }
  const explained = new Set<number>();
  for (const k of inserted) {
    explained.add(k);
    explained.add(k + 1);
    findings.push({
      kind: 'inserted',
      index: k,
      ...ids(entries[k]),
      message: `${at(k)} was inserted: the entries before and after it chain to each other`,
    });
  }

  const seen = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (entryHash(e) !== e.hash) {
      findings.push({
        kind: 'edited',
        index: i,
        ...ids(e),
        message: `${at(i)} was edited: its content does not match its hash`,
      });
    }
    const key = runLearnerKey(e);
    const first = seen.get(key);
    if (first !== undefined) {
      findings.push({
        kind: 'duplicate',
        index: i,
        ...ids(e),
        message: `${at(i)} repeats entry ${first}: one run records a learner once`,
      });
    } else seen.set(key, i);
    if (explained.has(i) || e.prev_hash === expectedPrev(i)) continue;
    const j = e.prev_hash === GENESIS_HASH ? -1 : indexOfHash.get(e.prev_hash);
    if (j === undefined) {
      const where = i === 0 ? 'before the first entry' : `between ${at(i - 1)} and ${at(i)}`;
      findings.push({
        kind: 'removed',
        index: i,
        ...ids(e),
        message: `entries were removed ${where}: ${at(i)} chains to an entry that is not in the file${i > 0 ? ` (or ${at(i - 1)} was edited and re-hashed)` : ''}`,
      });
    } else {
      const follows = j === -1 ? 'the start of the log' : at(j);
      findings.push({
        kind: 'reordered',
        index: i,
        ...ids(e),
        message: `${at(i)} is out of order: it was written after ${follows}`,
      });
    }
  }
  return findings.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
}

/**
 * Checks that the log's history is possible: no entry dated after `now` (beyond the clock skew),
 * and no entry dated before an earlier entry (beyond the same skew). The chain cannot see either:
 * anyone can append an entry with a correct hash. An entry from the future would otherwise stay
 * its learner's latest, so no real apply could update that learner again.
 * Entries before `from` are only read (they were checked already); findings start at `from`.
 */
export function checkTimes(entries: LogEntry[], now: Date, from = 0): LogFinding[] {
  const findings: LogFinding[] = [];
  const skew = `${LOG_CLOCK_SKEW_MS / 60_000}-minute clock skew`;
  const latestAllowed = now.getTime() + LOG_CLOCK_SKEW_MS;
  // The latest believable time so far (entries from the future are reported, not followed).
  let latest: { index: number; time: number } | undefined;
  entries.forEach((e, i) => {
    const t = Date.parse(e.time);
    if (Number.isNaN(t)) return; // reported as a field problem
    if (t > latestAllowed) {
      if (i >= from) {
        findings.push({
          kind: 'future',
          index: i,
          ...ids(e),
          message: `${who(e, i)} is dated ${e.time}, in the future: expected a time no later than ${new Date(latestAllowed).toISOString()} (now, ${now.toISOString()}, plus the ${skew}); such an entry would stay the learner's latest and stop every later apply from updating them`,
        });
      }
      return;
    }
    if (latest && t < latest.time - LOG_CLOCK_SKEW_MS && i >= from) {
      findings.push({
        kind: 'time-order',
        index: i,
        ...ids(e),
        message: `${who(e, i)} is dated ${e.time}, before ${who(entries[latest.index], latest.index)} at ${entries[latest.index].time}: expected entries in the order their applies ran, no earlier than ${new Date(latest.time - LOG_CLOCK_SKEW_MS).toISOString()} (the ${skew})`,
      });
    }
    if (!latest || t > latest.time) latest = { index: i, time: t };
  });
  return findings;
}

/** The last hash of the log (GENESIS_HASH when empty): what the next entry chains to. */
export function headHash(entries: LogEntry[]): string {
  return entries.length === 0 ? GENESIS_HASH : entries[entries.length - 1].hash;
}

/**
 * Checks against anchors kept elsewhere, which catch what the chain cannot: entries cut from the
 * end. `base`: an earlier copy of the log (e.g. from git) that must be a prefix of this one.
 * `runs`: (learner, cohort, run id) triples recorded elsewhere (the roster's last_run_id) that must
 * each have an entry.
 */
export function checkAnchors(
  entries: LogEntry[],
  anchors: { base?: LogEntry[]; runs?: { learner: string; cohort: string; run_id: string }[] },
): LogFinding[] {
  const findings: LogFinding[] = [];
  if (anchors.base) {
    const base = anchors.base;
    if (base.length > entries.length) {
      findings.push({
        kind: 'removed',
        index: entries.length,
        ...ids(base[entries.length]),
        message: `${base.length - entries.length} entr${base.length - entries.length === 1 ? 'y was' : 'ies were'} removed from the end: the earlier copy has ${base.length}, this log ${entries.length}; the first missing is ${who(base[entries.length], entries.length)}`,
      });
    }
    const n = Math.min(base.length, entries.length);
    for (let i = 0; i < n; i++) {
      if (base[i].hash !== entries[i].hash) {
        findings.push({
          kind: 'anchor',
          index: i,
          ...ids(entries[i]),
          message: `${who(entries[i], i)} differs from the earlier copy (which has ${who(base[i], i)} there)`,
        });
        break;
      }
    }
  }
  if (anchors.runs) {
    const present = new Set(entries.map(runLearnerKey));
    for (const r of anchors.runs) {
      if (!present.has(runLearnerKey(r))) {
        findings.push({
          kind: 'anchor',
          learner: r.learner,
          cohort: r.cohort,
          run_id: r.run_id,
          message: `the roster records run ${r.run_id} for learner ${r.learner} (cohort ${r.cohort}), but the log has no such entry: entries were removed`,
        });
      }
    }
  }
  return findings;
}
