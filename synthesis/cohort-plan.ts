/**
 * The pure core of synthesis: (roster, settings, rooms known from state) -> for every cohort, the
 * learning rooms that go into its configuration, the learners queued by the admission budget and
 * the rooms that will be archived. No I/O; the cdktf edge (synthesize.ts) renders the result.
 *
 * Rules, in order of precedence:
 * 1. Never drop a room that exists. A learner is in the configuration, whatever the budget, when
 *    the roster says provisioned (state "provisioned", or provisioned_at set, which covers
 *    "failed" after a room was made) or when Terraform state holds the learner's repository.
 * 2. A learner whose provisioning.state is "archived" is withdrawn: out of the configuration,
 *    so the room is archived (archive_on_destroy). Rule 1 does not override this explicit choice.
 * 3. Everyone else (pending, failed before a room existed) is new and admitted within the budget,
 *    failed learners before pending ones, round-robin over cohorts so no cohort starves another.
 * 4. A room in state whose learner left the roster is archived; its files and collaborator are
 *    forgotten (removed blocks, destroy = false) so the learner keeps the work and read access.
 */
import type { Cohort, Learner, Roster } from '../roster/types';
import { foldHandle } from '../roster/handle';
import { collaboratorAddress, fileAddress, fileSlug, repositoryAddress } from '../contracts/room-addresses';
import type { KnownRoom, KnownRooms } from '../contracts/terraform-state';
import { repositoryCollisions, repositoryNameFor, repositoryNameProblem } from '../contracts/room-names';
import type { ProviderTuning } from '../constructs/cohort-stack';
import {
  deriveProviderTuning,
  NEW_ROOM_WRITE_SHARE,
  writeAllowancePerRun,
  writesPerNewLearner,
} from './provider-tuning';
import { checkRepositoryPattern, parseFullName, SETTINGS_ENV, SynthesisSettings } from '../contracts/settings';

export interface RoomPlan {
  github_handle: string;
  cohort_id: string;
  repository: string;
  /** existing: kept whatever the budget (rule 1); new: admitted within this run's budget. */
  status: 'existing' | 'new';
  /** An existing repository named by the roster's `repository` that state does not hold yet: imported, not generated. */
  adopt?: boolean;
}

export interface QueuedLearner {
  github_handle: string;
  cohort_id: string;
  repository: string;
  reason: string;
}

export interface ArchivedRoom {
  /** The roster's spelling when the learner is still in the roster, else the lower-cased handle from state. */
  github_handle: string;
  repository?: string;
  /** not-in-roster: the learner left the roster; withdrawn: provisioning.state is "archived". */
  why: 'not-in-roster' | 'withdrawn';
  /** true when state shows the repository, so this run's apply archives it. */
  inState: boolean;
}

export interface CohortPlan {
  cohort_id: string;
  title?: string;
  owner: string;
  template: { owner: string; repository: string };
  /** Required file paths (relative to the required-files folder and to the room's root). */
  requiredFiles: string[];
  /** In configuration order (roster order). */
  rooms: RoomPlan[];
  queued: QueuedLearner[];
  /** Rooms this run archives (known from state) and withdrawn learners (whose rooms may already be archived). */
  archived: ArchivedRoom[];
  /** Addresses to forget without touching GitHub (files and collaborators of archived rooms). */
  forget: string[];
  /** Repositories to import (Terraform import blocks): adopted rooms, by address -> repository name. */
  imports: { to: string; id: string }[];
  /** Whether Terraform state was given for this cohort (without it, learners who left the roster are invisible here). */
  stateKnown: boolean;
  /** Rooms in state (the removal guard's denominator); undefined without state. */
  roomsInState?: number;
  provider: ProviderTuning;
}

export interface SynthesisPlan {
  cohorts: CohortPlan[];
  /** Every problem found; synthesis writes nothing when there is one. */
  errors: string[];
  budget: { description: string; admitted: number; queued: number };
}

export interface PlanningInput {
  roster: Roster;
  settings: SynthesisSettings;
  /** Rooms known from Terraform state by cohort id; a cohort with no entry had no state input. */
  knownRooms?: ReadonlyMap<string, KnownRooms>;
}

