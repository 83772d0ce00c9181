import { buildDashboard } from '../../dashboard/model';
import { renderDashboard } from '../../dashboard/render';
import { buildReport } from '../../progress/report';
import { dashboardWorld } from '../../test-kit/dashboard-world';
import { courseRoster } from '../../test-kit/course';

describe('upcoming cutoffs on the dashboard', () => {
  test('a course: who loses write access, to which assignment, and when, in the 7 days after the page’s time', () => {
    const roster = courseRoster({ learners: 3 });
    roster.learners[2].extensions = { 'a1-html': '2026-03-13T12:00:00Z' };
    const report = buildReport('acme-school', [], '2026-03-09T12:00:00Z');
    const d = buildDashboard({ roster, report });
    expect(d.cutoffs?.map((c) => [c.assignment, c.at, c.learners])).toEqual([
      ['a1-html', '2026-03-10T17:00:00.000Z', ['l1', 'l2']],
      ['a1-html', '2026-03-13T12:00:00.000Z', ['l3']],
    ]);
    const html = renderDashboard(d);
    expect(html).toContain('<li><a href="#h-cutoffs">Upcoming cutoffs (2)</a></li>');
    const section = html.slice(
      html.indexOf('<section aria-labelledby="h-cutoffs">'),
      html.indexOf('<section aria-labelledby="h-everyone">'),
    );
    expect(section).toContain('<caption id="c');
    expect(section).toMatch(
      /<th scope="row"><time datetime="2026-03-10T17:00:00.000Z">2026-03-10 17:00 UTC<\/time><\/th><td>web-101<\/td><td>a1-html <span class="m">\(Accessible HTML\)<\/span><\/td><td>2 learners: /,
    );
    expect(section).toContain('>@l1</a>, <a');
    // the shared view keeps handles, so it shows them too
    expect(renderDashboard(d, { redacted: true })).toContain('id="h-cutoffs"');
  });

  test('no course, no section: the page is what it was', () => {
    const world = dashboardWorld(12);
    const d = buildDashboard(world);
    expect(d.cutoffs).toBeUndefined();
    expect(renderDashboard(d)).not.toContain('h-cutoffs');
  });
});
