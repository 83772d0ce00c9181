/**
 * The rehearsal's step plan, the one place it is written: which workflows of the admin repository
 * run in which order, and inside each reusable workflow's job, the steps that run our commands and
 * scripts, named as the workflow names them. The runner (run.ts) executes exactly these, in this
 * order; test/rehearsal/workflow-steps.test.ts reads the workflow files and holds this plan to them,
 * so the rehearsal and the workflows cannot drift apart.
 */

/** One command a workflow step runs: `learning-rooms <cli>`, `.github/scripts/<script>` or `terraform <sub>`. */
export type Run = `cli:${string}` | `script:${string}` | `terraform:${string}`;

/** A run that only some executions of the step make (the workflow's `if` inside its `run:`). */
export type RunCondition =
  /** apply-stacks.yml with `resend_expired_invitations` (the watchdog's heal). */
  | 'resend-expired'
  /** synth.yml with a pull request's data artifact: never in a rehearsal. */
  | 'pull-request';

export interface PlannedRun {
  run: Run;
  when?: RunCondition;
}

/** Which App's credentials the step gets (docs/gitops.md, "Permissions and secrets, job by job"). */
export type Credentials = 'provisioning' | 'read-only';

export interface WorkflowStep {
  id: string;
  /** The step's `name:` in the workflow file, exactly. */
  name: string;
  /** Every command of the step's `run:`, in order, as the workflow file has them. */
  runs: readonly PlannedRun[];
  credentials?: Credentials;
  /** Why the rehearsal does not run it (it needs GitHub itself: an issue, a token, a run list). */
  skipped?: string;
}

export interface WorkflowJob {
  /** The reusable workflow, `.github/workflows/<file>`. */
  workflow: string;
  /** The job's key in that file. */
  job: string;
  /** A matrix job: it runs once per stack. */
  perStack: boolean;
  steps: readonly WorkflowStep[];
}

/** A job of an admin repository's workflow (templates/admin-repository/.github/workflows/<file>). */
export interface CallerJob {
  /** The job's key in the caller. */
  id: string;
  /** The reusable workflow it calls. */
  uses: string;
  /** The reusable workflow's jobs, in the order they run. */
  jobs: readonly WorkflowJob[];
  /** Why the rehearsal does not run it. */
  skipped?: string;
  /** The inputs that change what its steps do. */
  with?: { scope?: 'apply' | 'all'; resendExpired?: boolean; refresh?: boolean };
}

export type PhaseId = 'plan' | 'apply' | 'progress' | 'watchdog';

export interface Phase {
  id: PhaseId;
  /** The admin repository's workflow. */
  caller: string;
  jobs: readonly CallerJob[];
}

const step = (
  id: string,
  name: string,
  runs: (Run | PlannedRun)[],
  extra: Partial<WorkflowStep> = {},
): WorkflowStep => ({
  id,
  name,
  runs: runs.map((r) => (typeof r === 'string' ? { run: r } : r)),
  ...extra,
});

const LOAD_SETTINGS = 'Load the settings (config/gitops.json)';

export const SYNTH_STATE_JOB: WorkflowJob = {
  workflow: 'synth.yml',
  job: 'state',
  perStack: false,
  steps: [
    step('settings', LOAD_SETTINGS, ['cli:gitops-env']),
    step('state-input', "Fetch each cohort's state", ['script:state-input.sh']),
  ],
};

export const SYNTH_JOB: WorkflowJob = {
  workflow: 'synth.yml',
  job: 'synth',
  perStack: false,
  steps: [
    step('settings', 'Choose the data and load the settings', [
      { run: 'cli:gitops-env', when: 'pull-request' },
      'cli:gitops-env',
    ]),
    step('validate', 'Validate the roster', ['cli:validate']),
    step('synth', 'Synthesize', ['cli:synth']),
    step('scope', 'Choose the stacks to plan', ['script:scope.sh']),
  ],
};

/** How every per-stack job begins: the settings, the trusted folder Terraform runs in, its init. */
function stackFolderSteps(): WorkflowStep[] {
  return [
    step('settings', LOAD_SETTINGS, ['cli:gitops-env']),
    step('prepare', 'Check the stack and write the folder Terraform runs in', [
      'cli:prepare-stack',
      'script:restore-state.sh',
    ]),
    step('init', 'terraform init', ['terraform:init']),
  ];
}

