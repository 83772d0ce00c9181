/**
 * The rehearsal's step plan (rehearsal/workflow-steps.ts) against the workflow files themselves:
 * the admin repository's callers and the reusable workflows they call. If a workflow gains,
 * loses or reorders a command, a script or a Terraform call, or moves the App credentials to
 * another step, these tests fail until the rehearsal does the same.
 */
import { parse } from 'yaml';
import {
  APPLY_PHASE,
  courseSteps,
  PLAN_PHASE,
  PROGRESS_PHASE,
  rehearsalPhases,
  runsFor,
  WATCHDOG_PHASE,
  type Run,
  type WorkflowJob,
} from '../../rehearsal/workflow-steps';
import { byKey, CALLER_PREFIX } from '../gitops/workflow-pair';

interface YamlStep {
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface YamlJob {
  uses?: string;
  environment?: string;
  steps?: YamlStep[];
}

const jobsOf = (key: string): Record<string, YamlJob> =>
  (parse(byKey(key).src) as { jobs: Record<string, YamlJob> }).jobs;

/**
 * The commands a `run:` makes, in order: `learning-rooms.js <command>`, a script of
 * .github/scripts (or its copy in $RUNNER_TEMP), `terraform <subcommand>`. Comments and `cp` of the
 * scripts are not runs.
 */
export function invocations(run: string): Run[] {
  const out: Run[] = [];
  const text = run.replace(/\\\n/g, ' ');
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line.startsWith('cp ')) continue;
    const re =
      /learning-rooms\.js"?\s+([a-z][a-z-]*)|(?:\.github\/scripts\/|\$RUNNER_TEMP\/)([a-z-]+\.sh)|(?:^|[\s;&|(])terraform\s+([a-z]+)/g;
    for (const m of line.matchAll(re)) {
      if (m[1]) out.push(`cli:${m[1]}`);
      else if (m[2]) out.push(`script:${m[2]}`);
      else out.push(`terraform:${m[3]}`);
    }
  }
  return out;
}

const planJobs: WorkflowJob[] = [
  ...new Set([PLAN_PHASE, APPLY_PHASE, PROGRESS_PHASE, WATCHDOG_PHASE].flatMap((p) => p.jobs.flatMap((j) => j.jobs))),
];

test('the extraction reads what a run holds', () => {
  expect(
    invocations(
      [
        '# terraform apply in a comment is not a run',
        'node "$TOOL_DIR/bin/learning-rooms.js" prepare-stack --dir "$STACK_DIR" \\',
        '  --out-dir x',
        '"$TOOL_DIR/.github/scripts/restore-state.sh" "$STACK"',
        'cp "$TOOL_DIR/.github/scripts/commit-back.sh" "$RUNNER_TEMP/"',
        'bash "$RUNNER_TEMP/commit-back.sh" m -- bash "$RUNNER_TEMP/record-stack.sh" r',
        'terraform init -input=false; "$TOOL_DIR/.github/scripts/terraform-plan.sh" -lock=false',
      ].join('\n'),
    ),
  ).toEqual([
    'cli:prepare-stack',
    'script:restore-state.sh',
    'script:commit-back.sh',
    'script:record-stack.sh',
    'terraform:init',
    'script:terraform-plan.sh',
  ]);
});

