/** `learning-rooms init` and `upgrade` as an operator runs them, on folders on disk. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { runCli } from '../../cli/main';
import { readRelease } from '../../commands/release';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const fresh = () => join(mkdtempSync(join(tmpdir(), 'lr-init-')), 'admin');
const init = (dir: string, ...more: string[]) =>
  cli(['init', dir, '--owner', 'acme', '--template', 'acme/tmpl', '--cohort', '2026-spring', ...more], {
    env: { PATH: process.env.PATH ?? '' },
  });
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const version = readRelease().version;

describe('init', () => {
  test('writes an admin repository that validates, pinned to the given commit; says the lock file is still to come', async () => {
    const dir = fresh();
    const r = await init(dir, '--tool-ref', A);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${dir}: a new admin repository (`);
    expect(r.stdout).toContain("no .terraform.lock.hcl yet: the README's step 7 writes it");
    expect(JSON.parse(read(dir, '.learning-rooms.json'))).toEqual({
      format_version: 1,
      tool_repository: 'learning-rooms/learning-rooms',
      tool_ref: A,
      version,
    });
    expect(read(dir, '.github/workflows/apply.yml')).toContain(
      `uses: learning-rooms/learning-rooms/.github/workflows/apply-stacks.yml@${A} # v${version}`,
    );
    expect(existsSync(join(dir, '.terraform.lock.hcl'))).toBe(false);
    expect(existsSync(join(dir, 'package.json'))).toBe(false);
    const valid = await cli(['validate', 'roster.json'], { cwd: dir });
    expect(valid.stdout).toMatch(/^roster.json is valid: 1 cohort, 0 learners: 2026-spring/);
    expect(valid.code).toBe(0);
  });

  test('refuses a folder that is not empty (unless --force) or is a file', async () => {
    const dir = fresh();
    await init(dir, '--tool-ref', A);
    const again = await init(dir, '--tool-ref', B);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `learning-rooms init: DIR: ${dir} is not empty; choose a new folder, or --force to write into it\n`,
    );
    expect(read(dir, '.learning-rooms.json')).toContain(A);
    expect((await init(dir, '--tool-ref', B, '--force')).code).toBe(0);
    expect(read(dir, '.learning-rooms.json')).toContain(B);
    const file = join(dir, 'roster.json');
    expect((await init(file, '--tool-ref', A)).stderr).toContain(`DIR: ${file} is a file`);
  });

  test('every bad option at once, nothing written', async () => {
    const dir = fresh();
    const r = await cli(
      [
        'init',
        dir,
        '--owner',
        'bad owner',
        '--template',
        'x',
        '--cohort',
        'Spring 2026',
        '--tool-ref',
        'main',
        '--tool-repository',
        'a/b/c',
      ],
      { env: {} },
    );
    expect(r.code).toBe(1);
    expect(
      r.stderr
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace('learning-rooms init: ', '').split(':')[0]),
    ).toEqual(['--tool-repository', '--tool-ref', '--owner', '--template', '--cohort']);
    expect(existsSync(dir)).toBe(false);
    expect((await cli(['init'], {})).code).toBe(2);
  });

  test("by default pins this checkout's commit", async () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
    }).trim();
    const dir = fresh();
    expect((await init(dir)).code).toBe(0);
    expect(JSON.parse(read(dir, '.learning-rooms.json')).tool_ref).toBe(head);
  });

  test('--dry-run: every check, the files it would write, nothing written; DIR also as --out-dir', async () => {
    const dir = fresh();
    const dry = await init(dir, '--tool-ref', A, '--dry-run');
    expect({ code: dry.code, stderr: dry.stderr }).toEqual({ code: 0, stderr: '' });
    expect(dry.stdout).toMatch(
      new RegExp(`^${dir}: dry run, nothing written; a new admin repository would have \\d+ files`),
    );
    expect(dry.stdout).toContain('  .github/workflows/plan.yml\n');
    expect(existsSync(dir)).toBe(false);
    const refused = await cli(['init', dir, '--cohort', 'Spring 2026', '--tool-ref', A, '--dry-run'], { env: {} });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('learning-rooms init: --cohort:');
    const wet = await cli(['init', '--out-dir', dir, '--owner', 'acme', '--tool-ref', A], { env: {} });
    expect(wet.code).toBe(0);
    // The dry run listed exactly what the real run wrote.
    const listed = (dry.stdout.match(/^ {2}\S+$/gm) ?? []).map((l) => l.trim());
    expect(wet.stdout).toContain(`${dir}: a new admin repository (${listed.length} files)`);
    for (const path of listed) expect({ path, written: existsSync(join(dir, path)) }).toEqual({ path, written: true });
  });

  test('the owner defaults to $PROVISIONING_STUDENT_OWNER, as on every command', async () => {
    const dir = fresh();
    const r = await cli(['init', dir, '--tool-ref', A], { env: { PROVISIONING_STUDENT_OWNER: 'from-env' } });
    expect(r.code).toBe(0);
    expect(JSON.parse(read(dir, 'config/gitops.json')).PROVISIONING_STUDENT_OWNER).toBe('from-env');
    expect(r.stdout).not.toContain('the rooms go under');
  });

  test('--lock without Terraform: the repository is written, the lock file is not, and exit 1 says why', async () => {
    const dir = fresh();
    const r = await cli(['init', dir, '--tool-ref', A, '--lock'], { env: { PATH: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/lock-providers: terraform: .*ENOENT/);
    expect(r.stderr).toContain('.terraform.lock.hcl not written');
    expect(existsSync(join(dir, 'roster.json'))).toBe(true);
    expect(existsSync(join(dir, '.terraform.lock.hcl'))).toBe(false);
  });
});

describe('upgrade', () => {
  const upgrade = (dir: string, ...more: string[]) => cli(['upgrade', dir, ...more], { env: {} });

  test('moves every pin and the manifest, says what changed (template diff, changelog), and is then a no-op', async () => {
    const dir = fresh();
    await init(dir, '--tool-ref', A, '--version', '0.0.1');
    const roster = read(dir, 'roster.json');
    const r = await upgrade(dir, '--tool-ref', B);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `learning-rooms/learning-rooms@${A.slice(0, 12)} (v0.0.1) -> learning-rooms/learning-rooms@${B.slice(0, 12)} (v${version}); 8 file(s) rewritten:`,
    );
    expect(r.stdout).toContain(".github/workflows/plan.yml: same as the release's template");
    expect(r.stdout).toContain(`What changed (CHANGELOG.md):\n\n## ${version}`);
    expect(read(dir, '.github/workflows/plan.yml')).not.toContain(A);
    expect(read(dir, 'roster.json')).toBe(roster);
    const again = await upgrade(dir, '--tool-ref', B);
    expect(again.stdout).toContain(`already at learning-rooms/learning-rooms@${B}`);
  });

  test('a hand-edited pin: refused, naming file and line, nothing written; --templates replaces the callers', async () => {
    const dir = fresh();
    await init(dir, '--tool-ref', A);
    const plan = read(dir, '.github/workflows/plan.yml').replace(`tool-ref: ${A}`, 'tool-ref: main');
    writeFileSync(join(dir, '.github/workflows/plan.yml'), plan);
    const r = await upgrade(dir, '--tool-ref', B);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^learning-rooms upgrade: \.github\/workflows\/plan\.yml, line \d+: tool-ref is main, the manifest's tool_ref a{40}: cannot move this pin safely/,
    );
    expect(read(dir, '.learning-rooms.json')).toContain(A);
    expect(read(dir, '.github/workflows/apply.yml')).toContain(A);
    expect((await upgrade(dir, '--tool-ref', B, '--templates')).code).toBe(0);
    expect(read(dir, '.github/workflows/plan.yml')).not.toMatch(/tool-ref: main|a{40}/);
  });

  test('--dry-run: every check and what would change, nothing written', async () => {
    const dir = fresh();
    await init(dir, '--tool-ref', A, '--version', '0.0.1');
    const before = read(dir, '.github/workflows/plan.yml');
    const dry = await upgrade(dir, '--tool-ref', B, '--dry-run');
    expect({ code: dry.code, stderr: dry.stderr }).toEqual({ code: 0, stderr: '' });
    expect(dry.stdout).toContain('; dry run, nothing written: 8 file(s) would be rewritten:');
    expect(dry.stdout).toContain('What changed (CHANGELOG.md)');
    expect(read(dir, '.github/workflows/plan.yml')).toBe(before);
    expect(read(dir, '.learning-rooms.json')).toContain(A);
    expect((await upgrade(dir, '--tool-ref', 'main', '--dry-run')).code).toBe(1);
  });

  test('no manifest, or a bad ref: refused', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lr-none-'));
    expect((await upgrade(empty, '--tool-ref', B)).stderr).toContain(
      '.learning-rooms.json: missing; expected an admin repository made by learning-rooms init',
    );
    const dir = fresh();
    await init(dir, '--tool-ref', A);
    const r = await upgrade(dir, '--tool-ref', 'v1.2.3');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--tool-ref: expected a full commit SHA');
  });
});

describe('init --front-door', () => {
  const pair = () => {
    const root = mkdtempSync(join(tmpdir(), 'lr-front-'));
    return { admin: join(root, 'workshop-admin'), front: join(root, 'register') };
  };

  test('writes the public front door beside the admin repository, each knowing the other', async () => {
    const { admin, front } = pair();
    const r = await init(admin, '--tool-ref', A, '--front-door', front);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain(
      `${front}: the public front door acme/register (5 files), handing requests to acme/workshop-admin\n`,
    );
    expect(r.stdout).toContain(
      'learners register at https://github.com/acme/register/issues/new?template=register.yml',
    );
    const caller = read(front, '.github/workflows/register.yml');
    expect(caller).toContain(`uses: learning-rooms/learning-rooms/.github/workflows/front-door.yml@${A} # v${version}`);
    expect(caller).toContain('admin-repository: acme/workshop-admin');
    expect(read(front, '.github/ISSUE_TEMPLATE/config.yml')).toContain('blank_issues_enabled: false');
    expect(read(front, 'README.md')).toContain('https://github.com/acme/register/issues/new?template=register.yml');
    expect(JSON.parse(read(front, '.learning-rooms.json')).tool_ref).toBe(A);
    // The admin side: the Enrol workflow, the front door in the settings, a first cohort open for registration.
    expect(read(admin, '.github/workflows/enrol.yml')).toContain(
      `uses: learning-rooms/learning-rooms/.github/workflows/enrol.yml@${A}`,
    );
    expect(JSON.parse(read(admin, 'config/gitops.json')).LEARNING_ROOMS_FRONT_DOOR_REPOSITORY).toBe('acme/register');
    expect(JSON.parse(read(admin, 'roster.json')).cohorts[0].enrolment).toEqual({ review: 'manual' });
    expect(read(admin, 'README.md')).toContain(
      '6. **Share the link**: Register here: https://github.com/acme/register/issues/new?template=register.yml',
    );
    expect((await cli(['validate', 'roster.json'], { cwd: admin })).code).toBe(0);
    // Without a front door: no Enrol workflow, and the README says how to get one.
    const plain = fresh();
    await init(plain, '--tool-ref', A);
    expect(existsSync(join(plain, '.github/workflows/enrol.yml'))).toBe(false);
    expect(read(plain, 'README.md')).toContain('give them a public front door');
  });

  test('names its repositories with the options, and refuses what cannot work', async () => {
    const { admin, front } = pair();
    const named = await init(
      admin,
      '--tool-ref',
      A,
      '--front-door',
      front,
      '--front-door-repository',
      'acme-public/join',
      '--admin-repository',
      'acme/ws-2026',
    );
    expect(named.code).toBe(0);
    expect(read(front, '.github/workflows/register.yml')).toContain('admin-repository: acme/ws-2026');
    const same = pair();
    const refused = await init(
      same.admin,
      '--tool-ref',
      A,
      '--front-door',
      same.front,
      '--front-door-repository',
      'acme/x',
      '--admin-repository',
      'ACME/x',
    );
    expect(refused.stderr).toContain(
      '--front-door-repository: the front door must be another repository than the admin repository',
    );
    expect((await init(fresh(), '--tool-ref', A, '--admin-repository', 'acme/x')).stderr).toContain(
      '--admin-repository: only with --front-door',
    );
    const dir = fresh();
    expect((await init(dir, '--tool-ref', A, '--front-door', dir)).stderr).toContain(
      '--front-door: expected another folder than DIR',
    );
  });

  test("upgrade moves the front door's pin too, and compares it with its own template", async () => {
    const { admin, front } = pair();
    await init(admin, '--tool-ref', A, '--front-door', front);
    const r = await cli(['upgrade', front, '--tool-ref', B], {});
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(read(front, '.github/workflows/register.yml')).toContain(`front-door.yml@${B}`);
    expect(r.stdout).toContain("  .github/workflows/register.yml: same as the release's template\n");
    expect(r.stdout).not.toContain('plan.yml');
    const up = await cli(['upgrade', admin, '--tool-ref', B], {});
    expect(up.stdout).toContain("  .github/workflows/enrol.yml: same as the release's template\n");
  });
});

describe('enrolment-code', () => {
  test('prints the roster line for a code, never the code itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-code-'));
    writeFileSync(join(dir, 'code.txt'), 'Blue Ocean Forty Two\nsecond line ignored\n');
    const r = await cli(['enrolment-code', '--cohort', '2026-spring', '--code-file', 'code.txt'], { cwd: dir });
    const { enrolmentCodeHash } = await import('../../gitops/enrolment');
    expect(r).toEqual({
      code: 0,
      stdout: `"code_sha256": "${enrolmentCodeHash('2026-spring', 'blueoceanfortytwo')}"\n`,
      stderr:
        'Put this line in the "enrolment" of cohort "2026-spring" in roster.json (the code itself is not stored anywhere):\n',
    });
    writeFileSync(join(dir, 'short.txt'), 'abc\n');
    const short = await cli(['enrolment-code', '--cohort', '2026-spring', '--code-file', 'short.txt'], { cwd: dir });
    expect(short.stderr).toMatch(/^warning: the code has 3 characters .*Use a longer one, or "allowed_handles"/);
    expect(`${short.stdout}${short.stderr}`).not.toMatch(/abc/);
    writeFileSync(join(dir, 'empty.txt'), '  \n');
    expect(
      (await cli(['enrolment-code', '--cohort', '2026-spring', '--code-file', 'empty.txt'], { cwd: dir })).code,
    ).toBe(1);
    expect(
      (await cli(['enrolment-code', '--cohort', 'Spring 2026', '--code-file', 'code.txt'], { cwd: dir })).code,
    ).toBe(2);
  });

  test('reads standard input when it is not a terminal, as a pipe gives it', async () => {
    let stdout = '';
    const code = await runCli(['enrolment-code', '--cohort', 'c1'], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      cwd: tmpdir(),
      env: {},
      stdin: { isTTY: false, read: async () => 'pass phrase\n' },
    });
    const { enrolmentCodeHash } = await import('../../gitops/enrolment');
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: `"code_sha256": "${enrolmentCodeHash('c1', 'pass phrase')}"\n`,
    });
  });
});