/** Apply (after a merge, every 30 minutes) and the watchdog's heal: one stack's job. */
export const APPLY_STACK_JOB: WorkflowJob = {
  workflow: 'apply-stacks.yml',
  job: 'apply',
  perStack: true,
  steps: [
    ...stackFolderSteps(),
    step(
      'plan',
      'terraform plan',
      [{ run: 'cli:expired-invitations', when: 'resend-expired' }, 'script:terraform-plan.sh'],
      { credentials: 'provisioning' },
    ),
    step('check-plan', 'Refuse to archive a learner who is still in the roster', ['cli:check-plan']),
    step(
      'pending-invitations',
      "Set the pending invitations the plan changes to GitHub's documented permissions",
      ['cli:pending-invitations'],
      { credentials: 'provisioning' },
    ),
    step('apply', 'terraform apply', ['terraform:apply'], { credentials: 'provisioning' }),
    step('keep-records', "Keep the records' inputs outside the work tree", []),
    step('records-token', 'Token of the records App (contents of this repository only)', [], {
      skipped: 'the records are pushed to the rehearsal’s own git remote, which needs no token',
    }),
    step('record', 'Record the outcomes and commit them to main', ['script:commit-back.sh', 'script:record-stack.sh']),
    step('starter-code', 'Starter code of the cohort', ['cli:propose-update'], { credentials: 'provisioning' }),
    step('verdict', 'Fail when the plan or the apply failed', []),
  ],
};

/** The watchdog's refreshing plan of one stack, read-only. */
export const PLAN_STACK_JOB: WorkflowJob = {
  workflow: 'plan-stacks.yml',
  job: 'plan',
  perStack: true,
  steps: [
    ...stackFolderSteps(),
    step('plan', 'terraform plan', ['script:terraform-plan.sh'], { credentials: 'read-only' }),
    step('verdict', 'Fail when the plan failed', []),
  ],
};

export const FINGERPRINT_JOB: WorkflowJob = {
  workflow: 'fingerprint.yml',
  job: 'fingerprint',
  perStack: false,
  steps: [
    step('settings', LOAD_SETTINGS, ['cli:gitops-env']),
    step('fingerprint', 'Read every room in batched GraphQL and compare with the configuration', ['cli:fingerprint'], {
      credentials: 'read-only',
    }),
  ],
};

export const REPORT_JOB: WorkflowJob = {
  workflow: 'watchdog-report.yml',
  job: 'report',
  perStack: false,
  steps: [
    step('render', 'Render the report', ['cli:expired-invitations', 'cli:watchdog-report']),
    step('issue', 'Open, update or close the watchdog issue', ['script:watchdog-issue.sh'], {
      skipped: 'the admin issue lives on GitHub: its body is written to watchdog/report/watchdog-issue.md instead',
    }),
  ],
};

export const PROGRESS_JOB: WorkflowJob = {
  workflow: 'progress.yml',
  job: 'progress',
  perStack: false,
  steps: [
    step('settings', LOAD_SETTINGS, ['cli:gitops-env']),
    step('findings', "The watchdog's latest findings, for the dashboard", [], {
      skipped: 'no run list to download from: the rehearsal’s own watchdog findings are copied there',
    }),
    step('records-token', 'Token of the records App (contents of this repository only)', [], {
      skipped: 'the records are pushed to the rehearsal’s own git remote, which needs no token',
    }),
    step('progress', 'Read progress and commit it to main', ['script:commit-back.sh', 'script:progress-step.sh'], {
      credentials: 'read-only',
    }),
    step('verdict', 'Fail when some rooms could not be read or the dashboard not written', []),
  ],
};

/** The pull request's plan comment (plan-comment.yml), rendered from the stacks' plans. */
export const COMMENT_JOB: WorkflowJob = {
  workflow: 'plan-comment.yml',
  job: 'comment',
  perStack: false,
  steps: [
    step('render', 'Render the comment', ['cli:plan-comment']),
    step('post', 'Post or update the one plan comment', ['script:upsert-comment.sh'], {
      skipped: 'no pull request to comment on: the comment is printed and written to plan-comments/',
    }),
  ],
};

const SYNTH_JOBS = [SYNTH_STATE_JOB, SYNTH_JOB] as const;

