/**
 * The registration path end to end, short of GitHub: `learning-rooms register` (the author is the
 * registrant), the pull request's title and description, and .github/scripts/register-pr.sh
 * against real git repositories on disk with a fake `gh` on PATH that records what it was asked.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTRATION_FIELDS } from '../../gitops/issue-form';
import { registrationPullRequest } from '../../gitops/registration-pull-request';
import { parseRoster, Roster, serializeRoster } from '../../roster';
import { cli } from '../helpers/cli';
import { learner, roster } from '../../test-kit/rosters';

const SCRIPT = join(__dirname, '..', '..', '.github', 'scripts', 'register-pr.sh');
const ID = ['-c', 'user.name=t', '-c', 'user.email=t@example.org'];
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function form(fields: Partial<Record<keyof typeof REGISTRATION_FIELDS, string>>, legacyHandle?: string): string {
  const sections = (Object.keys(REGISTRATION_FIELDS) as (keyof typeof REGISTRATION_FIELDS)[]).map(
    (k) => `### ${REGISTRATION_FIELDS[k]}\n\n${fields[k] ?? '_No response_'}`,
  );
  if (legacyHandle !== undefined) sections.unshift(`### GitHub handle\n\n${legacyHandle}`);
  return sections.join('\n\n');
}

const base = (): Roster =>
  roster(
    [
      learner('alice', '2026-spring', {
        provisioning: { state: 'provisioned', provisioned_at: '2026-04-01T10:00:00Z' },
      }),
      learner('alice', '2026-autumn', { path: 'data', provisioning: { state: 'pending' } }),
      learner('carol', '2026-spring', {
        provisioning: { state: 'archived', last_outcome: 'archived', updated_at: '2026-05-02T09:30:00Z' },
      }),
    ],
    ['2026-spring', '2026-autumn'],
  );

describe('the pull request title and description', () => {
  test('a new learner: who, where, that the handle is the issue author, and the issue it closes', () => {
    const pr = registrationPullRequest(
      { patch: { github_handle: 'bob', cohort_id: '2026-spring', path: 'web' }, created: true, changed: [] },
      12,
    );
    expect(pr.title).toBe('Register bob in 2026-spring');
    expect(pr.body).toContain('Adds learner `bob` to cohort `2026-spring` on path `web`.');
    expect(pr.body).toContain("Registered by `bob`, from registration issue #12. The handle is the issue's author");
    expect(pr.body).toMatch(/\nCloses #12\n$/);
    // The login is a code span, never a mention.
    expect(pr.body.replace(/`[^`]*`/g, '')).not.toContain('@');
  });

  test('an update names what changes, without the personal data itself', () => {
    const pr = registrationPullRequest(
      {
        patch: {
          github_handle: 'alice',
          cohort_id: '2026-autumn',
          path: 'web',
          name: 'Alice Liddell',
          email: 'a@example.org',
        },
        created: false,
        changed: ['path', 'email'],
      },
      3,
    );
    expect(pr.title).toBe('Register alice in 2026-autumn');
    expect(pr.body).toContain('Updates learner `alice` in cohort `2026-autumn`: path `web`, email changed.');
    expect(pr.body).not.toMatch(/Liddell|a@example\.org/);
  });
});

describe('register command', () => {
  function setup(issue: string, r: Roster = base()): string {
    const dir = mkdtempSync(join(tmpdir(), 'register-'));
    writeFileSync(join(dir, 'roster.json'), serializeRoster(r));
    writeFileSync(join(dir, 'issue.md'), issue);
    return dir;
  }
  const register = (dir: string, author: string, ...more: string[]) =>
    cli(['register', '--issue-body-file', 'issue.md', '--roster', 'roster.json', '--author', author, ...more], {
      cwd: dir,
    });
  const rosterIn = (dir: string) => readFileSync(join(dir, 'roster.json'), 'utf8');

  test('upserts the author into the roster file and writes the result and the pull request text', async () => {
    const dir = setup(form({ cohort_id: '2026-Spring', path: 'web' }));
    const r = await register(dir, 'bob', '--author-type', 'User', '--issue-number', '12', '--out', 'result.json');
    expect(r).toEqual({ code: 0, stdout: 'Added learner bob in cohort 2026-spring (path web).\n', stderr: '' });
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    expect(result).toMatchObject({
      github_handle: 'bob',
      cohort_id: '2026-spring',
      path: 'web',
      created: true,
      changed: [],
      title: 'Register bob in 2026-spring',
    });
    expect(result.body).toContain('Closes #12');
    expect(parseRoster(rosterIn(dir)).roster?.learners.map((l) => `${l.github_handle}/${l.cohort_id}`)).toEqual([
      'alice/2026-spring',
      'alice/2026-autumn',
      'carol/2026-spring',
      'bob/2026-spring',
    ]);
  });

  test('an old-style form for another handle: exit 1, the comment explains, the roster is untouched', async () => {
    const dir = setup(form({ cohort_id: '2026-spring', path: 'accessibility' }, 'alice'));
    const before = rosterIn(dir);
    const r = await register(dir, 'mallory', '--issue-number', '5', '--out', 'result.json');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '- **GitHub handle** says `alice`, but registrations are for yourself: you are signed in as `mallory`',
    );
    expect(rosterIn(dir)).toBe(before);
    expect(existsSync(join(dir, 'result.json'))).toBe(false);
  });

  test('a bot author is refused by its account type', async () => {
    const dir = setup(form({ cohort_id: '2026-spring', path: 'web' }));
    const r = await register(dir, 'helper', '--author-type', 'Bot');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('an app or bot account');
  });

  test('an archived learner is refused with the time of the archive', async () => {
    const dir = setup(form({ cohort_id: '2026-spring', path: 'web' }));
    const r = await register(dir, 'Carol');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('your learning room was archived at `2026-05-02T09:30:00Z`');
  });

  test('the same details again: nothing to change, and the roster file is not even rewritten', async () => {
    // Not in canonical form: a rewrite would show up as a diff in the pull request.
    const dir = setup(form({ cohort_id: '2026-spring', path: 'web' }));
    const loose = JSON.stringify(base());
    writeFileSync(join(dir, 'roster.json'), loose);
    const r = await register(dir, 'alice', '--issue-number', '9', '--out', 'result.json');
    expect(r).toEqual({
      code: 0,
      stdout: 'Learner alice is already in cohort 2026-spring with these details: nothing to change.\n',
      stderr: '',
    });
    expect(rosterIn(dir)).toBe(loose);
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'))).toMatchObject({ created: false, changed: [] });
  });

  test('usage: --author is required; --out needs an issue number', async () => {
    const dir = setup(form({ cohort_id: '2026-spring', path: 'web' }));
    const noAuthor = await cli(['register', '--issue-body-file', 'issue.md', '--roster', 'roster.json'], { cwd: dir });
    expect(noAuthor.code).toBe(2);
    expect(noAuthor.stderr).toContain('--author');
    const noIssue = await register(dir, 'bob', '--out', 'result.json');
    expect(noIssue.code).toBe(2);
    expect(noIssue.stderr).toContain('--issue-number');
    const badIssue = await register(dir, 'bob', '--issue-number', '1; rm -rf /', '--out', 'result.json');
    expect(badIssue.code).toBe(2);
  });

  test('an invalid roster is the operator’s problem: exit 2, not a comment', async () => {
    const dir = setup(form({ cohort_id: '2026-spring', path: 'web' }));
    writeFileSync(join(dir, 'roster.json'), '{"format_version": 1, "cohorts": []');
    const r = await register(dir, 'bob');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

/** A `gh` that records each call (arguments, and the --body-file's contents) and answers `pr list` from a file. */
const FAKE_GH = `#!/usr/bin/env bash
d="$GH_LOG/$(ls "$GH_LOG" | wc -l | tr -d ' ')"; mkdir "$d"
printf '%s\\n' "$@" > "$d/args"
prev=
for a in "$@"; do [ "$prev" = --body-file ] && cp "$a" "$d/body"; prev=$a; done
case "$1 $2" in
  "pr list") cat "$GH_OPEN_PR" 2>/dev/null || echo ;;
  "pr create") echo https://github.invalid/o/r/pull/7 ;;
esac
`;

