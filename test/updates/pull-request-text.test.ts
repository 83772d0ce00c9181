import {
  commitMessage,
  PULL_REQUEST_MARKER,
  pullRequestBody,
  pullRequestTitle,
  updateBranch,
} from '../../updates/pull-request-text';
import type { ProposedFile } from '../../updates/room-plan';

const FROM = '0123abcdef0123abcdef0123abcdef0123abcdef';
const TO = '4567fedcba4567fedcba4567fedcba4567fedcba';
const file = (path: string, action: ProposedFile['action'], extra: Partial<ProposedFile> = {}): ProposedFile =>
  (action === 'delete'
    ? { path, action, learnerChanged: false, learnerRemoved: false }
    : { path, action, to: 'x', learnerChanged: false, learnerRemoved: false, ...extra }) as ProposedFile;

describe('the pull request a learner reads', () => {
  test('branch and title name the template and its two commits', () => {
    expect(updateBranch(TO)).toBe('learning-rooms/starter-update-4567fed');
    expect(pullRequestTitle('acme/tmpl', FROM, TO)).toBe('Starter code update: acme/tmpl 0123abc..4567fed');
  });

  test('the whole body: what changed, that nothing happens unless they merge, their choices, the files', () => {
    const body = pullRequestBody({
      template: 'acme/tmpl',
      from: FROM,
      to: TO,
      branch: updateBranch(TO),
      files: [
        file('src/a.py', 'update'),
        file('src/new/b.py', 'add'),
        file('old.txt', 'delete'),
        file('notes.md', 'update', { learnerChanged: true }),
        file('setup.cfg', 'add', { learnerRemoved: true }),
      ],
      skipped: [
        { path: 'draft.md', why: 'kept-learner-changed' },
        { path: 'same.txt', why: 'identical' },
      ],
    });
    expect(body).toBe(
      [
        PULL_REQUEST_MARKER,
        'Hello! The starter code of your course (the template `acme/tmpl`) has changed since your repository was made from it. This pull request offers you those changes.',
        '',
        '**Nothing in your repository changes unless you merge it.** Your own work stays as it is. You can:',
        '',
        '- **merge** it to take the new starter code;',
        '- **edit** it first: change the files on its branch `learning-rooms/starter-update-4567fed`, then merge;',
        "- **close** it if you don't want these changes. That's fine too.",
        '',
        '### What changes (5 files)',
        '',
        '- `src/a.py`: updated',
        '- `src/new/b.py`: added',
        '- `old.txt`: removed',
        "- `notes.md`: updated. **You changed this file**: the pull request shows the template's version in place of yours.",
        '- `setup.cfg`: added. You had removed it; the pull request brings it back.',
        '',
        'You changed one of these files yourself. Open the *Files changed* tab to see the difference, and keep what you need before you merge (you can edit the file on this branch).',
        '',
        'The template also removed `draft.md`. You changed that file, so it stays: nothing here removes your work.',
        '',
        'If GitHub says this branch has conflicts, the same lines were changed here and in your repository after this pull request was opened. Nothing is decided for you: GitHub shows both versions, and you can resolve them on GitHub or close this pull request.',
        '',
        "<sub>Opened by learning-rooms for your course's facilitators (template commits `0123abc`..`4567fed`). Questions? Ask your facilitators.</sub>",
        '',
      ].join('\n'),
    );
  });

  test('a clean update says nothing about the learner’s changes; one file is one file', () => {
    const body = pullRequestBody({
      template: 'acme/tmpl',
      from: FROM,
      to: TO,
      branch: 'b',
      files: [file('a', 'update')],
      skipped: [],
    });
    expect(body).toContain('### What changes (1 file)\n\n- `a`: updated\n\n');
    expect(body).not.toContain('You changed');
    expect(body).not.toContain('also removed');
  });

  test('a path cannot break out of its code span nor carry control characters; a long list is cut', () => {
    const files = [file('a`b', 'add'), file('`x`', 'add'), file('line\nbreak\u001b[31m', 'add')];
    const body = pullRequestBody({ template: 'acme/tmpl', from: FROM, to: TO, branch: 'b', files, skipped: [] });
    expect(body).toContain('- ``a`b``: added');
    expect(body).toContain('- `` `x` ``: added');
    expect(body).toContain('- `line\\u000abreak\\u001b[31m`: added');
    const many = Array.from({ length: 250 }, (_, i) => file(`f${i}`, 'add'));
    const long = pullRequestBody({ template: 't/t', from: FROM, to: TO, branch: 'b', files: many, skipped: [] });
    expect(long).toContain('### What changes (250 files)');
    expect(long).toContain('- `f199`: added\n- … and 50 more: see the *Files changed* tab.');
    expect(long).not.toContain('`f200`');
  });

  test('commit messages say what each commit does', () => {
    expect(commitMessage('add', 'src/b.py', 'acme/tmpl')).toBe('Starter code update: add src/b.py from acme/tmpl');
    expect(commitMessage('remove', 'old.txt', 'acme/tmpl')).toBe('Starter code update: remove old.txt from acme/tmpl');
  });
});
