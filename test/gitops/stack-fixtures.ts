/** Shared by the trusted-stack tests: recorded stacks, the settings they were synthesized with, artifact folders. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { TrustedSettings } from '../../gitops/stack-check';

/** Stacks the project synthesized and real Terraform ran (copied from the recorded project runs). */
export const PROJECT_RUN_STACKS = join(__dirname, '..', 'fixtures', 'project-run-stacks');
/** The settings those runs used. */
export const RUN_SETTINGS: TrustedSettings = { owner: 'learning-rooms-example', baseUrl: 'http://127.0.0.1:54219/' };
/** The same settings as the environment prepare-stack reads them from. */
export const RUN_ENV = { PROVISIONING_STUDENT_OWNER: RUN_SETTINGS.owner, GITHUB_BASE_URL: RUN_SETTINGS.baseUrl };
/** A lock file with the hash Terraform computes for TEST_PROVIDER (test/helpers/terraform.ts). */
export const LOCK_FIXTURE = join(__dirname, '..', 'fixtures', 'attack-stacks', 'test-provider.lock.hcl');

/** The recorded stacks' file names (`<run>.cdk.tf.json`). */
export function projectRunStacks(): string[] {
  return readdirSync(PROJECT_RUN_STACKS)
    .filter((n) => n.endsWith('.cdk.tf.json'))
    .sort();
}

export function runStackText(name = '01-first-apply'): string {
  return readFileSync(join(PROJECT_RUN_STACKS, `${name}.cdk.tf.json`), 'utf8');
}

/**
 * A workspace: `<root>/artifact/stacks/<stack>/` with the given files (path -> text), as a pull
 * request's synth artifact would hold them, and the fixture lock file at `<root>/.terraform.lock.hcl`.
 */
export function workspace(files: Record<string, string>, stack = '2026-spring'): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'lr-trusted-'));
  const dir = join(root, 'artifact', 'stacks', stack);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(root, '.terraform.lock.hcl'), readFileSync(LOCK_FIXTURE));
  return { root, dir };
}

/** Every file under `dir`, relative, sorted (dot files and folders included). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