/**
 * The plan comment before a course's step (rehearse --at): the admin repository's Plan workflow, of
 * main's roster at the instant rather than of a pull request's, so its synthesis plans every stack
 * (a pull request's scope compares its data with main's: here they are the same) against the
 * recorded state, as a pull request's plans do (refresh: false).
 */
export const PLAN_PHASE: Phase = {
  id: 'plan',
  caller: 'plan.yml',
  jobs: [
    {
      id: 'pull-request',
      uses: 'plan-pull-request.yml',
      jobs: [],
      skipped: 'no pull request: the rehearsal plans main’s roster at the instant',
    },
    { id: 'synth', uses: 'synth.yml', jobs: SYNTH_JOBS, with: { scope: 'all' } },
    { id: 'plan', uses: 'plan-stacks.yml', jobs: [PLAN_STACK_JOB], with: { refresh: false } },
    { id: 'comment', uses: 'plan-comment.yml', jobs: [COMMENT_JOB] },
  ],
};

export const APPLY_PHASE: Phase = {
  id: 'apply',
  caller: 'apply.yml',
  jobs: [
    {
      id: 'base',
      uses: 'last-apply.yml',
      jobs: [],
      skipped: 'no earlier apply to compare with (it asks GitHub for the run list): every stack is in scope',
    },
    { id: 'synth', uses: 'synth.yml', jobs: SYNTH_JOBS, with: { scope: 'apply' } },
    { id: 'apply', uses: 'apply-stacks.yml', jobs: [APPLY_STACK_JOB] },
  ],
};

export const PROGRESS_PHASE: Phase = {
  id: 'progress',
  caller: 'progress.yml',
  jobs: [{ id: 'progress', uses: 'progress.yml', jobs: [PROGRESS_JOB] }],
};

export const WATCHDOG_PHASE: Phase = {
  id: 'watchdog',
  caller: 'watchdog.yml',
  jobs: [
    { id: 'synth', uses: 'synth.yml', jobs: SYNTH_JOBS, with: { scope: 'all' } },
    { id: 'fingerprint', uses: 'fingerprint.yml', jobs: [FINGERPRINT_JOB] },
    { id: 'check', uses: 'plan-stacks.yml', jobs: [PLAN_STACK_JOB] },
    { id: 'report', uses: 'watchdog-report.yml', jobs: [REPORT_JOB] },
    { id: 'heal', uses: 'apply-stacks.yml', jobs: [APPLY_STACK_JOB], with: { resendExpired: true } },
  ],
};

/**
 * The whole rehearsal, in order. Without --simulate: the Apply, then the Progress that follows it.
 * With --simulate the learners play after the Apply, then Progress (which sees the expired
 * invitation), the Watchdog (fingerprint, plan, report, heal) and a last Progress for the report.
 */
export function rehearsalPhases(simulate: boolean): Phase[] {
  return simulate ? [APPLY_PHASE, PROGRESS_PHASE, WATCHDOG_PHASE, PROGRESS_PHASE] : [APPLY_PHASE, PROGRESS_PHASE];
}

/** One phase of a course's rehearsal and the instant it runs at (LEARNING_ROOMS_AT of its steps). */
export interface TimedPhase {
  phase: Phase;
  at?: string;
}

/**
 * A course's rehearsal (rehearse --at T1 --at T2 ...): at each instant, in order, the plan comment
 * (the Plan workflow) and then the Apply it describes; after the last, Progress. With --simulate
 * the learners play in the course's rooms after the last Apply, and the phases after it are those
 * of rehearsalPhases(true), at the last instant: Progress, the Watchdog, a last Progress.
 */
export function courseSteps(instants: readonly string[], simulate = false): TimedPhase[] {
  if (instants.length === 0) return rehearsalPhases(simulate).map((phase) => ({ phase }));
  const last = instants[instants.length - 1];
  return [
    ...instants.flatMap((at) => [
      { phase: PLAN_PHASE, at },
      { phase: APPLY_PHASE, at },
    ]),
    ...rehearsalPhases(simulate)
      .slice(1)
      .map((phase) => ({ phase, at: last })),
  ];
}

/** The runs a step makes in one execution: those without a condition, and those whose condition holds. */
export function runsFor(s: WorkflowStep, holds: ReadonlySet<RunCondition>): Run[] {
  return s.runs.filter((r) => r.when === undefined || holds.has(r.when)).map((r) => r.run);
}
