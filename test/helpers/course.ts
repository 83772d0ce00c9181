/**
 * A course synthesized at an instant, and Terraform's view of it (test-kit/course-world.ts): the
 * synthesis, its configuration and index, every stack checked by prepare-stack's allow-list, the plan
 * against a state and the state an apply leaves.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSettings, SynthesisSettings } from '../../contracts/settings';
import { parseKnownRooms } from '../../contracts/terraform-state';
import { LearnerIndex, readLearnerIndex } from '../../contracts/learner-index';
import { parsePlanJson, TerraformPlanJson } from '../../contracts/terraform-plan';
import { parseStackConfig } from '../../gitops/stack-check';
import { synthesize, SynthesisOutcome } from '../../synthesis/synthesize';
import type { Roster } from '../../roster/types';
import { applied, planOf, rawStateOf, StateResource } from '../../test-kit/course-world';

export const REQUIRED_FILES_DIR = join(__dirname, '..', '..', 'required-files');
export const OWNER = 'acme-school';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Terraform JSON, read field by field
export type Config = any;

export interface CourseStack {
  stack: string;
  text: string;
  config: Config;
  index: LearnerIndex;
}

export interface CourseSynthesis {
  outcome: SynthesisOutcome;
  settings: SynthesisSettings;
  stacks: Map<string, CourseStack>;
}

const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

export function settingsAt(at: string | undefined, env: NodeJS.ProcessEnv = {}): SynthesisSettings {
  const { settings, errors } = readSettings({
    ...(at ? { LEARNING_ROOMS_AT: at, LEARNING_ROOMS_RUN_STARTED_AT: at } : {}),
    LEARNING_ROOMS_REQUIRED_FILES_DIR: REQUIRED_FILES_DIR,
    PROVISIONING_STUDENT_OWNER: OWNER,
    // Absolute, so that the backend path in each stack does not depend on the temporary folder.
    LEARNING_ROOMS_BACKEND_DIR: '/srv/learning-rooms/state',
    ...env,
  });
  if (!settings) throw new Error(errors.join('\n'));
  return settings;
}

/**
 * Synthesizes `roster` at `at` with the given state per stack (none: no state input); throws on a
 * problem; every stack must pass prepare-stack's allow-list.
 */
export function synthAt(
  roster: Roster,
  at: string | undefined,
  state: Record<string, readonly StateResource[]> | undefined = {},
  env: NodeJS.ProcessEnv = {},
): CourseSynthesis {
  const settings = settingsAt(at, env);
  const cwd = mkdtempSync(join(tmpdir(), 'lr-course-'));
  dirs.push(cwd);
  const knownRooms = state
    ? new Map(Object.entries(state).map(([stack, rs]) => [stack, parseKnownRooms(rawStateOf(rs), `${stack}.tfstate`)]))
    : new Map();
  const outcome = synthesize({ roster, settings, cwd, knownRooms });
  if (outcome.errors.length) throw new Error(outcome.errors.join('\n'));
  const stacks = new Map<string, CourseStack>();
  for (const s of outcome.stacks) {
    const text = readFileSync(s.config, 'utf8');
    const checked = parseStackConfig(text, { owner: settings.owner, baseUrl: settings.baseUrl });
    if (checked.problems.length)
      throw new Error(`${s.stack}: prepare-stack refuses it:\n${checked.problems.join('\n')}`);
    stacks.set(s.stack, { stack: s.stack, text, config: JSON.parse(text), index: readLearnerIndex(s.index) });
  }
  return { outcome, settings, stacks };
}

/** The one stack of a single-shard course. */
export function only(s: CourseSynthesis, stack = 'web-101'): CourseStack {
  const found = s.stacks.get(stack);
  if (!found) throw new Error(`no stack ${stack} (${[...s.stacks.keys()].join(', ')})`);
  return found;
}

/** Terraform's plan of a stack against its state, as the readers parse it. */
export function planned(
  stack: CourseStack,
  state: readonly StateResource[],
): { json: string; plan: TerraformPlanJson } {
  const json = JSON.stringify(planOf(stack.config, state));
  return { json, plan: parsePlanJson(json, 'plan.json').plan };
}

/** The state after applying each stack. */
export function appliedAll(s: CourseSynthesis): Record<string, StateResource[]> {
  return Object.fromEntries([...s.stacks].map(([name, st]) => [name, applied(st.config)]));
}

/**
 * Every path where two JSON values differ (`resource.github_repository_collaborators["a1--l1"].user[0].permission`);
 * cdktf's metadata (`//`) left out.
 */
export function differences(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (
    a === null ||
    b === null ||
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return [path];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  const out: string[] = [];
  for (const k of keys) {
    if (k === '//') continue;
    const seg = Array.isArray(a)
      ? `[${k}]`
      : /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)
        ? `${path ? '.' : ''}${k}`
        : `[${JSON.stringify(k)}]`;
    out.push(...differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}${seg}`));
  }
  return out;
}
