/** Values from a roster echoed into Markdown that GitHub renders: no links, mentions or HTML of theirs. */
import { code, text } from '../../gitops/markdown';
import { renderPlanComment } from '../../gitops/plan-comment';
import { renderWatchdogReport } from '../../gitops/watchdog-report';
import { renderRegistrationProblems } from '../../gitops/issue-form';
import { learner, roster } from '../../test-kit/rosters';

/** The Markdown with every code span removed: what GitHub would scan for links. */
const outsideCode = (md: string) => md.replace(/`[^`\n]*`/g, '');
const EVIL = /evil\.example/;

describe('text(): bare URLs go into code spans', () => {
  test.each([
    ['https://evil.example/x', '`https://evil.example/x`'],
    ['see http://evil.example/a_b?c=(d) now', 'see `http://evil.example/a_b?c=(d)` now'],
    ['found "https://evil.example/x"', 'found "`https://evil.example/x`"'],
    ['www.evil.example/login', '`www.evil.example/login`'],
    ['ftp://evil.example', '`ftp://evil.example`'],
    ['mailto:boss@evil.example', '`mailto:boss@evil.example`'],
    ['a | https://evil.example/|x', 'a \\| `https://evil.example/\\|x`'],
  ])('%s', (value, rendered) => {
    expect(text(value)).toBe(rendered);
    expect(outsideCode(text(value))).not.toMatch(EVIL);
  });

  test('text without a URL is escaped as before; a URL cut by the length limit stays in its span', () => {
    expect(text('learners[3].path: (x) @org *y*')).toBe('learners\\[3\\].path: \\(x\\) @\u200borg \\*y\\*');
    const cut = text(`${'a '.repeat(10)}https://evil.example/${'z'.repeat(100)}`, 60);
    expect(cut).toMatch(/`https:\/\/evil\.example\/z*…`$/);
    expect(code('https://evil.example/x')).toBe('`https://evil.example/x`');
  });
});

test('the plan comment: a roster error echoing a URL does not link it', () => {
  const md = renderPlanComment({
    stacks: [],
    rosterErrors: [
      'roster.json: learner #0 (alice), learners[0].path: expected a learning path such as "web"; found "https://evil.example/x"',
      'see www.evil.example',
    ],
    runUrl: 'https://github.com/acme/admin/actions/runs/1',
  });
  expect(md).toContain('found "`https://evil.example/x`"');
  expect(md).toContain('see `www.evil.example`');
  expect(outsideCode(md)).not.toMatch(EVIL);
  expect(md).toContain('(https://github.com/acme/admin/actions/runs/1)'); // our own link to the run stays a link
});

test('the watchdog issue: a failed learner whose detail holds a URL', () => {
  const r = roster([
    learner('bob', 'c1', {
      provisioning: {
        state: 'failed',
        cause: 'other',
        detail: 'POST https://evil.example/phish: 500 go to www.evil.example',
      },
    }),
  ]);
  const md = renderWatchdogReport({ stacks: [], roster: r, healEnabled: false, checkedAt: '2026-11-29T08:00:00Z' });
  expect(md).toContain('POST `https://evil.example/phish:` 500 go to `www.evil.example`');
  expect(outsideCode(md)).not.toMatch(EVIL);
});

test('the registration comment: a message built with text() keeps the URL in a code span', () => {
  const md = renderRegistrationProblems([
    { field: 'path', message: `expected ${text('a path, not https://evil.example/x')}.` },
  ]);
  expect(md).toContain('expected a path, not `https://evil.example/x`.');
  expect(outsideCode(md)).not.toMatch(EVIL);
});
