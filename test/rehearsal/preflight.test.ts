/**
 * Before anything starts: what the rehearsal needs from the machine, and the message when
 * something is missing. The edge is run with a fake terraform (or none) on PATH; nothing may be
 * started: no output folder, no double.
 */
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  filesystemMirrors,
  mirrorLayouts,
  nodePlatform,
  parseTerraformVersion,
  preflightMessage,
  preflightProblems,
  terraformError,
  versionBelow,
} from '../../rehearsal/preflight-core';
import { findOnPath } from '../../rehearsal/preflight';
import { cli } from '../helpers/cli';
import { plantProvider, TERRAFORM_PLATFORM, whenTerraform } from '../helpers/terraform';
import { world } from './world';

describe('the core', () => {
  test('Terraform’s version and platform from version -json; a Terraform that prints text is named', () => {
    expect(parseTerraformVersion('{"terraform_version":"1.11.4","platform":"linux_amd64"}')).toEqual({
      version: '1.11.4',
      platform: 'linux_amd64',
    });
    expect(parseTerraformVersion('Terraform v0.12.31\n')).toEqual({
      problem: 'terraform version -json did not print a version (found "Terraform v0.12.31")',
    });
  });

  test('versions compare numerically, a pre-release as its release', () => {
    expect([versionBelow('1.5.7', '1.7.0'), versionBelow('1.7.0', '1.7.0'), versionBelow('1.10.0', '1.7.0')]).toEqual([
      true,
      false,
      false,
    ]);
    expect(versionBelow('1.7.0-beta1', '1.7.0')).toBe(false);
  });

  test('the platform in Terraform’s words when Terraform cannot say', () => {
    expect([nodePlatform('linux', 'x64'), nodePlatform('darwin', 'arm64'), nodePlatform('win32', 'x64')]).toEqual([
      'linux_amd64',
      'darwin_arm64',
      'windows_amd64',
    ]);
  });

  test('the filesystem mirrors of a CLI configuration', () => {
    const text = `provider_installation {\n  filesystem_mirror {\n    path    = "/opt/mirror"\n    include = ["registry.terraform.io/integrations/github"]\n  }\n  direct {\n    exclude = []\n  }\n}\n`;
    expect(filesystemMirrors(text)).toEqual(['/opt/mirror']);
    expect(filesystemMirrors('disable_checkpoint = true\n')).toEqual([]);
  });

  test('Terraform’s error without its box drawing', () => {
    expect(terraformError('╷\n│ Error: Could not retrieve providers for locking\n│ \n│ no such host\n╵\n')).toBe(
      'Error: Could not retrieve providers for locking no such host',
    );
  });

  const base = {
    missingTools: [],
    platform: 'linux_amd64',
    terraform: { state: 'found' as const, version: '1.11.4', platform: 'linux_amd64', path: '/bin/terraform' },
  };

  test('nothing missing, no problem', () => {
    expect(preflightProblems({ ...base, lock: { ok: true } })).toEqual([]);
  });

  test('every problem at once, each with what to do', () => {
    const problems = preflightProblems({
      missingTools: ['git', 'jq'],
      platform: 'linux_amd64',
      terraform: { state: 'missing' },
      mirror: {
        path: '/m',
        named: 'LEARNING_ROOMS_PROVIDER_MIRROR',
        problem: 'the mirror does not hold it',
        holds: 'nothing under registry.terraform.io/integrations/github/',
      },
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe(
      'git, jq: not on PATH. The workflow scripts the rehearsal runs call bash, git, jq; install them and run again.',
    );
    expect(problems[1]).toBe(
      'Terraform: not on PATH. Install Terraform 1.7 or later (https://developer.hashicorp.com/terraform/install), put it on PATH, and run again.',
    );
    expect(problems[2]).toContain(
      `LEARNING_ROOMS_PROVIDER_MIRROR names the mirror /m; it must hold ${mirrorLayouts('linux_amd64').unpacked} (unpacked) or ${mirrorLayouts('linux_amd64').packed}; it holds nothing under registry.terraform.io/integrations/github/.`,
    );
    expect(preflightMessage(problems)).toMatch(
      /^learning-rooms rehearse: this machine cannot rehearse yet; nothing was started\.\n {2}- git, jq/,
    );
  });

  test('an old Terraform, and then the provider is not checked', () => {
    expect(preflightProblems({ ...base, terraform: { ...base.terraform, version: '1.5.7' } })).toEqual([
      expect.stringMatching(/^Terraform 1\.5\.7 is on PATH \(\/bin\/terraform\); the rehearsal needs 1\.7 or later/),
      expect.stringMatching(
        /^the integrations\/github provider 6\.9\.0 for linux_amd64: not checked, because Terraform is needed/,
      ),
    ]);
  });
});

test('findOnPath finds executables only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lr-path-'));
  writeFileSync(join(dir, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(dir, 'plain'), 'x', { mode: 0o644 });
  expect(findOnPath('tool', `/nowhere:${dir}`)).toBe(join(dir, 'tool'));
  expect(findOnPath('plain', dir)).toBeUndefined();
});

