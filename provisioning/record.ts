/**
 * `learning-rooms record`, the post-step after `terraform apply`: classify what the apply did for
 * each learner, append it to the provisioning log, then update the roster.
 *
 * Order matters for crash safety: log first (append-only, idempotent on run id), roster second
 * (derived from the log's entries of the run). A crash between the two leaves a log that already
 * holds the run; the re-run appends nothing and brings the roster to the same state.
 */
import { loadRoster, writeRosterFile } from '../roster';
import { readUtf8File } from '../shared/text-input';
import type { Roster } from '../roster/types';
import type { LearnerIndex } from '../contracts/learner-index';
import { readLearnerIndex } from '../contracts/learner-index';
import type { LogRecord } from './log';
import { AppendResult, appendRun } from './log-file';
import { classifyOutcomes, OutcomeReport } from './outcomes';
import { applyRunToRoster, recordShards, RosterUpdate } from './roster-update';
import { summaryMarkdown } from './summary';
import { parsePlanJson, readTerraformStreamFile } from '../contracts/terraform-plan';
import { stackRunId as stackRunIdOf } from '../contracts/stack-names';

/** Learners whose provisioning differs between two rosters (same learners, same order). */
function changedLearners(before: Roster, after: Roster): number {
  if (before === after) return 0;
  return after.learners.filter(
    (l, i) => JSON.stringify(l.provisioning) !== JSON.stringify(before.learners[i]?.provisioning),
  ).length;
}

export interface RecordOptions {
  planPath: string;
  applyPath: string;
  /** The stack's learner index file; or `index` itself (rebuilt from the roster by the caller). */
  indexPath?: string;
  index?: LearnerIndex;
  rosterPath: string;
  logPath: string;
  runId: string;
  commit: string;
  /** The clock: the time of an apply stream without timestamps, and "now" for the log's time checks. */
  now?: () => Date;
  /** The roster write; replaceable so tests can make the process "crash" between the two writes. */
  writeRoster?: (path: string, roster: Roster) => void;
  beforeLogWrite?: () => void;
  /** Classify and summarize, write neither the log nor the roster (`record --dry-run`). */
  dryRun?: boolean;
}

export interface RecordResult {
  cohort: string;
  /** The classification, absent when the run was already recorded (nothing was re-read). */
  report?: OutcomeReport;
  log: AppendResult;
  roster: RosterUpdate;
  markdown: string;
}

export function toLogRecords(report: OutcomeReport, runId: string, commit: string, time: string): LogRecord[] {
  return report.outcomes.map((o) => {
    const r: LogRecord = {
      run_id: runId,
      commit,
      time,
      cohort: report.cohort_id,
      learner: o.github_handle,
      outcome: o.outcome,
      detail: o.detail,
    };
    if (o.repository) r.repository = o.repository;
    if (o.cause) r.cause = o.cause;
    return r;
  });
}

/**
 * The log's run id for one stack: the run's own for shard 0 (the cohort's stack, as before shards),
 * `<run>/<stack>` for another shard, so that each shard of a cohort applied in one run is recorded
 * once (the log is idempotent on run id and cohort).
 */
export function stackRunId(runId: string, index: Pick<LearnerIndex, 'cohort_id' | 'stack'>): string {
  return stackRunIdOf(runId, index.stack);
}

export function recordRun(opts: RecordOptions): RecordResult {
  if (!opts.runId.trim()) throw new Error('a run id is required (--run-id, or GITHUB_RUN_ID in the environment)');
  const index = opts.index ?? (opts.indexPath !== undefined ? readLearnerIndex(opts.indexPath) : undefined);
  if (!index) throw new Error('a learner index is required (--index, or --cohort to rebuild it from the roster)');
  const runId = stackRunId(opts.runId, index);
  // The roster is read (and validated) before anything is written: a bad roster stops the run early.
  const roster = loadRoster(opts.rosterPath);

  let report: OutcomeReport | undefined;
  const classify = (): LogRecord[] => {
    const { plan, problems } = parsePlanJson(readUtf8File(opts.planPath), opts.planPath);
    const stream = readTerraformStreamFile(opts.applyPath);
    report = classifyOutcomes({ plan, stream, index });
    report.warnings.unshift(...problems.map((p) => p.message));
    // The entry's time is when the apply ran (its stream's first timestamp), so re-recording the same
    // apply later yields the same entries, and the roster can order runs by when they happened.
    const time = stream.startedAt ?? (opts.now ?? (() => new Date()))().toISOString();
    return toLogRecords(report, runId, opts.commit, time);
  };
  const log = appendRun(opts.logPath, runId, index.cohort_id, classify, {
    beforeWrite: opts.beforeLogWrite,
    dryRun: opts.dryRun,
    ...(opts.now ? { now: opts.now } : {}),
  });

  const applied = applyRunToRoster(roster, log.runEntries, log.entries);
  // The shard is recorded with the outcome, so synthesis and the next post-step read it from the roster.
  const sharded = recordShards(applied.roster, index);
  const update: RosterUpdate = {
    ...applied,
    roster: sharded.roster,
    changed: changedLearners(roster, sharded.roster) + sharded.teams,
  };
  if (update.changed > 0 && !opts.dryRun) (opts.writeRoster ?? writeRosterFile)(opts.rosterPath, update.roster);

  const markdown = summaryMarkdown({
    cohort: index.cohort_id,
    runId,
    entries: log.runEntries,
    alreadyRecorded: log.alreadyRecorded,
    warnings: report?.warnings ?? [],
    rosterNotes: update.skipped.map((s) => `${s.learner}: roster not updated (${s.why})`),
  });
  return { cohort: index.cohort_id, ...(report ? { report } : {}), log, roster: update, markdown };
}