/** Once a room was made for a learner, the roster says so (rule 1). */
export function rosterSaysProvisioned(l: Learner): boolean {
  return l.provisioning.state === 'provisioned' || l.provisioning.provisioned_at !== undefined;
}

const FILE_PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;

function requiredFileProblems(cohort: Cohort): string[] {
  const problems: string[] = [];
  const slugs = new Map<string, string>();
  for (const [i, path] of (cohort.required_files ?? []).entries()) {
    const where = `cohort ${cohort.cohort_id}: required_files[${i}]`;
    const segments = path.split('/');
    if (
      path.startsWith('/') ||
      segments.some((s) => s === '' || s === '.' || s === '..' || !FILE_PATH_SEGMENT.test(s))
    ) {
      problems.push(
        `${where}: expected a relative path of A-Za-z0-9 . _ - segments without "." or "..", found "${path}"`,
      );
      continue;
    }
    const slug = fileSlug(path);
    const other = slugs.get(slug);
    if (other !== undefined)
      problems.push(`${where}: "${path}" and "${other}" map to one Terraform name "${slug}"; rename one of them`);
    else if (slug === '') problems.push(`${where}: "${path}" has no letters or digits to name it by`);
    else slugs.set(slug, path);
  }
  return problems;
}

interface Candidate {
  learner: Learner;
  repository: string;
  adopt: boolean;
}

