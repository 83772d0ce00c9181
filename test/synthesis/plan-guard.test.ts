import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeRoster } from '../../roster';
import type { LearnerIndex, LearnerIndexEntry } from '../../contracts/learner-index';
import {
  planArchivesRosterLearner,
  plannedArchives,
  wantedFromIndex,
  wantedFromRoster,
} from '../../synthesis/plan-guard';
import { parsePlanJson, type PlanResourceChanges } from '../../contracts/terraform-plan';
import { cli } from '../helpers/cli';
import { learner, roster } from '../../test-kit/rosters';

const FIXTURES = join(__dirname, '..', 'fixtures', 'terraform');
/** Recorded plan: carol's four resources deleted (her repository archived), alice and bob untouched. */
const removePlan = parsePlanJson(readFileSync(join(FIXTURES, '09-plan-remove.json'), 'utf8')).plan;
const noChangePlan = parsePlanJson(readFileSync(join(FIXTURES, '06-plan-nochange.json'), 'utf8')).plan;

const entry = (handle: string, extra: Partial<LearnerIndexEntry> = {}): LearnerIndexEntry => ({
  github_handle: handle,
  cohort_id: '2026-spring',
  repository: `2026-spring-${handle}`,
  admitted: true,
  addresses: {
    repository: `github_repository.learner-${handle}`,
    collaborator: `github_repository_collaborator.learner-${handle}`,
    files: {},
  },
  ...extra,
});
const indexOf = (learners: LearnerIndexEntry[]): LearnerIndex => ({
  format_version: 1,
  cohort_id: '2026-spring',
  stack: '2026-spring',
  owner: 'acme',
  learners,
});

/** A plan archiving learners by our address scheme. */
const schemePlan = (deleted: string[], kept: string[]): PlanResourceChanges & { format_version: string } => ({
  format_version: '1.2',
  resource_changes: [
    ...deleted.map((h) => ({
      address: `github_repository.learner-${h}`,
      type: 'github_repository',
      mode: 'managed',
      change: { actions: ['delete'], before: { name: `c1-${h}` }, after: null },
    })),
    ...kept.map((h) => ({
      address: `github_repository.learner-${h}`,
      type: 'github_repository',
      mode: 'managed',
      change: { actions: ['no-op'], before: { name: `c1-${h}` }, after: { name: `c1-${h}` } },
    })),
  ],
});

describe('planArchivesRosterLearner', () => {
  it('refuses the recorded plan that archives carol while the index still lists her (matched by repository name)', () => {
    const refusals = planArchivesRosterLearner(
      removePlan,
      wantedFromIndex(
        indexOf([entry('alice'), entry('bob'), entry('carol', { admitted: false, queued_reason: 'queued: budget' })]),
      ),
    );
    expect(refusals).toEqual([
      {
        github_handle: 'carol',
        cohort_id: '2026-spring',
        address: 'github_repository.learner-carol_repository_81D3B336',
        actions: ['delete'],
      },
    ]);
  });

  it('accepts it when carol left the roster or was archived on purpose', () => {
    expect(planArchivesRosterLearner(removePlan, wantedFromIndex(indexOf([entry('alice'), entry('bob')])))).toEqual([]);
    const withdrawn = entry('carol', {
      admitted: false,
      archived: true,
      queued_reason: 'provisioning.state is "archived"',
    });
    expect(planArchivesRosterLearner(removePlan, wantedFromIndex(indexOf([entry('alice'), withdrawn])))).toEqual([]);
  });

  it('matches by address handle (case-insensitively) and treats a replacement as an archive', () => {
    const plan: PlanResourceChanges = {
      resource_changes: [
        {
          address: 'github_repository.learner-alice',
          type: 'github_repository',
          change: { actions: ['delete', 'create'], before: { name: 'renamed' }, after: { name: 'renamed' } },
        },
      ],
    };
    const r = roster([learner('Alice')]);
    expect(planArchivesRosterLearner(plan, wantedFromRoster(r, undefined, '{cohort}-{handle}'))).toHaveLength(1);
    expect(planArchivesRosterLearner(noChangePlan, wantedFromRoster(r, undefined, '{cohort}-{handle}'))).toEqual([]);
  });

  it('counts archived and existing repositories for the share guard', () => {
    expect(plannedArchives(removePlan)).toEqual({ archived: ['2026-spring-carol'], existing: 3, confirmed: 0 });
    expect(plannedArchives(schemePlan(['a', 'b'], ['c']))).toEqual({ archived: ['a', 'b'], existing: 3, confirmed: 0 });
  });
});

