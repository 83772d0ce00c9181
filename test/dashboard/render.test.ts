/**
 * The page's structure and safety, read from its HTML: landmarks, headings, real tables, escaping
 * of every outside value, a shared page without personal data, and no external asset.
 * (test/dashboard/browser*.test.ts checks the same page in a real browser with axe and a keyboard.)
 */
import { createHash } from 'node:crypto';
import { dashboardWorld } from '../../test-kit/dashboard-world';
import { SCRIPT, STYLE } from '../../dashboard/assets';
import { esc } from '../../dashboard/html';
import { buildDashboard, sharedSources } from '../../dashboard/model';
import { renderDashboard } from '../../dashboard/render';
import { buildReport } from '../../progress/report';
import type { Roster } from '../../roster/types';

const world = dashboardWorld(40);
const page = renderDashboard(buildDashboard(world));
const shared = renderDashboard(buildDashboard(sharedSources(world)), { redacted: true });

const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

describe('structure', () => {
  test.each([
    ['full', page],
    ['shared', shared],
  ])('%s page: language, one h1, skip link to main, banner / navigation / main / contentinfo', (_name, html) => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(count(html, /<h1[ >]/g)).toBe(1);
    expect(html).toMatch(/<body>\n<a class="skip" href="#main">Skip to main content<\/a>\n<header>/);
    expect(html).toContain('<main id="main" tabindex="-1">');
    for (const tag of ['<header>', '<nav aria-label="Sections">', '<footer>'])
      expect(count(html, new RegExp(tag, 'g'))).toBe(1);
    expect(html).toMatch(/<title>[^<]+<\/title>/);
  });

  test('every table has a caption and only scoped header cells; every scroll region is named by its caption and focusable', () => {
    const tables = page.match(/<table[\s\S]*?<\/table>/g)!;
    expect(tables.length).toBeGreaterThan(8);
    for (const t of tables) {
      expect(t).toMatch(/^<table[^>]*><caption id="[^"]+">/);
      expect(t.match(/<th(?![^>]*scope="(col|row)")[ >]/g)).toBeNull();
    }
    const regions = page.match(/<div class="scroll"[^>]*>/g)!;
    expect(regions).toHaveLength(tables.length);
    for (const r of regions) expect(r).toMatch(/role="region" aria-labelledby="c\d+" tabindex="0"/);
    const ids = page.match(/ id="([^"]+)"/g)!;
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('the sortable tables declare their default order on the header, and the filter form is hidden until the script shows it', () => {
    const sortable = page.match(/<table data-sortable>[\s\S]*?<\/thead>/g)!;
    expect(sortable.length).toBe(buildDashboard(world).groups.length);
    for (const t of sortable)
      expect(t).toContain('<th scope="col" aria-sort="ascending" data-sort="text">Learner</th>');
    expect(page).toMatch(/<form id="filter" class="filter" role="search" aria-label="Filter learners" hidden>/);
    expect(page).toMatch(/<label for="f-text">/);
  });

  test('status is always a word, never a colour alone; each chart has a title, a description and a table of its values', () => {
    const badges = page.match(/<span class="st s-\w+">[^<]*<\/span>/g)!;
    expect(badges.length).toBeGreaterThan(40);
    for (const b of badges) expect(b).toMatch(/>[a-z0-9 ]+<\/span>$/);
    const charts = page.match(/<svg [^>]*role="img" aria-labelledby="(chart\d+)-t \1-d"/g)!;
    expect(charts.length).toBe(buildDashboard(world).trends.length);
    expect(count(page, /<caption id="c\d+"><span class="cap">Completion per day/g)).toBe(charts.length);
  });
});

describe('the answers a facilitator looks for', () => {
  test('sections in order: cohorts, needs action, needs help, everyone, over time; with counts', () => {
    const order = ['h-cohorts', 'h-action', 'h-help', 'h-everyone', 'h-time'].map((id) =>
      page.indexOf(`<h2 id="${id}">`),
    );
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]))).toBe(true);
    const d = buildDashboard(world);
    expect(page).toContain(`<h2 id="h-action">Needs action: yours (${d.action.length})</h2>`);
    expect(page).toContain(`Needs help: no activity for 3 days or more (${d.help.length})`);
    expect(d.help.length).toBeGreaterThan(0);
    expect(d.action.map((a) => a.kind)).toEqual(
      expect.arrayContaining([
        'invitation-expired',
        'apply-failed',
        'queued',
        'room-missing',
        'room-archived',
        'not-read',
        'drift',
      ]),
    );
  });

  test('a learner row: profile link, name, cohort, path, status, k of n, last activity with idle days, room link, provisioning', () => {
    const d = buildDashboard(world);
    const r = d.groups.flatMap((g) => g.rows).find((x) => x.status === 'in-progress' && x.idleDays !== undefined)!;
    const row = page.match(
      new RegExp(
        `<tr data-s="in-progress" data-a="[a-z]*"><th scope="row"><a href="https://github.com/${r.handle}">@${r.handle}</a></th>.*?</tr>`,
      ),
    )![0];
    expect(row).toContain(`<td><bdi>${esc(r.name!)}</bdi></td><td>${r.cohort}</td><td>${r.path}</td>`);
    expect(row).toContain(
      `<td data-v="7"><span class="st s-busy">in progress</span></td><td data-v="${(r.closed / 6).toFixed(4)}">${r.closed} of 6</td>`,
    );
    expect(row).toContain(
      `<td data-v="${r.lastActivity}"><time datetime="${r.lastActivity}">${r.lastActivity!.slice(0, 10)}</time> <span class="m">(${r.idleDays} day${r.idleDays === 1 ? '' : 's'})</span></td>`,
    );
    expect(row).toContain(
      `<a href="https://github.com/acme-learning/${r.cohort}-${r.handle}">${r.cohort}-${r.handle}</a>`,
    );
    expect(row).toMatch(/<td>created<\/td><\/tr>$/);
  });
});

