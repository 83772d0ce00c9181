/**
 * The pull-request comment that shows what merging a roster change would do: one comment per
 * pull request, found again by its hidden marker and edited in place on every push.
 */
import { code, fenced, fit, GITHUB_BODY_LIMIT, Part, table, text } from './markdown';
import type { LearnerAction, ResourceLine, StackPlan } from './stack-plan';
import { foldHandle } from '../roster/handle';
import type { ScopeDocument } from './stack-scope';
import { parseStackName } from '../contracts/stack-names';
import { renderScope } from './scope-report';
import { starterCodeSection } from './starter-code-summary';
import type { StarterCodeStatus } from '../updates/status';

export const PLAN_COMMENT_MARKER = '<!-- learning-rooms:plan -->';

export interface PlanCommentInput {
  stacks: StackPlan[];
  /** Roster validation messages: when present, synthesis did not run and there is no plan. */
  rosterErrors?: string[];
  /** Link to the workflow run (logs, artifacts, the full report). */
  runUrl?: string;
  /** Commit the plan was made from (the pull request's head: its data). */
  commit?: string;
  /** Commit of the code that synthesized and planned (the default branch's, never the pull request's). */
  trustedCode?: string;
  /** Settings the pull request changes that its plan does not take (they route credentials or state). */
  pinnedSettings?: string[];
  /** Which stacks were planned and why, which were left out, the estimate (`changed-stacks --out`). */
  scope?: ScopeDocument;
  /**
   * Optional: each cohort's (or assignment's) starter code against its recorded template_ref, and
   * the rooms `propose-update` would open a pull request in (`propose-update --count --out`).
   */
  starterCode?: StarterCodeStatus[];
}

/** Order of the per-learner table: what needs the reviewer's eyes first. */
const ACTION_ORDER: LearnerAction[] = ['archive', 'heal', 'update', 'provision', 'queued', 'no-change'];
const ACTION_LABEL: Record<LearnerAction, string> = {
  archive: '**ARCHIVE**',
  heal: 'heal',
  update: 'update',
  provision: 'provision',
  queued: 'queued',
  'no-change': 'no change',
};
const COUNT_COLUMNS: LearnerAction[] = ['provision', 'heal', 'update', 'archive', 'queued', 'no-change'];

interface Row {
  cohort: string;
  handle: string;
  repository?: string;
  action: LearnerAction;
  detail: string;
}

