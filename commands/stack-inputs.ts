import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { readLearnerIndex } from '../contracts/learner-index';
import { parsePlanJson } from '../contracts/terraform-plan';
import { StackPlan, stackPlanFrom } from '../gitops/stack-plan';
import type { OptionDef } from './option-defs';

export const STACK_INPUT_OPTIONS = {
  plan: {
    type: 'string',
    multiple: true,
    value: 'FILE',
    help: "terraform show -json of a cohort's plan file (repeat per cohort)",
  },
  index: {
    type: 'string',
    multiple: true,
    value: 'FILE',
    help: "that cohort's learners.json (repeat, in the same order as --plan); without any --index, learners are named from the plan alone (no queued learners)",
  },
  'failed-index': {
    type: 'string',
    multiple: true,
    value: 'FILE',
    help: 'learners.json of a cohort whose plan could not be made at all',
  },
} as const satisfies Record<string, OptionDef>;

/**
 * The cohort plans named on the command line, paired by position (`--plan a --index a'`). A
 * cohort with no plan at all (init or plan failed before writing one) comes as --failed-index.
 */
export function readStackPlans(
  cwd: string,
  values: { plan?: string[]; index?: string[]; 'failed-index'?: string[] },
): StackPlan[] {
  const plans = values.plan ?? [];
  const indexes = values.index ?? [];
  if (indexes.length > 0 && plans.length !== indexes.length) {
    throw new Error(
      `expected one --index per --plan, in the same order; found ${plans.length} --plan and ${indexes.length} --index`,
    );
  }
  const stacks = plans.map((p, i) => {
    const { plan } = parsePlanJson(readFileSync(resolve(cwd, p), 'utf8'), p);
    if (indexes.length === 0) return stackPlanFrom(plan, undefined, basename(p).replace(/\.json$/i, ''));
    return stackPlanFrom(plan, readLearnerIndex(resolve(cwd, indexes[i])));
  });
  for (const f of values['failed-index'] ?? [])
    stacks.push(stackPlanFrom(undefined, readLearnerIndex(resolve(cwd, f))));
  return stacks.sort((a, b) => a.stack.localeCompare(b.stack));
}
