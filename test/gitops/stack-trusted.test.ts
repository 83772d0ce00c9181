import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mirrorPathProblem, terraformCliConfig } from '../../gitops/cli-config';
import { checkLockFile, lockCommandArgs, lockRequirementDocument } from '../../gitops/provider-lock';
import { readStackConfigText } from '../../gitops/trusted-stack';
import { cli } from '../helpers/cli';
import { listFiles, LOCK_FIXTURE, RUN_ENV, runStackText, workspace } from './stack-fixtures';

const LOCK = readFileSync(LOCK_FIXTURE, 'utf8');

describe('the lock file', () => {
  test('the fixture (what terraform providers lock writes) passes', () => {
    expect(checkLockFile(LOCK)).toEqual([]);
    expect(checkLockFile(LOCK.replace('\n', '\r\n'))).toEqual([]);
  });

  test('refused, with the line and what to do: no block, another version, no hash, another provider, anything else', () => {
    expect(checkLockFile('# empty\n')).toEqual([
      '.terraform.lock.hcl: no provider "registry.terraform.io/integrations/github" block; create it once with `learning-rooms lock-providers --out .terraform.lock.hcl` (it runs terraform providers lock for registry.terraform.io/integrations/github 6.9.0) and commit it',
    ]);
    expect(checkLockFile(LOCK.replace('version     = "6.9.0"', 'version     = "6.8.0"'))).toEqual([
      '.terraform.lock.hcl, line 4: expected version = "6.9.0" (the pinned version), found "6.8.0"',
    ]);
    expect(checkLockFile(LOCK.replace(/\s*"h1:[^"]+",/, ''))).toEqual([
      '.terraform.lock.hcl, line 4: expected at least one hash: without one Terraform would accept any package',
    ]);
    expect(checkLockFile(LOCK.replace(/"h1:[^"]+"/, '"sha256:abc"'))).toEqual([
      '.terraform.lock.hcl, line 8: expected a package hash "h1:..." or "zh:...", found "sha256:abc"',
      '.terraform.lock.hcl, line 4: expected at least one hash: without one Terraform would accept any package',
    ]);
    const other = `${LOCK}\nprovider "registry.terraform.io/hashicorp/external" {\n  version = "2.3.4"\n  hashes = ["h1:${'A'.repeat(43)}="]\n}\n`;
    expect(checkLockFile(other)).toEqual([
      '.terraform.lock.hcl, line 12: provider "registry.terraform.io/hashicorp/external": only registry.terraform.io/integrations/github may be locked',
    ]);
    expect(checkLockFile(`${LOCK}${LOCK}`)).toEqual([
      '.terraform.lock.hcl: the provider "registry.terraform.io/integrations/github" block appears 2 times; expected once',
    ]);
    expect(checkLockFile(LOCK.replace('  hashes = [', '  url = "x"\n  hashes = ['))[0]).toMatch(
      /line 7: expected version, constraints or hashes inside the provider block, found "url = \\"x\\""/,
    );
    expect(checkLockFile(LOCK.replace(/\}\s*$/, ''))).toEqual([
      expect.stringMatching(/the provider block is not closed/),
    ]);
  });

  test('lock-providers writes the pinned requirement into a folder and prints the terraform command and the copy', async () => {
    expect(lockRequirementDocument()).toEqual({
      terraform: { required_providers: { github: { source: 'integrations/github', version: '6.9.0' } } },
    });
    expect(lockCommandArgs(['linux_amd64', 'darwin_arm64'])).toEqual([
      'providers',
      'lock',
      '-platform=linux_amd64',
      '-platform=darwin_arm64',
    ]);
    const { root } = workspace({});
    const r = await cli(['lock-providers', '--out', 'lock.hcl'], { cwd: root });
    expect(r.code).toBe(0);
    const m =
      /^ {2}cd (\S+) && terraform providers lock -platform=linux_amd64 -platform=darwin_arm64 -platform=darwin_amd64 -platform=windows_amd64 && cp \.terraform\.lock\.hcl (\S+)$/m.exec(
        r.stdout,
      );
    expect(m).not.toBeNull();
    expect(JSON.parse(readFileSync(join(m![1], 'versions.tf.json'), 'utf8'))).toEqual(lockRequirementDocument());
    expect(m![2]).toBe(join(root, 'lock.hcl'));
    expect((await cli(['lock-providers', '--out', 'x', '--platform', 'linux amd64'], { cwd: root })).code).toBe(2);
  });
});

