/**
 * The pull-request comment that shows what merging a roster change would do: one comment per
 * pull request, found again by its hidden marker and edited in place on every push.
 */
import { code, fenced, fit, GITHUB_BODY_LIMIT, Part, table, text } from './markdown';
import type { AccessLine, LearnerAction, ResourceLine, StackPlan } from './stack-plan';
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
  /** A course's learner: every room the plan changes. */
  rooms?: string[];
  action: LearnerAction;
  detail: string;
  /** Archived at the end of course (said by its own block, not the "would be archived" alarm). */
  ended?: boolean;
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
        ...(l.rooms && l.rooms.length > 1 ? { rooms: l.rooms } : {}),
        action: l.action,
        detail,
        ...(s.endOfCourseLearners?.includes(foldHandle(l.github_handle)) ? { ended: true } : {}),
      });
    }
  }
  const rank = (a: LearnerAction) => ACTION_ORDER.indexOf(a);
  return rows.sort(
    (a, b) => rank(a.action) - rank(b.action) || a.cohort.localeCompare(b.cohort) || a.handle.localeCompare(b.handle),
  );
}

function renderRow(r: Row): string {
  const repo = r.rooms
    ? `${r.rooms
        .slice(0, 5)
        .map((x) => code(x))
        .join(', ')}${r.rooms.length > 5 ? ` and ${r.rooms.length - 5} more` : ''}`
    : r.repository
      ? code(r.repository)
      : '';
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
  const archived = rows.filter((r) => r.action === 'archive' && !r.ended);
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

  parts.push(...endOfCourseParts(input.stacks));

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

  parts.push(...accessParts(input.stacks, fullReport));
  parts.push(...upcomingParts(input.stacks));

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

const NAMES_MAX = 60;
const ACCESS_ROWS_MAX = 60;

/** "`a`, `b`, … and 3 more". */
function names(list: readonly string[], max = NAMES_MAX): string {
  const shown = list.slice(0, max).map((n) => code(n));
  return list.length > max ? `${shown.join(', ')} and ${list.length - max} more` : shown.join(', ');
}

/** "2026-03-10 17:00 UTC" */
function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

const writes = (p: string | undefined) => p === 'push' || p === 'maintain' || p === 'admin';

/** Handles in the order people read them: l2 before l10. */
const byHandle = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });

/** The kinds of access change said per assignment, in the order they are listed. */
const GROUPS: { test: (l: AccessLine) => boolean; title: string }[] = [
  {
    test: (l) => writes(l.from) && l.to !== undefined && !writes(l.to),
    title: '**Loses write access when this plan is applied** (push → pull: they keep reading their room):',
  },
  {
    test: (l) => l.to === 'admin' && l.from !== undefined && l.from !== 'admin',
    title: '**Becomes admin of their room** (the end of course hands it over):',
  },
  {
    test: (l) => l.from !== undefined && !writes(l.from) && l.to === 'push',
    title: '**Gets write access back** (push: an extension, or a cutoff moved later):',
  },
];

/**
 * A course's access changes in this plan (docs/course.md): first, per assignment, exactly who loses
 * write access (push -> pull: a cutoff), who becomes admin (a hand-over), who gets write access back;
 * then every other change of access (a facilitator removed, a learner moving between teams).
 */
function accessParts(stacks: StackPlan[], fullReport: string): Part[] {
  const lines = stacks.flatMap((s) => (s.access ?? []).map((a) => ({ ...a, cohort: s.cohort_id })));
  if (lines.length === 0) return [];
  const out: Part[] = ['### Access changes', ''];
  const grouped = new Set<AccessLine>();
  for (const g of GROUPS) {
    const byAssignment = new Map<string, (AccessLine & { cohort: string })[]>();
    for (const l of lines) {
      if (!g.test(l)) continue;
      grouped.add(l);
      const key = `${l.cohort}\u0000${l.assignment ?? '?'}`;
      byAssignment.set(key, [...(byAssignment.get(key) ?? []), l]);
    }
    if (byAssignment.size === 0) continue;
    out.push(g.title, '');
    for (const list of byAssignment.values()) {
      const who = [...new Set(list.map((l) => l.username))].sort(byHandle);
      out.push(
        `- ${code(list[0].cohort)} ${code(list[0].assignment ?? '?')}: **${who.length} learner${who.length === 1 ? '' : 's'}**: ${names(who)}`,
      );
    }
    out.push('');
  }
  const others = lines.filter((l) => !grouped.has(l));
  if (others.length > 0) {
    const change = (l: AccessLine) =>
      l.from === undefined
        ? `added (${l.to})`
        : l.to === undefined
          ? `**removed** (was ${l.from})`
          : `${l.from} → ${l.to}`;
    const rows = others.map(
      (l) =>
        `| ${code(l.username)} | ${code(l.cohort)} | ${l.assignment ? code(l.assignment) : ''}${l.team ? ` ${code(l.team)}` : ''} | ${l.repository ? code(l.repository) : ''} | ${change(l)} |`,
    );
    out.push({
      head: ['Other access changes:', '', ...table(['who', 'cohort', 'assignment', 'repository', 'change'], [])],
      rows,
      more: (k) => `\n… and ${k} more access changes: see ${fullReport}.`,
      max: ACCESS_ROWS_MAX,
    });
    out.push('');
  }
  return out;
}

