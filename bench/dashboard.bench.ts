/**
 * `npm run bench:dashboard`: the facilitator dashboard for 300, 3,000 and 10,000 learners (3, 10
 * and 34 cohorts of generated records, bench/dashboard-world.ts): time to build the model and
 * render the page, its shared twin and progress.md, and the size of each. Each size in its own
 * process, for its own peak memory.
 */
import { execFileSync } from 'node:child_process';
import { dashboardWorld } from '../test-kit/dashboard-world';
import { progressMarkdown } from '../dashboard/markdown';
import { buildDashboard, sharedSources } from '../dashboard/model';
import { renderDashboard } from '../dashboard/render';
import { measure, Measurement, printTable } from './measure';

const size = Number(process.argv[2]);
if (Number.isFinite(size) && size > 0) {
  const world = dashboardWorld(size);
  const rows: Measurement[] = [];
  const { result: page, m: full } = measure(`page ${size}`, () => renderDashboard(buildDashboard(world)));
  rows.push(full);
  const { result: shared, m: sh } = measure(`shared page ${size}`, () =>
    renderDashboard(buildDashboard(sharedSources(world)), { redacted: true }),
  );
  rows.push(sh);
  const { result: md, m: m } = measure(`progress.md ${size}`, () => progressMarkdown(world.report, world.roster));
  rows.push(m);
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  process.stdout.write(JSON.stringify({ rows, page: bytes(page), shared: bytes(shared), md: bytes(md) }) + '\n');
} else {
  const all: Measurement[] = [];
  const sizes: string[] = [];
  for (const n of [300, 3000, 10000]) {
    const out = execFileSync(process.execPath, [__filename, String(n)], { encoding: 'utf8' });
    const { rows, page, shared, md } = JSON.parse(out) as {
      rows: Measurement[];
      page: number;
      shared: number;
      md: number;
    };
    all.push(...rows);
    const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
    sizes.push(
      `${String(n).padStart(6)} learners: page ${kib(page)} (${(page / n).toFixed(0)} bytes per learner), shared page ${kib(shared)}, progress.md ${kib(md)}`,
    );
  }
  console.log(sizes.join('\n'));
  printTable(all);
}