/** A PATH holding only these tools (no terraform). */
function pathOf(tools: string[]): string {
  const bin = mkdtempSync(join(tmpdir(), 'lr-bin-'));
  for (const tool of tools) {
    const found = findOnPath(tool, process.env.PATH);
    if (found) symlinkSync(found, join(bin, tool));
  }
  return bin;
}

describe('nothing starts when something is missing: exit 2, the message, no output folder, no double', () => {
  const run = async (env: NodeJS.ProcessEnv, w = world()) => {
    const r = await cli(['rehearse', w.roster, '--out-dir', w.out], { env, cwd: w.root });
    expect(existsSync(w.out)).toBe(false);
    expect(r.stdout).not.toMatch(/GitHub double/);
    return { ...r, w };
  };

  test('no Terraform on PATH', async () => {
    const r = await run({ PATH: pathOf(['bash', 'git', 'jq']), HOME: tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('learning-rooms rehearse: this machine cannot rehearse yet; nothing was started.');
    expect(r.stderr).toContain('  - Terraform: not on PATH. Install Terraform 1.7 or later');
  });

  test('a Terraform older than 1.7: only its version was asked', async () => {
    const w = world({ version: '1.5.7' });
    const r = await run({ ...w.env }, w);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Terraform 1\.5\.7 is on PATH \(.*fake-bin\/terraform\); the rehearsal needs 1\.7 or later/,
    );
    expect(w.tf.calls().map((c) => c.args[0])).toEqual(['version']);
  });

  test('an empty mirror: what it must hold, what it holds, how to fill it', async () => {
    const w = world();
    const mirror = mkdtempSync(join(tmpdir(), 'lr-empty-mirror-'));
    const r = await run({ ...w.env, LEARNING_ROOMS_PROVIDER_MIRROR: mirror }, w);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the integrations/github provider 6.9.0 for linux_amd64: the mirror does not hold it`);
    expect(r.stderr).toContain(
      `LEARNING_ROOMS_PROVIDER_MIRROR names the mirror ${mirror}; it must hold registry.terraform.io/integrations/github/6.9.0/linux_amd64/ (unpacked)`,
    );
    expect(r.stderr).toContain('it holds nothing under registry.terraform.io/integrations/github/.');
    expect(r.stderr).toContain('terraform providers mirror -platform=linux_amd64 ./mirror');
    expect(w.tf.calls().map((c) => c.args[0])).toEqual(['version']);
  });

  test('no mirror and no registry: terraform providers lock’s own reason, and both ways to provide the provider', async () => {
    const w = world({ noProvider: true });
    const r = await run(w.env, w);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'terraform providers lock could not take it from the Terraform registry: Error: Could not retrieve providers for locking - registry.terraform.io/integrations/github: could not connect to registry.terraform.io: no such host',
    );
    expect(r.stderr).toContain(
      `(TF_CLI_CONFIG_FILE names ${w.env.TF_CLI_CONFIG_FILE}, which does not exist: no mirror is configured there.)`,
    );
    expect(r.stderr).toContain(
      'Either let this machine reach registry.terraform.io, or fetch the provider on a machine that can:',
    );
    expect(r.stderr).toContain('LEARNING_ROOMS_PROVIDER_MIRROR=/absolute/path/to/mirror');
  });

  test('a roster with problems, a missing tool and no Terraform: all said, exit 1 (the input comes first)', async () => {
    const w = world({}, { format_version: 1, cohorts: [], learners: [{ github_handle: '@x' }] });
    const r = await run({ PATH: pathOf(['bash', 'git']), HOME: tmpdir() }, w);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /learning-rooms rehearse: .*roster.json: learner 1, line 6, github_handle: expected a GitHub user name/,
    );
    expect(r.stderr).toContain(
      '  - jq: not on PATH. The workflow scripts the rehearsal runs call bash, git, jq; install it and run again.',
    );
    expect(r.stderr).toContain('  - Terraform: not on PATH');
  });
});

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago, and is closed again). */
function closedPort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

(TERRAFORM_PLATFORM ? describe : describe.skip)(
  whenTerraform('the real Terraform on PATH, the provider nowhere: exit 2 and the message, nothing started'),
  () => {
    const realRun = async (extra: NodeJS.ProcessEnv) => {
      const w = world();
      const env = { PATH: process.env.PATH ?? '', HOME: w.root, ...extra };
      const r = await cli(['rehearse', w.roster, '--out-dir', w.out], { env, cwd: w.root });
      expect(existsSync(w.out)).toBe(false);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('learning-rooms rehearse: this machine cannot rehearse yet; nothing was started.');
      return { r, w };
    };

    test('the registry cannot be reached (a proxy that refuses): Terraform’s own reason, and both ways to provide the provider', async () => {
      const port = await closedPort();
      const { r } = await realRun({ HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: '' });
      expect(r.stderr).toContain(
        'terraform providers lock could not take it from the Terraform registry: Error: Could not retrieve providers for locking',
      );
      expect(r.stderr).toContain(`127.0.0.1:${port}: connect: connection refused`);
      expect(r.stderr).toContain(
        'Either let this machine reach registry.terraform.io, or fetch the provider on a machine that can:',
      );
      expect(r.stderr).toContain('LEARNING_ROOMS_PROVIDER_MIRROR=/absolute/path/to/mirror');
    });

    test('TF_CLI_CONFIG_FILE names a filesystem mirror that lacks it: what it must hold and how to fill it', async () => {
      const mirror = mkdtempSync(join(tmpdir(), 'lr-mirror-'));
      mkdirSync(join(mirror, 'registry.terraform.io', 'integrations', 'github', '6.8.0', TERRAFORM_PLATFORM ?? ''), {
        recursive: true,
      });
      const root = mkdtempSync(join(tmpdir(), 'lr-tfrc-'));
      const tfrc = join(root, 'mirror.tfrc');
      writeFileSync(tfrc, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);
      const { r } = await realRun({ TF_CLI_CONFIG_FILE: tfrc });
      expect(r.stderr).toContain(
        `the integrations/github provider 6.9.0 for ${TERRAFORM_PLATFORM}: the mirror does not hold it`,
      );
      expect(r.stderr).toContain(
        `it must hold registry.terraform.io/integrations/github/6.9.0/${TERRAFORM_PLATFORM}/ (unpacked)`,
      );
      expect(r.stderr).toContain(`terraform providers mirror -platform=${TERRAFORM_PLATFORM} ./mirror`);
    });
  },
);

test('a mirror named by TF_CLI_CONFIG_FILE’s filesystem_mirror block is used for the lock', async () => {
  const w = world();
  const mirror = mkdtempSync(join(tmpdir(), 'lr-mirror-'));
  plantProvider(mirror, '#!/bin/sh\nexit 1\n', 'linux_amd64');
  const tfrc = join(w.root, 'mirror.tfrc');
  writeFileSync(tfrc, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);
  // Stopped right after the preflight: an output folder that is not empty is a problem of the input.
  mkdirSync(w.out);
  writeFileSync(join(w.out, 'something'), '');
  const r = await cli(['rehearse', w.roster, '--out-dir', w.out], {
    env: { ...w.env, TF_CLI_CONFIG_FILE: tfrc },
    cwd: w.root,
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`--out-dir ${w.out}: expected a new or empty folder; it holds something already`);
  expect(w.tf.calls().map((c) => c.args.join(' '))).toEqual([
    'version -json',
    `providers lock -fs-mirror=${mirror} -platform=linux_amd64 -no-color`,
  ]);
});

test('--template-files takes present or absent', async () => {
  const r = await cli(['rehearse', '--template-files', 'maybe'], { env: {} });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--template-files: expected present or absent, found "maybe"');
});