export function planCohorts(input: PlanningInput): SynthesisPlan {
  const { roster, settings } = input;
  const errors: string[] = [];
  const cohortIds = new Set(roster.cohorts.map((c) => c.cohort_id));
  for (const [i, l] of roster.learners.entries()) {
    if (!cohortIds.has(l.cohort_id))
      errors.push(`learners[${i}] "${l.github_handle}": cohort_id "${l.cohort_id}" is not a cohort of the roster`);
  }

  const concurrent = settings.concurrentApplies ?? Math.max(1, roster.cohorts.length);
  const provider = deriveProviderTuning(settings, concurrent);
  const plans: CohortPlan[] = [];
  const candidatesByCohort: Candidate[][] = [];
  const named: { github_handle: string; cohort_id: string; repository: string }[] = [];

  for (const cohort of roster.cohorts) {
    const id = cohort.cohort_id;
    const templateName = cohort.template ?? settings.templateRepo;
    const template = parseFullName(templateName);
    if (!template) errors.push(`cohort ${id}: template: expected "owner/repository", found "${templateName}"`);
    const pattern = cohort.repository_pattern ?? settings.repositoryPattern;
    const patternProblem = cohort.repository_pattern !== undefined ? checkRepositoryPattern(pattern) : undefined;
    if (patternProblem) errors.push(`cohort ${id}: repository_pattern: ${patternProblem}`);
    errors.push(...requiredFileProblems(cohort));

    const known = input.knownRooms?.get(id);
    const inState = (handle: string): KnownRoom | undefined => known?.rooms.get(foldHandle(handle));
    const plan: CohortPlan = {
      cohort_id: id,
      title: cohort.title,
      owner: settings.owner,
      template: template ?? { owner: settings.owner, repository: 'invalid' },
      requiredFiles: [...(cohort.required_files ?? [])],
      rooms: [],
      queued: [],
      archived: [],
      forget: [],
      imports: [],
      stateKnown: known !== undefined,
      roomsInState: known ? [...known.rooms.values()].filter((r) => r.kinds.has('repository')).length : undefined,
      provider,
    };
    const seen = new Map<string, number>();
    const failed: Candidate[] = [];
    const pending: Candidate[] = [];
    const inRoster = new Set<string>();

    for (const [i, learner] of roster.learners.entries()) {
      if (learner.cohort_id !== id) continue;
      const key = foldHandle(learner.github_handle);
      const dup = seen.get(key);
      if (dup !== undefined) {
        errors.push(`learners[${i}] "${learner.github_handle}": already in cohort ${id} as learners[${dup}]`);
        continue;
      }
      seen.set(key, i);
      inRoster.add(key);
      const room = inState(key);
      // A room that exists keeps its name even if the pattern changed since: a rename is not our call.
      const repository =
        learner.repository ?? room?.repository ?? repositoryNameFor(pattern, id, learner.github_handle);
      const nameProblem = repositoryNameProblem(repository);
      if (nameProblem) {
        errors.push(`learners[${i}] "${learner.github_handle}" (cohort ${id}): repository name: ${nameProblem}`);
        continue;
      }

      if (learner.provisioning.state === 'archived') {
        plan.archived.push({
          github_handle: learner.github_handle,
          repository,
          why: 'withdrawn',
          inState: room?.kinds.has('repository') ?? false,
        });
        // The post-step records last_outcome "archived" once the archive happened: nothing left to forget then.
        const done = learner.provisioning.last_outcome === 'archived' && !room;
        if (!done) plan.forget.push(...forgetAddresses(learner.github_handle, plan.requiredFiles, known, room));
        continue;
      }
      named.push({ github_handle: learner.github_handle, cohort_id: id, repository });
      // Adoption: the roster names an existing repository. Import it unless state already holds
      // it; without state, unless the roster says it was provisioned (an import of an address
      // already in state is a no-op, so the crash case is safe too).
      const adopt =
        learner.repository !== undefined && (known ? !room?.kinds.has('repository') : !rosterSaysProvisioned(learner));
      if (rosterSaysProvisioned(learner) || room?.kinds.has('repository')) {
        plan.rooms.push({
          github_handle: learner.github_handle,
          cohort_id: id,
          repository,
          status: 'existing',
          ...(adopt ? { adopt } : {}),
        });
      } else if (learner.provisioning.state === 'failed') {
        failed.push({ learner, repository, adopt });
      } else {
        pending.push({ learner, repository, adopt });
      }
    }

    for (const room of known?.rooms.values() ?? []) {
      if (inRoster.has(room.handle)) continue;
      plan.archived.push({
        github_handle: room.handle,
        repository: room.repository,
        why: 'not-in-roster',
        inState: room.kinds.has('repository'),
      });
      plan.forget.push(...forgetAddresses(room.handle, plan.requiredFiles, known, room));
    }
    plans.push(plan);
    candidatesByCohort.push([...failed, ...pending]);
  }

  errors.push(...repositoryCollisions(named, settings.owner));
  const budget = admit(roster.cohorts, plans, candidatesByCohort, settings);
  for (const plan of plans) {
    // Configuration order is roster order, whichever rule put a learner in.
    const order = new Map(
      roster.learners.filter((l) => l.cohort_id === plan.cohort_id).map((l, i) => [l.github_handle, i]),
    );
    plan.rooms.sort((a, b) => (order.get(a.github_handle) ?? 0) - (order.get(b.github_handle) ?? 0));
    plan.imports = plan.rooms
      .filter((r) => r.adopt)
      .map((r) => ({ to: repositoryAddress(r.github_handle), id: r.repository }));
    const guard = removalGuardProblem(plan, settings);
    if (guard) errors.push(guard);
  }
  return { cohorts: plans, errors, budget };
}

/**
 * Files and collaborator of a room being archived: forgotten, not destroyed. Taken from state when
 * known (exact), else from the scheme (a removed block for an address not in state is harmless).
 */
function forgetAddresses(
  handle: string,
  requiredFiles: string[],
  known: KnownRooms | undefined,
  room: KnownRoom | undefined,
): string[] {
  if (room) return room.addresses.filter((a) => !a.startsWith('github_repository.'));
  // State given and the learner is not in it: nothing left to forget (already archived or never made).
  if (known) return [];
  return [collaboratorAddress(handle), ...requiredFiles.map((f) => fileAddress(handle, f))];
}