describe('learning-rooms check-plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lr-check-plan-'));
  const write = (name: string, value: unknown) => {
    writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
    return name;
  };

  it('exits 1 naming the learner still in the roster', async () => {
    const res = await cli(
      [
        'check-plan',
        '--plan',
        join(FIXTURES, '09-plan-remove.json'),
        '--index',
        write('idx.json', indexOf([entry('alice'), entry('bob'), entry('carol')])),
      ],
      { cwd: dir },
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /^learner "carol" \(cohort 2026-spring\) is still in the roster, but the plan would delete github_repository\.learner-carol_repository_81D3B336 \(archive the room\)$/m,
    );
    expect(res.stderr).toMatch(/check-plan: refused .*09-plan-remove\.json; do not apply it/);
  });

  it('exits 0 for a plan that archives only learners who left', async () => {
    const res = await cli(
      [
        'check-plan',
        '--plan',
        join(FIXTURES, '09-plan-remove.json'),
        '--index',
        write('idx2.json', indexOf([entry('alice'), entry('bob')])),
      ],
      { cwd: dir },
    );
    expect(res.stdout).toBe(`check-plan: ${join(FIXTURES, '09-plan-remove.json')} is safe (1 room archived of 3)\n`);
    expect(res.code).toBe(0);
  });

  it('checks against a roster too, and applies the removal guard share', async () => {
    const r = roster(['k1', 'k2', 'k3'].map((h) => learner(h)));
    const rosterFile = write('roster.json', serializeRoster(r));
    const plan = write('mass.json', schemePlan(['g1', 'g2'], ['k1', 'k2', 'k3']));
    const refused = await cli(['check-plan', '--plan', plan, '--roster', rosterFile, '--cohort', 'c1'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cohort c1: 2 of 5 rooms \(40%\) would be archived \(g1, g2\)/);
    const allowed = await cli(
      ['check-plan', '--plan', plan, '--roster', rosterFile, '--cohort', 'c1', '--allow-mass-archive'],
      { cwd: dir },
    );
    expect(allowed.code).toBe(0);
    const wanted = await cli(
      ['check-plan', '--plan', write('k.json', schemePlan(['k1'], ['k2'])), '--roster', rosterFile],
      { cwd: dir },
    );
    expect(wanted.code).toBe(1);
    expect(wanted.stderr).toMatch(/learner "k1" \(cohort c1\) is still in the roster/);
  });

  it('fails closed on a document that is not a plan, or a change it cannot read', async () => {
    const idx = write('idx3.json', indexOf([entry('alice')]));
    const notPlan = await cli(['check-plan', '--plan', write('empty-object.json', {}), '--index', idx], { cwd: dir });
    expect(notPlan.code).toBe(2);
    expect(notPlan.stderr).toMatch(/empty-object\.json: expected a Terraform plan document/);
    const state = await cli(
      ['check-plan', '--plan', write('state.json', { format_version: '1.0', values: {} }), '--index', idx],
      { cwd: dir },
    );
    expect(state.code).toBe(2);
    expect(state.stderr).toMatch(/state document/);
    const broken = {
      format_version: '1.2',
      resource_changes: [{ address: 'github_repository.learner-alice', type: 'github_repository' }],
    };
    const unreadable = await cli(['check-plan', '--plan', write('broken.json', broken), '--index', idx], { cwd: dir });
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toMatch(/resource_changes\[0\]: expected an object with "address" and "change.actions"/);
    expect(unreadable.stdout).toBe('');
  });

  it('names the problem of an index that is not one, without a crash', async () => {
    const res = await cli(
      ['check-plan', '--plan', join(FIXTURES, '06-plan-nochange.json'), '--index', write('null.json', 'null')],
      { cwd: dir },
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/null\.json: expected a learner index object/);
  });

  it("judges a person in two cohorts by the plan's cohort: withdrawn from c1, still learning in c2", async () => {
    const r = roster(
      [learner('alice', 'c1', { provisioning: { state: 'archived' } }), learner('bob', 'c1'), learner('alice', 'c2')],
      ['c1', 'c2'],
    );
    const rosterFile = write('two-cohorts.json', serializeRoster(r));
    const plan = write('withdraw.json', schemePlan(['alice'], ['bob']));
    const c1 = await cli(['check-plan', '--plan', plan, '--roster', rosterFile, '--cohort', 'c1'], { cwd: dir });
    expect(c1.stderr).toBe('');
    expect(c1.code).toBe(0);
    const c2 = await cli(['check-plan', '--plan', plan, '--roster', rosterFile, '--cohort', 'c2'], { cwd: dir });
    expect(c2.code).toBe(1);
    const unsaid = await cli(['check-plan', '--plan', plan, '--roster', rosterFile], { cwd: dir });
    expect(unsaid.code).toBe(2);
    expect(unsaid.stderr).toMatch(/give --cohort: a plan is one cohort's and two-cohorts\.json has 2 \(c1, c2\)/);
  });

  it('is a usage error without --plan or with both --index and --roster', async () => {
    expect((await cli(['check-plan', '--index', 'x'], { cwd: dir })).code).toBe(2);
    expect((await cli(['check-plan', '--plan', 'p', '--index', 'x', '--roster', 'y'], { cwd: dir })).code).toBe(2);
  });
});
