import { execFileSync } from 'node:child_process';
import { renderPlanComment } from '../gitops/plan-comment';
import { stackPlanFrom } from '../gitops/stack-plan';
import { parsePlanJson } from '../contracts/terraform-plan';
import { generated } from '../test-kit/generated-plan';
import { measure, Measurement, printTable } from './measure';

// The plan comment for n learners (8 in 10 new, 1 healed, 1 archived; 4 resources each), from
// the plan JSON text to the bounded comment. Each size in its own process, for its own peak memory.
const size = Number(process.argv[2]);
if (Number.isFinite(size) && size > 0) {
  const { plan, index } = generated(size);
  const rows: Measurement[] = [];
  const { result: parsed, m: p } = measure(`parse plan ${size}`, () => parsePlanJson(plan).plan);
  rows.push(p);
  const { result: stack, m: a } = measure(`attribute ${size}`, () => stackPlanFrom(parsed, index));
  rows.push(a);
  const { result: comment, m: r } = measure(`render comment ${size}`, () =>
    renderPlanComment({ stacks: [stack], runUrl: 'https://example.org/run' }),
  );
  rows.push(r);
  const { result: full, m: f } = measure(`render full report ${size}`, () =>
    renderPlanComment({ stacks: [stack] }, Number.MAX_SAFE_INTEGER),
  );
  rows.push(f);
  process.stdout.write(
    JSON.stringify({ rows, planBytes: plan.length, comment: comment.length, full: full.length }) + '\n',
  );
} else {
  const all: Measurement[] = [];
  for (const n of [1000, 10000]) {
    const out = execFileSync(process.execPath, [__filename, String(n)], { encoding: 'utf8' });
    const { rows, planBytes, comment, full } = JSON.parse(out) as {
      rows: Measurement[];
      planBytes: number;
      comment: number;
      full: number;
    };
    all.push(...rows);
    console.log(
      `${n} learners: plan JSON ${(planBytes / 1024 / 1024).toFixed(1)} MiB, comment ${comment} chars, full report ${full} chars`,
    );
  }
  printTable(all);
}
