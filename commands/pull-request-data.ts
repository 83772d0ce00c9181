import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defineCommand, UsageError } from './command';
import { SETTINGS_ENV } from '../contracts/settings';
import { outDir, REQUIRED_FILES_DIR } from './common-options';
import { changedDataPaths, dataPaths, parseLsTree, selectDataEntries } from '../gitops/pull-request-data';

const COMMIT = /^[0-9a-f]{40}$/;

function git(cwd: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

export const pullRequestDataCommand = defineCommand({
  name: 'pull-request-data',
  summary: "extract a pull request's data (roster, required files, settings) from its commit, as plain files",
  usage: ['--commit SHA --out-dir DIR [--base SHA] [--required-files-dir DIR] [--github-output FILE]'],
  description: `For the trusted plan of a pull request: reads roster.json, config/gitops.json and the required-files
folder from the commit SHA (already fetched into this repository) as git blobs and writes them under
DIR, which must be new or empty. Nothing is checked out and nothing from the commit runs. Every
entry must be a regular file (no symbolic link, no submodule) within the size limits.
It writes nothing but --out-dir, so it takes no --dry-run.`,
  options: {
    commit: { type: 'string', value: 'SHA', required: true, help: "the pull request's head commit (40 hex digits)" },
    'out-dir': { ...outDir('where the files go (created)', ['out']), required: true },
    base: { type: 'string', value: 'SHA', help: 'also report which data paths differ from this commit' },
    'required-files-dir': {
      ...REQUIRED_FILES_DIR,
      help: `${REQUIRED_FILES_DIR.help}, as the trusted settings name it`,
    },
    'github-output': {
      type: 'string',
      value: 'FILE',
      help: 'append data_changed=true|false (with --base) for a workflow',
    },
  },
  exitStatus: "0 extracted; 1 the pull request's data is refused (each reason on stderr); 2 usage or I/O.",
  async run({ values }, io) {
    const usage = (
      [
        ['--commit', values.commit],
        ['--base', values.base],
      ] as const
    ).flatMap(([flag, sha]) =>
      sha !== undefined && !COMMIT.test(sha)
        ? [`${flag}: expected a full commit id (40 hex digits); found "${sha.slice(0, 60)}"`]
        : [],
    );
    const out = resolve(io.cwd, values['out-dir']);
    if (existsSync(out) && readdirSync(out).length > 0)
      usage.push(`--out-dir ${values['out-dir']}: expected a new or empty folder`);
    if (usage.length > 0) throw new UsageError(usage);
    const { paths, errors } = dataPaths(
      values['required-files-dir'] ?? io.env[SETTINGS_ENV.requiredFilesDir] ?? 'required-files',
    );
    if (errors.length > 0) {
      io.stderr(errors.map((e) => `learning-rooms pull-request-data: ${e}\n`).join(''));
      return 1;
    }
    const tree = git(io.cwd, ['ls-tree', '-r', '-z', '--long', '--full-tree', values.commit, '--', ...paths]).toString(
      'utf8',
    );
    const { files, problems } = selectDataEntries(parseLsTree(tree), paths);
    if (problems.length > 0) {
      io.stderr(problems.map((p) => `learning-rooms pull-request-data: ${p}\n`).join(''));
      return 1;
    }
    mkdirSync(out, { recursive: true });
    for (const f of files) {
      const target = join(out, f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, git(io.cwd, ['cat-file', 'blob', f.object]), { mode: 0o644, flag: 'wx' });
    }
    io.stdout(`pull-request-data: ${files.length} file(s) of ${values.commit.slice(0, 12)} in ${values['out-dir']}\n`);
    if (values.base) {
      const diff = git(io.cwd, [
        'diff',
        '--name-only',
        '-z',
        '--no-renames',
        values.base,
        values.commit,
        '--',
        ...paths,
      ]).toString('utf8');
      const changed = changedDataPaths(diff, paths);
      io.stdout(
        changed.length > 0 ? `changed: ${changed.join(', ')}\n` : 'changed: nothing (the data equals the base)\n',
      );
      if (values['github-output'])
        appendFileSync(resolve(io.cwd, values['github-output']), `data_changed=${changed.length > 0}\n`);
    }
    return 0;
  },
});
