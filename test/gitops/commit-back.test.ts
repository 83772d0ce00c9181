/**
 * .github/scripts/commit-back.sh against real git repositories on disk: a run whose push is
 * rejected because another run pushed first starts over from the new main, regenerates its
 * records there, and pushes once.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', '.github', 'scripts', 'commit-back.sh');
const ID = ['-c', 'user.name=t', '-c', 'user.email=t@example.org'];
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

function setup(): { root: string; origin: string; runner: string } {
  const root = mkdtempSync(join(tmpdir(), 'commit-back-'));
  const origin = join(root, 'origin.git');
  git(root, 'init', '-q', '--bare', '-b', 'main', origin);
  const seed = join(root, 'seed');
  git(root, 'clone', '-q', origin, seed);
  writeFileSync(join(seed, 'roster.json'), 'v1\n');
  git(seed, 'add', 'roster.json');
  git(seed, ...ID, 'commit', '-q', '-m', 'base');
  git(seed, 'push', '-q', 'origin', 'HEAD:main');
  const runner = join(root, 'runner');
  git(root, 'clone', '-q', origin, runner);
  return { root, origin, runner };
}

function run(runner: string, regenerate: string, root: string) {
  return spawnSync('bash', [SCRIPT, 'records [skip ci]', 'roster.json', 'state', '--', 'bash', '-c', regenerate], {
    cwd: runner,
    encoding: 'utf8',
    env: {
      ...process.env,
      GH_TOKEN: 'dummy',
      COMMIT_BACK_BACKOFF_SECONDS: '0',
      GITHUB_SERVER_URL: 'https://github.invalid',
      ROOT: root,
      HOME: root,
    },
  });
}

test('a rejected push starts over from the new main and regenerates there', () => {
  const { root, origin, runner } = setup();
  // The first regeneration also plays "another run" that pushes to main in the meantime.
  const regenerate = `
    n=$(cat "$ROOT/count" 2>/dev/null || echo 0); echo $((n + 1)) > "$ROOT/count"
    if [ "$n" = 0 ]; then
      git clone -q "$ROOT/origin.git" "$ROOT/other" && cd "$ROOT/other" &&
      echo other > other.txt && git add other.txt && git -c user.name=o -c user.email=o@example.org commit -q -m other &&
      git push -q origin HEAD:main && cd - > /dev/null
    fi
    [ -n "\${GH_TOKEN:-}" ] && echo "token leaked to the command" > leaked.txt
    echo recorded >> roster.json`;
  const r = run(runner, regenerate, root);
  expect(r.stderr).toContain('main moved on; regenerating on the new main');
  expect(r.status).toBe(0);
  expect(readFileSync(join(root, 'count'), 'utf8').trim()).toBe('2');
  const check = join(root, 'check');
  git(root, 'clone', '-q', origin, check);
  expect(git(check, 'log', '--format=%s', 'main')).toBe('records [skip ci]\nother\nbase');
  // Regenerated once on the newest main: the other run's change kept, the record applied once.
  expect(readFileSync(join(check, 'roster.json'), 'utf8')).toBe('v1\nrecorded\n');
  expect(readFileSync(join(check, 'other.txt'), 'utf8')).toBe('other\n');
  expect(git(check, 'ls-files')).toBe('other.txt\nroster.json');
  // The push token is git's alone: the regenerating command never sees it.
  expect(existsSync(join(runner, 'leaked.txt'))).toBe(false);
});

test('ignored state files are committed; nothing changed means no commit', () => {
  const { root, runner } = setup();
  writeFileSync(join(runner, '.gitignore'), '*.tfstate\n');
  git(runner, 'add', '.gitignore');
  git(runner, ...ID, 'commit', '-q', '-m', 'ignore');
  git(runner, 'push', '-q', 'origin', 'HEAD:main');
  const r = run(runner, 'mkdir -p state && echo "{}" > state/c1.tfstate', root);
  expect(r.status).toBe(0);
  expect(git(runner, 'ls-tree', '-r', '--name-only', 'origin/main')).toContain('state/c1.tfstate');
  const again = run(runner, 'true', root);
  expect(again.status).toBe(0);
  expect(again.stdout).toContain('nothing changed');
  expect(git(runner, 'rev-list', '--count', 'origin/main')).toBe('3');
});
