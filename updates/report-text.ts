/**
 * What `propose-update` prints for the operator: the starter-code line of each unit, the files
 * refused or left to Terraform, each room's outcome (with its files in a dry run), counts, and
 * what is left for the next run. Values from the template or the roster are escaped for the
 * terminal. Pure.
 */
import { escapeControls } from '../shared/terminal-text';
import type { ProposeResult, RoomOutcome } from './run';
import { statusSentence } from './status';

/** Outcomes in the order the counts are said. */
export const OUTCOME_ORDER: readonly RoomOutcome[] = [
  'opened',
  'would-open',
  'already-open',
  'merged',
  'declined',
  'up-to-date',
  'archived',
  'missing',
  'failed',
  'left',
];

export function outcomeCounts(result: ProposeResult): Record<RoomOutcome, number> {
  const counts = Object.fromEntries(OUTCOME_ORDER.map((o) => [o, 0])) as Record<RoomOutcome, number>;
  for (const r of result.rooms) counts[r.outcome]++;
  return counts;
}

export function countsLine(result: ProposeResult): string {
  const counts = outcomeCounts(result);
  const said = OUTCOME_ORDER.filter((o) => counts[o] > 0).map((o) => `${counts[o]} ${o}`);
  return `${result.rooms.length} room${result.rooms.length === 1 ? '' : 's'}: ${said.join(', ') || 'none to update'}`;
}

export function reportText(result: ProposeResult, options: { dryRun?: boolean; countOnly?: boolean } = {}): string {
  const out: string[] = [];
  const e = escapeControls;
  for (const u of result.units) {
    out.push(e(statusSentence(u.status)));
    for (const r of u.change?.refused ?? []) out.push(`  left out: ${e(r.path)}: ${e(r.reason)}`);
    for (const p of u.change?.required ?? [])
      out.push(`  left to Terraform: ${e(p)} is a required file, enforced on the default branch`);
    for (const n of u.change?.notes ?? []) out.push(`  note: ${e(n)}`);
  }
  if (options.countOnly) return out.join('\n') + '\n';
  for (const r of result.rooms) {
    if (r.outcome === 'left') continue;
    const pr = r.pull_request ? ` #${r.pull_request.number}` : '';
    const detail = r.detail ? `: ${e(r.detail)}` : '';
    out.push(`${r.outcome} ${e(r.repository)}${pr}${detail}`);
    if (options.dryRun)
      for (const f of r.files ?? [])
        out.push(`  ${f.change} ${e(f.path)}${f.learner_changed ? ' (the learner changed it)' : ''}`);
  }
  out.push(countsLine(result));
  const left = result.rooms.filter((r) => r.outcome === 'left').length;
  if (result.stopped)
    out.push(`stopped: ${e(result.stopped)}; ${left} room${left === 1 ? '' : 's'} left for the next run`);
  else if (left > 0) out.push(`${left} room${left === 1 ? '' : 's'} left for the next run (--limit)`);
  out.push(`${result.requests} requests, ${result.writes} writes`);
  return out.join('\n') + '\n';
}
