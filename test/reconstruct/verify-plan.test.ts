import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeImportsFiles } from '../../contracts/import-entries';
import { verifyAdoptionPlan } from '../../reconstruct/verify-plan';
import { parsePlanJson } from '../../contracts/terraform-plan';
import type { ImportsFile } from '../../contracts/import-entries';
import { collaboratorAddress, fileAddress, repositoryAddress } from '../../contracts/room-addresses';
import { cli } from '../helpers/cli';

const F = 'a.md';
const file: ImportsFile = {
  format_version: 1,
  cohort_id: 'c1',
  owner: 'org',
  generated_at: '2026-11-25T20:00:00.000Z',
  imports: [
    { cohort_id: 'c1', github_handle: 'bob', address: repositoryAddress('bob'), id: 'c1-bob' },
    { cohort_id: 'c1', github_handle: 'bob', address: collaboratorAddress('bob'), id: 'c1-bob:bob' },
  ],
  learners: [
    {
      cohort_id: 'c1',
      github_handle: 'bob',
      repository: 'c1-bob',
      outcome: 'partly-adopted',
      imported: [repositoryAddress('bob'), collaboratorAddress('bob')],
      missing: [fileAddress('bob', F)],
      notes: [],
    },
    {
      cohort_id: 'c1',
      github_handle: 'cy',
      repository: 'c1-cy',
      outcome: 'to-create',
      imported: [],
      missing: [repositoryAddress('cy'), collaboratorAddress('cy'), fileAddress('cy', F)],
      notes: [],
    },
  ],
};

/** A resource change as `terraform show -json` writes it (shape checked with Terraform 1.11). */
const rc = (address: string, actions: string[], importing?: string) => ({
  address,
  mode: 'managed',
  change: { actions, ...(importing ? { importing: { id: importing } } : {}) },
});

/** A plan document as written to plan.json; the check reads it as every reader does (parsePlanJson). */
interface PlanDocument {
  format_version: string;
  resource_changes: ReturnType<typeof rc>[];
}
const read = (doc: PlanDocument) => parsePlanJson(JSON.stringify(doc)).plan;

const goodPlan = (): PlanDocument => ({
  format_version: '1.2',
  resource_changes: [
    rc(repositoryAddress('bob'), ['update'], 'c1-bob'),
    rc(collaboratorAddress('bob'), ['no-op'], 'c1-bob:bob'),
    rc(fileAddress('bob', F), ['create']),
    rc(repositoryAddress('cy'), ['create']),
    rc(collaboratorAddress('cy'), ['create']),
    rc(fileAddress('cy', F), ['create']),
  ],
});

describe('verifyAdoptionPlan', () => {
  it('accepts a plan that imports every entry and creates only what was missing', () => {
    expect(verifyAdoptionPlan(read(goodPlan()), file)).toEqual({
      imported: 2,
      expectedCreations: 4,
      updatedInPlace: 1,
      problems: [],
    });
  });

  it('refuses a replaced adopted resource, a wrong id, a missing import and an unexpected creation', () => {
    const plan = goodPlan();
    plan.resource_changes[0] = rc(repositoryAddress('bob'), ['update'], 'c1-BOB-other');
    plan.resource_changes[1] = rc(collaboratorAddress('bob'), ['delete', 'create'], 'c1-bob:bob');
    plan.resource_changes.push(
      rc(repositoryAddress('dee'), ['create']),
      rc('github_repository.not-a-room', ['create']),
    );
    expect(verifyAdoptionPlan(read(plan), file).problems).toEqual([
      `${repositoryAddress('bob')} (bob): the plan imports "c1-BOB-other", the entry says "c1-bob"`,
      `${collaboratorAddress('bob')} (bob): the plan destroys and re-creates (replaces) an adopted resource`,
      `${repositoryAddress('dee')}: the plan creates it, but reconstruct did not report it missing (the roster or GitHub changed since; run reconstruct again)`,
    ]);
    const without = { ...goodPlan(), resource_changes: goodPlan().resource_changes.slice(1) };
    expect(verifyAdoptionPlan(read(without), file).problems).toEqual([
      expect.stringMatching(/^github_repository.learner-bob \(bob\): not in the plan/),
    ]);
  });

  it('refuses a creation instead of an import, and any destruction of a room resource', () => {
    const plan = goodPlan();
    plan.resource_changes[0] = rc(repositoryAddress('bob'), ['create']);
    plan.resource_changes.push(rc(fileAddress('zed', F), ['delete']));
    expect(verifyAdoptionPlan(read(plan), file).problems).toEqual([
      `${repositoryAddress('bob')} (bob): the plan creates it instead of importing c1-bob`,
      `${fileAddress('zed', F)}: the plan destroys a learning room resource`,
    ]);
  });

  it('accepts the next plan, once the adopted resources are in state', () => {
    const plan = {
      format_version: '1.2',
      resource_changes: [rc(repositoryAddress('bob'), ['no-op']), rc(collaboratorAddress('bob'), ['no-op'])],
    };
    expect(verifyAdoptionPlan(read(plan), file)).toEqual({
      imported: 0,
      expectedCreations: 0,
      updatedInPlace: 0,
      problems: [],
    });
  });
});

describe('learning-rooms reconstruct --verify-plan', () => {
  const setup = (plan: PlanDocument) => {
    const cwd = mkdtempSync(join(tmpdir(), 'verify-'));
    writeImportsFiles(
      join(cwd, 'imports'),
      'org',
      [{ cohort_id: 'c1', imports: file.imports, learners: file.learners }],
      file.generated_at,
    );
    writeFileSync(join(cwd, 'plan.json'), JSON.stringify(plan));
    return cwd;
  };
  it('passes a good plan and refuses a bad one, without GitHub access', async () => {
    const ok = await cli(['reconstruct', '--verify-plan', 'plan.json', '--cohort', 'c1'], { cwd: setup(goodPlan()) });
    expect(ok).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'cohort c1: 2 imported, 4 created as reported missing, 1 updated in place: the plan adopts every existing resource and destroys nothing\n',
    });
    const bad = await cli(['reconstruct', '--verify-plan', 'plan.json', '--cohort', 'c1'], {
      cwd: setup({ format_version: '1.2', resource_changes: [] }),
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/refused: 2 problems; do not apply this plan/);
  });
  it('refuses a document that is not a plan, as every plan reader does', async () => {
    const cwd = setup(goodPlan());
    writeFileSync(join(cwd, 'plan.json'), '{"resource_changes": []}');
    const res = await cli(['reconstruct', '--verify-plan', 'plan.json', '--cohort', 'c1'], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /--verify-plan: expected `terraform show -json tfplan` output in plan.json \(plan.json: expected a Terraform plan document/,
    );
  });
  it('needs exactly one cohort', async () => {
    const res = await cli(['reconstruct', '--verify-plan', 'plan.json'], { cwd: setup(goodPlan()) });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/needs exactly one --cohort/);
  });
});