describe('escaping: nothing from the records can become markup', () => {
  const nasty = '<script>alert(1)</script>"><img src=x onerror=alert(2)>&amp;\u202eevil\u0007';
  const roster: Roster = {
    format_version: 1,
    cohorts: [{ cohort_id: 'c1', title: '</caption><b>x</b>' }],
    learners: [
      {
        github_handle: 'ann',
        cohort_id: 'c1',
        path: 'web',
        name: nasty,
        provisioning: { state: 'failed', cause: 'other', detail: '<iframe src="https://evil.example">' },
      },
    ],
  };
  const report = buildReport('acme', [], '2026-05-04T09:30:00Z');
  const html = renderDashboard(
    buildDashboard({
      roster,
      report,
      watchdog: {
        format_version: 1,
        checked_at: '2026-05-04T00:00:00Z',
        drift: [{ handle: 'ann', cohort: 'c1', action: '<u>', what: '" onmouseover="x' }],
        failed_plans: [],
      },
    }),
  );

  test('a name with a script, an attribute break-out, an entity, a bidi override and a control character', () => {
    expect(html).not.toMatch(/<script>alert|<img src=x|<iframe|<b>x<\/b>|<u>|" onmouseover/);
    expect(html).toContain(
      '<bdi>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&amp;amp;\u202eevil\uFFFD</bdi>',
    );
    expect(html).toContain('other: &lt;iframe src=&quot;https://evil.example&quot;&gt;');
    // The only scripts are the page's own, and the policy allows no other.
    expect(count(html, /<script/g)).toBe(1);
    expect(esc(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
  });
});

describe('self-contained, and locked down', () => {
  test('no external asset: no stylesheet, script, image, frame or font is loaded from anywhere', () => {
    for (const html of [page, shared]) {
      expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|<object\b|<embed\b|@import|url\(|\bsrc=/i);
      const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      expect(hrefs.every((h) => h.startsWith('#') || h.startsWith('https://github.com/'))).toBe(true);
    }
  });

  test("the content security policy allows exactly the page's own style and script, by hash", () => {
    const csp = page.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)![1];
    const hash = (t: string) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
    expect(csp).toBe(
      `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`,
    );
    expect(page).toContain(`<style>${STYLE}</style>`);
    expect(page).toContain(`<script>${SCRIPT}</script>`);
  });

  test('the same records give the same bytes', () => {
    expect(renderDashboard(buildDashboard(dashboardWorld(40)))).toBe(page);
  });
});

describe('the shared page', () => {
  test('handles and statuses only: no name, email, student id, activity time, room, provisioning detail, needs-action or needs-help list', () => {
    for (const l of world.roster.learners) {
      if (l.name) expect(shared).not.toContain(esc(l.name));
      if (l.email) expect(shared).not.toContain(l.email);
      if (l.student_id) expect(shared).not.toContain(l.student_id);
    }
    expect(shared).not.toMatch(
      /rate limit|acme-learning\/2026|<time datetime="2026-0[34]|h-action|h-help|Needs action|Needs help|run-100/,
    );
    expect(shared).toContain('@learner-00001');
    expect(shared).toMatch(/in progress<\/span><\/td><td data-v="0\.5000">3 of 6<\/td><\/tr>/);
    expect(shared).toContain('Shared view: handles and statuses only');
  });
});

describe('links to the apply run', () => {
  test("a run id as the post-step records it (run-attempt) links to that attempt's page; anything else is only named", () => {
    const roster: Roster = {
      format_version: 1,
      cohorts: [{ cohort_id: 'c1' }],
      learners: [
        {
          github_handle: 'ann',
          cohort_id: 'c1',
          path: 'web',
          provisioning: { state: 'failed', cause: 'rate-limit', last_run_id: '1234567-2' },
        },
        {
          github_handle: 'bo',
          cohort_id: 'c1',
          path: 'web',
          provisioning: { state: 'failed', cause: 'rate-limit', last_run_id: 'local-run' },
        },
        {
          // a shard k >= 1 of the cohort: the log's run id names the stack after the run
          github_handle: 'cy',
          cohort_id: 'c1',
          path: 'web',
          provisioning: { state: 'failed', cause: 'rate-limit', last_run_id: '1234568-1/c1.shard-2' },
        },
      ],
    };
    const html = renderDashboard(buildDashboard({ roster, report: buildReport('acme', [], '2026-05-04T09:30:00Z') }), {
      runUrl: 'https://github.com/org/admin/actions/runs/',
    });
    expect(html).toContain(
      '(run <a href="https://github.com/org/admin/actions/runs/1234567/attempts/2">1234567-2</a>)',
    );
    expect(html).toContain('(run local-run)');
    expect(html).toContain(
      '(run <a href="https://github.com/org/admin/actions/runs/1234568/attempts/1">1234568-1/c1.shard-2</a>)',
    );
  });
});