describe('register-pr.sh', () => {
  interface Call {
    args: string[];
    body?: string;
  }

  function setup() {
    const root = mkdtempSync(join(tmpdir(), 'register-pr-'));
    const origin = join(root, 'origin.git');
    git(root, 'init', '-q', '--bare', '-b', 'main', origin);
    const seed = join(root, 'seed');
    git(root, 'clone', '-q', origin, seed);
    writeFileSync(join(seed, 'roster.json'), serializeRoster(base()));
    git(seed, 'add', 'roster.json');
    git(seed, ...ID, 'commit', '-q', '-m', 'base');
    git(seed, 'push', '-q', 'origin', 'HEAD:main');
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'gh'), FAKE_GH);
    chmodSync(join(bin, 'gh'), 0o755);
    return { root, origin, bin };
  }

  /** One workflow run: a fresh checkout of main, the register command, then the script. */
  async function workflowRun(
    env: { root: string; origin: string; bin: string },
    run: string,
    issue: string,
    author: string,
    openPr?: string,
  ) {
    const runner = join(env.root, run);
    git(env.root, 'clone', '-q', env.origin, runner);
    writeFileSync(join(runner, 'issue.md'), issue);
    const reg = await cli(
      [
        'register',
        '--issue-body-file',
        'issue.md',
        '--roster',
        'roster.json',
        '--author',
        author,
        '--issue-number',
        '12',
        '--out',
        join(env.root, `${run}.json`),
      ],
      { cwd: runner },
    );
    expect(reg.code).toBe(0);
    const log = join(env.root, `${run}-gh`);
    mkdirSync(log);
    if (openPr !== undefined) writeFileSync(join(env.root, 'open-pr'), openPr + '\n');
    const output = join(env.root, `${run}-output`);
    writeFileSync(output, '');
    const r = spawnSync('bash', [SCRIPT, join(env.root, `${run}.json`)], {
      cwd: runner,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${env.bin}:${process.env.PATH}`,
        HOME: env.root,
        GH_TOKEN: 'dummy',
        GH_LOG: log,
        GH_OPEN_PR: join(env.root, 'open-pr'),
        ISSUE_NUMBER: '12',
        GITHUB_SERVER_URL: 'https://github.invalid',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_OUTPUT: output,
      },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const calls: Call[] = readdirSync(log)
      .sort((a, b) => Number(a) - Number(b))
      .map((n) => {
        const bodyFile = join(log, n, 'body');
        return {
          args: readFileSync(join(log, n, 'args'), 'utf8')
            .trimEnd()
            .split('\n'),
          ...(existsSync(bodyFile) ? { body: readFileSync(bodyFile, 'utf8') } : {}),
        };
      });
    return { calls, output: readFileSync(output, 'utf8') };
  }

  const branchRoster = (env: { origin: string }) =>
    parseRoster(git(env.origin, 'show', 'register/issue-12:roster.json')).roster;

  test('a new registration: the branch holds the change, the pull request gets the computed title and body', async () => {
    const env = setup();
    const { calls, output } = await workflowRun(env, 'run1', form({ cohort_id: '2026-spring', path: 'web' }), 'bob');
    expect(calls.map((c) => c.args.slice(0, 2).join(' '))).toEqual(['pr list', 'pr create']);
    const create = calls[1];
    expect(create.args[create.args.indexOf('--title') + 1]).toBe('Register bob in 2026-spring');
    expect(create.body).toContain('Registered by `bob`');
    expect(output).toBe('url=https://github.invalid/o/r/pull/7\n');
    expect(branchRoster(env)?.learners.map((l) => `${l.github_handle}/${l.cohort_id}`)).toContain('bob/2026-spring');
  });

  test('an edited issue (other cohort): the branch is rebuilt from main and the open pull request retitled, not a second one', async () => {
    const env = setup();
    await workflowRun(env, 'run1', form({ cohort_id: '2026-spring', path: 'web' }), 'bob');
    const open = 'https://github.invalid/o/r/pull/7';
    const { calls, output } = await workflowRun(
      env,
      'run2',
      form({ cohort_id: '2026-autumn', path: 'data' }),
      'bob',
      open,
    );
    expect(calls.map((c) => c.args.slice(0, 3).join(' '))).toEqual(['pr list --repo', `pr edit ${open}`]);
    const edit = calls[1];
    expect(edit.args[edit.args.indexOf('--title') + 1]).toBe('Register bob in 2026-autumn');
    expect(edit.body).toContain('Adds learner `bob` to cohort `2026-autumn` on path `data`.');
    expect(output).toBe(`url=${open}\n`);
    // One commit on top of main, holding only the edited registration.
    expect(git(env.origin, 'rev-list', '--count', 'main..register/issue-12')).toBe('1');
    const bobs = branchRoster(env)?.learners.filter((l) => l.github_handle === 'bob');
    expect(bobs).toEqual([learner('bob', '2026-autumn', { path: 'data' })]);
  });

  test('an edit back to what main already has: the open pull request is closed with a comment, nothing pushed', async () => {
    const env = setup();
    await workflowRun(env, 'run1', form({ cohort_id: '2026-spring', path: 'accessibility' }), 'alice');
    const pushed = git(env.origin, 'rev-parse', 'register/issue-12');
    const open = 'https://github.invalid/o/r/pull/7';
    const { calls, output } = await workflowRun(
      env,
      'run2',
      form({ cohort_id: '2026-spring', path: 'web' }),
      'alice',
      open,
    );
    expect(calls.map((c) => c.args.slice(0, 3).join(' '))).toEqual(['pr list --repo', `pr close ${open}`]);
    expect(calls[1].args[calls[1].args.indexOf('--comment') + 1]).toContain(
      'nothing to change, so this pull request is closed',
    );
    expect(output).toBe('url=\n');
    expect(git(env.origin, 'rev-parse', 'register/issue-12')).toBe(pushed);
  });

  test('nothing to change and no pull request: nothing is pushed or opened', async () => {
    const env = setup();
    const { calls, output } = await workflowRun(env, 'run1', form({ cohort_id: '2026-autumn', path: 'data' }), 'alice');
    expect(calls.map((c) => c.args.slice(0, 2).join(' '))).toEqual(['pr list']);
    expect(output).toBe('url=\n');
    expect(spawnSync('git', ['rev-parse', '--verify', '-q', 'register/issue-12'], { cwd: env.origin }).status).not.toBe(
      0,
    );
  });
});
