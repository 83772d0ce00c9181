/**
 * `learning-rooms rehearse COURSE --at T1 --at T2 --simulate` with the fake terraform in its live
 * mode (fake-terraform.ts: plans from each stack's configuration against the double, so a course's
 * rooms are made, and re-made where they drift): after the last Apply the learners play in the
 * course's rooms (an individual assignment and a team one), then Progress, the Watchdog (whose heal
 * withdraws the expired invitation with expired-invitations --withdraw and restores the deleted
 * file) and a last Progress.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, type CliResult } from '../helpers/cli';
import { world, type World } from './world';

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

test('explore', () => {
  console.log(r.stdout);
});
