/**
 * Running the real Terraform in tests, isolated from the developer's own configuration: a fresh
 * HOME, no TF_* variable from outside, and only the variables a test passes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const version = spawnSync('terraform', ['version', '-json'], {
  encoding: 'utf8',
  env: { PATH: process.env.PATH ?? '' },
});
/** The platform Terraform runs on (`linux_amd64`), or undefined when terraform is not on PATH. */
export const TERRAFORM_PLATFORM: string | undefined =
  version.status === 0 ? (JSON.parse(version.stdout) as { platform: string }).platform : undefined;

/** `describe`/`test` that skip with a message naming what is missing when terraform is absent. */
export function whenTerraform(name: string): string {
  return TERRAFORM_PLATFORM ? name : `${name} [SKIPPED: terraform is not on PATH]`;
}

export function terraformEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'lr-tf-home-'));
  return { PATH: process.env.PATH ?? '', HOME: home, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...extra };
}

export interface TerraformRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs terraform without blocking the event loop (a test's own HTTP listener must keep answering
 * while Terraform talks to it); killed after `timeoutMs`.
 */
export function terraform(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<TerraformRun> {
  return new Promise((done, fail) => {
    const child = spawn('terraform', [...args, '-no-color'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

/**
 * Stands in for integrations/github 6.9.0: the lock file fixture
 * test/fixtures/attack-stacks/test-provider.lock.hcl holds the hash Terraform computes for exactly
 * this text (test/gitops/stack-terraform.test.ts recomputes it).
 */
export const TEST_PROVIDER =
  '#!/bin/sh\n# learning-rooms test provider: stands in for integrations/github 6.9.0 in tests; not a provider.\nexit 1\n';

/** Writes `text` as the provider executable in the unpacked layout of a filesystem mirror (or of terraform.d/plugins). */
export function plantProvider(root: string, text: string, platform = TERRAFORM_PLATFORM ?? 'linux_amd64'): string {
  const dir = join(root, 'registry.terraform.io', 'integrations', 'github', '6.9.0', platform);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'terraform-provider-github_v6.9.0');
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}
