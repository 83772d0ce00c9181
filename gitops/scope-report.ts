/**
 * The scope of a run in Markdown, for the plan comment and the run summaries: which stacks are
 * planned and why, which are left out and why, whether GitHub is read (refresh) or the recorded
 * state is trusted, and the estimate of requests and minutes made before the run starts.
 */
import { code, text } from './markdown';
import { JOB_SETUP_MINUTES, type ScopeDocument } from './stack-scope';

const MODE_TEXT: Record<ScopeDocument['mode'], string> = {
  'scoped-plan':
    "Planned against the recorded state (`terraform plan -refresh=false`): GitHub is not read, so a room changed outside Terraform does not show here. Drift is the watchdog's job; the apply after merging refreshes before it acts.",
  'refresh-plan': 'Planned with refresh: every room of these stacks is read from GitHub.',
  apply: 'Each stack is planned with refresh (every room read from GitHub), checked, then applied.',
};

const NAMES_SHOWN = 20;

function names(stacks: readonly string[]): string {
  const shown = stacks.slice(0, NAMES_SHOWN).map((s) => code(s));
  return stacks.length > NAMES_SHOWN ? `${shown.join(', ')} and ${stacks.length - NAMES_SHOWN} more` : shown.join(', ');
}

const minutes = (m: number) => (m < 0.1 ? 'under 0.1' : m.toFixed(1));

/** Lines of Markdown; every value from outside goes through `code` or `text`. */
export function renderScope(doc: ScopeDocument, heading = '###'): string[] {
  const all = doc.stacks.length + doc.left_out.length;
  const out: string[] = [
    `${heading} Scope: ${doc.stacks.length} of ${all} stack${all === 1 ? '' : 's'} planned`,
    '',
    MODE_TEXT[doc.mode],
    '',
  ];
  if (doc.stacks.length > 0) {
    const t = doc.total;
    out.push(
      `Estimate before the run: **${t.requests.toLocaleString('en-US')} request${t.requests === 1 ? '' : 's'}**, ${minutes(t.minutes)} min of Terraform in ${t.processes} process${t.processes === 1 ? '' : 'es'}` +
        `${doc.stacks.length > 1 ? ` (about ${minutes(t.wall_minutes)} min with at most ${t.parallel} at once)` : ''}, plus about ${JOB_SETUP_MINUTES} min per stack to set up.`,
      '',
      '| stack | why | requests | minutes |',
      '|---|---|---|---|',
      ...doc.stacks
        .slice(0, 100)
        .map(
          (s) => `| ${code(s.stack)} | ${text(s.reasons.join('; '), 200)} | ${s.requests} | ${minutes(s.minutes)} |`,
        ),
    );
    if (doc.stacks.length > 100) out.push(`| … and ${doc.stacks.length - 100} more | | | |`);
    out.push('');
  }
  const byReason = new Map<string, string[]>();
  for (const l of doc.left_out) byReason.set(l.reason, [...(byReason.get(l.reason) ?? []), l.stack]);
  for (const [reason, stacks] of byReason)
    out.push(`Left out (${stacks.length}): ${names(stacks)}: ${text(reason, 300)}.`, '');
  if (doc.removed.length > 0)
    out.push(`No longer synthesized (${doc.removed.length}): ${names(doc.removed)}: nothing to plan.`, '');
  if (doc.admission) out.push(`**Admission:** ${text(doc.admission, 1500)}.`, '');
  return out;
}
