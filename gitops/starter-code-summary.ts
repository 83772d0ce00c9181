/**
 * The run summary of a starter-code round (the Propose update workflow's, from `propose-update
 * --summary-out`) and the plan comment's optional starter-code section: Markdown with every value
 * from the roster or a template in a code span, so nothing pings or links. Pure.
 */
import { code, table } from './markdown';
import type { ProposeResult, RoomOutcome } from '../updates/run';
import { outcomeCounts } from '../updates/report-text';
import { statusSentence, type StarterCodeStatus } from '../updates/status';

const quote = (t: string) => code(t, 200);
/** Rows of the per-room table; the rest are counted (the run's artifact holds them all). */
const ROOM_ROWS_MAX = 300;

const LABEL: Record<RoomOutcome, string> = {
  opened: 'pull request opened',
  'would-open': 'would open a pull request',
  'already-open': 'already has it (open)',
  merged: 'merged by the learner',
  declined: 'closed by the learner',
  'up-to-date': 'already up to date',
  archived: 'archived: skipped',
  missing: 'no such repository: skipped',
  failed: '**failed**',
  left: 'left for the next run',
};

/**
 * The starter-code lines of the plan comment and the Apply summary: the units whose template moved,
 * or whose recorded commit cannot be read. A cohort that never recorded one is not named there
 * (an operator who does not use updates is not reminded on every run); `propose-update` says it.
 */
export function starterCodeSection(units: readonly StarterCodeStatus[]): string[] {
  const shown = units.filter((u) => u.state === 'changed' || u.state === 'unreadable');
  if (shown.length === 0) return [];
  return ['### Starter code', '', ...shown.map((u) => `- ${statusSentence(u, quote)}`), ''];
}

export function starterCodeSummary(result: ProposeResult, options: { dryRun?: boolean } = {}): string {
  const out: string[] = [`## Starter-code updates${options.dryRun ? ' (dry run: nothing written)' : ''}`, ''];
  for (const u of result.units) {
    out.push(`- ${statusSentence(u.status, quote)}`);
    for (const r of u.change?.refused ?? []) out.push(`  - left out: ${quote(r.path)}: ${r.reason}`);
    for (const p of u.change?.required ?? []) out.push(`  - left to Terraform (a required file): ${quote(p)}`);
  }
  out.push('');
  const counts = outcomeCounts(result);
  const made = counts.opened + counts['would-open'];
  const skipped =
    counts['already-open'] + counts.merged + counts.declined + counts['up-to-date'] + counts.archived + counts.missing;
  out.push(
    ...table(
      [options.dryRun ? 'would be made' : 'made', 'skipped', 'failed', 'left for the next run'],
      [[String(made), String(skipped), String(counts.failed), String(counts.left)]],
    ),
    '',
  );
  if (result.stopped)
    out.push(`Stopped before the end: ${result.stopped}. The next run continues where this one stopped.`, '');
  const rows = result.rooms.filter((r) => r.outcome !== 'left');
  if (rows.length > 0) {
    out.push(
      ...table(
        ['room', 'unit', 'outcome', 'detail'],
        rows
          .slice(0, ROOM_ROWS_MAX)
          .map((r) => [
            quote(r.repository),
            quote(r.unit),
            LABEL[r.outcome] + (r.pull_request ? ` #${r.pull_request.number}` : ''),
            r.detail ? quote(r.detail) : r.files ? `${r.files.length} file${r.files.length === 1 ? '' : 's'}` : '',
          ]),
      ),
    );
    if (rows.length > ROOM_ROWS_MAX) out.push('', `… and ${rows.length - ROOM_ROWS_MAX} more rooms: see the run log.`);
    out.push('');
  }
  out.push(`<sub>${result.requests} requests, ${result.writes} writes.</sub>`, '');
  return out.join('\n');
}
