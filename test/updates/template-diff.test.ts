import { diffTrees, MAX_FILE_BYTES, type TreeEntry } from '../../updates/template-diff';

const blob = (path: string, sha: string, extra: Partial<TreeEntry> = {}): TreeEntry => ({
  path,
  mode: '100644',
  type: 'blob',
  sha,
  size: 10,
  ...extra,
});
const dir = (path: string, sha: string): TreeEntry => ({ path, mode: '040000', type: 'tree', sha });

describe('the template change between two commits', () => {
  test('added, modified and removed files, sorted by path; unchanged files and folders are not changes', () => {
    const before = [dir('src', 't1'), blob('src/a.py', 'a1'), blob('README.md', 'r1'), blob('old.txt', 'o1')];
    const after = [dir('src', 't2'), blob('src/a.py', 'a2'), blob('README.md', 'r1'), blob('src/b.py', 'b1')];
    expect(diffTrees(before, after)).toEqual({
      files: [
        { path: 'old.txt', kind: 'removed', from: 'o1' },
        { path: 'src/a.py', kind: 'modified', from: 'a1', to: 'a2', size: 10 },
        { path: 'src/b.py', kind: 'added', to: 'b1', size: 10 },
      ],
      refused: [],
      required: [],
      notes: [],
    });
  });

  test('a rename is a removal and an addition, so each path is judged in the room on its own', () => {
    const change = diffTrees([blob('docs/a.md', 'x')], [blob('docs/b.md', 'x')]);
    expect(change.files.map((f) => `${f.kind} ${f.path}`)).toEqual(['removed docs/a.md', 'added docs/b.md']);
  });

  test('required files are left to Terraform, whatever the change', () => {
    const change = diffTrees(
      [blob('.github/workflows/progress.yml', 'p1'), blob('gone.yml', 'g')],
      [blob('.github/workflows/progress.yml', 'p2'), blob('src/x', 'x')],
      { requiredFiles: ['.github/workflows/progress.yml', 'gone.yml'] },
    );
    expect(change.required).toEqual(['.github/workflows/progress.yml', 'gone.yml']);
    expect(change.files.map((f) => f.path)).toEqual(['src/x']);
  });

  test('links, submodules, mode-only changes and large files are refused, each with its reason', () => {
    const before = [blob('tool.sh', 's'), blob('lib', 'l1', { type: 'commit', mode: '160000' })];
    const after = [
      blob('tool.sh', 's', { mode: '100755' }),
      blob('lib', 'l2', { type: 'commit', mode: '160000' }),
      blob('link', 'k', { mode: '120000' }),
      blob('data.bin', 'd', { size: MAX_FILE_BYTES + 1 }),
      blob('small.bin', 'e', { size: 5 }),
    ];
    const change = diffTrees(before, after);
    expect(change.refused).toEqual([
      { path: 'data.bin', reason: '10.0 MB, over the 10.0 MB a proposal carries: add it to the rooms by hand' },
      { path: 'lib', reason: 'a submodule: the contents API writes files only; change it in the rooms by hand' },
      {
        path: 'link',
        reason: 'a symbolic link: the contents API writes files only; change it in the rooms by hand',
      },
      {
        path: 'tool.sh',
        reason: "only its mode changed (100644 to 100755): the contents API cannot set a file's mode",
      },
    ]);
    expect(change.files.map((f) => f.path)).toEqual(['small.bin']);
  });

  test('a link that became a file is refused too (either side counts)', () => {
    const change = diffTrees([blob('x', 'a', { mode: '120000' })], [blob('x', 'b')]);
    expect(change.refused.map((r) => r.path)).toEqual(['x']);
    expect(change.files).toEqual([]);
  });

  test('a new executable file is carried, with a note that the bit is not', () => {
    const change = diffTrees([], [blob('run.sh', 'r', { mode: '100755' })]);
    expect(change.files).toEqual([{ path: 'run.sh', kind: 'added', to: 'r', size: 10 }]);
    expect(change.notes).toEqual([
      'run.sh is executable in the template; the pull request adds it without the executable bit',
    ]);
  });

  test('the size limit can be set', () => {
    expect(diffTrees([], [blob('a', 'a', { size: 11 })], { maxFileBytes: 10 }).refused).toHaveLength(1);
    expect(diffTrees([], [blob('a', 'a', { size: 10 })], { maxFileBytes: 10 }).files).toHaveLength(1);
  });
});