function admit(
  cohorts: Cohort[],
  plans: CohortPlan[],
  candidates: Candidate[][],
  settings: SynthesisSettings,
): SynthesisPlan['budget'] {
  const explicit = settings.admissionBudget;
  const allowance = writeAllowancePerRun(settings);
  let writesLeft = allowance;
  let admitted = 0;
  const perCohort = plans.map(() => 0);
  const next = plans.map(() => 0);
  const stopped = plans.map(() => false);
  const description =
    explicit !== undefined
      ? `${SETTINGS_ENV.admissionBudget}=${explicit} new rooms per run`
      : `${allowance} content writes per run for new rooms (${settings.contentWritesPerHour}/hour, a run every ${settings.runIntervalMinutes} min, ${Math.round(NEW_ROOM_WRITE_SHARE * 100)}% of it for new rooms), 5 + K writes per room`;

  // Round-robin over cohorts: each round admits at most one learner per cohort.
  let progress = true;
  while (progress) {
    progress = false;
    for (let c = 0; c < plans.length; c++) {
      if (stopped[c] || next[c] >= candidates[c].length) continue;
      const cost = writesPerNewLearner(plans[c].requiredFiles.length);
      const cap = cohorts[c].admission_budget;
      const fits = explicit !== undefined ? admitted < explicit : writesLeft >= cost;
      if (!fits || (cap !== undefined && perCohort[c] >= cap)) {
        stopped[c] = true;
        continue;
      }
      const { learner, repository, adopt } = candidates[c][next[c]++];
      plans[c].rooms.push({
        github_handle: learner.github_handle,
        cohort_id: plans[c].cohort_id,
        repository,
        status: 'new',
        ...(adopt ? { adopt } : {}),
      });
      perCohort[c]++;
      admitted++;
      writesLeft -= cost;
      progress = true;
    }
  }
  let queued = 0;
  for (let c = 0; c < plans.length; c++) {
    const cap = cohorts[c].admission_budget;
    const reason =
      cap !== undefined && perCohort[c] >= cap
        ? `queued: cohort ${plans[c].cohort_id} admits at most ${cap} new rooms per run (admission_budget); a later run provisions it`
        : `queued: the admission budget (${description}) is spent for this run; a later run provisions it`;
    for (const { learner, repository } of candidates[c].slice(next[c])) {
      plans[c].queued.push({ github_handle: learner.github_handle, cohort_id: plans[c].cohort_id, repository, reason });
      queued++;
    }
  }
  return { description, admitted, queued };
}

/**
 * Removal guard: refuses a cohort when the rooms this run would archive are more than the
 * configured share of its rooms in state, beyond a small minimum (one learner leaving is normal).
 */
export function removalGuardProblem(
  plan: CohortPlan,
  settings: Pick<SynthesisSettings, 'removalGuardShare' | 'removalGuardMinimum' | 'allowMassArchive'>,
): string | undefined {
  if (settings.allowMassArchive || plan.roomsInState === undefined) return undefined;
  const leaving = plan.archived.filter((a) => a.inState);
  return massArchiveProblem(
    plan.cohort_id,
    leaving.map((a) => a.github_handle),
    plan.roomsInState,
    settings,
  );
}

/** Shared by synthesis and check-plan: undefined when `archived` of `existing` rooms is within the guard. */
export function massArchiveProblem(
  cohortId: string,
  archivedHandles: string[],
  existing: number,
  settings: Pick<SynthesisSettings, 'removalGuardShare' | 'removalGuardMinimum'>,
): string | undefined {
  const n = archivedHandles.length;
  if (n === 0 || n <= settings.removalGuardMinimum || n <= settings.removalGuardShare * existing) return undefined;
  const pct = existing > 0 ? Math.round((100 * n) / existing) : 100;
  const names = archivedHandles.slice(0, 10).join(', ') + (n > 10 ? `, and ${n - 10} more` : '');
  return (
    `cohort ${cohortId}: ${n} of ${existing} rooms (${pct}%) would be archived (${names}), more than the removal guard allows ` +
    `(${Math.round(settings.removalGuardShare * 100)}% per ${SETTINGS_ENV.removalGuardShare}, or at most ${settings.removalGuardMinimum} per ${SETTINGS_ENV.removalGuardMinimum}). ` +
    `If the roster is right, run again with ${SETTINGS_ENV.allowMassArchive}=true (or --allow-mass-archive).`
  );
}
