/**
 * `learning-rooms rehearse COURSE --at T1 --at T2 --simulate` with the fake terraform in its live
 * mode (fake-terraform.ts: plans from each stack's configuration against the double, so a course's
 * rooms are made, and re-made where they drift): after the last Apply the learners play in the
 * course's rooms (an individual assignment and a team one), then Progress, the Watchdog (whose heal
 * withdraws the expired invitation with expired-invitations --withdraw and restores the deleted
 * file) and a last Progress.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, type CliResult } from '../helpers/cli';
import { doubleUrl, listening, world, type World } from './world';

const T1 = '2026-03-02T09:30:00Z';
const T2 = '2026-03-05T09:30:00Z';
const PROGRESS_FILE = '.github/workflows/progress.yml';
const COURSE = {
  format_version: 1,
  cohorts: [
    {
      cohort_id: 'web-101',
      template: 'learning-rooms-example/web-101-template',
      required_files: [PROGRESS_FILE],
      challenge_label: 'challenge',
      starts_on: '2026-03-02',
      assignments: [
        {
          id: 'a1-html',
          template: 'learning-rooms-example/web-101-a1-html',
          opens: '2026-03-02T09:00:00Z',
          due: '2026-03-09T17:00:00Z',
          required_files: [PROGRESS_FILE],
        },
        {
          id: 'a3-project',
          template: 'learning-rooms-example/web-101-a3-project',
          opens: '2026-03-02T09:00:00Z',
          due: '2026-03-30T17:00:00Z',
          required_files: [PROGRESS_FILE],
          teams: [
            { name: 'team-01', members: ['student-01', 'student-02'] },
            { name: 'team-02', members: ['student-03', 'student-04'] },
          ],
        },
      ],
    },
  ],
  learners: ['student-01', 'student-02', 'student-03', 'student-04'].map((h) => ({
    github_handle: h,
    cohort_id: 'web-101',
    path: 'web',
    provisioning: { state: 'pending' },
  })),
};

let w: World;
let r: CliResult;
beforeAll(async () => {
  w = world({ live: true }, COURSE);
  r = await cli(['rehearse', w.roster, '--at', T1, '--at', T2, '--simulate', '--out-dir', w.out], {
    env: w.env,
    cwd: w.root,
  });
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
}, 180_000);

const read = (...p: string[]) => readFileSync(join(w.out, ...p), 'utf8');

const OWNER = 'learning-rooms-example';
const room = (name: string) => `${OWNER}/web-101-${name}`;

interface Play {
  handle: string;
  repository: string;
  assignment?: string;
  expires: boolean;
  expected: string;
  deletes?: string;
}
interface Call {
  method: string;
  path: string;
  body: Record<string, unknown>;
}
const played = () => JSON.parse(read('learners-played.json')) as { plays: Play[]; calls: Call[] };

test('after the Apply at each instant, the learners play once; then Progress, the Watchdog and a last Progress, at the last instant', () => {
  const lines = r.stdout.split('\n').filter((l) => /^\d+\. /.test(l) || l.startsWith('The learners play'));
  expect(lines.map((l) => l.replace(/ \(the admin repository.*\)/, ''))).toEqual([
    `1. Plan, the plan comment before the step at ${T1}`,
    `2. Apply at ${T1}`,
    `3. Plan, the plan comment before the step at ${T2}`,
    `4. Apply at ${T2}`,
    `The learners play (--simulate): 7 accept their invitation, student-04 lets it expire; 6 write ack; 4 close challenges; drift: ${PROGRESS_FILE} deleted from ${room('a1-html-student-01')}`,
    `5. Progress at ${T2}`,
    `6. Watchdog at ${T2}`,
    `7. Progress at ${T2}`,
  ]);
});

test('the play comes from the course’s rooms: each learner in their own room and in their team’s, a team’s members combined', () => {
  const { plays } = played();
  expect(plays.map((p) => [p.assignment, p.handle, p.repository, p.expected, p.deletes ?? null])).toEqual([
    ['a1-html', 'student-01', room('a1-html-student-01'), 'complete', PROGRESS_FILE],
    ['a1-html', 'student-02', room('a1-html-student-02'), 'in-progress', null],
    ['a1-html', 'student-03', room('a1-html-student-03'), 'acknowledged', null],
    ['a1-html', 'student-04', room('a1-html-student-04'), 'invitation-expired', null],
    // student-01 finishes the team's challenges: student-02's one close is already done.
    ['a3-project', 'student-01', room('a3-project-team-01'), 'complete', null],
    ['a3-project', 'student-02', room('a3-project-team-01'), 'complete', null],
    ['a3-project', 'student-03', room('a3-project-team-02'), 'acknowledged', null],
    ['a3-project', 'student-04', room('a3-project-team-02'), 'not-started', null],
  ]);
});

test('the admin calls against the double: challenges in all six rooms, each member accepting in their team’s room, a team’s challenge closed once', () => {
  const { calls } = played();
  const issues = calls.filter((c) => c.method === 'POST' && c.path === '/_admin/issues').map((c) => c.body.repo);
  expect(new Set(issues).size).toBe(6);
  expect(issues).toHaveLength(18);
  const who = (path: string, repo: string) =>
    calls.filter((c) => c.path === path && c.body.repo === repo).map((c) => String(c.body.login));
  expect(who('/_admin/accept_invites', room('a3-project-team-01'))).toEqual(['student-01', 'student-02']);
  expect(who('/_admin/accept_invites', room('a3-project-team-02'))).toEqual(['student-03', 'student-04']);
  const closes = calls.filter((c) => c.method === 'PATCH' && c.body.repo === room('a3-project-team-01'));
  expect(closes.map((c) => [c.body.number, c.body.closed_by])).toEqual([
    [1, 'student-01'],
    [2, 'student-01'],
    [3, 'student-01'],
  ]);
  expect(calls.filter((c) => c.path === '/_admin/expire_invitation').map((c) => c.body)).toEqual([
    { repo: room('a1-html-student-04'), login: 'student-04' },
  ]);
  expect(calls.filter((c) => c.path === '/_admin/delete_file').map((c) => [c.body.repo, c.body.path])).toEqual([
    [room('a1-html-student-01'), PROGRESS_FILE],
  ]);
});

test('the watchdog saw the drift, and its heal withdrew the expired invitation (expired-invitations --withdraw, as the provisioning App) before a plan that invites again and restores the file', () => {
  expect(r.stdout).toContain('fingerprint: differs from the configuration: web-101');
  expect(r.stdout).toMatch(/report: unhealthy; heal: web-101/);
  expect(r.stdout).toMatch(/heal web-101: plan changes; apply done; recorded: /);
  const log = read('rehearsal.log');
  const heal = log.slice(
    log.indexOf('== apply-stacks.yml apply (web-101): terraform plan', log.indexOf('6-watchdog/heal')),
  );
  expect(heal).toMatch(
    /\$ \S+ \S+learning-rooms\.js expired-invitations --roster \S+ --index \S+6-watchdog\/synth\/synth-out\/stacks\/web-101\/learners\.json --withdraw +\(in \S+; as the provisioning App\)/,
  );
  expect(heal).toContain('1 expired invitation(s) withdrawn');
  const plan = JSON.parse(read('6-watchdog', 'heal', 'web-101', 'run', 'web-101', 'plan.json')) as {
    resource_changes: { address: string; change: { actions: string[] } }[];
  };
  expect(
    plan.resource_changes.filter((c) => c.change.actions.join() !== 'no-op').map((c) => [c.address, c.change.actions]),
  ).toEqual([
    ['github_repository_collaborators.a1-html--student-04', ['update']],
    ['github_repository_file.a1-html--student-01--github_workflows_progress_yml', ['create']],
  ]);
  const watchdog = w.tf
    .calls()
    .filter((c) => c.cwd.includes('/6-watchdog/') && c.args[0] !== 'init')
    .map((c) => `${c.args[0]} ${c.cwd.split('/6-watchdog/')[1].split('/')[0]} ${c.env.GITHUB_APP_INSTALLATION_ID}`);
  expect(watchdog).toEqual([
    'plan check 1002',
    'show check 1002',
    'plan heal 1001',
    'show heal 1001',
    'apply heal 1001',
  ]);
});

/** Each learner's status per assignment in the progress.json of a Progress run, as committed to main. */
function statuses(commit: string): Record<string, Record<string, string>> {
  const text = execFileSync('git', ['-C', join(w.out, 'admin.git'), 'show', `${commit}:progress.json`], {
    encoding: 'utf8',
  });
  const progress = JSON.parse(text) as {
    learners: { github_handle: string; assignments: Record<string, { status: string }> }[];
  };
  return Object.fromEntries(
    progress.learners.map((l) => [
      l.github_handle,
      Object.fromEntries(Object.entries(l.assignments).map(([a, v]) => [a, v.status])),
    ]),
  );
}

