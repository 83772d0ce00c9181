/**
 * What the plan comment and the watchdog report know about one cohort stack's plan: the
 * per-learner changes (from `learnerPlanChanges`) and the raw resource changes, with nothing
 * else from the plan JSON. The plan's `configuration` section can hold a provider token
 * verbatim (see the recorded fixtures), and resource values hold file contents, so neither is
 * ever carried into rendered Markdown: only addresses, actions and Terraform's reasons are.
 */
import { LearnerPlanChange, learnerPlanChanges } from '../provisioning/plan-changes';
import type { ResourceChange, TerraformPlanJson } from '../contracts/terraform-plan';
import type { LearnerIndex } from '../contracts/learner-index';
import { foldHandle } from '../roster/handle';

export type LearnerAction = LearnerPlanChange['action'];

/** One resource that the plan would change, or that drifted outside Terraform. */
export interface ResourceLine {
  address: string;
  actions: string[];
  reason?: string;
}

export interface StackPlan {
  /** Folder name under cdktf.out/stacks/. */
  stack: string;
  cohort_id: string;
  /**
   * planned: a complete plan; errored: Terraform wrote a plan file but the plan failed
   * (`errored: true`, e.g. a 429); missing: no plan at all (init or plan failed before writing one).
   */
  status: 'planned' | 'errored' | 'missing';
  learners: LearnerPlanChange[];
  /** Resource changes other than no-op, in plan order. */
  changes: ResourceLine[];
  /** `resource_drift`: objects changed outside Terraform since the last apply. */
  drift: ResourceLine[];
  /** Learner handle (lower case) -> why they were not admitted this run. */
  queuedReasons: Record<string, string>;
}

function lines(list: ResourceChange[]): ResourceLine[] {
  const out: ResourceLine[] = [];
  for (const rc of list) {
    const actions = rc.change.actions;
    if (actions.every((x) => x === 'no-op' || x === 'read')) continue;
    out.push(
      rc.action_reason ? { address: rc.address, actions, reason: rc.action_reason } : { address: rc.address, actions },
    );
  }
  return out;
}

/**
 * One cohort's plan (undefined when no plan could be made) with its learner index. Without an
 * index (a plan looked at on its own), learners are attributed from the addresses and the planned
 * values, and the stack is named by `name`.
 */
export function stackPlanFrom(
  plan: TerraformPlanJson | undefined,
  index: LearnerIndex | undefined,
  name = 'stack',
): StackPlan {
  const queuedReasons: Record<string, string> = {};
  for (const l of index?.learners ?? []) {
    if (!l.admitted) queuedReasons[foldHandle(l.github_handle)] = l.queued_reason ?? 'not admitted this run';
  }
  const base = { stack: index?.stack ?? name, cohort_id: index?.cohort_id ?? name, queuedReasons };
  if (!plan) return { ...base, status: 'missing', learners: [], changes: [], drift: [] };
  return {
    ...base,
    status: plan.errored || !plan.complete ? 'errored' : 'planned',
    learners: learnerPlanChanges(plan, index),
    changes: lines(plan.resource_changes),
    drift: lines(plan.resource_drift),
  };
}
