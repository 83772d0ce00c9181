/// <reference lib="dom" />
/**
 * The dashboard in a real browser (Chromium, from 127.0.0.1): axe-core finds no WCAG 2.2 A/AA
 * violation at 8 and 300 learners (full and shared pages); a keyboard alone reaches every control
 * in order, with a visible focus, and sorts a table; the page reads without JavaScript; at 400%
 * zoom (a 320 CSS pixel wide window) nothing but a data table scrolls sideways.
 * The 3,000-learner page is checked in browser-large.test.ts (its own browser, in parallel).
 */
import type { Browser, Page } from 'playwright-core';
import { dashboardWorld } from '../../test-kit/dashboard-world';
import { buildDashboard, sharedSources } from '../../dashboard/model';
import { renderDashboard } from '../../dashboard/render';
import { describeInBrowser, launchBrowser, PageServer, runAxe, servePages } from '../helpers/browser';

const pages: Record<string, string> = {};
/** Learners in the Everyone tables of the 300-learner page (withdrawn ones are listed apart). */
const ACTIVE_300 = buildDashboard(dashboardWorld(300)).learners;
for (const n of [8, 300]) {
  const w = dashboardWorld(n);
  pages[`${n}.html`] = renderDashboard(buildDashboard(w));
  pages[`${n}-shared.html`] = renderDashboard(buildDashboard(sharedSources(w)), { redacted: true });
}

