/**
 * Real Terraform output (not hand-written): `terraform_data` resources stand in for a learner's
 * repository, collaborator and file; failing `local-exec` provisioners give real error
 * diagnostics. Committed outputs come from scripts/terraform-data-runs.sh; when a Terraform binary
 * is on this machine, the script is also run afresh and must give the same outcomes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyOutcomes } from '../../provisioning/outcomes';
import { learnerPlanChanges } from '../../provisioning/plan-changes';
import { parseLearnerIndex } from '../../contracts/learner-index';
import { parsePlanJson, parseTerraformStream } from '../../contracts/terraform-plan';

const COMMITTED = join(__dirname, '..', 'fixtures', 'terraform-data');

function outcomes(dir: string, step: string) {
  const text = (name: string) => readFileSync(join(dir, `${step}-${name}`), 'utf8');
  const plan = parsePlanJson(text('plan.json')).plan;
  const index = parseLearnerIndex(text('learners.json'));
  const report = classifyOutcomes({ plan, stream: parseTerraformStream(text('apply.jsonl')), index });
  return { report, plan: learnerPlanChanges(plan, index) };
}
const brief = (dir: string, step: string) =>
  outcomes(dir, step).report.outcomes.map((o) => `${o.github_handle} ${o.outcome}${o.cause ? ` ${o.cause}` : ''}`);

const EXPECTED: Record<string, string[]> = {
  '01': ['alice created', 'carol failed name-clash', 'dave failed permission'],
  '02': ['alice already-exists', 'carol created', 'dave healed'],
  '03': ['alice healed', 'carol archived', 'dave already-exists'],
};

describe('committed terraform_data runs', () => {
  test.each(Object.keys(EXPECTED))('step %s', (step) => {
    expect(brief(COMMITTED, step)).toEqual(EXPECTED[step]);
  });

  test('01: a failure in the repository leaves its dependents unattempted; a failed collaborator keeps what was done', () => {
    const [, carol, dave] = outcomes(COMMITTED, '01').report.outcomes;
    expect(carol.detail).toMatch(
      /^repository: local-exec provisioner error: Error running command .*POST \/repos\/acme\/tmpl\/generate\?access_token=\[removed\]: 422 /,
    );
    expect(carol.detail).toMatch(/; 2 dependents not attempted$/);
    expect(carol.detail).not.toContain('dummy-secret-value');
    expect(dave.detail).toMatch(
      /^collaborator: local-exec provisioner error: .*403 Must have admin rights to Repository\. \[\].* \(done before it: repository created, file \.github\/workflows\/ack\.yml created\)$/,
    );
  });

  test('02: a tainted repository re-created is a provision; a tainted collaborator replaced is a heal', () => {
    const plan = outcomes(COMMITTED, '02').plan;
    expect(plan.map((c) => [c.github_handle, c.action])).toEqual([
      ['alice', 'no-change'],
      ['carol', 'provision'],
      ['dave', 'update'],
    ]);
    expect(plan[1].resources[0]).toEqual({
      address: 'terraform_data.learner-carol',
      actions: ['delete', 'create'],
      reason: 'replace_because_tainted',
    });
    expect(outcomes(COMMITTED, '02').report.outcomes[2].detail).toBe('updated: collaborator replaced');
  });

  test('03: archived as synthesis does it: the repository destroyed, its collaborator and file forgotten (no apply hooks)', () => {
    const { report, plan } = outcomes(COMMITTED, '03');
    expect(plan.find((c) => c.github_handle === 'carol')?.resources.map((r) => r.actions.join())).toEqual([
      'delete',
      'forget',
      'forget',
    ]);
    expect(report.outcomes[1]).toMatchObject({
      github_handle: 'carol',
      outcome: 'archived',
      detail: 'repository removed: no longer in the configuration',
    });
  });

  test('the recorded exit codes match: a half-failed apply exits 1', () => {
    expect(readFileSync(join(COMMITTED, 'exit-codes.txt'), 'utf8')).toBe('01 apply 1\n02 apply 0\n03 apply 0\n');
  });
});

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
const live = terraform.status === 0 ? describe : describe.skip;

live('terraform_data runs generated now with the Terraform on this machine', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tfdata-'));
    execFileSync('bash', [join(__dirname, '..', '..', 'scripts', 'terraform-data-runs.sh'), dir], {
      stdio: 'pipe',
      timeout: 60000,
    });
  }, 60000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(Object.keys(EXPECTED))('step %s gives the same outcomes as the committed run', (step) => {
    expect(brief(dir, step)).toEqual(EXPECTED[step]);
  });
});
