/**
 * The facilitator dashboard as one self-contained HTML page (no external asset; readable without
 * script), and its redacted twin for sharing (handles and statuses only, as `redactRoster` keeps).
 * Structure for assistive technology: a skip link, banner / navigation / main / contentinfo
 * landmarks, one h1 and nested headings, real tables with captions and scoped headers, sort
 * buttons whose state is the header's aria-sort, and status words next to every colour.
 */
import { createHash } from 'node:crypto';
import { PROGRESS_STATUSES, ProgressStatus } from '../roster/types';
import { SCRIPT, STYLE } from './assets';
import { renderChart, renderTrendTable } from './chart';
import { bdi, esc, link, plural, timeTag } from './html';
import type { ActionItem, ActionKind, Dashboard, LearnerGroup, LearnerRow } from './model';
import { runOfStackRunId } from '../contracts/stack-names';

export interface RenderOptions {
  /** Handles, cohorts, paths and statuses only: no names, activity, rooms, failures or drift. */
  redacted?: boolean;
  /** GitHub's web address for profile and room links (default https://github.com). */
  webUrl?: string;
  /** Prefix of a workflow run's address ("https://github.com/org/admin/actions/runs/"), to link failed applies. */
  runUrl?: string;
}

/** Status words for people; the keys stay in progress.json, progress.md and exports. */
export const STATUS_LABELS: Record<ProgressStatus, string> = {
  unknown: 'not read yet',
  'room-missing': 'room missing',
  invited: 'invited',
  'invitation-expired': 'invitation expired',
  'not-started': 'not started',
  acknowledged: 'acknowledged',
  'day1-complete': 'day 1 complete',
  'in-progress': 'in progress',
  complete: 'complete',
};

const STATUS_TONE: Record<ProgressStatus, string> = {
  unknown: 'quiet',
  'room-missing': 'alert',
  invited: 'quiet',
  'invitation-expired': 'alert',
  'not-started': 'quiet',
  acknowledged: 'busy',
  'day1-complete': 'busy',
  'in-progress': 'busy',
  complete: 'good',
};

const ACTION_TEXT: Record<ActionKind, { title: string; intro: string; when: string }> = {
  'invitation-expired': {
    title: 'Expired invitations',
    intro:
      'GitHub invitations expire after 7 days and the Terraform provider never re-invites on its own. Re-send them by healing (the watchdog with healing on) or with terraform apply -replace on the collaborator; learning-rooms expired-invitations lists the addresses.',
    when: 'Expired (first seen)',
  },
  'apply-failed': {
    title: 'Failed applies',
    intro:
      'The last apply could not make or fix these rooms. Rate limits and server errors clear on a later apply; permission problems and name clashes need you.',
    when: 'Failed at',
  },
  queued: {
    title: 'Queued for a room',
    intro:
      'Waiting for admission: each apply makes a limited number of new rooms (the admission budget). The expected apply is an estimate from the last apply that made rooms in the cohort.',
    when: 'Queued since',
  },
  'room-missing': {
    title: 'Rooms missing',
    intro:
      'GitHub shows the App no room for these learners: deleted, renamed or moved, or the App lost access. An apply re-creates a deleted room.',
    when: 'Missing since',
  },
  'room-archived': {
    title: 'Rooms archived unexpectedly',
    intro:
      'The room is archived (read-only) but the learner is not withdrawn: unarchive it on GitHub, or withdraw the learner in the roster.',
    when: 'Seen at',
  },
  'not-read': {
    title: 'Rooms not read on the last poll',
    intro: 'The status shown for these learners is the previous one; the cause says why the room could not be read.',
    when: 'Failed at',
  },
  drift: {
    title: 'Drift the watchdog found',
    intro: 'Rooms whose plan is not clean: changed outside Terraform, still to be provisioned, or being archived.',
    when: 'Checked at',
  },
  'plan-failed': {
    title: 'Cohort plans that failed',
    intro: 'The watchdog could not plan these cohort stacks, so their rooms were not checked.',
    when: 'Checked at',
  },
};

