/**
 * The post-step's report as Markdown, fit for `$GITHUB_STEP_SUMMARY`: counts per outcome, then
 * every failed learner with the cause and GitHub's (scrubbed) message.
 */
import { PROVISIONING_OUTCOMES } from '../roster/types';
import type { LogEntry } from './log';

export interface SummaryInput {
  cohort: string;
  runId: string;
  entries: LogEntry[];
  alreadyRecorded: boolean;
  warnings: string[];
  rosterNotes: string[];
}

/** Markdown-safe inline text: no table breaks, no HTML, no stray code spans. */
function inline(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

export function summaryMarkdown(s: SummaryInput): string {
  const counts = new Map<string, number>(PROVISIONING_OUTCOMES.map((o) => [o, 0]));
  for (const e of s.entries) counts.set(e.outcome, (counts.get(e.outcome) ?? 0) + 1);
  const out: string[] = [];
  out.push(`### Provisioning: cohort ${inline(s.cohort)}, run ${inline(s.runId)}`, '');
  if (s.alreadyRecorded) out.push('This run was already recorded; nothing was appended to the provisioning log.', '');
  out.push('| outcome | learners |', '|---|---:|');
  for (const o of PROVISIONING_OUTCOMES) out.push(`| ${o} | ${counts.get(o)} |`);
  out.push(`| **total** | **${s.entries.length}** |`, '');
  const failed = s.entries.filter((e) => e.outcome === 'failed');
  if (failed.length > 0) {
    out.push(`#### Failed (${failed.length})`, '');
    for (const e of failed) out.push(`- **${inline(e.learner)}** (${e.cause ?? 'other'}): ${inline(e.detail)}`);
    out.push('');
  }
  const notes = [...s.warnings, ...s.rosterNotes];
  if (notes.length > 0) {
    out.push('#### Notes', '');
    for (const n of notes) out.push(`- ${inline(n)}`);
    out.push('');
  }
  return out.join('\n');
}