/** The cutoffs of the next 7 days, from the learner indexes (each member's own cutoff, extensions included). */
function upcomingParts(stacks: StackPlan[]): Part[] {
  const merged = new Map<string, { cohort: string; assignment: string; at: string; learners: Set<string> }>();
  let at: string | undefined;
  for (const s of stacks) {
    if (!s.course) continue;
    at ??= s.course.at;
    for (const u of s.course.upcoming) {
      const key = `${s.cohort_id}\u0000${u.assignment}\u0000${u.at}`;
      const m = merged.get(key) ?? { cohort: s.cohort_id, assignment: u.assignment, at: u.at, learners: new Set() };
      for (const l of u.learners) m.learners.add(l);
      merged.set(key, m);
    }
  }
  const ends = stacks
    .filter((s) => s.course?.endOfCourse && !s.course.endOfCourse.reached)
    .map((s) => ({ cohort: s.cohort_id, end: s.course?.endOfCourse, at: s.course?.at ?? '' }))
    .filter((e, i, all) => all.findIndex((x) => x.cohort === e.cohort) === i)
    .filter((e) => e.end && Date.parse(e.end.at) - Date.parse(e.at) <= 7 * 86_400_000);
  if (at === undefined) return [];
  const out: Part[] = ['### Upcoming cutoffs (next 7 days)', ''];
  const list = [...merged.values()].sort(
    (x, y) => Date.parse(x.at) - Date.parse(y.at) || x.assignment.localeCompare(y.assignment),
  );
  if (list.length === 0) out.push(`None from ${when(at)}.`, '');
  else {
    out.push(
      ...table(
        ['when', 'cohort', 'assignment', 'lose write access (push → pull)'],
        list.map((u) => [
          when(u.at),
          code(u.cohort),
          code(u.assignment),
          `${u.learners.size}: ${names([...u.learners], 20)}`,
        ]),
      ),
      '',
    );
  }
  for (const e of ends)
    out.push(`End of course for ${code(e.cohort)} at ${when(e.end?.at ?? '')} (${e.end?.mode}).`, '');
  out.push(
    `<sub>Planned for ${when(at)}. The scheduled apply (every 30 minutes by default) applies each cutoff in its first run after it passes.</sub>`,
    '',
  );
  return out;
}

/** The end of course, said loudly: rooms handed over (admin), made public, or archived by this plan. */
function endOfCourseParts(stacks: StackPlan[]): Part[] {
  const byCohort = new Map<string, { mode: string; handedOver: number; published: number; archived: number }>();
  for (const s of stacks) {
    const c = s.course;
    if (!c?.endOfCourse?.reached) continue;
    const m = byCohort.get(s.cohort_id) ?? { mode: c.endOfCourse.mode, handedOver: 0, published: 0, archived: 0 };
    m.handedOver += c.handedOver;
    m.published += c.published;
    m.archived += c.archived;
    byCohort.set(s.cohort_id, m);
  }
  const out: Part[] = [];
  for (const [cohort, m] of byCohort) {
    const what: string[] = [];
    if (m.handedOver > 0)
      what.push(
        `hands **${m.handedOver} room${m.handedOver === 1 ? '' : 's'}** over: every learner becomes **admin** of their room`,
      );
    if (m.published > 0) what.push(`makes **${m.published} room${m.published === 1 ? '' : 's'} PUBLIC** (portfolio)`);
    const after =
      m.mode === 'hand-over'
        ? 'read only; the learners stay admin of their rooms'
        : m.mode === 'portfolio'
          ? 'read only and public, as a portfolio'
          : 'read only; learners keep the work and read access';
    if (m.archived > 0) what.push(`**archives ${m.archived} room${m.archived === 1 ? '' : 's'}** (${after})`);
    if (what.length === 0) continue;
    const later = m.archived === 0 && m.mode !== 'archive' ? ' A later run archives them once this is applied.' : '';
    out.push(
      '> [!CAUTION]',
      `> ## ⚠️ END OF COURSE: ${code(cohort)} (${text(m.mode)})`,
      `> This plan ${what.join('; ')}.${later}`,
      '> The roster confirms it (`end_of_course.allow_mass_change`). If that is not what you want, do not merge: change `end_of_course` in `roster.json`.',
      '',
    );
  }
  return out;
}