/** CSP hash source of an inline element's exact text. */
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The status in words; a learner never read because they have no room yet is said to be so. */
function statusBadge(s: ProgressStatus, repository?: string): string {
  const label = s === 'unknown' && repository === undefined ? 'no room yet' : STATUS_LABELS[s];
  return `<span class="st s-${STATUS_TONE[s]}">${label}</span>`;
}

function profile(webUrl: string, handle: string): string {
  return link(`${webUrl}/${encodeURIComponent(handle)}`, `@${handle}`);
}

function room(webUrl: string, repository: string | undefined): string {
  if (!repository) return '<span class="m">none yet</span>';
  const [owner, name] = repository.split('/');
  if (!owner || !name) return esc(repository);
  return link(`${webUrl}/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, name);
}

/**
 * The apply's run, linked when its id is GitHub's: the post-step records "<run id>-<attempt>"
 * (apply-stacks.yml), which is the page /actions/runs/<run id>/attempts/<attempt>; a shard k >= 1
 * of a cohort is recorded as "<run id>-<attempt>/<cohort>.shard-<k>" (contracts/stack-names.ts).
 */
function runLink(runUrl: string | undefined, run: string): string {
  const m = /^(\d+)(?:-(\d+))?$/.exec(runOfStackRunId(run));
  if (!runUrl || !m) return esc(run);
  return link(`${runUrl}${m[1]}${m[2] ? `/attempts/${m[2]}` : ''}`, run);
}

const progressText = (r: LearnerRow) => (r.total > 0 ? `${r.closed} of ${r.total}` : 'no challenges yet');
const progressValue = (r: LearnerRow) => (r.total > 0 ? (r.closed / r.total).toFixed(4) : '');

/** A table in a region that scrolls sideways on a narrow screen: named by the caption, reachable by keyboard. */
function table(id: string, caption: string, head: string[], rows: string[], opts: { sortable?: boolean } = {}): string {
  return (
    `<div class="scroll" role="region" aria-labelledby="${id}" tabindex="0">` +
    `<table${opts.sortable ? ' data-sortable' : ''}><caption id="${id}"><span class="cap">${caption}</span></caption>` +
    `<thead><tr>${head.join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

const col = (label: string, extra = '') => `<th scope="col"${extra}>${label}</th>`;

class Ids {
  private n = 0;
  next(prefix: string): string {
    return `${prefix}${++this.n}`;
  }
}

function cohortsSection(d: Dashboard, redacted: boolean, ids: Ids): string {
  const head = [
    col('Cohort'),
    col('Learners', ' class="n"'),
    col('Complete', ' class="n"'),
    col('In progress', ' class="n"'),
    col('Started', ' class="n"'),
    col('Not started', ' class="n"'),
    col('Blocked', ' class="n"'),
    ...(redacted ? [] : [col('Needs action', ' class="n"'), col('Needs help', ' class="n"')]),
  ];
  const rows = d.cohorts.map((c) => {
    const n = (...s: ProgressStatus[]) => s.reduce((k, x) => k + c.counts[x], 0);
    const cells = [
      `<th scope="row">${esc(c.cohort)}${c.title ? ` <span class="m">(${esc(c.title)})</span>` : ''}</th>`,
      `<td class="n">${c.learners}${c.withdrawn ? ` <span class="m">(+${c.withdrawn} withdrawn)</span>` : ''}</td>`,
      `<td class="n">${c.counts.complete} (${c.percentComplete}%)</td>`,
      `<td class="n">${n('in-progress')}</td>`,
      `<td class="n">${n('acknowledged', 'day1-complete')}</td>`,
      `<td class="n">${n('not-started', 'invited')}</td>`,
      `<td class="n">${n('invitation-expired', 'room-missing', 'unknown')}</td>`,
      ...(redacted ? [] : [`<td class="n">${c.action}</td>`, `<td class="n">${c.help}</td>`]),
    ];
    return `<tr>${cells.join('')}</tr>`;
  });
  return (
    `<section aria-labelledby="h-cohorts"><h2 id="h-cohorts">How each cohort is doing</h2>` +
    '<p>Started: acknowledged or day 1 complete. Not started: invited, or a collaborator who wrote nothing yet. Blocked: the invitation expired, the room is missing, or it was never read.</p>' +
    (d.cohorts.length === 0
      ? '<p class="empty">The roster has no cohorts yet.</p>'
      : table(ids.next('c'), `Learners per cohort by status (withdrawn learners not counted)`, head, rows)) +
    '</section>'
  );
}

function actionSection(d: Dashboard, o: Required<Pick<RenderOptions, 'webUrl'>> & RenderOptions, ids: Ids): string {
  const out = [`<section aria-labelledby="h-action"><h2 id="h-action">Needs action: yours (${d.action.length})</h2>`];
  if (d.action.length === 0)
    out.push(
      '<p class="empty">Nothing needs your action: no expired invitation, failed apply, queued learner, missing or archived room, unread room or drift.</p>',
    );
  const kinds = [...new Set(d.action.map((a) => a.kind))];
  for (const kind of kinds) {
    const items = d.action.filter((a) => a.kind === kind);
    const text = ACTION_TEXT[kind];
    const hid = ids.next('h');
    out.push(`<h3 id="${hid}">${text.title} (${items.length})</h3><p>${esc(text.intro)}</p>`);
    const queued = kind === 'queued';
    const head = [
      col(kind === 'plan-failed' ? 'Cohort stack' : 'Learner'),
      ...(kind === 'plan-failed' ? [] : [col('Cohort'), col('Room')]),
      col('What happened', ' class="w"'),
      ...(queued ? [col('Expected', ' class="w"')] : []),
      col(text.when),
    ];
    const rows = items.map((a: ActionItem) => {
      const cells =
        kind === 'plan-failed'
          ? [`<th scope="row">${esc(a.cohort)}</th>`]
          : [
              `<th scope="row">${a.handle ? profile(o.webUrl, a.handle) : ''}</th>`,
              `<td>${esc(a.cohort)}</td>`,
              `<td>${room(o.webUrl, a.repository)}</td>`,
            ];
      const run = a.run ? ` <span class="m">(run ${runLink(o.runUrl, a.run)})</span>` : '';
      cells.push(`<td>${esc(a.detail)}${run}</td>`);
      if (queued) cells.push(`<td>${esc(a.expected ?? '')}</td>`);
      cells.push(`<td>${a.when ? timeTag(a.when) : '<span class="m">unknown</span>'}</td>`);
      return `<tr>${cells.join('')}</tr>`;
    });
    out.push(
      table(
        ids.next('c'),
        `${text.title}: ${plural(items.length, kind === 'plan-failed' ? 'cohort' : 'learner')}`,
        head,
        rows,
      ),
    );
  }
  if (d.watchdogCheckedAt === undefined) {
    out.push(
      '<p class="m">Drift is not on this page: no watchdog findings were given. The watchdog’s admin issue lists it.</p>',
    );
  } else if (!kinds.includes('drift')) {
    out.push(
      `<p>No drift: the watchdog found every room as the roster says (checked ${timeTag(d.watchdogCheckedAt)}).</p>`,
    );
  }
  out.push('</section>');
  return out.join('');
}

function helpSection(d: Dashboard, o: Required<Pick<RenderOptions, 'webUrl'>>, ids: Ids): string {
  const title = `Needs help: no activity for ${plural(d.idleDays, 'day')} or more (${d.help.length})`;
  const out = [`<section aria-labelledby="h-help"><h2 id="h-help">${esc(title)}</h2>`];
  out.push(
    `<p>Learners who are not complete and wrote nothing counted (a comment of theirs, a challenge closed, a pull request merged) for ${plural(d.idleDays, 'day')} up to ${timeTag(d.asOf)}, longest first. Withdrawn learners are never listed.</p>`,
  );
  if (d.help.length === 0)
    out.push('<p class="empty">Nobody: every learner with a room was active recently or is complete.</p>');
  else {
    const head = [
      col('Learner'),
      col('Name'),
      col('Cohort'),
      col('Path'),
      col('Status'),
      col('Progress'),
      col('Days without activity', ' class="n"'),
      col('Why', ' class="w"'),
      col('Room'),
    ];
    const rows = d.help.map((h) => {
      const r = h.row;
      return (
        `<tr><th scope="row">${profile(o.webUrl, r.handle)}</th><td>${r.name !== undefined ? bdi(r.name) : ''}</td><td>${esc(r.cohort)}</td><td>${esc(r.path)}</td>` +
        `<td>${statusBadge(r.status, r.repository)}</td><td>${progressText(r)}</td><td class="n">${h.idleDays}</td><td>${esc(h.reason)}</td><td>${room(o.webUrl, r.repository)}</td></tr>`
      );
    });
    out.push(
      table(
        ids.next('c'),
        `Learners without activity for ${plural(d.idleDays, 'day')} or more, longest first`,
        head,
        rows,
      ),
    );
  }
  out.push('</section>');
  return out.join('');
}

/** A course learner's assignments in one cell: each assignment's status in words, k of n and room. */
function assignmentsCell(r: LearnerRow, o: Required<Pick<RenderOptions, 'webUrl'>>, redacted: boolean): string {
  if (!r.assignments || r.assignments.length === 0) return '<td><span class="m">none open</span></td>';
  const items = r.assignments.map((a) => {
    const k = a.total > 0 ? `${a.closed} of ${a.total}` : 'no challenges yet';
    const where = redacted || !a.repository ? '' : ` ${room(o.webUrl, a.repository)}`;
    const team = a.team !== undefined ? ` <span class="m">(team ${esc(a.team)})</span>` : '';
    return `<li>${esc(a.id)}: ${statusBadge(a.status, a.repository ?? '')} ${k}${team}${where}</li>`;
  });
  return `<td><ul class="asg">${items.join('')}</ul></td>`;
}

function learnerRow(
  r: LearnerRow,
  o: Required<Pick<RenderOptions, 'webUrl'>>,
  redacted: boolean,
  course = false,
): string {
  const rank = PROGRESS_STATUSES.indexOf(r.status);
  const cells = [`<th scope="row">${profile(o.webUrl, r.handle)}</th>`];
  if (!redacted) cells.push(`<td>${r.name !== undefined ? bdi(r.name) : ''}</td>`);
  cells.push(
    `<td>${esc(r.cohort)}</td>`,
    `<td>${esc(r.path)}</td>`,
    `<td data-v="${rank}">${statusBadge(r.status, r.repository)}</td>`,
    `<td data-v="${progressValue(r)}">${progressText(r)}</td>`,
  );
  if (course) cells.push(assignmentsCell(r, o, redacted));
  if (!redacted) {
    const idle = r.idleDays !== undefined ? ` <span class="m">(${plural(r.idleDays, 'day')})</span>` : '';
    cells.push(
      `<td data-v="${r.lastActivity ? esc(r.lastActivity) : ''}">${r.lastActivity ? timeTag(r.lastActivity) + idle : '<span class="m">none yet</span>'}</td>`,
      `<td>${room(o.webUrl, r.repository)}</td>`,
      `<td>${esc(r.provisioning)}</td>`,
    );
  }
  const attention = redacted ? '' : (r.attention ?? '');
  return `<tr data-s="${r.status}" data-a="${attention}">${cells.join('')}</tr>`;
}

function groupCaption(g: LearnerGroup): string {
  const complete = g.rows.filter((r) => r.status === 'complete').length;
  return `Cohort ${esc(g.cohort)}${g.title ? ` (${esc(g.title)})` : ''}, path ${esc(g.path)}: ${plural(g.rows.length, 'learner')}, ${complete} complete`;
}

function everyoneSection(
  d: Dashboard,
  o: Required<Pick<RenderOptions, 'webUrl'>>,
  redacted: boolean,
  ids: Ids,
): string {
  const out = [`<section aria-labelledby="h-everyone"><h2 id="h-everyone">Everyone (${d.learners})</h2>`];
  out.push(
    `<p>One table per cohort and path, learners A to Z.${redacted ? '' : ' “Last activity” is the learner’s last counted signal; days are counted up to the report’s time.'} With scripts on, column buttons sort a table and the form below filters every table.</p>`,
  );
  const statusOptions = PROGRESS_STATUSES.map((s) => `<option value="${s}">${STATUS_LABELS[s]}</option>`).join('');
  out.push(
    `<form id="filter" class="filter" role="search" aria-label="Filter learners" hidden>` +
      `<div><label for="f-text">${redacted ? 'Handle or cohort contains' : 'Handle or name contains'}</label><input id="f-text" type="search" autocomplete="off"></div>` +
      `<div><label for="f-status">Status</label><select id="f-status"><option value="">any status</option>${statusOptions}</select></div>` +
      (redacted
        ? ''
        : `<div><label for="f-attention">Attention</label><select id="f-attention"><option value="">everyone</option><option value="action">needs action</option><option value="help">needs help</option></select></div>`) +
      `<p id="f-count" role="status"></p></form>`,
  );
  if (d.groups.length === 0) out.push('<p class="empty">No learners yet.</p>');
  else {
    const gids = d.groups.map(() => ids.next('g'));
    out.push(
      `<nav aria-label="Cohorts and paths"><ul class="jump">${d.groups
        .map((g, i) => `<li><a href="#${gids[i]}">${esc(g.cohort)}, ${esc(g.path)} (${g.rows.length})</a></li>`)
        .join('')}</ul></nav>`,
    );
    let cohort: string | undefined;
    d.groups.forEach((g, i) => {
      if (g.cohort !== cohort) {
        if (cohort !== undefined) out.push('</div>');
        cohort = g.cohort;
        out.push(`<div><h3>Cohort ${esc(g.cohort)}${g.title ? ` <span class="m">(${esc(g.title)})</span>` : ''}</h3>`);
      }
      // A course's table: status and progress of the current assignment, then every assignment.
      const course = g.rows.some((r) => r.assignments !== undefined);
      const head = [
        col('Learner', ' aria-sort="ascending" data-sort="text"'),
        ...(redacted ? [] : [col('Name', ' data-sort="text"')]),
        col('Cohort'),
        col('Path'),
        col('Status', ' data-sort="num"'),
        col('Progress', ' data-sort="num"'),
        ...(course ? [col('Assignments')] : []),
        ...(redacted
          ? []
          : [col('Last activity', ' data-sort="text"'), col('Room'), col('Provisioning', ' data-sort="text"')]),
      ];
      out.push(
        `<div data-group><h4 id="${gids[i]}">Path ${esc(g.path)}</h4>` +
          table(
            ids.next('c'),
            groupCaption(g),
            head,
            g.rows.map((r) => learnerRow(r, o, redacted, course)),
            { sortable: true },
          ) +
          '</div>',
      );
    });
    out.push('</div>');
  }
  if (d.withdrawn.length > 0) {
    const head = [col('Learner'), ...(redacted ? [] : [col('Name')]), col('Cohort'), col('Path'), col('Last status')];
    const rows = d.withdrawn.map(
      (r) =>
        `<tr><th scope="row">${profile(o.webUrl, r.handle)}</th>${redacted ? '' : `<td>${r.name !== undefined ? bdi(r.name) : ''}</td>`}<td>${esc(r.cohort)}</td><td>${esc(r.path)}</td><td>${statusBadge(r.status)}</td></tr>`,
    );
    out.push(
      `<h3>Withdrawn (${d.withdrawn.length})</h3><p>Their rooms are archived; they are not counted above and never listed as needing help.</p>`,
    );
    out.push(table(ids.next('c'), `Withdrawn learners: ${plural(d.withdrawn.length, 'learner')}`, head, rows));
  }
  out.push('</section>');
  return out.join('');
}

/** A course's coming cutoffs: who loses write access (push to pull) to which assignment's rooms, and when. */
function cutoffsSection(d: Dashboard, o: Required<Pick<RenderOptions, 'webUrl'>>, ids: Ids): string {
  const list = d.cutoffs ?? [];
  const out = [`<section aria-labelledby="h-cutoffs"><h2 id="h-cutoffs">Upcoming cutoffs (${list.length})</h2>`];
  out.push(
    '<p>In the 7 days after this page’s time, from the roster: at each cutoff the learners drop from push to pull (read), applied by the first scheduled run after it. An extension in the roster moves one learner’s cutoff.</p>',
  );
  if (list.length === 0) out.push('<p class="empty">No cutoff in the next 7 days.</p>');
  else {
    const head = [col('When'), col('Cohort'), col('Assignment'), col('Loses write access', ' class="w"')];
    const rows = list.map((u) => {
      const who = u.learners.map((h) => profile(o.webUrl, h)).join(', ');
      const teams = u.teams ? ` <span class="m">(teams ${esc(u.teams.join(', '))})</span>` : '';
      // the hour matters here: a cutoff is an instant
      const when = `<time datetime="${esc(u.at)}">${esc(u.at.slice(0, 10))} ${esc(u.at.slice(11, 16))} UTC</time>`;
      return `<tr><th scope="row">${when}</th><td>${esc(u.cohort_id)}</td><td>${esc(u.assignment)}${u.title ? ` <span class="m">(${esc(u.title)})</span>` : ''}</td><td>${plural(u.learners.length, 'learner')}: ${who}${teams}</td></tr>`;
    });
    out.push(table(ids.next('c'), `Upcoming cutoffs: ${plural(list.length, 'cutoff')}`, head, rows));
  }
  out.push('</section>');
  return out.join('');
}

function trendsSection(d: Dashboard, ids: Ids): string {
  const out = [`<section aria-labelledby="h-time"><h2 id="h-time">Over time</h2>`];
  out.push(
    '<p>Completion per cohort and path: the share of learners who are complete, on each day the counts changed (from the progress history), up to today. Each chart is followed by a table of the same values.</p>',
  );
  if (d.trends.length === 0) out.push('<p class="empty">No history yet.</p>');
  for (const t of d.trends) {
    out.push(`<h3>Cohort ${esc(t.cohort)}${t.title ? ` <span class="m">(${esc(t.title)})</span>` : ''}</h3>`);
    out.push(`<div class="chart">${renderChart(t, ids.next('chart'))}</div>`);
    out.push(renderTrendTable(t, ids.next('c')));
  }
  out.push('</section>');
  return out.join('');
}

export function renderDashboard(d: Dashboard, options: RenderOptions = {}): string {
  const redacted = options.redacted === true;
  const o = { ...options, webUrl: (options.webUrl ?? 'https://github.com').replace(/\/+$/, '') };
  const ids = new Ids();
  const asOfDay = new Date(Date.parse(d.asOf)).toISOString().slice(0, 10);
  const title = `${redacted ? 'Learning rooms (shared view)' : 'Learning rooms dashboard'}: ${d.owner}, ${asOfDay}`;
  const counts = `${plural(d.learners, 'learner')} in ${plural(d.cohorts.length, 'cohort')}`;
  const sections = [cohortsSection(d, redacted, ids)];
  if (!redacted) sections.push(actionSection(d, o, ids), helpSection(d, o, ids));
  if (d.cutoffs) sections.push(cutoffsSection(d, o, ids));
  sections.push(everyoneSection(d, o, redacted, ids), trendsSection(d, ids));
  const nav = [
    ['h-cohorts', 'How each cohort is doing'],
    ...(redacted
      ? []
      : [
          ['h-action', `Needs action (${d.action.length})`],
          ['h-help', `Needs help (${d.help.length})`],
        ]),
    ...(d.cutoffs ? [['h-cutoffs', `Upcoming cutoffs (${d.cutoffs.length})`]] : []),
    ['h-everyone', `Everyone (${d.learners})`],
    ['h-time', 'Over time'],
  ];
  const csp = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to main content</a>',
    '<header>',
    `<h1>${esc(redacted ? 'Learning rooms: shared view' : 'Learning rooms: facilitator dashboard')}</h1>`,
    `<p>${esc(d.owner)}: ${counts}, as of ${timeTag(d.asOf)} (the last progress poll that changed anything; idle days are counted up to it).${
      redacted
        ? ' Shared view: handles and statuses only; names, emails, activity times, rooms and provisioning details are left out.'
        : ''
    }</p>`,
    '</header>',
    `<nav aria-label="Sections"><ul>${nav.map(([id, label]) => `<li><a href="#${id}">${esc(label)}</a></li>`).join('')}</ul></nav>`,
    '<main id="main" tabindex="-1">',
    ...sections,
    '<p id="announce" class="vh" role="status"></p>',
    '</main>',
    '<footer>',
    `<p class="m">Made by learning-rooms from the roster, progress.json, the progress history${redacted ? '' : ', the provisioning log and the watchdog’s findings when given'}. No script is needed to read this page.</p>`,
    '</footer>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
