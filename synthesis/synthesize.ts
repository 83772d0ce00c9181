/**
 * The cdktf edge of synthesis: reads required files and Terraform state, runs the pure planner,
 * renders one CohortStack per cohort and writes `<outdir>/stacks/<cohort>/cdk.tf.json` plus the
 * learner index beside it. Writes nothing when the planner found a problem.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import type { Roster } from '../roster/types';
import { CohortStack } from '../constructs/cohort-stack';
import type { RequiredFile } from '../constructs/learning-room';
import { CohortPlan, planCohorts, SynthesisPlan } from './cohort-plan';
import { readRequiredFiles } from './required-files';
import { buildLearnerIndex } from './index-writer';
import { LEARNER_INDEX_FILE, writeLearnerIndex } from '../contracts/learner-index';
import type { SynthesisSettings } from '../contracts/settings';
import { KnownRooms, readStateDir, readStateFiles, StateInputs } from '../contracts/terraform-state';
import { combineImports, mergeImportedRooms, readImports } from './imports';
import type { ImportEntry } from '../contracts/import-entries';

export interface SynthesisOutcome {
  plan: SynthesisPlan;
  /** Problems that stopped synthesis (planner errors, unreadable files or state). Nothing was written when non-empty. */
  errors: string[];
  outdir?: string;
  /** One per cohort, in roster order, when synthesis succeeded. */
  stacks: { cohort_id: string; dir: string; config: string; index: string }[];
  /** Where each cohort's state input came from (absent: no state for that cohort). */
  stateSources: Map<string, string>;
  /** Per cohort with import entries: blocks written, and entries for rooms not configured this run (reconstruct). */
  imports: Map<string, { placed: number; unplaced: ImportEntry[] }>;
}

/** The local backend's state file of a cohort. */
export function backendStatePath(
  settings: Pick<SynthesisSettings, 'backendDir'>,
  cwd: string,
  cohortId: string,
): string {
  const dir = settings.backendDir ? resolve(cwd, settings.backendDir) : cwd;
  return join(dir, `terraform.${cohortId}.tfstate`);
}

/**
 * Rooms known from state, per cohort: the state folder when one is given (contracts/terraform-state.ts
 * readStateDir), otherwise the local backend's own state file.
 */
export function readStateInputs(
  settings: Pick<SynthesisSettings, 'stateDir' | 'backendDir'>,
  cwd: string,
  cohortIds: string[],
): StateInputs {
  if (settings.stateDir) return readStateDir(resolve(cwd, settings.stateDir), cohortIds);
  return readStateFiles(cohortIds, (id) => [backendStatePath(settings, cwd, id)]);
}

export interface SynthesizeOptions {
  roster: Roster;
  settings: SynthesisSettings;
  cwd: string;
  /** Overrides reading state from disk (tests, or callers that already pulled it). */
  knownRooms?: ReadonlyMap<string, KnownRooms>;
  /** Folder of `<cohort>.json` import entries from `learning-rooms reconstruct` (synthesis/imports.ts). */
  importsDir?: string;
  /** Plan and check everything, write nothing (`synth --dry-run`). */
  dryRun?: boolean;
}

export function synthesize(opts: SynthesizeOptions): SynthesisOutcome {
  const { roster, settings, cwd } = opts;
  const cohortIds = roster.cohorts.map((c) => c.cohort_id);
  const stateSources = new Map<string, string>();
  const errors: string[] = [];
  let known = opts.knownRooms;
  if (!known) {
    const read = readStateInputs(settings, cwd, cohortIds);
    errors.push(...read.errors);
    known = read.known;
  }
  for (const [id, k] of known) stateSources.set(id, k.source);
  // Reconstruction: imported rooms exist, so the planner keeps them whatever the budget.
  const imported = readImports(opts.importsDir && resolve(cwd, opts.importsDir), cohortIds);
  errors.push(...imported.errors);
  known = mergeImportedRooms(known, imported.files, roster);
  const imports = new Map<string, { placed: number; unplaced: ImportEntry[] }>();

  const plan = planCohorts({ roster, settings, knownRooms: known });
  errors.push(...plan.errors);
  const required = readRequiredFiles(resolve(cwd, settings.requiredFilesDir), roster);
  errors.push(...required.errors);
  if (errors.length || opts.dryRun) return { plan, errors, stacks: [], stateSources, imports };

  const outdir = resolve(cwd, settings.outdir);
  const app = new App({ outdir, skipValidation: true });
  for (const cohort of plan.cohorts) {
    const rooms = roomProps(cohort, required.files);
    const file = imported.files.get(cohort.cohort_id);
    const placement = combineImports(cohort.imports, file, rooms);
    if (file) imports.set(cohort.cohort_id, { placed: placement.blocks.length, unplaced: placement.unplaced });
    new CohortStack(app, {
      cohortId: cohort.cohort_id,
      owner: cohort.owner,
      baseUrl: settings.baseUrl,
      mode: settings.mode,
      tuning: cohort.provider,
      rooms,
      forget: cohort.forget,
      imports: placement.blocks,
      statePath: backendStatePath(settings, cwd, cohort.cohort_id),
    });
  }
  removeStaleStacks(outdir, new Set(cohortIds));
  app.synth();
  const stacks = plan.cohorts.map((cohort) => {
    const dir = join(outdir, 'stacks', cohort.cohort_id);
    const index = writeLearnerIndex(dir, buildLearnerIndex(cohort));
    return { cohort_id: cohort.cohort_id, dir, config: join(dir, 'cdk.tf.json'), index };
  });
  return { plan, errors: [], outdir, stacks, stateSources, imports };
}

function roomProps(cohort: CohortPlan, contents: Map<string, string>) {
  const files: RequiredFile[] = cohort.requiredFiles.map((path) => ({ path, content: contents.get(path) ?? '' }));
  return cohort.rooms.map((r) => ({
    githubHandle: r.github_handle,
    repositoryName: r.repository,
    template: cohort.template,
    requiredFiles: files,
  }));
}

/** A cohort gone from the roster must not leave a stack behind that a CI loop would still plan. Only our own folders (with a learner index) go. */
function removeStaleStacks(outdir: string, current: Set<string>): void {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir)) return;
  for (const name of readdirSync(stacksDir)) {
    if (current.has(name)) continue;
    const dir = join(stacksDir, name);
    if (existsSync(join(dir, LEARNER_INDEX_FILE))) rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per cohort: rooms, new, queued, archived. */
export function summarizeSynthesis(outcome: Pick<SynthesisOutcome, 'plan'>): string[] {
  const lines = outcome.plan.cohorts.map((c) => {
    const fresh = c.rooms.filter((r) => r.status === 'new').length;
    const archiving = c.archived.filter((a) => a.inState).length;
    const withdrawn = c.archived.filter((a) => a.why === 'withdrawn' && !a.inState).length;
    const archived = c.stateKnown
      ? `${archiving} archived`
      : `${withdrawn} withdrawn (no state input: learners removed from the roster are not counted)`;
    return `${c.cohort_id}: ${c.rooms.length} rooms (${fresh} new), ${c.queued.length} queued, ${archived}`;
  });
  const b = outcome.plan.budget;
  lines.push(`admission: ${b.admitted} new admitted, ${b.queued} queued; budget: ${b.description}`);
  return lines;
}