describe('the Terraform CLI configuration', () => {
  test('an explicit provider_installation for the github provider only: the registry, or a mirror', () => {
    expect(terraformCliConfig()).toContain(
      'provider_installation {\n  direct {\n    include = ["registry.terraform.io/integrations/github"]\n  }\n}\n',
    );
    const mirrored = terraformCliConfig('/srv/mirror');
    expect(mirrored).toContain(
      '  filesystem_mirror {\n    path    = "/srv/mirror"\n    include = ["registry.terraform.io/integrations/github"]\n  }\n',
    );
    expect(mirrored).not.toContain('direct');
    for (const text of [terraformCliConfig(), mirrored]) {
      expect(text).toMatch(/^disable_checkpoint = true$/m);
      expect(text).not.toMatch(/plugin_cache_dir|dev_overrides|credentials/);
    }
  });

  test('a mirror path that would need quoting is refused', () => {
    expect(mirrorPathProblem('/srv/mirror')).toBeUndefined();
    expect(mirrorPathProblem('mirror')).toMatch(/expected an absolute folder path/);
    for (const bad of ['/a"b', '/a\\b', '/a${x}', '/a%{x}', '/a\nb'])
      expect(mirrorPathProblem(bad)).toMatch(/may not contain/);
  });
});

describe('reading cdk.tf.json from the artifact', () => {
  test('a regular file only: a symbolic link, a folder, a file past the cap, or invalid UTF-8 are refused', () => {
    const { root, dir } = workspace({});
    writeFileSync(join(root, 'real.json'), runStackText());
    symlinkSync(join(root, 'real.json'), join(dir, 'cdk.tf.json'));
    expect(readStackConfigText(dir)).toEqual({
      problem: 'cdk.tf.json is a symbolic link; expected the synthesized file itself',
    });
    const { dir: d2 } = workspace({ 'cdk.tf.json/x': '' });
    expect(readStackConfigText(d2)).toEqual({ problem: 'cdk.tf.json is not a regular file' });
    const { dir: d3 } = workspace({ 'cdk.tf.json': '{"a": "0123456789"}' });
    expect(readStackConfigText(d3, 10)).toEqual({ problem: 'cdk.tf.json is 19 bytes; at most 10 are read' });
    expect(readStackConfigText(d3)).toEqual({ text: '{"a": "0123456789"}' });
    const { dir: d4 } = workspace({});
    writeFileSync(join(d4, 'cdk.tf.json'), Buffer.from([0x7b, 0xff, 0x7d]));
    expect(readStackConfigText(d4)).toEqual({ problem: 'cdk.tf.json is not valid UTF-8 text' });
    expect(readStackConfigText(join(root, 'nowhere')).problem).toMatch(/^no cdk\.tf\.json in /);
  });
});