describeInBrowser('the dashboard in Chromium', () => {
  let browser: Browser;
  let server: PageServer;
  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), servePages(pages)]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.close()]);
  });

  async function open(
    name: string,
    options: Parameters<Browser['newPage']>[0] = {},
  ): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage(options);
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url(name));
    return { page, errors };
  }

  test.each(['8.html', '8-shared.html', '300.html', '300-shared.html'])(
    'axe: no WCAG 2.2 A or AA violation in %s',
    async (name) => {
      // bypassCSP lets the test inject axe; the page's own policy is exercised by the keyboard test.
      const { page } = await open(name, { bypassCSP: true });
      const result = await runAxe(page);
      await page.close();
      expect(result.violations).toEqual([]);
      expect(result.passes).toBeGreaterThan(20);
    },
  );

  test('keyboard only: skip link first, every control reached in document order with a visible focus, a table sorted with Enter and Space', async () => {
    const { page, errors } = await open('8.html');
    // What a keyboard must reach: every link, button, field and focusable scroll region that is shown.
    const expected = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, [tabindex="0"]'))
        .filter((el) => el.getClientRects().length > 0 && !el.closest('[hidden]'))
        .map((el, i) => {
          el.dataset.k = String(i);
          return String(i);
        }),
    );
    expect(expected.length).toBeGreaterThan(30);
    const reached: string[] = [];
    const unfocusedLook: string[] = [];
    for (let i = 0; i < expected.length + 5; i++) {
      await page.keyboard.press('Tab');
      const seen = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return undefined;
        const style = getComputedStyle(el);
        return {
          k: el.dataset.k ?? `?${el.tagName}`,
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          text: el.textContent?.trim().slice(0, 40),
        };
      });
      if (!seen) break;
      if (reached.includes(seen.k)) break;
      reached.push(seen.k);
      if (!seen.outline) unfocusedLook.push(`${seen.k} ${seen.text}`);
    }
    expect(reached).toEqual(expected);
    expect(unfocusedLook).toEqual([]);

    // The skip link is the first stop and moves the focus to the main content.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    expect(await page.isVisible('a.skip')).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // Tab to the Status sort button of the first learner table, then sort with the keyboard.
    let onStatus = false;
    for (let i = 0; i < 200 && !onStatus; i++) {
      await page.keyboard.press('Tab');
      onStatus = await page.evaluate(() => {
        const el = document.activeElement;
        return (
          el?.tagName === 'BUTTON' &&
          el.textContent === 'Status' &&
          el.closest('table') === document.querySelector('table[data-sortable]')
        );
      });
    }
    expect(onStatus).toBe(true);
    const state = () =>
      page.evaluate(() => {
        const table = document.querySelector('table[data-sortable]') as HTMLTableElement;
        const heads = Array.from(table.tHead!.rows[0].cells).map((th) => th.getAttribute('aria-sort'));
        const ranks = Array.from(table.tBodies[0].rows).map((r) => Number(r.cells[4].getAttribute('data-v')));
        return { heads, ranks, said: document.getElementById('announce')!.textContent };
      });
    const before = await state();
    expect(before.heads[0]).toBe('ascending');
    await page.keyboard.press('Enter');
    const up = await state();
    expect(up.heads).toEqual([null, null, null, null, 'ascending', null, null, null, null]);
    expect(up.ranks).toEqual([...before.ranks].sort((a, b) => a - b));
    expect(up.said).toMatch(/sorted by Status, ascending\.$/);
    await page.keyboard.press(' ');
    const down = await state();
    expect(down.heads[4]).toBe('descending');
    expect(down.ranks).toEqual([...before.ranks].sort((a, b) => b - a));
    expect(new Set(up.ranks).size).toBeGreaterThan(1); // the sort did change the order
    // The page's own content security policy let its script run, and nothing else complained.
    expect(errors).toEqual([]);
    await page.close();
  });

  test('filters from the keyboard: a status narrows every table and says how many are shown', async () => {
    const { page } = await open('300.html');
    await page.focus('#f-status');
    await page.selectOption('#f-status', 'invitation-expired');
    const result = await page.evaluate(() => ({
      shown: Array.from(document.querySelectorAll('[data-group] tbody tr'))
        .filter((r) => !(r as HTMLElement).hidden)
        .map((r) => r.getAttribute('data-s')),
      groups: Array.from(document.querySelectorAll('[data-group]')).filter((g) => !(g as HTMLElement).hidden).length,
      count: document.getElementById('f-count')!.textContent,
    }));
    expect(result.shown.length).toBeGreaterThan(0);
    expect(new Set(result.shown)).toEqual(new Set(['invitation-expired']));
    expect(result.count).toBe(`Showing ${result.shown.length} of ${ACTIVE_300} learners.`);
    await page.selectOption('#f-status', '');
    await page.fill('#f-text', 'learner-00003');
    await page.waitForFunction(() => /^Showing 1 of/.test(document.getElementById('f-count')!.textContent ?? ''));
    await page.close();
  });

  test('without JavaScript: every learner is in a table, in the documented order, and no control that cannot work is shown', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url('300.html'));
    const seen = await page.evaluate(() => ({
      rows: document.querySelectorAll('[data-group] tbody tr').length,
      buttons: document.querySelectorAll('button').length,
      formShown: (document.getElementById('filter') as HTMLElement).getClientRects().length > 0,
      firstHandles: Array.from(document.querySelectorAll('[data-group]')[0].querySelectorAll('tbody th')).map(
        (th) => th.textContent,
      ),
    }));
    expect(seen.rows).toBe(ACTIVE_300);
    expect(seen.buttons).toBe(0);
    expect(seen.formShown).toBe(false);
    expect(seen.firstHandles).toEqual([...seen.firstHandles].sort());
    await context.close();
  });

  test.each(['8.html', '300.html'])(
    '400%% zoom (320 CSS pixels wide): no sideways scrolling of the page in %s, only inside table regions',
    async (name) => {
      const { page } = await open(name, { viewport: { width: 320, height: 256 } });
      const layout = await page.evaluate(() => ({
        pageWidth: document.documentElement.scrollWidth,
        wideRegionsWithoutKeyboard: Array.from(document.querySelectorAll<HTMLElement>('.scroll'))
          .filter((r) => r.scrollWidth > r.clientWidth && r.tabIndex !== 0)
          .map((r) => r.getAttribute('aria-labelledby')),
        clippedCaptions: Array.from(document.querySelectorAll<HTMLElement>('caption .cap')).filter(
          (c) => c.getBoundingClientRect().width > 320,
        ).length,
      }));
      expect(layout).toEqual({ pageWidth: 320, wideRegionsWithoutKeyboard: [], clippedCaptions: 0 });
      await page.close();
    },
  );
});
