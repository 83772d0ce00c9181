/// <reference lib="dom" />
/**
 * `npm run screenshots`: the pictures in docs/dashboard.md, taken in Chromium from generated
 * cohorts (bench/dashboard-world.ts), and the axe-core figures of its conformance statement:
 *  - docs/images/dashboard-8.png: the 8-learner page, whole, 1280 pixels wide;
 *  - docs/images/dashboard-300-zoom400-*.png: the 300-learner page at 400% zoom (a 320 CSS pixel
 *    window drawn at 4 device pixels per CSS pixel, as a 1280-pixel screen zoomed to 400% shows it);
 *  - axe (WCAG 2.0/2.1/2.2 A and AA) on the 8, 300 and 3,000-learner pages and the shared pages.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardWorld } from '../test-kit/dashboard-world';
import { buildDashboard, sharedSources } from '../dashboard/model';
import { renderDashboard } from '../dashboard/render';
import { launchBrowser, runAxe, servePages } from '../test-kit/browser';

async function main(): Promise<void> {
  const out = join(__dirname, '..', '..', 'docs', 'images');
  mkdirSync(out, { recursive: true });
  const pages: Record<string, string> = {};
  for (const n of [8, 300, 3000]) {
    const w = dashboardWorld(n);
    pages[`${n}.html`] = renderDashboard(buildDashboard(w));
    pages[`${n}-shared.html`] = renderDashboard(buildDashboard(sharedSources(w)), { redacted: true });
  }
  const [browser, server] = await Promise.all([launchBrowser(), servePages(pages)]);
  try {
    const whole = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await whole.goto(server.url('8.html'));
    await whole.screenshot({ path: join(out, 'dashboard-8.png'), fullPage: true });
    await whole.close();

    const zoomed = await browser.newPage({ viewport: { width: 320, height: 256 }, deviceScaleFactor: 4 });
    await zoomed.goto(server.url('300.html'));
    await zoomed.screenshot({ path: join(out, 'dashboard-300-zoom400-top.png') });
    await zoomed.evaluate(() => document.querySelector('#h-help ~ .scroll')!.scrollIntoView());
    await zoomed.screenshot({ path: join(out, 'dashboard-300-zoom400-help.png') });
    await zoomed.close();
    console.log(`screenshots in ${out}`);

    for (const name of Object.keys(pages)) {
      const page = await browser.newPage({ bypassCSP: true });
      await page.goto(server.url(name));
      const t0 = Date.now();
      const r = await runAxe(page);
      console.log(
        `axe ${name.padEnd(16)} ${(Buffer.byteLength(pages[name]) / 1024).toFixed(0).padStart(6)} KiB: ${r.violations.length} violations, ${r.passes} rules passed, ` +
          `needs review: ${r.incomplete.join(', ') || 'none'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      );
      for (const v of r.violations)
        console.log(`  ${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
      await page.close();
    }
  } finally {
    await Promise.all([browser.close(), server.close()]);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
