import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { learnerPlanChanges } from '../../provisioning/plan-changes';
import type { LearnerIndex } from '../../synthesis/learner-index';
import { PlanJsonSubset, StackPlan, stackPlanFrom } from '../stack-plan';

function readJson<T>(cwd: string, file: string, what: string): T {
  const path = resolve(cwd, file);
  let textValue: string;
  try {
    textValue = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(textValue) as T;
  } catch (err) {
    throw new Error(`${what} ${file} is not JSON: ${(err as Error).message}`);
  }
}

export const STACK_INPUT_OPTIONS = {
  plan: { type: 'string', multiple: true },
  index: { type: 'string', multiple: true },
  'failed-index': { type: 'string', multiple: true },
} as const;

export const STACK_INPUT_USAGE = `  --plan FILE          terraform show -json of a cohort's plan file (repeat per cohort)
  --index FILE         that cohort's learners.json (repeat, in the same order as --plan)
  --failed-index FILE  learners.json of a cohort whose plan could not be made at all`;

/**
 * The cohort plans named on the command line, paired by position (`--plan a --index a'`). A
 * cohort with no plan at all (init or plan failed before writing one) comes as --failed-index.
 */
export function readStackPlans(cwd: string, values: { plan?: string[]; index?: string[]; 'failed-index'?: string[] }): StackPlan[] {
  const plans = values.plan ?? [];
  const indexes = values.index ?? [];
  if (plans.length !== indexes.length) {
    throw new Error(`expected one --index per --plan, in the same order; found ${plans.length} --plan and ${indexes.length} --index`);
  }
  // learnerPlanChanges reads the plan's full shape; the renderers only see its narrow subset.
  const attribute = (plan: PlanJsonSubset, index: LearnerIndex) => learnerPlanChanges(plan as Parameters<typeof learnerPlanChanges>[0], index);
  const stacks = plans.map((p, i) =>
    stackPlanFrom(readJson<PlanJsonSubset>(cwd, p, 'plan'), readJson<LearnerIndex>(cwd, indexes[i], 'learner index'), attribute),
  );
  for (const f of values['failed-index'] ?? []) stacks.push(stackPlanFrom(undefined, readJson<LearnerIndex>(cwd, f, 'learner index'), attribute));
  return stacks.sort((a, b) => a.stack.localeCompare(b.stack));
}

export { readJson };
