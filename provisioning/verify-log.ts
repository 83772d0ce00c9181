/** `learning-rooms verify-log`: the whole check of a provisioning log file, with optional anchors. */
import { readFileSync } from 'node:fs';
import { loadRoster } from '../roster';
import { decodeUtf8 } from '../shared/text-input';
import { checkAnchors, checkTimes, GENESIS_HASH, headHash, LogEntry, LogFinding, parseLog, verifyChain } from './log';

export interface VerifyResult {
  entries: number;
  head: string;
  findings: LogFinding[];
}

export interface VerifyOptions {
  /** An earlier copy of the log that must be a prefix of this one. */
  baseText?: string;
  /** (learner, cohort, run id) the roster records, each of which must have an entry. */
  roster?: { learner: string; cohort: string; run_id: string }[];
  /** What entries' times are checked against (default: the system clock). */
  now?: Date;
}

export function verifyLogText(text: string, anchors: VerifyOptions = {}): VerifyResult {
  const parsed = parseLog(text);
  const findings = [
    ...parsed.findings,
    ...verifyChain(parsed.entries),
    ...checkTimes(parsed.entries, anchors.now ?? new Date()),
  ];
  if (parsed.findings.length === 0 && !parsed.canonical) {
    findings.push({
      kind: 'format',
      message:
        'the entries verify, but the file is not in the canonical layout (reformatted?): `record` will refuse to append until it is restored',
    });
  }
  let base: LogEntry[] | undefined;
  if (anchors.baseText !== undefined) {
    const b = parseLog(anchors.baseText);
    if (b.findings.length > 0)
      findings.push({ kind: 'anchor', message: `the earlier copy is itself damaged: ${b.findings[0].message}` });
    else base = b.entries;
  }
  findings.push(...checkAnchors(parsed.entries, { base, runs: anchors.roster }));
  return { entries: parsed.entries.length, head: headHash(parsed.entries), findings };
}

/** The file's text, or the damage that keeps it from being read as UTF-8 (a syntax finding). */
function readLogText(path: string): { text: string } | { finding: LogFinding } {
  const decoded = decodeUtf8(readFileSync(path));
  if ('text' in decoded) return decoded;
  const p = decoded.problem;
  // No path here: the command prefixes each finding with the file it names.
  return {
    finding: { kind: 'syntax', message: `line ${p.line}, column ${p.column}: ${p.message}: the file is damaged` },
  };
}

export function verifyLogFile(
  path: string,
  opts: { basePath?: string; rosterPath?: string; now?: Date } = {},
): VerifyResult {
  const read = readLogText(path);
  if ('finding' in read) return { entries: 0, head: GENESIS_HASH, findings: [read.finding] };
  const text = read.text;
  let baseText: string | undefined;
  if (opts.basePath) {
    const base = readLogText(opts.basePath);
    if ('finding' in base)
      return {
        entries: 0,
        head: GENESIS_HASH,
        findings: [{ kind: 'anchor', message: `the earlier copy is itself damaged: ${base.finding.message}` }],
      };
    baseText = base.text;
  }
  let roster: { learner: string; cohort: string; run_id: string }[] | undefined;
  if (opts.rosterPath) {
    roster = [];
    for (const l of loadRoster(opts.rosterPath).learners) {
      const run = l.provisioning.last_run_id;
      if (run) roster.push({ learner: l.github_handle, cohort: l.cohort_id, run_id: run });
    }
  }
  return verifyLogText(text, { baseText, roster, ...(opts.now ? { now: opts.now } : {}) });
}
