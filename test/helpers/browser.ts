/// <reference lib="dom" />
/**
 * The browser tests' guard: without Chromium they fail with a clear message under CI (CI=1 or
 * LEARNING_ROOMS_REQUIRE_BROWSER=1) and are skipped, saying so, elsewhere. The browser itself is
 * scripts/browser.ts, shared with `npm run screenshots`.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM } from '../../test-kit/browser';

export { launchBrowser, runAxe, servePages, WCAG_AA_TAGS } from '../../test-kit/browser';
export type { AxeSummary, AxeViolation, PageServer } from '../../test-kit/browser';

export function browserRequired(): boolean {
  const ci = process.env.CI;
  return (
    (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') ||
    process.env.LEARNING_ROOMS_REQUIRE_BROWSER === '1'
  );
}

export const MISSING_BROWSER = `Chromium not found at ${CHROMIUM}: the dashboard's accessibility tests need a real browser. Install it (apt-get install -y chromium; .ci/run does) or point LEARNING_ROOMS_CHROMIUM at one.`;

/**
 * `describe` when Chromium is there; otherwise a failing test under CI, or a skipped block (with a
 * message) on a developer's machine.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
  } else if (browserRequired()) {
    describe(name, () => {
      test('needs Chromium', () => {
        throw new Error(MISSING_BROWSER);
      });
    });
  } else {
    console.warn(`skipped "${name}": ${MISSING_BROWSER}`);
    describe.skip(name, body);
  }
}