describe.each(planJobs.map((j) => [`${j.workflow} job ${j.job}`, j] as const))('%s', (_, job) => {
  const yamlJob = jobsOf(job.workflow)[job.job];
  const yamlSteps = yamlJob.steps ?? [];

  test('the steps that run commands, scripts or Terraform are the rehearsal’s, in the same order, with the same runs', () => {
    const fromYaml = yamlSteps
      .map((s) => ({ name: s.name ?? s.run, runs: invocations(s.run ?? '') }))
      .filter((s) => s.runs.length > 0);
    const fromPlan = job.steps
      .map((s) => ({ name: s.name, runs: s.runs.map((r) => r.run) }))
      .filter((s) => s.runs.length > 0);
    expect(fromPlan).toEqual(fromYaml);
  });

  test('every step of the plan is a step of the workflow, in the workflow’s order', () => {
    const names = yamlSteps.map((s) => s.name);
    const at = job.steps.map((s) => names.indexOf(s.name));
    expect(job.steps.filter((_s, i) => at[i] < 0).map((s) => s.name)).toEqual([]);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  test('App credentials go to exactly the steps the workflow gives them to, from the App its environment holds', () => {
    const app = yamlJob.environment === 'learning-rooms-apply' ? 'provisioning' : 'read-only';
    const withKey = yamlSteps.filter((s) => s.env?.GITHUB_APP_PEM_FILE !== undefined).map((s) => s.name);
    expect(job.steps.filter((s) => s.credentials).map((s) => s.name)).toEqual(withKey);
    for (const s of job.steps.filter((x) => x.credentials))
      expect({ step: s.name, app: s.credentials }).toEqual({ step: s.name, app });
  });
});

describe.each([PLAN_PHASE, APPLY_PHASE, PROGRESS_PHASE, WATCHDOG_PHASE].map((p) => [p.caller, p] as const))(
  'the admin repository’s %s',
  (_, phase) => {
    test('its jobs, in order, call the reusable workflows the rehearsal runs', () => {
      const jobs = jobsOf(`${CALLER_PREFIX}${phase.caller}`);
      const fromYaml = Object.entries(jobs).map(([id, j]) => ({
        id,
        uses: /\/([\w.-]+\.yml)@/.exec(j.uses ?? '')?.[1],
      }));
      expect(phase.jobs.map((j) => ({ id: j.id, uses: j.uses }))).toEqual(fromYaml);
    });

    test('each called workflow’s jobs are the rehearsal’s, in the order of their needs', () => {
      for (const j of phase.jobs.filter((x) => !x.skipped)) {
        const keys = Object.keys(jobsOf(j.uses));
        expect({ uses: j.uses, jobs: j.jobs.map((x) => x.job) }).toEqual({ uses: j.uses, jobs: keys });
      }
    });
  },
);

test('the watchdog heals with apply-stacks.yml re-sending expired invitations, as its caller says', () => {
  const heal = jobsOf(`${CALLER_PREFIX}watchdog.yml`).heal as YamlJob & { with: Record<string, unknown> };
  expect(heal.with.resend_expired_invitations).toBe(true);
  expect(WATCHDOG_PHASE.jobs.find((j) => j.id === 'heal')?.with?.resendExpired).toBe(true);
  const plan = APPLY_PHASE.jobs[2].jobs[0].steps.find((s) => s.id === 'plan')!;
  expect(runsFor(plan, new Set())).toEqual(['script:terraform-plan.sh']);
  expect(runsFor(plan, new Set(['resend-expired']))).toEqual(['cli:expired-invitations', 'script:terraform-plan.sh']);
});

test('the synth job’s scope is the caller’s', () => {
  const scope = (caller: string) =>
    (jobsOf(`${CALLER_PREFIX}${caller}`).synth as YamlJob & { with: Record<string, unknown> }).with.scope ?? 'all';
  expect(APPLY_PHASE.jobs.find((j) => j.id === 'synth')?.with?.scope).toBe(scope('apply.yml'));
  expect(WATCHDOG_PHASE.jobs.find((j) => j.id === 'synth')?.with?.scope).toBe(scope('watchdog.yml'));
});

test('with --simulate the learners’ work is read by Progress before the Watchdog looks, and a last Progress reports the heal', () => {
  expect(rehearsalPhases(false).map((p) => p.id)).toEqual(['apply', 'progress']);
  expect(rehearsalPhases(true).map((p) => p.id)).toEqual(['apply', 'progress', 'watchdog', 'progress']);
});

test('the Plan workflow plans against the recorded state (refresh: false), as its caller says', () => {
  const plan = jobsOf(`${CALLER_PREFIX}plan.yml`).plan as YamlJob & { with: Record<string, unknown> };
  expect(plan.with.refresh).toBe(false);
  expect(PLAN_PHASE.jobs.find((j) => j.id === 'plan')?.with?.refresh).toBe(false);
});

test('a course (--at): at each instant the plan comment before the Apply, Progress after the last', () => {
  expect(courseSteps(['T1', 'T2']).map((s) => `${s.phase.id}@${s.at}`)).toEqual([
    'plan@T1',
    'apply@T1',
    'plan@T2',
    'apply@T2',
    'progress@T2',
  ]);
  expect(courseSteps([]).map((s) => [s.phase.id, s.at])).toEqual([
    ['apply', undefined],
    ['progress', undefined],
  ]);
});

test('a course with --simulate: after the last Apply, the single rooms’ Progress, Watchdog and last Progress, at the last instant', () => {
  expect(courseSteps(['T1', 'T2'], true).map((s) => `${s.phase.id}@${s.at}`)).toEqual([
    'plan@T1',
    'apply@T1',
    'plan@T2',
    'apply@T2',
    'progress@T2',
    'watchdog@T2',
    'progress@T2',
  ]);
  expect(
    courseSteps(['T1'], true)
      .slice(1)
      .map((s) => s.phase),
  ).toEqual(rehearsalPhases(true));
});
