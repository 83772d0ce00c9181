/**
 * The data a privileged plan takes from a pull request: blobs of roster.json, config/gitops.json and
 * the required-files folder, regular files only, and which of them the pull request changed. Run
 * against a real git repository made in a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changedDataPaths, dataPaths, parseLsTree, selectDataEntries, TreeEntry } from '../../gitops/pull-request-data';
import { PULL_REQUEST_SETTINGS, pullRequestEnv } from '../../gitops/gitops-config';
import { cli } from '../helpers/cli';

function repo(): {
  dir: string;
  commit: (files: Record<string, string | { symlink: string }>, message: string) => string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'pr-data-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 't@example.org');
  git('config', 'user.name', 't');
  const commit = (files: Record<string, string | { symlink: string }>, message: string) => {
    for (const [path, content] of Object.entries(files)) {
      const target = join(dir, path);
      mkdirSync(join(target, '..'), { recursive: true });
      if (typeof content === 'string') writeFileSync(target, content);
      else symlinkSync(content.symlink, target);
    }
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  return { dir, commit };
}

const entry = (path: string, mode = '100644', size = 10): TreeEntry => ({
  mode,
  type: mode === '160000' ? 'commit' : 'blob',
  object: 'a'.repeat(40),
  size,
  path,
});

describe('the pull request data core', () => {
  test('ls-tree output is read with paths that hold spaces and tabs', () => {
    const out = `100644 blob ${'a'.repeat(40)}      12\troster.json\u0000120000 blob ${'b'.repeat(40)}       5\trequired-files/a b\tc\u0000`;
    expect(parseLsTree(out)).toEqual([
      { mode: '100644', type: 'blob', object: 'a'.repeat(40), size: 12, path: 'roster.json' },
      { mode: '120000', type: 'blob', object: 'b'.repeat(40), size: 5, path: 'required-files/a b\tc' },
    ]);
  });

  test('only regular files under the data paths are taken; links and submodules are refused by name', () => {
    const { paths } = dataPaths('required-files');
    const { files, problems } = selectDataEntries(
      [
        entry('roster.json'),
        entry('required-files/x.yml', '100755'),
        entry('required-files/link', '120000'),
        entry('required-files/sub', '160000'),
        entry('src/evil.ts'),
      ],
      paths,
    );
    expect(files.map((f) => f.path)).toEqual(['roster.json', 'required-files/x.yml']);
    expect(problems).toEqual([
      'required-files/link: expected a regular file; found a symbolic link',
      'required-files/sub: expected a regular file; found a submodule',
    ]);
  });

  test('a folder name that could leave the repository is refused', () => {
    for (const bad of ['/etc', '../x', 'a/../../b', '', './x']) expect(dataPaths(bad).errors).toHaveLength(1);
    expect(dataPaths('course/files/').paths).toEqual(['roster.json', 'config/gitops.json', 'course/files']);
  });

  test('oversized files are refused', () => {
    const { problems } = selectDataEntries([entry('roster.json', '100644', 33 * 1024 * 1024)], ['roster.json']);
    expect(problems[0]).toMatch(/^roster\.json: expected at most 33554432 bytes; found 34603008$/);
  });

  test('changes outside the data do not count as data changes', () => {
    expect(
      changedDataPaths('roster.json\0src/a.ts\0required-files/b\0required-filesX\0', ['roster.json', 'required-files']),
    ).toEqual(['required-files/b', 'roster.json']);
  });
});

describe('learning-rooms pull-request-data', () => {
  test('extracts the data of the pull request commit, never its code, and says what changed', async () => {
    const { dir, commit } = repo();
    const base = commit(
      {
        'roster.json': '{"v":1}\n',
        'required-files/.github/workflows/ack.yml': 'on: push\n',
        'config/gitops.json': '{}\n',
        'bin/tool.js': 'main',
      },
      'base',
    );
    const head = commit(
      { 'roster.json': '{"v":2}\n', 'bin/tool.js': 'evil', '.github/workflows/plan.yml': 'evil' },
      'pr',
    );
    const out = join(dir, '..', `${dir.split('/').pop()}-out`);
    const githubOutput = join(dir, 'gh-output');
    const r = await cli(
      ['pull-request-data', '--commit', head, '--base', base, '--out-dir', out, '--github-output', githubOutput],
      { cwd: dir },
    );
    expect(r).toEqual({
      code: 0,
      stdout: `pull-request-data: 3 file(s) of ${head.slice(0, 12)} in ${out}\nchanged: roster.json\n`,
      stderr: '',
    });
    expect(readFileSync(join(out, 'roster.json'), 'utf8')).toBe('{"v":2}\n');
    expect(readFileSync(join(out, 'required-files/.github/workflows/ack.yml'), 'utf8')).toBe('on: push\n');
    expect(existsSync(join(out, 'bin'))).toBe(false);
    expect(existsSync(join(out, '.github'))).toBe(false);
    expect(readFileSync(githubOutput, 'utf8')).toBe('data_changed=true\n');
    // The work tree is the trusted checkout: untouched.
    expect(readFileSync(join(dir, 'bin/tool.js'), 'utf8')).toBe('evil');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('?? gh-output\n');
  });

  test('a code-only pull request changes no data', async () => {
    const { dir, commit } = repo();
    const base = commit({ 'roster.json': '{}\n' }, 'base');
    const head = commit({ 'src/a.ts': 'x' }, 'code');
    const githubOutput = join(dir, 'gh-output');
    const r = await cli(
      [
        'pull-request-data',
        '--commit',
        head,
        '--base',
        base,
        '--out-dir',
        join(dir, 'out'),
        '--github-output',
        githubOutput,
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('changed: nothing (the data equals the base)');
    expect(readFileSync(githubOutput, 'utf8')).toBe('data_changed=false\n');
  });

  test('a symbolic link among the required files refuses the whole pull request and writes nothing', async () => {
    const { dir, commit } = repo();
    const head = commit({ 'roster.json': '{}\n', 'required-files/key.pem': { symlink: '/proc/self/environ' } }, 'link');
    const out = join(dir, 'out');
    const r = await cli(['pull-request-data', '--commit', head, '--out-dir', out], { cwd: dir });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'learning-rooms pull-request-data: required-files/key.pem: expected a regular file; found a symbolic link\n',
    });
    expect(existsSync(out)).toBe(false);
  });

  test('the required-files folder comes from the trusted settings', async () => {
    const { dir, commit } = repo();
    const head = commit({ 'roster.json': '{}\n', 'course/a.md': 'a', 'required-files/b.md': 'b' }, 'x');
    const out = join(dir, 'out');
    const r = await cli(['pull-request-data', '--commit', head, '--out-dir', out], {
      cwd: dir,
      env: { LEARNING_ROOMS_REQUIRED_FILES_DIR: 'course' },
    });
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['course', 'roster.json']);
    expect(statSync(join(out, 'course/a.md')).mode & 0o777).toBe(0o644);
  });

  test('refuses a commit that is not a full id, and a folder that is not empty', async () => {
    const { dir, commit } = repo();
    const head = commit({ 'roster.json': '{}\n' }, 'x');
    await expect(
      cli(['pull-request-data', '--commit', 'HEAD', '--out-dir', join(dir, 'o')], { cwd: dir }),
    ).resolves.toMatchObject({ code: 2 });
    await expect(cli(['pull-request-data', '--commit', head, '--out-dir', dir], { cwd: dir })).resolves.toMatchObject({
      code: 2,
    });
  });
});

describe('settings for the plan of a pull request', () => {
  test('the pull request may change budgets and templates; owner, mode and backend stay main’s, and are named', () => {
    const main = {
      PROVISIONING_STUDENT_OWNER: 'school',
      LEARNING_ROOMS_BACKEND: 'http',
      LEARNING_ROOMS_ADMISSION_BUDGET: '10',
    };
    const pr = {
      PROVISIONING_STUDENT_OWNER: 'attacker',
      LEARNING_ROOMS_BACKEND_CONFIG: '{"address":"https://evil/"}',
      LEARNING_ROOMS_ADMISSION_BUDGET: '40',
      LEARNING_ROOM_TEMPLATE_REPO: 'school/t2',
    };
    expect(pullRequestEnv(main, pr)).toEqual({
      env: {
        PROVISIONING_STUDENT_OWNER: 'school',
        LEARNING_ROOMS_BACKEND: 'http',
        LEARNING_ROOMS_ADMISSION_BUDGET: '40',
        LEARNING_ROOM_TEMPLATE_REPO: 'school/t2',
      },
      pinned: ['LEARNING_ROOMS_BACKEND', 'LEARNING_ROOMS_BACKEND_CONFIG', 'PROVISIONING_STUDENT_OWNER'],
    });
  });

  test('no setting that routes credentials or files is in the pull request’s list', () => {
    for (const k of [
      'PROVISIONING_MODE',
      'PROVISIONING_STUDENT_OWNER',
      'LEARNING_ROOMS_BACKEND',
      'LEARNING_ROOMS_BACKEND_CONFIG',
      'LEARNING_ROOMS_REQUIRED_FILES_DIR',
      'LEARNING_ROOMS_STATE_DIR',
      'LEARNING_ROOMS_OUTDIR',
    ]) {
      expect(PULL_REQUEST_SETTINGS.has(k)).toBe(false);
    }
  });

  test('gitops-env --pull-request-file merges and writes the pinned names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-env-'));
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config/gitops.json'), JSON.stringify({ PROVISIONING_STUDENT_OWNER: 'school' }));
    writeFileSync(
      join(dir, 'pr.json'),
      JSON.stringify({ PROVISIONING_STUDENT_OWNER: 'other', LEARNING_ROOMS_ADMISSION_BUDGET: 5 }),
    );
    const r = await cli(['gitops-env', '--pull-request-file', 'pr.json', '--pinned-out', 'pinned.txt'], { cwd: dir });
    expect(r).toEqual({
      code: 0,
      stdout: 'PROVISIONING_STUDENT_OWNER=school\nLEARNING_ROOMS_ADMISSION_BUDGET=5\n',
      stderr: '',
    });
    expect(readFileSync(join(dir, 'pinned.txt'), 'utf8')).toBe('PROVISIONING_STUDENT_OWNER\n');
    // A pull request that deletes the settings file still plans with main's, and the comment names them.
    const none = await cli(['gitops-env', '--pull-request-file', 'missing.json', '--pinned-out', 'p2.txt'], {
      cwd: dir,
    });
    expect(none.stdout).toBe('PROVISIONING_STUDENT_OWNER=school\n');
    expect(readFileSync(join(dir, 'p2.txt'), 'utf8')).toBe('PROVISIONING_STUDENT_OWNER\n');
  });
});