test('the statuses per assignment: the play’s expected ones after it, and the re-sent invitation pending after the heal', () => {
  const commits = execFileSync('git', ['-C', join(w.out, 'admin.git'), 'log', '--format=%H %s', 'main'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .filter((l) => l.endsWith('progress of record [skip ci]'))
    .map((l) => l.split(' ')[0])
    .reverse();
  expect(commits).toHaveLength(2);
  const expected: Record<string, Record<string, string>> = {};
  for (const p of played().plays) expected[p.handle] = { ...expected[p.handle], [p.assignment ?? '']: p.expected };
  expect(statuses(commits[0])).toEqual(expected);
  expect(statuses(commits[0])['student-04']).toEqual({ 'a1-html': 'invitation-expired', 'a3-project': 'not-started' });
  expect(statuses(commits[1])).toEqual({
    ...expected,
    'student-04': { ...expected['student-04'], 'a1-html': 'invited' },
  });
});

test('the table says, per learner, what they did in each room', () => {
  const row = (h: string) => r.stdout.split('\n').find((l) => l.startsWith(`${h} `)) ?? '';
  expect(row('student-04')).toContain('a1-html: let the invitation expire; a3-project: accepted');
  expect(row('student-01')).toContain(
    `a1-html: accepted, ack, closed 3 of 3, day1-complete, ${PROGRESS_FILE} deleted; a3-project: accepted`,
  );
});

test('the double is stopped at the end', async () => {
  expect(await listening(doubleUrl(r.stdout))).toBe(false);
});
