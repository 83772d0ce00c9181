/**
 * The double is stopped on every exit path: a failed apply (recorded all the same, as the workflow
 * records it), Ctrl-C in the middle of a step (the step's process group stopped too), SIGTERM during
 * the preflight (its terraform stopped, nothing started), and the end
 * of --keep. Also the real Terraform with a stand-in provider: everything up to the point where
 * the provider itself is needed, and a plain failure there.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { plantProvider, TERRAFORM_PLATFORM, TEST_PROVIDER, whenTerraform } from '../helpers/terraform';
import { LOCK_FIXTURE } from '../gitops/stack-fixtures';
import { doubleUrl, listening, world, type World } from './world';

const BIN = join(__dirname, '..', '..', 'bin', 'learning-rooms.js');
const COURSE = join(__dirname, '..', '..', 'examples', 'course.example.json');

/** The command as its own process (signals go to it alone), with its output so far. */
function spawnRehearse(
  w: World,
  extra: string[],
): { child: ChildProcessWithoutNullStreams; out: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'rehearse', w.roster, '--out-dir', w.out, ...extra], {
    cwd: w.root,
    env: w.env,
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (out += t));
  const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return { child, out: () => out, exit };
}

async function until(what: string, ok: () => boolean, ms = 25_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a failed apply is recorded, the rehearsal stops there with exit 1 and says why, and the double is stopped', async () => {
  const w = world({ failApply: true });
  const r = await cli(['rehearse', w.roster, '--simulate', '--out-dir', w.out], { env: w.env, cwd: w.root });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('apply 2026-spring: plan changes; apply failed (exit 1); recorded: failed 3');
  expect(r.stdout).toContain(
    'apply 2026-spring FAILED: the apply failed for some learners: github_repository.learner-alice-nguyen: POST generate: 500 Internal Server Error',
  );
  expect(r.stdout).not.toMatch(/learners play|2\. Progress/);
  const log = JSON.parse(readFileSync(join(w.out, 'provisioning-log.json'), 'utf8')) as {
    entries: { outcome: string }[];
  };
  expect(log.entries.map((e) => e.outcome)).toEqual(['failed', 'failed', 'failed']);
  expect(readFileSync(join(w.out, 'README.txt'), 'utf8')).toContain('Result: a step failed');
  expect(await listening(doubleUrl(r.stdout))).toBe(false);
}, 30_000);

test('Ctrl-C in the middle of a step: the step’s process is stopped, the double too, exit 130', async () => {
  const w = world({ blockOn: 'init' });
  const run = spawnRehearse(w, []);
  await until('the fake terraform to hang in init', () => existsSync(w.tf.marker));
  const pid = Number(readFileSync(w.tf.marker, 'utf8'));
  const url = doubleUrl(run.out());
  expect(await listening(url)).toBe(true);
  run.child.kill('SIGINT');
  expect(await run.exit).toBe(130);
  expect(run.out()).toContain('learning-rooms rehearse: SIGINT: stopping the running step and the GitHub double...');
  expect(run.out()).toContain('interrupted (SIGINT): the GitHub double is stopped.');
  expect(await listening(url)).toBe(false);
  expect(alive(pid)).toBe(false);
}, 30_000);

test('SIGTERM while the preflight locks the provider: its terraform is stopped, nothing was started, exit 143', async () => {
  const w = world({ blockOn: 'providers' });
  const run = spawnRehearse(w, []);
  await until('the fake terraform to hang in providers lock', () => existsSync(w.tf.marker));
  const pid = Number(readFileSync(w.tf.marker, 'utf8'));
  run.child.kill('SIGTERM');
  expect(await run.exit).toBe(143);
  expect(alive(pid)).toBe(false);
  expect(existsSync(w.out)).toBe(false);
  expect(run.out()).toContain('learning-rooms rehearse: SIGTERM: stopping the running step and the GitHub double...');
  expect(run.out()).not.toMatch(/the GitHub double: http/);
}, 30_000);

