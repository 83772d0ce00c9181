/** progress.md's per-learner table: who needs the operator first, then who needs help, within GitHub's limits. */
import { dashboardWorld } from '../../test-kit/dashboard-world';
import { learnersMarkdown, progressMarkdown, PROGRESS_MARKDOWN_LIMIT } from '../../dashboard/markdown';
import { buildDashboard } from '../../dashboard/model';

describe('progress.md learner table', () => {
  const w = dashboardWorld(300);
  const d = buildDashboard(w);

  it('lists needs action first (in its order), then needs help (longest idle first), then everyone else; one row per active learner', () => {
    const md = progressMarkdown(w.report, w.roster);
    expect(md.startsWith('# Learner progress\n')).toBe(true);
    const rows = md
      .slice(md.indexOf('## Learners'))
      .split('\n')
      .filter((l) => /^\| `learner-/.test(l));
    expect(rows).toHaveLength(d.learners);
    const attention = rows.map((r) => r.split(' | ').at(-1)!.replace(/ \|$/, ''));
    const firstHelp = attention.findIndex((a) => a.startsWith('help:'));
    const firstOther = attention.findIndex((a) => a === '');
    expect(attention.slice(0, firstHelp).every((a) => a.startsWith('action:'))).toBe(true);
    expect(attention.slice(firstHelp, firstOther).every((a) => a.startsWith('help:'))).toBe(true);
    expect(attention.slice(firstOther).every((a) => a === '')).toBe(true);
    expect(rows[0]).toMatch(/\| action: invitation expired \|$/);
    const idle = attention.slice(firstHelp, firstOther).map((a) => Number(/(\d+) days/.exec(a)![1]));
    expect(idle).toEqual([...idle].sort((a, b) => b - a));
    // Withdrawn learners are in neither the table nor "stuck longest".
    const withdrawn = w.roster.learners.filter((l) => l.provisioning.state === 'archived').map((l) => l.github_handle);
    expect(withdrawn.length).toBeGreaterThan(0);
    expect(
      w.report.stuck.some((s) => withdrawn.includes(s.github_handle)) ||
        w.report.learners.some((l) => withdrawn.includes(l.github_handle)),
    ).toBe(true);
    for (const h of withdrawn) expect(md).not.toContain(h);
  });

  it('is cut to the limit with a note saying where the rest is, keeping the needs-action rows', () => {
    const md = learnersMarkdown(buildDashboard(dashboardWorld(3000)), 20_000);
    expect(md.length).toBeLessThanOrEqual(20_001);
    expect(md).toMatch(/… and \d+ more learners: see `dashboard\/index\.html` or `progress\.json`\./);
    expect(md.split('\n').find((l) => l.startsWith('| `learner-'))).toMatch(/action: /);
    const huge = dashboardWorld(10_000);
    const big = progressMarkdown(huge.report, huge.roster);
    expect(big.length).toBeLessThanOrEqual(PROGRESS_MARKDOWN_LIMIT);
    expect(PROGRESS_MARKDOWN_LIMIT).toBeLessThanOrEqual((1024 * 1024) / 2);
  });
});
