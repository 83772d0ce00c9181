/**
 * The 3,000-learner dashboard in Chromium: axe-core finds no WCAG 2.2 A or AA violation on the
 * whole page (about 2 MB, ten cohorts).
 * Its own browser, so jest runs it beside browser.test.ts.
 */
import type { Browser } from 'playwright-core';
import { dashboardWorld } from '../../test-kit/dashboard-world';
import { buildDashboard } from '../../dashboard/model';
import { renderDashboard } from '../../dashboard/render';
import { describeInBrowser, launchBrowser, PageServer, runAxe, servePages } from '../helpers/browser';

describeInBrowser('the 3,000-learner dashboard in Chromium', () => {
  let browser: Browser;
  let server: PageServer;
  beforeAll(async () => {
    const page = renderDashboard(buildDashboard(dashboardWorld(3000)));
    [browser, server] = await Promise.all([launchBrowser(), servePages({ '3000.html': page })]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.close()]);
  });

  test('axe: no WCAG 2.2 A or AA violation', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(server.url('3000.html'));
    expect(await page.locator('[data-group] tbody tr').count()).toBeGreaterThan(2800);
    const result = await runAxe(page);
    await page.close();
    expect(result.violations).toEqual([]);
  }, 90_000);
});
