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
import type { AssignmentRoomProps } from '../constructs/assignment-room';
import { CohortPlan, planCohorts, SynthesisPlan } from './cohort-plan';
import { readRequiredFiles } from './required-files';
import { buildLearnerIndex } from './index-writer';
import { LEARNER_INDEX_FILE, writeLearnerIndex } from '../contracts/learner-index';
import type { SynthesisSettings } from '../contracts/settings';
import { KnownRooms, readStateDir, readStateFiles, StateInputs } from '../contracts/terraform-state';
import { combineImports, mergeImportedRooms, readImports } from './imports';
import type { ImportEntry } from '../contracts/import-entries';
import { parseStackName, stackName } from '../contracts/stack-names';
import { writeSynthesisSummary } from '../contracts/synthesis-summary';

export interface SynthesisOutcome {
  plan: SynthesisPlan;
  /** Problems that stopped synthesis (planner errors, unreadable files or state). Nothing was written when non-empty. */
  errors: string[];
  outdir?: string;
  /** One per stack (a cohort's shard), cohorts in roster order, when synthesis succeeded. */
  stacks: { cohort_id: string; stack: string; dir: string; config: string; index: string }[];
  /** Where each stack's state input came from (absent: no state for that stack). */
  stateSources: Map<string, string>;
  /** Per cohort with import entries: blocks written, and entries for rooms not configured this run (reconstruct). */
  imports: Map<string, { placed: number; unplaced: ImportEntry[] }>;
}

/** The local backend's state file of a stack. */
export function backendStatePath(settings: Pick<SynthesisSettings, 'backendDir'>, cwd: string, stack: string): string {
  const dir = settings.backendDir ? resolve(cwd, settings.backendDir) : cwd;
  return join(dir, `terraform.${stack}.tfstate`);
}

/**
 * Every stack of the roster's cohorts that may hold state: shard 0, every shard a learner records,
 * and every shard stack whose state file is in the state folder (or the local backend's folder),
 * so a shard whose learners all left the roster still gets its rooms archived.
 */
export function stackNamesFor(
  settings: Pick<SynthesisSettings, 'stateDir' | 'backendDir'>,
  cwd: string,
  roster: Pick<Roster, 'cohorts' | 'learners'>,
): string[] {
  const cohorts = new Set(roster.cohorts.map((c) => c.cohort_id));
  const names = new Set<string>(roster.cohorts.map((c) => c.cohort_id));
  for (const l of roster.learners) {
    if (cohorts.has(l.cohort_id) && l.provisioning.shard !== undefined)
      names.add(stackName(l.cohort_id, l.provisioning.shard));
  }
  const dir = settings.stateDir
    ? resolve(cwd, settings.stateDir)
    : settings.backendDir
      ? resolve(cwd, settings.backendDir)
      : cwd;
  // A state folder holds `<stack>.tfstate` or `<stack>.tfstate.json` (contracts/terraform-state.ts).
  const file = settings.stateDir ? /^(.+?)\.tfstate(?:\.json)?$/ : /^terraform\.(.+)\.tfstate$/;
  if (existsSync(dir)) {
    for (const entry of readdirSync(dir)) {
      const m = file.exec(entry);
      if (!m) continue;
      const parsed = parseStackName(m[1]);
      if (parsed.shard > 0 && cohorts.has(parsed.cohortId)) names.add(m[1]);
    }
  }
  const order = new Map(roster.cohorts.map((c, i) => [c.cohort_id, i]));
  return [...names].sort((a, b) => {
    const pa = parseStackName(a);
    const pb = parseStackName(b);
    return (order.get(pa.cohortId) ?? 0) - (order.get(pb.cohortId) ?? 0) || pa.shard - pb.shard;
  });
}

/**
 * Rooms known from state, per stack: the state folder when one is given (contracts/terraform-state.ts
 * readStateDir), otherwise the local backend's own state file.
 */
