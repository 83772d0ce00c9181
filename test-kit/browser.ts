/// <reference lib="dom" />
/**
 * A real browser for the dashboard's accessibility checks (the tests, `npm run screenshots`):
 * Debian's Chromium driven by playwright-core (which downloads no browser), axe-core injected into
 * the page, pages served from 127.0.0.1 only.
 */
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.LEARNING_ROOMS_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a closed network (without them its own connections are refused and it stalls). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One browser per test file; Playwright gives it a fresh temporary profile (user data dir). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface PageServer {
  url(name: string): string;
  close(): Promise<void>;
}

/** Serves the given pages (name -> HTML) on 127.0.0.1, on a free port. */
export async function servePages(pages: Record<string, string>): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').split('?')[0].slice(1));
    const html = Object.prototype.hasOwnProperty.call(pages, name) ? pages[name] : undefined;
    if (html === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** WCAG 2.0, 2.1 and 2.2 A and AA: the rules a conformance claim at AA rests on. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

export interface AxeSummary {
  violations: AxeViolation[];
  passes: number;
  incomplete: string[];
}

const AXE_SOURCE = () => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page (which must allow the injected script: a context with bypassCSP). */
export async function runAxe(page: Page): Promise<AxeSummary> {
  await page.addScriptTag({ content: AXE_SOURCE() });
  return page.evaluate(async (tags) => {
    // axe is the global the injected script defines.
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{ violations: AxeViolation[]; passes: unknown[]; incomplete: { id: string }[] }>;
        };
      }
    ).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return {
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      })),
      passes: r.passes.length,
      incomplete: r.incomplete.map((i) => i.id),
    };
  }, WCAG_AA_TAGS);
}