/** "2 create, 1 delete" from a learner's resources. */
function resourceSummary(resources: { actions: string[] }[]): string {
  const counts = new Map<string, number>();
  for (const r of resources) {
    const key =
      r.actions.join('/') === 'delete/create' || r.actions.join('/') === 'create/delete'
        ? 'replace'
        : r.actions.join('/');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

function rowsOf(stacks: StackPlan[]): Row[] {
  const rows: Row[] = [];
  for (const s of stacks) {
    for (const l of s.learners) {
      if (l.action === 'no-change') continue;
      const detail =
        l.action === 'queued'
          ? (s.queuedReasons[foldHandle(l.github_handle)] ?? 'not admitted this run')
          : resourceSummary(l.resources);
      rows.push({
        cohort: l.cohort_id ?? s.cohort_id,
        handle: l.github_handle,
        repository: l.repository,
        action: l.action,
        detail,
      });
    }
  }
  const rank = (a: LearnerAction) => ACTION_ORDER.indexOf(a);
  return rows.sort(
    (a, b) => rank(a.action) - rank(b.action) || a.cohort.localeCompare(b.cohort) || a.handle.localeCompare(b.handle),
  );
}

function renderRow(r: Row): string {
  const repo = r.repository ? code(r.repository) : '';
  return `| ${code(r.handle)} | ${code(r.cohort)} | ${repo} | ${ACTION_LABEL[r.action]} | ${text(r.detail, 200)} |`;
}

export function countActions(stack: StackPlan): Record<LearnerAction, number> {
  const counts = Object.fromEntries(COUNT_COLUMNS.map((a) => [a, 0])) as Record<LearnerAction, number>;
  for (const l of stack.learners) counts[l.action]++;
  return counts;
}

function stackState(s: StackPlan): string {
  if (s.status === 'missing') return '❌ no plan';
  if (s.status === 'errored') return '❌ plan failed';
  return s.changes.length === 0 && s.drift.length === 0 ? '✅ no changes' : '✅ planned';
}

const SYMBOL: Record<string, string> = { create: '+', delete: '-', update: '!', replace: '-/+', read: '<=' };

function rawLine(r: ResourceLine, drift = false): string {
  const key = r.actions.length === 2 ? 'replace' : r.actions[0];
  const sym = drift ? '!' : (SYMBOL[key] ?? '?');
  const reason = r.reason ? ` (${r.reason})` : '';
  return `${sym} ${r.address}: ${drift ? 'changed outside Terraform, ' : ''}${r.actions.join(', ')}${reason}`;
}

/** The resource-level plan, as Terraform would summarise it, with no attribute values. */
function rawPlan(stacks: StackPlan[]): string {
  const out: string[] = [];
  for (const s of stacks) {
    out.push(`# stack ${s.stack} (${s.status})`);
    for (const d of s.drift) out.push(rawLine(d, true));
    for (const c of s.changes) out.push(rawLine(c));
    if (s.drift.length === 0 && s.changes.length === 0) out.push('  (no resource changes)');
  }
  return out.join('\n');
}

function runLink(runUrl: string | undefined, label: string): string {
  return runUrl ? `[${label}](${runUrl})` : label;
}

const ARCHIVE_LIST_MAX = 50;
/** Cohorts named in the "plan failed" warning, and rows of the per-cohort table, when shortening. */
const FAILED_LIST_MAX = 20;
const COHORT_ROWS_MAX = 100;

/** Cohorts that need the reviewer first: a failed plan, then archives, then changes, then the rest. */
function attention(s: StackPlan): number {
  if (s.status !== 'planned') return 0;
  const c = countActions(s);
  if (c.archive > 0) return 1;
  return COUNT_COLUMNS.some((a) => a !== 'no-change' && c[a] > 0) ? 2 : 3;
}

export function renderPlanComment(input: PlanCommentInput, limit = GITHUB_BODY_LIMIT): string {
  const head: string[] = [PLAN_COMMENT_MARKER, '## Learning rooms: plan for this pull request', ''];
  const fullReport = `${runLink(input.runUrl, 'the workflow run')} (artifact \`plan-comment\`)`;
  const cutNote = `… cut here: the comment is too long for GitHub; the full report is in ${fullReport}.`;
  const planned = input.commit ? `Planned from ${code(input.commit.slice(0, 12))}` : '';
  const withCode = input.trustedCode
    ? `${planned ? ' with' : 'Planned with'} main's code at ${code(input.trustedCode.slice(0, 12))} (a change to the tools takes effect once merged)`
    : '';
  const footer = `<sub>${planned || withCode ? `${planned}${withCode}. ` : ''}${runLink(input.runUrl, 'Workflow run')} · this comment is updated on every push.</sub>`;
  const pinned = input.pinnedSettings ?? [];
  if (pinned.length > 0) {
    head.push(
      '> [!NOTE]',
      `> This pull request changes ${pinned
        .slice(0, 20)
        .map((k) => code(k))
        .join(
          ', ',
        )}${pinned.length > 20 ? ` and ${pinned.length - 20} more` : ''}: settings that decide where credentials or state go are never taken from a pull request. The plan below uses main's values; the change takes effect once merged.`,
      '',
    );
  }

  if (input.rosterErrors && input.rosterErrors.length > 0) {
    const n = input.rosterErrors.length;
    return fit(
      [
        ...head,
        '> [!WARNING]',
        `> **The roster is invalid, so nothing was planned.** Fix ${n === 1 ? 'this problem' : `these ${n} problems`} and push again:`,
        '',
        {
          head: [],
          rows: input.rosterErrors.map((e) => `- ${text(e)}`),
          more: (k) => `- … and ${k} more: see ${runLink(input.runUrl, 'the run log')}.`,
        },
        '',
        footer,
      ],
      limit,
      cutNote,
    );
  }

  const rows = rowsOf(input.stacks);
  const archived = rows.filter((r) => r.action === 'archive');
  const failed = input.stacks.filter((s) => s.status !== 'planned');
  const parts: Part[] = [...head];

  if (archived.length > 0) {
    const names = archived.slice(0, ARCHIVE_LIST_MAX).map((r) => `${code(r.handle)} (${code(r.cohort)})`);
    const rest = archived.length - names.length;
    parts.push(
      '> [!CAUTION]',
      `> ## ⚠️ ${archived.length} LEARNING ROOM${archived.length === 1 ? '' : 'S'} WOULD BE ARCHIVED`,
      '> Merging this pull request archives the rooms of these learners: they lose write access to their work.',
      `> ${names.join(', ')}${rest > 0 ? `, and ${rest} more` : ''}.`,
      '> If that is not what you want, do not merge: put the learners back in `roster.json`.',
      '',
    );
  }
  if (failed.length > 0) {
    const names = failed.slice(0, FAILED_LIST_MAX).map((s) => code(s.stack));
    const rest = failed.length - names.length;
    parts.push(
      '> [!WARNING]',
      `> **The plan failed for ${names.join(', ')}${rest > 0 ? ` and ${rest} more cohorts` : ''}**: the changes below are incomplete for ${failed.length === 1 ? 'that cohort' : 'those cohorts'}. See ${runLink(input.runUrl, 'the run log')}; re-run the workflow once the cause is fixed.`,
      '',
    );
  }

  const ordered = input.stacks
    .map((s, i) => ({ s, i }))
    .sort((a, b) => attention(a.s) - attention(b.s) || a.i - b.i)
    .map((x) => x.s);
  const countRows = ordered.map((s) => {
    const c = countActions(s);
    // a shard stack is named as such; a cohort's own stack by the cohort
    return [
      code(parseStackName(s.stack).shard > 0 ? s.stack : s.cohort_id),
      ...COUNT_COLUMNS.map((a) => (a === 'archive' && c[a] > 0 ? `**${c[a]}**` : String(c[a]))),
      stackState(s),
    ];
  });
  const totalRow: string[][] = [];
  if (input.stacks.length > 1) {
    const total = COUNT_COLUMNS.map((a) => String(input.stacks.reduce((n, s) => n + countActions(s)[a], 0)));
    totalRow.push(['**all**', ...total, '']);
  }
  const countHeaders = [
    'cohort',
    ...COUNT_COLUMNS.map((a) => ACTION_LABEL[a].replace(/\*/g, '').toLowerCase()),
    'plan',
  ];
  const countTable = table(countHeaders, [...countRows, ...totalRow]);
  const blanks = (n: number) => Array.from({ length: n }, () => '');
  parts.push({
    head: countTable.slice(0, 2),
    rows: countTable.slice(2, 2 + countRows.length),
    // A table row, so the total row after it stays in the table.
    more: (k) =>
      table(countHeaders, [[`… and ${k} more cohorts: see ${fullReport}`, ...blanks(countHeaders.length - 1)]])[2],
    tail: countTable.slice(2 + countRows.length),
    max: COHORT_ROWS_MAX,
  });
  parts.push('');
  if (input.scope) parts.push(...renderScope(input.scope));
  if (input.starterCode) parts.push(...starterCodeSection(input.starterCode));

  if (rows.length === 0) {
    const none =
      input.scope && input.scope.stacks.length === 0
        ? "No stack's configuration changes: nothing to plan."
        : 'No cohort stacks were synthesized.';
    parts.push(input.stacks.length === 0 ? none : 'No learning room changes.', '');
  } else {
    parts.push('### Changes per learner', '');
    parts.push({
      head: table(['learner', 'cohort', 'repository', 'change', 'resources'], []),
      rows: rows.map(renderRow),
      more: (k) =>
        `\n… and **${k} more learners** not shown here (GitHub limits a comment to ${GITHUB_BODY_LIMIT.toLocaleString('en-US')} characters): the full report is in ${fullReport}.`,
    });
    parts.push('');
  }

  const resourceCount = input.stacks.reduce((n, s) => n + s.changes.length + s.drift.length, 0);
  parts.push({
    optional: [
      '<details><summary>Raw plan: ' + resourceCount + ' resource changes</summary>',
      '',
      fenced(rawPlan(input.stacks), 'diff'),
      '',
      '</details>',
      '',
    ].join('\n'),
    dropped: `<sub>The raw plan (${resourceCount} resource changes) is too long for a comment: see ${runLink(input.runUrl, 'the workflow run')}.</sub>\n`,
  });
  parts.push(footer);
  return fit(parts, limit, cutNote);
}
