/**
 * The per-learner table of `progress.md`: learners who need action first, then those who need
 * help, then everyone else by cohort, path and handle; fitted under PROGRESS_MARKDOWN_LIMIT so the
 * page stays within what GitHub shows (the workflow also appends it to the run's summary, which
 * GitHub caps at 1 MiB).
 */
import { code, fit, Part, table } from '../gitops/markdown';
import { renderMarkdown } from '../progress/report';
import type { ProgressReport } from '../progress/report';
import { learnerKey } from '../roster/handle';
import type { Roster } from '../roster/types';
import { buildDashboard, Dashboard, LearnerRow } from './model';

export const PROGRESS_MARKDOWN_LIMIT = 512_000;

const ACTION_WORDS: Record<string, string> = {
  'invitation-expired': 'invitation expired',
  'apply-failed': 'apply failed',
  queued: 'queued',
  'room-missing': 'room missing',
  'room-archived': 'room archived',
  'not-read': 'room not read',
  drift: 'drift',
};

/** A course learner's assignments after their status: " (a1 complete 2 of 2; a3 team-1 in-progress 1 of 3)". */
function assignmentsText(r: LearnerRow): string {
  if (!r.assignments) return '';
  const each = r.assignments.map(
    (a) =>
      `${a.id}${a.team !== undefined ? ` ${a.team}` : ''} ${a.status}${a.total > 0 ? ` ${a.closed} of ${a.total}` : ''}`,
  );
  return ` (${each.join('; ')})`;
}

export function learnersMarkdown(d: Dashboard, limit: number): string {
  const why = new Map<string, string>();
  for (const a of d.action) {
    if (!a.handle) continue;
    const k = learnerKey(a.handle, a.cohort);
    const words = ACTION_WORDS[a.kind] ?? a.kind;
    why.set(k, why.has(k) ? `${why.get(k)}, ${words}` : `action: ${words}`);
  }
  for (const h of d.help) why.set(learnerKey(h.row.handle, h.row.cohort), `help: ${h.idleDays} days without activity`);
  const keyOf = (r: LearnerRow) => learnerKey(r.handle, r.cohort);
  const rank = (r: LearnerRow) => (r.attention === 'action' ? 0 : r.attention === 'help' ? 1 : 2);
  const everyone = d.groups.flatMap((g) => g.rows);
  // Needs action and needs help in their own order (kind, then longest idle); everyone else as grouped.
  const actionOrder = new Map<string, number>();
  d.action.forEach((a, i) => {
    const k = a.handle ? learnerKey(a.handle, a.cohort) : undefined;
    if (k && !actionOrder.has(k)) actionOrder.set(k, i);
  });
  const helpOrder = new Map(d.help.map((h, i) => [keyOf(h.row), i]));
  const position = new Map(everyone.map((r, i) => [keyOf(r), i]));
  const order = (r: LearnerRow) =>
    (r.attention === 'action'
      ? actionOrder.get(keyOf(r))
      : r.attention === 'help'
        ? helpOrder.get(keyOf(r))
        : position.get(keyOf(r))) ?? 0;
  const rows = [...everyone].sort((a, b) => rank(a) - rank(b) || order(a) - order(b));
  const parts: Part[] = [
    '',
    '## Learners',
    '',
    `Needs action first, then needs help (no activity for ${d.idleDays} days or more up to ${d.asOf}), then everyone else by cohort, path and handle. Withdrawn learners are left out. The dashboard (\`dashboard/index.html\`) has the same with names and links.`,
    '',
    {
      head: table(['learner', 'cohort', 'path', 'status', 'k of n', 'last activity', 'room', 'attention'], []),
      rows: rows.map(
        (r) =>
          `| ${code(r.handle)} | ${code(r.cohort)} | ${code(r.path)} | ${r.status}${assignmentsText(r)} | ${r.total > 0 ? `${r.closed} of ${r.total}` : ''} | ${r.lastActivity ? r.lastActivity.slice(0, 10) : ''} | ${r.repository ? code(r.repository) : ''} | ${why.get(keyOf(r)) ?? ''} |`,
      ),
      more: (n) => `\n… and ${n} more learners: see \`dashboard/index.html\` or \`progress.json\`.`,
    },
  ];
  return fit(parts, limit, '… cut here: see `dashboard/index.html`.') + '\n';
}

/** The whole of `progress.md`: counts, stuck longest (withdrawn learners left out) and unread rooms, then the learner table. */
export function progressMarkdown(report: ProgressReport, roster: Roster, limit = PROGRESS_MARKDOWN_LIMIT): string {
  // Withdrawn learners are nobody's to chase: not in "stuck longest" either.
  const withdrawn = new Set(
    roster.learners
      .filter((l) => l.provisioning.state === 'archived')
      .map((l) => learnerKey(l.github_handle, l.cohort_id)),
  );
  const head = renderMarkdown({
    ...report,
    stuck: report.stuck.filter((s) => !withdrawn.has(learnerKey(s.github_handle, s.cohort_id))),
  });
  return head + learnersMarkdown(buildDashboard({ roster, report }), limit - head.length);
}
