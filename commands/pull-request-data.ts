import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './io';
import { changedDataPaths, dataPaths, parseLsTree, selectDataEntries } from '../gitops/pull-request-data';

const COMMIT = /^[0-9a-f]{40}$/;

function git(cwd: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

export const pullRequestDataCommand: Command = {
  summary: "extract a pull request's data (roster, required files, settings) from its commit, as plain files",
  usage: `Usage: learning-rooms pull-request-data --commit SHA --out DIR [--base SHA] [--required-files-dir DIR] [--github-output FILE]

For the trusted plan of a pull request: reads roster.json, config/gitops.json and the required-files
folder from the commit SHA (already fetched into this repository) as git blobs and writes them under
DIR, which must be new or empty. Nothing is checked out and nothing from the commit runs. Every
entry must be a regular file (no symbolic link, no submodule) within the size limits.

  --commit SHA              the pull request's head commit (40 hex digits)
  --out DIR                 where the files go (created)
  --base SHA                also report which data paths differ from this commit
  --required-files-dir DIR  the folder of required files (default: required-files; from the trusted settings)
  --github-output FILE      append data_changed=true|false (with --base) for a workflow

Exit status: 0 extracted; 1 the pull request's data is refused (each reason on stderr); 2 usage or I/O.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        commit: { type: 'string' },
        out: { type: 'string' },
        base: { type: 'string' },
        'required-files-dir': { type: 'string' },
        'github-output': { type: 'string' },
      },
    });
    if (!values.commit || !values.out) throw new Error('--commit and --out are required');
    for (const [flag, sha] of [
      ['--commit', values.commit],
      ['--base', values.base],
    ] as const) {
      if (sha !== undefined && !COMMIT.test(sha))
        throw new Error(`${flag}: expected a full commit id (40 hex digits); found "${sha.slice(0, 60)}"`);
    }
    const out = resolve(io.cwd, values.out);
    if (existsSync(out) && readdirSync(out).length > 0)
      throw new Error(`--out ${values.out}: expected a new or empty folder`);
    const { paths, errors } = dataPaths(
      values['required-files-dir'] ?? io.env.LEARNING_ROOMS_REQUIRED_FILES_DIR ?? 'required-files',
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
    io.stdout(`pull-request-data: ${files.length} file(s) of ${values.commit.slice(0, 12)} in ${values.out}\n`);
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
};
