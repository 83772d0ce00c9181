/**
 * A course from opening to cutoff to end of course, through the post-step: each synthesis planned
 * against the state the previous apply left (test-kit/course-world.ts), applied, and recorded with
 * `recordRun` into the log and the roster. What each learner's entry says at each step.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRoster, serializeRoster } from '../../roster';
import type { Roster } from '../../roster/types';
import { recordRun } from '../../provisioning/record';
import { classifyOutcomes } from '../../provisioning/outcomes';
import { parsePlanJson, parseTerraformStream } from '../../contracts/terraform-plan';
import { applyStreamOf, planOf, StateResource } from '../../test-kit/course-world';
import { courseRoster, T } from '../../test-kit/course';
import { appliedAll, only, synthAt } from '../helpers/course';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'course-record-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Synthesizes the roster on disk at `at`, plans against `state`, applies, records; returns the new state and the run's entries. */
function step(at: string, state: StateResource[], run: string) {
  const roster = loadRoster(join(dir, 'roster.json'));
  const s = only(synthAt(roster, at, { 'web-101': state }));
  const plan = planOf(s.config, state);
  writeFileSync(join(dir, `plan-${run}.json`), JSON.stringify(plan));
  writeFileSync(join(dir, `apply-${run}.jsonl`), applyStreamOf(plan, at));
  writeFileSync(join(dir, `learners-${run}.json`), JSON.stringify(s.index));
  const result = recordRun({
    planPath: join(dir, `plan-${run}.json`),
    applyPath: join(dir, `apply-${run}.jsonl`),
    indexPath: join(dir, `learners-${run}.json`),
    rosterPath: join(dir, 'roster.json'),
    logPath: join(dir, 'provisioning-log.json'),
    runId: run,
    commit: `sha-${run}`,
  });
  const entries = Object.fromEntries(result.log.runEntries.map((e) => [e.learner, `${e.outcome}: ${e.detail}`]));
  return { state: appliedAll(synthAt(roster, at, { 'web-101': state }))['web-101'], entries, result };
}

const write = (r: Roster) => writeFileSync(join(dir, 'roster.json'), serializeRoster(r));

test('opening, a second assignment, a cutoff with an extension, a team room, a team change, the end of course: what each entry says', () => {
  const r = courseRoster({
    learners: 4,
    teamSize: 2,
    endOfCourse: { at: T.end, mode: 'archive', allow_mass_change: true },
  });
  r.learners[1].extensions = { 'a1-html': '2026-03-12T17:00:00Z' };
  write(r);

  let s = step(T.a1Opens, [], 'run-1');
  expect(s.entries.l1).toBe('created: room created (3 resources)');
  let roster = loadRoster(join(dir, 'roster.json'));
  expect(roster.learners[0].provisioning).toMatchObject({ state: 'provisioned', shard: 0, last_outcome: 'created' });

  s = step('2026-03-09T12:00:00Z', s.state, 'run-2');
  expect(s.entries.l1).toBe('created: room created (6 resources)');

  // the cutoff: only access changed, and the entry names the room and the change
  s = step('2026-03-10T17:05:00Z', s.state, 'run-3');
  expect(s.entries).toEqual({
    l1: 'access-changed: access changed: room web-101-a1-html-l1: l1 push → pull',
    l2: 'already-exists: nothing to change',
    l3: 'access-changed: access changed: room web-101-a1-html-l3: l3 push → pull',
    l4: 'access-changed: access changed: room web-101-a1-html-l4: l4 push → pull',
  });
  roster = loadRoster(join(dir, 'roster.json'));
  expect(roster.learners[0].provisioning).toMatchObject({ state: 'provisioned', last_outcome: 'access-changed' });

  // the extension ends
  s = step('2026-03-12T17:00:00Z', s.state, 'run-4');
  expect(s.entries.l2).toBe('access-changed: access changed: room web-101-a1-html-l2: l2 push → pull');

  // the team rooms: each member's entry has the room; the team's shard is recorded like a learner's
  s = step(T.teamOpens, s.state, 'run-5');
  expect(s.entries.l1).toBe('created: room created (3 resources)');
  roster = loadRoster(join(dir, 'roster.json'));
  expect((roster.cohorts[0].assignments ?? [])[2].teams).toEqual([
    { name: 'team-1', members: ['l1', 'l2'], shard: 0 },
    { name: 'team-2', members: ['l3', 'l4'], shard: 0 },
  ]);

  // a team change: the two learners' access moves, nothing else
  const teams = (roster.cohorts[0].assignments ?? [])[2].teams ?? [];
  teams[0].members = ['l1', 'l3'];
  teams[1].members = ['l4', 'l2'];
  write(roster);
  s = step('2026-03-16T12:00:00Z', s.state, 'run-6');
  // each room's change is logged for its members: l2 now in team-2, l1 still in team-1
  expect(s.entries.l2).toBe(
    'access-changed: access changed: room web-101-a3-project-team-2: l2 added (push), l3 removed',
  );
  expect(s.entries.l1).toBe(
    'access-changed: access changed: room web-101-a3-project-team-1: l2 removed, l3 added (push)',
  );
  expect(Object.keys(s.entries).sort()).toEqual(['l1', 'l2', 'l3', 'l4']);

  // the end of course: every room archived, recorded as archived
  s = step(T.end, s.state, 'run-7');
  expect(s.entries.l1).toBe(
    'archived: room web-101-a1-html-l1: repository archived: no longer in the configuration; ' +
      'room web-101-a2-css-l1: repository archived: no longer in the configuration; ' +
      'room web-101-a3-project-team-1: repository archived: no longer in the configuration',
  );
  roster = loadRoster(join(dir, 'roster.json'));
  expect(roster.learners.map((l) => l.provisioning.state)).toEqual(['archived', 'archived', 'archived', 'archived']);
  expect(JSON.parse(readFileSync(join(dir, 'provisioning-log.json'), 'utf8')).entries.length).toBeGreaterThan(20);
});

test("a failure in a team room is each member's failure, naming the room", () => {
  const r = courseRoster({ learners: 2, teamSize: 2 });
  const s = only(synthAt(r, T.teamOpens));
  const plan = planOf(s.config, []);
  const stream = applyStreamOf(plan, T.teamOpens)
    .split('\n')
    .filter(
      (l) => !(l.includes('"apply_complete"') && l.includes('github_repository_collaborators.a3-project--team-1')),
    )
    .join('\n');
  const errored =
    stream +
    JSON.stringify({
      '@level': 'error',
      '@timestamp': T.teamOpens,
      type: 'diagnostic',
      diagnostic: {
        severity: 'error',
        summary:
          'PUT https://api.github.com/repos/acme-school/web-101-a3-project-team-1/collaborators/l2: 404 Not Found []',
        detail: '',
        address: 'github_repository_collaborators.a3-project--team-1',
      },
    }) +
    '\n';
  const report = classifyOutcomes({
    plan: parsePlanJson(JSON.stringify(plan), 'p').plan,
    stream: parseTerraformStream(errored),
    index: s.index,
  });
  const byLearner = Object.fromEntries(report.outcomes.map((o) => [o.github_handle, o]));
  for (const h of ['l1', 'l2']) {
    expect(byLearner[h].outcome).toBe('failed');
    expect(byLearner[h].detail).toMatch(
      /^room web-101-a3-project-team-1: collaborators: PUT \/repos\/acme-school\/web-101-a3-project-team-1\/collaborators\/l2: 404 Not Found/,
    );
  }
});
