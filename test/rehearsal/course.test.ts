/**
 * `learning-rooms rehearse examples/course.example.json --at ...` with the fake terraform
 * (fake-terraform.ts): the double seeded from the course (every assignment's template, the
 * facilitators and team members as users), and at each instant, in order, the Plan workflow with
 * its plan comment (printed and kept) and then the Apply, every step given the instant. The fake's
 * plans change nothing here (its recorded apply is of single rooms): this is the orchestration.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, type CliResult } from '../helpers/cli';
import { derivedPlan } from './fake-terraform';
import { doubleUrl, listening, world, type World } from './world';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'course.example.json');
const OPENING = '2026-03-02T09:30:00Z';
const CUTOFF = '2026-03-10T17:30:00Z';
const END = '2026-04-03T17:30:00Z';
const course = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as unknown;

let w: World;
let r: CliResult;
beforeAll(async () => {
  const nothing = derivedPlan({});
  w = world({ first: nothing, later: nothing }, course);
  copyFileSync(EXAMPLE, w.roster);
  r = await cli(['rehearse', w.roster, '--at', `${OPENING},${CUTOFF}`, '--at', END, '--out-dir', w.out], {
    env: w.env,
    cwd: w.root,
  });
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
}, 120_000);

const read = (...p: string[]) => readFileSync(join(w.out, ...p), 'utf8');

test('the double is seeded from the course: every assignment’s template without the required files, the learners, the facilitators and the team members as users', () => {
  const seed = JSON.parse(read('app', 'seed.json')) as {
    users: string[];
    repos: { owner: string; name: string; is_template: boolean; files: object }[];
  };
  expect(seed.repos.map((x) => [`${x.owner}/${x.name}`, x.is_template, Object.keys(x.files)])).toEqual([
    ['learning-rooms-example/web-101-a1-html', true, ['README.md']],
    ['learning-rooms-example/web-101-a2-css', true, ['README.md']],
    ['learning-rooms-example/web-101-a3-project', true, ['README.md']],
  ]);
  expect(seed.users).toHaveLength(42);
  expect(seed.users.slice(-2)).toEqual(['tina-ta', 'omar-ta']);
  expect(seed.users).toEqual(expect.arrayContaining(['student-01', 'student-40']));
});

test('at each instant in order: the plan comment, then the Apply; Progress after the last', () => {
  const headers = r.stdout.split('\n').filter((l) => /^\d+\. /.test(l));
  expect(headers).toEqual([
    `1. Plan, the plan comment before the step (the admin repository's plan.yml) at ${OPENING}`,
    `2. Apply (the admin repository's apply.yml) at ${OPENING}`,
    `3. Plan, the plan comment before the step (the admin repository's plan.yml) at ${CUTOFF}`,
    `4. Apply (the admin repository's apply.yml) at ${CUTOFF}`,
    `5. Plan, the plan comment before the step (the admin repository's plan.yml) at ${END}`,
    `6. Apply (the admin repository's apply.yml) at ${END}`,
    `7. Progress (the admin repository's progress.yml) at ${END}`,
  ]);
});

test('every synthesis plans the course at its step’s instant', () => {
  const planned = [...r.stdout.matchAll(/course planned at (\S+)/g)].map((m) => m[1]);
  expect([...new Set(planned)]).toEqual([OPENING, CUTOFF, END]);
  // Each instant synthesized twice (the Plan's and the Apply's) for each of the course's stacks.
  for (const at of [OPENING, CUTOFF, END]) expect(planned.filter((p) => p === at).length % 2).toBe(0);
});

test('Terraform gets the instant of its step: the Plan’s read-only plans without refresh, then the Apply’s', () => {
  const calls = w.tf.calls().slice(2);
  const steps = calls
    .filter((c) => c.args[0] === 'plan')
    .map((c) => [
      c.cwd.slice(w.out.length + 1).split('/')[0],
      c.env.LEARNING_ROOMS_AT,
      c.args.includes('-refresh=false'),
    ]);
  const phases = [...new Set(steps.map((s) => `${s[0]} ${s[1]} ${s[2]}`))];
  expect(phases).toEqual([
    `1-plan ${OPENING} true`,
    `2-apply ${OPENING} false`,
    `3-plan ${CUTOFF} true`,
    `4-apply ${CUTOFF} false`,
    `5-plan ${END} true`,
    `6-apply ${END} false`,
  ]);
  for (const c of calls.filter((x) => x.args[0] === 'plan' && x.cwd.includes('-plan/')))
    expect(c.env.GITHUB_APP_INSTALLATION_ID).toBe('1002');
});

test('the plan comment before each step is printed and kept in plan-comments/, in order', () => {
  const kept = readdirSync(join(w.out, 'plan-comments'));
  expect(kept).toEqual(['01-2026-03-02T093000Z.md', '02-2026-03-10T173000Z.md', '03-2026-04-03T173000Z.md']);
  for (const [i, f] of kept.entries()) {
    const text = read('plan-comments', f);
    expect(text).toContain('web-101');
    expect(text).toBe(read(`${2 * i + 1}-plan`, 'comment', 'comment', 'plan-comment.md'));
    expect(r.stdout).toContain(`the plan comment at ${[OPENING, CUTOFF, END][i]} (plan-comments/${f}):`);
    expect(r.stdout).toContain(`    | ${text.split('\n').find((l) => l.trim())}`);
  }
});

test('the apply’s starter-code step (propose-update) runs at each instant', () => {
  const log = read('rehearsal.log');
  const sections = [...log.matchAll(/== apply-stacks\.yml apply \(web-101\): Starter code of the cohort/g)];
  expect(sections).toHaveLength(3);
});

test('the double is stopped at the end', async () => {
  expect(await listening(doubleUrl(r.stdout))).toBe(false);
});

test('--at takes ISO instants going forward', async () => {
  const bad = await cli(['rehearse', w.roster, '--at', `${CUTOFF},${OPENING}`, '--at', 'tomorrow'], {
    env: w.env,
    cwd: w.root,
  });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain(`--at: the instants go forward in time: ${OPENING} is not after ${CUTOFF}`);
  expect(bad.stderr).toContain('--at: expected an ISO 8601 time such as 2026-03-10T17:30:00Z, found "tomorrow"');
  expect(bad.stderr).not.toContain('--simulate');
});
