/**
 * This checkout of learning-rooms as a release, for `init` and `upgrade`: the admin repository's
 * templates, the issue form, the required files, the version, the changelog and the commit.
 * Found from this file's own place (source or dist/), never from the working directory, so the
 * commands run from anywhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { ReleaseFiles } from '../gitops/scaffold';

/** The checkout's root: the nearest folder above this file whose package.json is learning-rooms'. */
export function releaseRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'learning-rooms' &&
      existsSync(join(dir, 'templates'))
    )
      return dir;
    const up = dirname(dir);
    if (up === dir)
      throw new Error(`cannot find the learning-rooms checkout (package.json and templates/) above ${from}`);
    dir = up;
  }
}

/** Every regular file under `dir`: path relative to it (with /) -> content. */
function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p).split(sep).join('/'), readFileSync(p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export function readRelease(root = releaseRoot()): ReleaseFiles & { version: string; changelog: string } {
  const templates = new Map(
    [...filesUnder(join(root, 'templates', 'admin-repository'))].map(([p, b]) => [p, b.toString('utf8')]),
  );
  return {
    templates,
    issueForm: readFileSync(join(root, '.github', 'ISSUE_TEMPLATE', 'register.yml'), 'utf8'),
    requiredFiles: filesUnder(join(root, 'required-files')),
    frontDoorTemplates: new Map(
      [...filesUnder(join(root, 'templates', 'front-door'))].map(([p, b]) => [p, b.toString('utf8')]),
    ),
    version: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    changelog: existsSync(join(root, 'CHANGELOG.md')) ? readFileSync(join(root, 'CHANGELOG.md'), 'utf8') : '',
  };
}

/** The checkout's commit, and whether its work tree differs from it; undefined when git cannot say. */
export function releaseCommit(root = releaseRoot()): { ref: string; dirty: boolean } | undefined {
  const git = (args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const head = git(['rev-parse', 'HEAD']);
  if (head.status !== 0) return undefined;
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return { ref: head.stdout.trim(), dirty: status.status !== 0 || status.stdout.trim() !== '' };
}
