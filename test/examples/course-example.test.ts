/**
 * examples/course.example.json, the course the rehearsal takes from opening to cutoff to end of
 * course (docs/course.md, "Rehearse a course"): what it holds, that validate accepts it, and what
 * synth makes of it at the instants the rehearsal's commands name.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRosterFile } from '../../roster';
import { cli } from '../helpers/cli';

const FILE = join(__dirname, '..', '..', 'examples', 'course.example.json');
const { roster, errors } = readRosterFile(FILE);
const course = roster!.cohorts[0];
const assignments = course.assignments ?? [];

test('it is a valid roster: one course, 40 learners', () => {
  expect(errors).toEqual([]);
  expect(roster!.cohorts.map((c) => c.cohort_id)).toEqual(['web-101']);
  expect(roster!.learners).toHaveLength(40);
  expect(new Set(roster!.learners.map((l) => l.cohort_id))).toEqual(new Set(['web-101']));
});

test('two individual assignments and one team assignment, each with its own template and a cutoff', () => {
  expect(assignments.map((a) => [a.id, a.teams ? 'teams' : 'individual'])).toEqual([
    ['a1-html', 'individual'],
    ['a2-css', 'individual'],
    ['a3-project', 'teams'],
  ]);
  expect(new Set(assignments.map((a) => a.template)).size).toBe(3);
  for (const a of assignments) expect(Date.parse(a.cutoff ?? '')).toBeGreaterThan(Date.parse(a.opens));
  expect(assignments.filter((a) => a.feedback_pull_request).map((a) => a.id)).toEqual(['a2-css']);
});

test('the teacher set the teams: every learner in exactly one', () => {
  const members = (assignments[2].teams ?? []).flatMap((t) => t.members);
  expect([...members].sort()).toEqual(roster!.learners.map((l) => l.github_handle).sort());
});

test('facilitators who are not learners, an extension, and a confirmed end of course', () => {
  expect(course.facilitators?.handles).toEqual(['tina-ta', 'omar-ta']);
  expect(roster!.learners.filter((l) => l.extensions).map((l) => l.github_handle)).toEqual(['student-07']);
  expect(course.end_of_course).toEqual({ at: '2026-04-03T17:00:00Z', mode: 'hand-over', allow_mass_change: true });
});

test('validate accepts it', async () => {
  const r = await cli(['validate', FILE]);
  expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('40 learners') });
});

/** The rooms synth makes at an instant (no state: nothing was applied), from its learner indexes. */
async function roomsAt(at: string): Promise<{ total: number; past: number; stdout: string }> {
  const out = mkdtempSync(join(tmpdir(), 'lr-course-example-'));
  const r = await cli(['synth', FILE, '--at', at, '--out-dir', out]);
  if (r.code !== 0) throw new Error(`synth exit ${r.code}: ${r.stderr}`);
  const lines = [
    ...r.stdout.matchAll(/(\d+) rooms \(\d+ new\), \d+ queued, \d+ archived, (\d+) learners past a cutoff/g),
  ];
  return {
    total: lines.reduce((n, m) => n + Number(m[1]), 0),
    past: lines.reduce((n, m) => n + Number(m[2]), 0),
    stdout: r.stdout,
  };
}

test('synth at the opening, the cutoff and the end: the first assignment’s 40 rooms, then a cutoff, then nothing new', async () => {
  const opening = await roomsAt('2026-03-02T09:30:00Z');
  expect(opening).toMatchObject({ total: 40, past: 0 });
  const cutoff = await roomsAt('2026-03-10T17:30:00Z');
  // a1-html's 40 rooms and the first admitted of a2-css; 39 past a1-html's cutoff (student-07 has an extension)
  expect(cutoff.total).toBeGreaterThan(40);
  expect(cutoff.past).toBe(39);
  const end = await roomsAt('2026-04-03T17:30:00Z');
  expect(end.total).toBe(0);
});
