import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineCommand } from './command';
import { outFile, rosterArgument } from './common-options';
import { loadRoster } from '../roster';
import { CourseIndex, LEARNER_INDEX_FILE, LearnerIndex, readLearnerIndex } from '../contracts/learner-index';
import { courseRoomFiles } from '../synthesis/cost-model';
import { readSynthesisSummary } from '../contracts/synthesis-summary';
import { parseStackName } from '../contracts/stack-names';
import { writeFileAtomic } from '../shared/atomic-write';
import {
  changedStacks,
  configDigest,
  estimateStack,
  ScopeDocument,
  scopeDocument,
  ScopeMode,
  StackEstimate,
  StackShape,
  stackWork,
  withWork,
} from '../gitops/stack-scope';
import { renderScope } from '../gitops/scope-report';
import { WORKFLOW_LIMITS } from '../synthesis/rate-budget';
import { learnerKey } from '../roster/handle';

export interface SynthesizedStack {
  stack: string;
  digest: string;
  index?: LearnerIndex;
  config: Record<string, unknown>;
}

/** `DIR/stacks/<stack>/` when DIR holds a `stacks` folder (cdktf.out), else `DIR/<stack>/`. */
export function readSynthesizedStacks(dir: string): Map<string, SynthesizedStack> {
  const root = existsSync(join(dir, 'stacks')) ? join(dir, 'stacks') : dir;
  const out = new Map<string, SynthesizedStack>();
  if (!existsSync(root)) return out;
  for (const stack of readdirSync(root).sort()) {
    const config = join(root, stack, 'cdk.tf.json');
    if (!existsSync(config)) continue;
    const text = readFileSync(config, 'utf8');
    const index = existsSync(join(root, stack, LEARNER_INDEX_FILE))
      ? readLearnerIndex(join(root, stack, LEARNER_INDEX_FILE))
      : undefined;
    out.set(stack, {
      stack,
      digest: configDigest(text),
      config: JSON.parse(text) as Record<string, unknown>,
      ...(index ? { index } : {}),
    });
  }
  return out;
}

/** The figures the cost model needs, read off a synthesized stack (its index, its provider block) and the roster. */
export function stackShape(s: SynthesizedStack, provisioned: (handle: string, cohort: string) => boolean): StackShape {
  const course = s.index?.course;
  if (course) return courseStackShape(s, course);
  const learners = (s.index?.learners ?? []).filter((l) => l.admitted && !l.archived);
  const files = Object.keys(learners[0]?.addresses.files ?? {}).length;
  const provider = (s.config.provider as { github?: Record<string, unknown>[] | Record<string, unknown> } | undefined)
    ?.github;
  const block = (Array.isArray(provider) ? provider[0] : provider) ?? {};
  const imports = Array.isArray(s.config.import) ? s.config.import.length : 0;
  return {
    stack: s.stack,
    rooms: learners.length,
    newRooms: learners.filter((l) => !provisioned(l.github_handle, l.cohort_id)).length,
    files,
    imports,
    readDelayMs: typeof block.read_delay_ms === 'number' ? block.read_delay_ms : 0,
    writeDelayMs: typeof block.write_delay_ms === 'number' ? block.write_delay_ms : 1000,
  };
}

/** A course's stack: its rooms (counted in required files, synthesis/cost-model.ts courseRoomFiles) and those new this run. */
function courseStackShape(s: SynthesizedStack, course: CourseIndex): StackShape {
  const rooms = course.rooms.filter((r) => r.admitted);
  const feedback = new Set(course.assignments.filter((a) => a.feedback_pull_request).map((a) => a.id));
  const files = Math.max(
    0,
    ...rooms.map((r) => courseRoomFiles(Object.keys(r.addresses.files).length, feedback.has(r.assignment))),
  );
  const { index: _index, ...config } = s;
  const shape = stackShape(config, () => true);
  return { ...shape, rooms: rooms.length, newRooms: rooms.filter((r) => r.new).length, files };
}

const MODES = ['scoped-plan', 'apply'] as const;