export function readStateInputs(
  settings: Pick<SynthesisSettings, 'stateDir' | 'backendDir'>,
  cwd: string,
  stacks: string[],
): StateInputs {
  if (settings.stateDir) return readStateDir(resolve(cwd, settings.stateDir), stacks);
  return readStateFiles(stacks, (id) => [backendStatePath(settings, cwd, id)]);
}

export interface SynthesizeOptions {
  roster: Roster;
  settings: SynthesisSettings;
  cwd: string;
  /** Overrides reading state from disk (tests, or callers that already pulled it), by stack name. */
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
    const read = readStateInputs(settings, cwd, stackNamesFor(settings, cwd, roster));
    errors.push(...read.errors);
    known = read.known;
  }
  for (const [id, k] of known) stateSources.set(id, k.source);
  // Reconstruction: imported rooms exist, so the planner keeps them whatever the budget.
  const imported = readImports(opts.importsDir && resolve(cwd, opts.importsDir), cohortIds);
  errors.push(...imported.errors);
  known = mergeImportedRooms(known, imported.files, roster);
  const imports = new Map<string, { placed: number; unplaced: ImportEntry[] }>();

  const plan_ = planCohorts({ roster, settings, knownRooms: known });
  errors.push(...plan_.errors);
  const required = readRequiredFiles(resolve(cwd, settings.requiredFilesDir), roster);
  errors.push(...required.errors);
  if (errors.length || opts.dryRun) return { plan: plan_, errors, stacks: [], stateSources, imports };

  const outdir = resolve(cwd, settings.outdir);
  const app = new App({ outdir, skipValidation: true });
  const unplacedByCohort = new Map<string, ImportEntry[][]>();
  for (const plan of plan_.stacks) {
    const rooms = roomProps(plan, required.files);
    const file = imported.files.get(plan.cohort_id);
    // Reconstruct's entries are per cohort: each shard takes those of its own rooms.
    const placement = combineImports(
      plan.imports,
      file,
      rooms,
      (plan.course?.rooms ?? []).map((r) => ({
        key: r.key,
        requiredFiles: r.requiredFiles.map((path) => ({ path })),
        feedbackPullRequest: r.feedback,
      })),
    );
    if (file) {
      const placed = imports.get(plan.cohort_id)?.placed ?? 0;
      imports.set(plan.cohort_id, { placed: placed + placement.blocks.length, unplaced: [] });
      unplacedByCohort.set(plan.cohort_id, [...(unplacedByCohort.get(plan.cohort_id) ?? []), placement.unplaced]);
    }
    new CohortStack(app, {
      cohortId: plan.cohort_id,
      ...(plan.stack !== plan.cohort_id ? { stackName: plan.stack } : {}),
      owner: plan.owner,
      baseUrl: settings.baseUrl,
      mode: settings.mode,
      tuning: plan.provider,
      rooms,
      ...(plan.course ? { assignmentRooms: assignmentRoomProps(plan, required.files) } : {}),
      forget: plan.forget,
      imports: placement.blocks,
      statePath: backendStatePath(settings, cwd, plan.stack),
    });
  }
  // An entry is unplaced when no shard of its cohort configures its address.
  for (const [id, lists] of unplacedByCohort) {
    const unplaced = lists[0].filter((e) => lists.every((l) => l.includes(e)));
    imports.set(id, { placed: imports.get(id)?.placed ?? 0, unplaced });
  }
  removeStaleStacks(outdir, new Set(plan_.stacks.map((p) => p.stack)));
  app.synth();
  writeSynthesisSummary(outdir, {
    admission: plan_.budget.sentence,
    budget: plan_.budget.description,
    warnings: plan_.warnings,
  });
  const stacks = plan_.stacks.map((p) => {
    const dir = join(outdir, 'stacks', p.stack);
    const index = writeLearnerIndex(dir, buildLearnerIndex(p));
    return { cohort_id: p.cohort_id, stack: p.stack, dir, config: join(dir, 'cdk.tf.json'), index };
  });
  return { plan: plan_, errors: [], outdir, stacks, stateSources, imports };
}