test('--keep leaves the double running with its URL and how to stop it; Ctrl-C then stops it and the rehearsal’s own exit status stands', async () => {
  const w = world({ failApply: true });
  const run = spawnRehearse(w, ['--keep']);
  await until('the double to be kept', () => run.out().includes('Stop it with Ctrl-C.'));
  const url = doubleUrl(run.out());
  expect(run.out()).toContain(`The GitHub double keeps running at ${url.href} (--keep)`);
  expect(run.out()).toContain(`curl ${url.origin}/_admin/state`);
  const state = (await (await fetch(new URL('/_admin/state', url))).json()) as { repos: { full_name: string }[] };
  expect(state.repos.map((r) => r.full_name)).toEqual(['learning-rooms-example/learning-room-template']);
  run.child.kill('SIGINT');
  // The apply failed: 1, not 130 (the Ctrl-C only ended --keep).
  expect(await run.exit).toBe(1);
  expect(await listening(url)).toBe(false);
}, 30_000);

(TERRAFORM_PLATFORM ? test : test.skip)(
  whenTerraform(
    'the real Terraform with a stand-in provider in a mirror: locked, initialised in the trusted folder, and the plan fails only because the provider is not the real one',
  ),
  async () => {
    const w = world();
    const mirror = mkdtempSync(join(tmpdir(), 'lr-mirror-'));
    plantProvider(mirror, TEST_PROVIDER);
    const env = { PATH: process.env.PATH ?? '', HOME: w.root, LEARNING_ROOMS_PROVIDER_MIRROR: mirror };
    const r = await cli(['rehearse', w.roster, '--out-dir', w.out], { env, cwd: w.root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`the github provider from the mirror ${mirror} (LEARNING_ROOMS_PROVIDER_MIRROR)`);
    expect(r.stdout).toMatch(/apply 2026-spring FAILED: the plan failed: Failed to load plugin schemas/);
    const hashes = (t: string) => t.match(/"h1:[^"]+"/g);
    expect(hashes(readFileSync(join(w.out, '.terraform.lock.hcl'), 'utf8'))).toEqual(
      hashes(readFileSync(LOCK_FIXTURE, 'utf8')),
    );
    const logText = readFileSync(join(w.out, 'rehearsal.log'), 'utf8');
    expect(logText).toContain('Terraform has been successfully initialized!');
    expect(await listening(doubleUrl(r.stdout))).toBe(false);
  },
  30_000,
);

(TERRAFORM_PLATFORM ? test : test.skip)(
  whenTerraform(
    'a course (--at) with the real Terraform and a stand-in provider: the plan comment before the first step says its plan failed, and the Apply stops there cleanly',
  ),
  async () => {
    const w = world({}, JSON.parse(readFileSync(COURSE, 'utf8')));
    const mirror = mkdtempSync(join(tmpdir(), 'lr-mirror-'));
    plantProvider(mirror, TEST_PROVIDER);
    const env = { PATH: process.env.PATH ?? '', HOME: w.root, LEARNING_ROOMS_PROVIDER_MIRROR: mirror };
    const at = ['2026-03-02T09:30:00Z', '2026-03-10T17:30:00Z'];
    const r = await cli(['rehearse', w.roster, '--at', at.join(','), '--out-dir', w.out], { env, cwd: w.root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `1. Plan, the plan comment before the step (the admin repository's plan.yml) at ${at[0]}`,
    );
    expect(r.stdout).toMatch(/check web-101: plan failed/);
    expect(readFileSync(join(w.out, 'plan-comments', '01-2026-03-02T093000Z.md'), 'utf8')).toContain('web-101');
    expect(r.stdout).toMatch(/apply web-101 FAILED: the plan failed: Failed to load plugin schemas/);
    expect(r.stdout).not.toContain(`3. Plan`);
    expect(await listening(doubleUrl(r.stdout))).toBe(false);
  },
  60_000,
);
