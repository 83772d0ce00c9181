import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlanJson, parseTerraformStream, readTerraformStreamFile } from '../../contracts/terraform-plan';
import { FIXTURES, fixtureStream, fixtureText } from '../provisioning/fixtures';

describe('plan reader', () => {
  test('reads flags, changes, drift and the prior state', () => {
    const { plan, problems } = parsePlanJson(fixtureText('07-plan-drift.json'));
    expect(problems).toEqual([]);
    expect(plan).toMatchObject({
      format_version: '1.2',
      terraform_version: '1.11.4',
      errored: false,
      complete: true,
      applyable: true,
    });
    expect(plan.resource_changes).toHaveLength(12);
    expect(plan.resource_drift.map((d) => [d.address, d.change.actions])).toEqual([
      ['github_repository_collaborator.learner-bob_collaborator_4F31F64A', ['delete']],
      ['github_repository_file.learner-bob_workflow-progress_C1B7E652', ['delete']],
    ]);
    expect(plan.prior_state.get('github_repository.learner-alice_repository_0740594A')?.archive_on_destroy).toBe(true);
  });

  test('the errored plan of 12 is read as errored and incomplete', () => {
    const { plan } = parsePlanJson(fixtureText('12-plan-429.errored-plan.json'));
    expect([plan.errored, plan.complete, plan.applyable, plan.resource_changes.length]).toEqual([
      true,
      false,
      false,
      8,
    ]);
  });

  test('what is not a plan is refused with what was expected', () => {
    expect(() => parsePlanJson(fixtureText('03-state.json'), 'state.json')).toThrow(
      'state.json: this is a state document',
    );
    expect(() => parsePlanJson('{"format_version":"2.0"}', 'p')).toThrow(
      'p: plan format_version 2.0 is not supported; expected 1.x',
    );
    expect(() => parsePlanJson('{', 'p')).toThrow(/^p: not JSON/);
    const { problems } = parsePlanJson(
      '{"format_version":"1.2","resource_changes":[{"address":"x"}],"resource_drift":{}}',
      'p',
    );
    expect(problems.map((p) => p.message)).toEqual([
      'p: resource_changes[0]: expected an object with "address" and "change.actions"',
      'p: "resource_drift" should be an array',
    ]);
  });
});

describe('stream reader', () => {
  test('joins the apply_errored of 02 and its late diagnostic by address; no change summary', () => {
    const s = fixtureStream('02-apply-create.jsonl');
    const carol = s.resources.get('github_repository.learner-carol_repository_81D3B336');
    expect(carol).toMatchObject({ started: true, errored: true, completed: false, planned: { action: 'create' } });
    expect(s.resources.get('github_repository_collaborator.learner-carol_collaborator_E18EF252')).toMatchObject({
      started: false,
      planned: { action: 'create' },
    });
    expect(s.diagnostics.map((d) => [d.severity, d.address ?? null])).toEqual([
      ['warning', null],
      ['error', 'github_repository.learner-carol_repository_81D3B336'],
    ]);
    expect(s.changeSummary).toBeUndefined();
    expect(s.startedAt).toBe('2026-11-25T20:16:08.002175Z');
    expect(s.terraformVersion).toBe('1.11.4');
    expect(fixtureStream('05-apply-retry.jsonl').changeSummary).toEqual({
      add: 4,
      change: 0,
      remove: 0,
      operation: 'apply',
    });
  });

  test('the chunked file reader gives what the text reader gives, across chunk edges and multi-byte text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stream-'));
    try {
      expect(readTerraformStreamFile(join(FIXTURES, '02-apply-create.jsonl'))).toEqual({
        ...fixtureStream('02-apply-create.jsonl'),
        problems: expect.any(Array),
      });
      // > 1 MiB of lines with "é" everywhere, so chunk boundaries fall inside lines and characters.
      const lines: string[] = [];
      for (let i = 0; i < 9000; i++) {
        lines.push(
          JSON.stringify({
            type: 'diagnostic',
            diagnostic: { severity: 'warning', summary: `é${'é'.repeat(i % 97)} ${i}`, detail: '' },
          }),
        );
      }
      const text = lines.join('\n') + '\n{"type":"planned_ch';
      writeFileSync(join(dir, 's.jsonl'), text);
      const fromFile = readTerraformStreamFile(join(dir, 's.jsonl'));
      const fromText = parseTerraformStream(text, join(dir, 's.jsonl'));
      expect(fromFile).toEqual(fromText);
      expect(fromFile.diagnostics).toHaveLength(9000);
      expect(fromFile.problems.map((p) => p.line)).toEqual([9001]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