const options = {
  head: {
    type: 'string',
    value: 'DIR',
    required: true,
    help: "this run's synthesis (a folder with stacks/<stack>/cdk.tf.json, e.g. cdktf.out)",
  },
  base: {
    type: 'string',
    value: 'DIR',
    help: "the synthesis to compare with: main's data for a pull request, the data of the last successful apply for an apply. Without it every stack is planned.",
  },
  mode: {
    type: 'string',
    value: 'MODE',
    help: "scoped-plan (default; a pull request's plan, -refresh=false) or apply (refresh, then apply; also plans the stacks with work of their own: new rooms to create, failed learners, expired invitations, read from the roster)",
  },
  out: outFile('the scope with reasons and estimates (JSON, for plan-comment --scope)'),
  'summary-out': outFile('also append the scope as Markdown to FILE (default: $GITHUB_STEP_SUMMARY when set)'),
} as const;

export const changedStacksCommand = defineCommand({
  name: 'changed-stacks',
  summary: 'the stacks a pull request or an apply has to plan (changed configuration, work to do), with an estimate',
  usage: ['--head DIR [--base DIR] [--mode scoped-plan|apply] [roster.json] [options]'],
  description: `Compares two syntheses made by the same code against the same state and prints, as one line of
JSON, the stacks whose configuration differs (new stacks included), ignoring cdktf's "//" metadata.
Writes only the files named by --out and --summary-out (so it takes no --dry-run: leave them out).`,
  argument: rosterArgument(
    'the roster of this run (for the work of apply mode and the estimate; required with --mode apply)',
  ),
  options,
  exitStatus: '0 printed; 2 usage or an unreadable synthesis.',
  usageProblems: ({ values, file }) => {
    const mode = values.mode ?? 'scoped-plan';
    if (!(MODES as readonly string[]).includes(mode)) return [`--mode: expected scoped-plan or apply, found "${mode}"`];
    if (mode === 'apply' && file === undefined)
      return ['--mode apply needs the roster (roster.json or --roster FILE): the work of each stack comes from it'];
    return [];
  },
  async run({ values, file }, io) {
    // usageProblems checked it is one of MODES.
    const mode = (values.mode ?? 'scoped-plan') as ScopeMode;
    const at = (p: string) => resolve(io.cwd, p);
    const head = readSynthesizedStacks(at(values.head));
    const base = values.base ? readSynthesizedStacks(at(values.base)) : undefined;
    const digests = (m: Map<string, SynthesizedStack>) => new Map([...m].map(([k, v]) => [k, v.digest]));
    const unchanged =
      mode === 'apply'
        ? 'configuration unchanged since the last successful apply, and nothing waiting'
        : 'configuration unchanged by this pull request';
    let scope = changedStacks(base && digests(base), digests(head), unchanged);
    const roster = file !== undefined ? loadRoster(at(file)) : undefined;
    const provisioned = new Set(
      (roster?.learners ?? [])
        .filter((l) => l.provisioning.state === 'provisioned' || l.provisioning.provisioned_at !== undefined)
        .map((l) => learnerKey(l.github_handle, l.cohort_id)),
    );
    const isProvisioned = (h: string, c: string) => provisioned.has(learnerKey(h, c));
    if (mode === 'apply' && roster) {
      const work = new Map<string, string[]>();
      for (const [stack, s] of head) if (s.index) work.set(stack, stackWork(s.index, roster));
      scope = withWork(scope, work);
    }
    const estimates = new Map<string, StackEstimate>();
    for (const p of scope.plan) {
      const s = head.get(p.stack);
      if (s) estimates.set(p.stack, estimateStack(stackShape(s, isProvisioned), mode));
    }
    const parallel = mode === 'apply' ? WORKFLOW_LIMITS.applyMaxParallel : WORKFLOW_LIMITS.scopedPlanMaxParallel;
    const doc: ScopeDocument = scopeDocument(
      scope,
      mode,
      estimates,
      parallel,
      readSynthesisSummary(at(values.head))?.admission,
    );
    if (values.out) writeFileAtomic(at(values.out), JSON.stringify(doc, null, 2) + '\n');
    const summary = values['summary-out'] ?? io.env.GITHUB_STEP_SUMMARY;
    if (summary) appendFileSync(at(summary), renderScope(doc, '##').join('\n') + '\n');
    // Stacks of one cohort stay together, shard order within.
    io.stdout(JSON.stringify(doc.stacks.map((s) => s.stack).sort((a, b) => compareStacks(a, b))) + '\n');
    return 0;
  },
});

function compareStacks(a: string, b: string): number {
  const pa = parseStackName(a);
  const pb = parseStackName(b);
  return pa.cohortId < pb.cohortId ? -1 : pa.cohortId > pb.cohortId ? 1 : pa.shard - pb.shard;
}