describe('prepare-stack --out: the trusted folder', () => {
  const args = (dir: string, out: string, ...more: string[]) => [
    'prepare-stack',
    '--dir',
    dir,
    '--out-dir',
    out,
    ...more,
  ];

  test('exactly three files, the document as checked, the CLI configuration beside the folder, the environment lines appended', async () => {
    const { root, dir } = workspace({ 'cdk.tf.json': runStackText() });
    writeFileSync(join(root, 'github-env'), 'EXISTING=1\n');
    const out = join(root, 'run', '2026-spring');
    const r = await cli([...args(dir, out, '--state-dir', 'state', '--github-env', 'github-env')], {
      cwd: root,
      env: RUN_ENV,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `2026-spring: checked; Terraform runs in ${out} with backend git (state in ${root}/state/2026-spring.tfstate), github provider 6.9.0 from the registry, CLI configuration ${out}.tfrc\n`,
    );
    expect(listFiles(out)).toEqual(['.terraform.lock.hcl', 'backend_override.tf.json', 'cdk.tf.json']);
    expect(JSON.parse(readFileSync(join(out, 'cdk.tf.json'), 'utf8'))).toEqual(JSON.parse(runStackText()));
    expect(JSON.parse(readFileSync(join(out, 'backend_override.tf.json'), 'utf8'))).toEqual({
      terraform: { backend: { local: { path: `${root}/state/2026-spring.tfstate` } } },
    });
    expect(readFileSync(join(out, '.terraform.lock.hcl'), 'utf8')).toBe(LOCK);
    expect(readFileSync(`${out}.tfrc`, 'utf8')).toBe(terraformCliConfig());
    expect(readFileSync(join(root, 'github-env'), 'utf8')).toBe(
      `EXISTING=1\nTF_CLI_CONFIG_FILE=${out}.tfrc\nSTACK_RUN_DIR=${out}\n`,
    );
  });

  test('the mirror setting chooses a filesystem mirror; --cli-config and --lock-file choose the paths', async () => {
    const { root, dir } = workspace({ 'cdk.tf.json': runStackText() });
    writeFileSync(join(root, 'my.lock.hcl'), LOCK);
    const r = await cli(args(dir, 'run', '--cli-config', 'conf/tf.rc', '--lock-file', 'my.lock.hcl'), {
      cwd: root,
      env: { ...RUN_ENV, LEARNING_ROOMS_PROVIDER_MIRROR: 'mirror' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`github provider 6.9.0 from the mirror ${root}/mirror`);
    expect(readFileSync(join(root, 'conf', 'tf.rc'), 'utf8')).toBe(terraformCliConfig(join(root, 'mirror')));
  });

  test('a folder that is not new or empty, or inside the artifact, is a usage error; nothing is written', async () => {
    const { root, dir } = workspace({ 'cdk.tf.json': runStackText() });
    mkdirSync(join(root, 'used'));
    writeFileSync(join(root, 'used', 'zz_override.tf.json'), '{}');
    const cases: [string[], RegExp][] = [
      [args(dir, join(root, 'used')), /--out-dir .*used: is not empty; expected a new or empty folder/],
      [args(dir, dir), /must not be the stack folder or inside it/],
      [args(dir, join(dir, 'run')), /must not be the stack folder or inside it/],
      [args(dir, join(root, 'run'), '--cli-config', join(dir, 'x.tfrc')), /--cli-config .*: must not be inside --dir/],
      [
        args(dir, join(root, 'run'), '--cli-config', join(root, 'run', 'x.tfrc')),
        /--cli-config .*: must not be inside --out/,
      ],
      [args(dir, join(root, 'run'), '--backend-only'), /--out-dir and --backend-only do not go together/],
      [
        ['prepare-stack', '--dir', join(root, 'bad name'), '--out-dir', join(root, 'run')],
        /the folder name is the stack name/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv, { cwd: root, env: RUN_ENV });
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(root, 'run'))).toBe(false);
    // An empty folder is fine, and a symbolic link to the artifact is seen through.
    mkdirSync(join(root, 'empty'));
    expect((await cli(args(dir, join(root, 'empty')), { cwd: root, env: RUN_ENV })).code).toBe(0);
    symlinkSync(dir, join(root, 'link'));
    expect((await cli(args(dir, join(root, 'link', 'run')), { cwd: root, env: RUN_ENV })).stderr).toMatch(
      /must not be the stack folder or inside it/,
    );
  });

  test('every problem at once: the document, the lock file, the backend and the settings; nothing is written', async () => {
    const doc = JSON.parse(runStackText());
    doc.output = { env: { value: '${file("/proc/self/environ")}' } };
    const { root, dir } = workspace({ 'cdk.tf.json': JSON.stringify(doc) });
    writeFileSync(join(root, '.terraform.lock.hcl'), LOCK.replace('6.9.0"\n  constraints', '6.8.0"\n  constraints'));
    const env = {
      ...RUN_ENV,
      GITHUB_BASE_URL: 'https://api.github.com/',
      LEARNING_ROOMS_BACKEND: 'consul',
      LEARNING_ROOMS_PROVIDER_MIRROR: '/a"b',
    };
    const r = await cli(args(dir, join(root, 'run')), { cwd: root, env });
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^learning-rooms prepare-stack: LEARNING_ROOMS_BACKEND: expected one of git/),
      expect.stringMatching(/^learning-rooms prepare-stack: LEARNING_ROOMS_PROVIDER_MIRROR: the path may not contain/),
      'learning-rooms prepare-stack: 2026-spring: cdk.tf.json: output: outputs are not allowed: their values land in plan.json (allowed: //, terraform, provider, resource, import, removed)',
      'learning-rooms prepare-stack: 2026-spring: cdk.tf.json: provider.github[0].base_url: expected "https://api.github.com/" (GITHUB_BASE_URL of this run), found the string "http://127.0.0.1:54219/"',
      `learning-rooms prepare-stack: ${root}/.terraform.lock.hcl, line 4: expected version = "6.9.0" (the pinned version), found "6.8.0"`,
    ]);
    expect(existsSync(join(root, 'run'))).toBe(false);
    expect(existsSync(join(root, 'run.tfrc'))).toBe(false);
  });

  test('no lock file: refused with how to create one', async () => {
    const { root, dir } = workspace({ 'cdk.tf.json': runStackText() });
    const r = await cli(args(dir, join(root, 'run'), '--lock-file', 'none.hcl'), { cwd: root, env: RUN_ENV });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `learning-rooms prepare-stack: ${root}/none.hcl: no lock file; create it once with \`learning-rooms lock-providers --out .terraform.lock.hcl\` (it runs terraform providers lock for registry.terraform.io/integrations/github 6.9.0) and commit it\n`,
    );
  });

  test('--backend-only writes the backend override and the CLI configuration (default <dir>.tfrc), and checks no document', async () => {
    const { root } = workspace({});
    const pull = join(root, 'state-pull', '2026-spring');
    mkdirSync(pull, { recursive: true });
    const r = await cli(['prepare-stack', '--backend-only', '--dir', pull, '--github-env', 'env'], {
      cwd: root,
      env: { LEARNING_ROOMS_BACKEND: 's3', LEARNING_ROOMS_BACKEND_CONFIG: '{"bucket":"b"}' },
    });
    expect(r).toEqual({ code: 0, stdout: `2026-spring: backend s3; CLI configuration ${pull}.tfrc\n`, stderr: '' });
    expect(listFiles(pull)).toEqual(['backend_override.tf.json']);
    expect(readFileSync(`${pull}.tfrc`, 'utf8')).toBe(terraformCliConfig());
    expect(readFileSync(join(root, 'env'), 'utf8')).toBe(`TF_CLI_CONFIG_FILE=${pull}.tfrc\n`);
  });
});