function roomProps(cohort: CohortPlan, contents: Map<string, string>) {
  const files: RequiredFile[] = cohort.requiredFiles.map((path) => ({ path, content: contents.get(path) ?? '' }));
  const f = cohort.facilitators;
  return cohort.rooms.map((r) => ({
    githubHandle: r.github_handle,
    repositoryName: r.repository,
    template: cohort.template,
    requiredFiles: files,
    ...(f?.people.length ? { facilitators: f.people } : {}),
    ...(f?.team ? { facilitatorTeam: f.team } : {}),
  }));
}

/** A course's rooms as their constructs take them. */
function assignmentRoomProps(cohort: CohortPlan, contents: Map<string, string>): AssignmentRoomProps[] {
  const f = cohort.facilitators;
  return (cohort.course?.rooms ?? []).map((r) => ({
    key: r.key,
    repositoryName: r.repository,
    template: r.template,
    requiredFiles: r.requiredFiles.map((path) => ({ path, content: contents.get(path) ?? '' })),
    members: r.members.map((m) => ({ username: m.github_handle, permission: m.permission })),
    facilitators: f?.people ?? [],
    ...(f?.team ? { facilitatorTeam: f.team } : {}),
    feedbackPullRequest: r.feedback,
    visibility: r.visibility,
  }));
}

/** A stack gone from the synthesis must not leave a folder behind that a CI loop would still plan. Only our own folders (with a learner index) go. */
function removeStaleStacks(outdir: string, current: Set<string>): void {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir)) return;
  for (const name of readdirSync(stacksDir)) {
    if (current.has(name)) continue;
    const dir = join(stacksDir, name);
    if (existsSync(join(dir, LEARNER_INDEX_FILE))) rmSync(dir, { recursive: true, force: true });
  }
}

/** A course stack's line: rooms (new), queued, archived, and the instant it was planned for. */
function courseSummary(c: CohortPlan): string {
  const course = c.course;
  if (!course) return c.stack;
  const fresh = course.rooms.filter((r) => r.status === 'new').length;
  const archiving = course.archived.filter((a) => a.inState).length;
  const pull = course.rooms.reduce((n, r) => n + r.members.filter((m) => m.permission === 'pull').length, 0);
  const at = course.at ? ` at ${course.at.replace(/\.\d{3}Z$/, 'Z')}` : '';
  return `${c.stack}: ${course.rooms.length} rooms (${fresh} new), ${course.queued.length} queued, ${archiving} archived, ${pull} learner${pull === 1 ? '' : 's'} past a cutoff (read only); course planned${at}`;
}

/** One line per stack (rooms, new, queued, archived), the warnings, and the admission sentence. */
export function summarizeSynthesis(outcome: Pick<SynthesisOutcome, 'plan'>): string[] {
  const lines = outcome.plan.stacks.map((c) => {
    if (c.course) return courseSummary(c);
    const fresh = c.rooms.filter((r) => r.status === 'new').length;
    const archiving = c.archived.filter((a) => a.inState).length;
    const withdrawn = c.archived.filter((a) => a.why === 'withdrawn' && !a.inState).length;
    const archived = c.stateKnown
      ? `${archiving} archived`
      : `${withdrawn} withdrawn (no state input: learners removed from the roster are not counted)`;
    return `${c.stack}: ${c.rooms.length} rooms (${fresh} new), ${c.queued.length} queued, ${archived}`;
  });
  for (const w of outcome.plan.warnings) lines.push(`warning: ${w}`);
  const b = outcome.plan.budget;
  lines.push(`admission: ${b.sentence}`);
  lines.push(`budget: ${b.description}`);
  return lines;
}
