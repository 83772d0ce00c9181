/**
 * The pure core of synthesis: (roster, settings, rooms known from state) -> for every stack (one per
 * shard of a cohort), the learning rooms that go into its configuration, the learners queued by the
 * admission budget and the rooms that will be archived. No I/O; the cdktf edge (synthesize.ts)
 * renders the result.
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
 * 5. Every room lives in one shard of its cohort (shards.ts): where state has it, else the recorded
 *    shard, else shard 0 for a room made before shards; a new learner gets a shard when admitted.
 */
import type { CollaboratorPermission, Cohort, Learner, Roster } from '../roster/types';
import { foldHandle } from '../roster/handle';
import { facilitatorPermission, isCourse } from '../roster/course';
import { collaboratorAddress, fileAddress, fileSlug, repositoryAddress } from '../contracts/room-addresses';
import type { KnownRoom, KnownRooms } from '../contracts/terraform-state';
import { repositoryCollisions, repositoryNameFor, repositoryNameProblem } from '../contracts/room-names';
import { parseStackName, stackName } from '../contracts/stack-names';
import type { ProviderTuning } from '../constructs/cohort-stack';
import { deriveProviderTuning } from './provider-tuning';
import { pacedProcessesAtOnce } from './rate-budget';
import {
  ASSUMED_LATENCY_MS,
  contentCreationPerCourseRoom,
  contentCreationPerRoom,
  courseRoomFiles,
} from './cost-model';
import { admitCourse, CoursePlan, courseShards, courseStackPlan, CourseWork, planCourse } from './course-plan';
import {
  AdmissionGroup,
  admissionRuns,
  admissionSentence,
  CONTENT_CREATION_RESERVE,
  contentCreationPerRun,
  QueuedName,
  roomsPerRun,
  runTime,
} from './admission-budget';
import { assignShards, sizeShards } from './shards';
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
  /** Where the learner stands: position in the whole queue (1 first) and the run that admits them (1 = next), with its time when known. */
  queue: { position: number; run?: number; expected_at?: string };
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

/** The plan of one stack: one shard of a cohort. */
export interface CohortPlan {
  cohort_id: string;
  /** The stack's name (contracts/stack-names.ts): the cohort id for shard 0. */
  stack: string;
  shard: number;
  /** The cohort's shard size (most learners per stack). */
  shardSize: number;
  title?: string;
  owner: string;
  template: { owner: string; repository: string };
  /** Required file paths (relative to the required-files folder and to the room's root). */
  requiredFiles: string[];
  /** The cohort's facilitators, on every room (a cohort without assignments: a collaborator each, and the team's access). */
  facilitators?: {
    people: { username: string; permission: CollaboratorPermission }[];
    team?: { id: number; permission: CollaboratorPermission };
  };
  /** A course (a cohort with assignments, docs/course.md): this stack's rooms, queue and archives. `rooms` is then empty. */
  course?: CoursePlan;
  /** In configuration order (roster order). */
  rooms: RoomPlan[];
  /** Learners waiting for admission (listed in the stack of their recorded shard, else shard 0's). */
  queued: QueuedLearner[];
  /** Rooms this run archives (known from state) and withdrawn learners (whose rooms may already be archived). */
  archived: ArchivedRoom[];
  /** Addresses to forget without touching GitHub (files and collaborators of archived rooms). */
  forget: string[];
  /** Repositories to import (Terraform import blocks): adopted rooms, by address -> repository name. */
  imports: { to: string; id: string }[];
  /** Whether Terraform state was given for this stack (without it, learners who left the roster are invisible here). */
  stateKnown: boolean;
  /** Rooms in state (the removal guard's denominator); undefined without state. */
  roomsInState?: number;
  provider: ProviderTuning;
}

export interface SynthesisPlan {
  /** One per stack: cohorts in roster order, each cohort's shards in order. */
  stacks: CohortPlan[];
  /** Every problem found; synthesis writes nothing when there is one. */
  errors: string[];
  /** Worth saying, not worth stopping for (a stack over its shard size). */
  warnings: string[];
  budget: {
    description: string;
    admitted: number;
    queued: number;
    /** "28 of 32 new rooms this run; 4 next run at about 10:37 UTC: @a, @b, @c, @d" */
    sentence: string;
  };
}

export interface PlanningInput {
  roster: Roster;
  settings: SynthesisSettings;
  /** Rooms known from Terraform state by stack name; a stack with no entry had no state input. */
  knownRooms?: ReadonlyMap<string, KnownRooms>;
  /**
   * Only the roster's own checks (validate, migrate-shards' sizes): a course needs no instant and
   * opens nothing. Otherwise a course is planned at `settings.at` (`synth --at`), which it requires.
   */
  staticOnly?: boolean;
}

/** Once a room was made for a learner, the roster says so (rule 1). */
export function rosterSaysProvisioned(l: Learner): boolean {
  return l.provisioning.state === 'provisioned' || l.provisioning.provisioned_at !== undefined;
}

const FILE_PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;

function requiredFileProblems(field: string, files: readonly string[]): string[] {
  const problems: string[] = [];
  const slugs = new Map<string, string>();
  for (const [i, path] of files.entries()) {
    const where = `${field}[${i}]`;
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
  /** Roster position within the cohort: new shards are handed out in roster order. */
  order: number;
}

/** Everything known about one cohort while planning; turned into one plan per shard at the end. */
interface CohortWork {
  cohort: Cohort;
  base: Omit<
    CohortPlan,
    'stack' | 'shard' | 'rooms' | 'queued' | 'archived' | 'forget' | 'imports' | 'stateKnown' | 'roomsInState'
  >;
  rooms: (RoomPlan & { shard: number; order: number })[];
  /** A course's work (docs/course.md); the fields above for learners' rooms stay empty. */
  course?: CourseWork;
  archived: (ArchivedRoom & { shard: number })[];
  forget: { shard: number; addresses: string[] }[];
  candidates: Candidate[];
  /** Seats held per shard by learners who have one (not withdrawn). */
  held: Map<number, number>;
  /** State per shard. */
  states: Map<number, KnownRooms>;
  queued: (QueuedLearner & { shard: number })[];
}

export function planCohorts(input: PlanningInput): SynthesisPlan {
  const { roster, settings } = input;
  const errors: string[] = [];
  const warnings: string[] = [];
  const cohortIds = new Set(roster.cohorts.map((c) => c.cohort_id));
  for (const [i, l] of roster.learners.entries()) {
    if (!cohortIds.has(l.cohort_id))
      errors.push(`learners[${i}] "${l.github_handle}": cohort_id "${l.cohort_id}" is not a cohort of the roster`);
  }

  const at = settings.at !== undefined ? new Date(settings.at) : undefined;
  const provider = deriveProviderTuning(settings, settings.concurrentApplies ?? pacedProcessesAtOnce());
  const pacing = {
    readDelayMs: provider.read_delay_ms,
    writeDelayMs: provider.write_delay_ms,
    latencyMs: ASSUMED_LATENCY_MS,
  };
  const works: CohortWork[] = [];
  const named: { github_handle: string; cohort_id: string; repository: string }[] = [];

  for (const cohort of roster.cohorts) {
    const id = cohort.cohort_id;
    const templateName = cohort.template ?? settings.templateRepo;
    const template = parseFullName(templateName);
    if (!template) errors.push(`cohort ${id}: template: expected "owner/repository", found "${templateName}"`);
    const pattern = cohort.repository_pattern ?? settings.repositoryPattern;
    const patternProblem = cohort.repository_pattern !== undefined ? checkRepositoryPattern(pattern) : undefined;
    if (patternProblem) errors.push(`cohort ${id}: repository_pattern: ${patternProblem}`);
    errors.push(...requiredFileProblems(`cohort ${id}: required_files`, cohort.required_files ?? []));
    for (const a of cohort.assignments ?? [])
      if (a.required_files)
        errors.push(...requiredFileProblems(`cohort ${id}: assignment ${a.id}: required_files`, a.required_files));
    const requiredFiles = [...(cohort.required_files ?? [])];
    const course = isCourse(cohort) ? courseFigures(cohort, settings) : undefined;
    const perRun = Math.min(
      cohort.admission_budget ?? Infinity,
      course?.roomsPerRun ?? roomsPerRun(settings, requiredFiles.length),
    );
    const sizing = sizeShards({
      cohortId: id,
      set: settings.shardSize,
      setName: SETTINGS_ENV.shardSize,
      newRoomsPerRun: perRun,
      files: course?.files ?? requiredFiles.length,
      pacing,
    });
    if (sizing.problem) errors.push(sizing.problem);

    // State per shard, and where each learner's room is (a room in two states is an error: one would archive it).
    const states = new Map<number, KnownRooms>();
    for (const [stack, known] of input.knownRooms ?? []) {
      const parsed = parseStackName(stack);
      if (parsed.cohortId === id && stackName(id, parsed.shard) === stack) states.set(parsed.shard, known);
    }
    const roomAt = new Map<string, { shard: number; room: KnownRoom }>();
    for (const [shard, known] of [...states].sort((a, b) => a[0] - b[0])) {
      for (const room of known.rooms.values()) {
        const other = roomAt.get(room.handle);
        if (other)
          errors.push(
            `cohort ${id}: learner "${room.handle}" has resources in the state of two stacks, ${stackName(id, other.shard)} and ${stackName(id, shard)}: move them into one (terraform state mv) before synthesizing`,
          );
        else roomAt.set(room.handle, { shard, room });
      }
    }
    const stateGiven = states.size > 0;

    const work: CohortWork = {
      cohort,
      base: {
        cohort_id: id,
        shardSize: sizing.size,
        title: cohort.title,
        owner: settings.owner,
        template: template ?? { owner: settings.owner, repository: 'invalid' },
        requiredFiles,
        provider,
        ...(cohort.facilitators ? { facilitators: facilitatorSetup(cohort) } : {}),
      },
      rooms: [],
      archived: [],
      forget: [],
      candidates: [],
      held: new Map(),
      states,
      queued: [],
    };
    if (course) {
      if (at === undefined && !input.staticOnly)
        errors.push(
          `cohort ${id} has assignments: synthesis needs the instant to plan for (synth --at, or ${SETTINGS_ENV.at}; synth defaults to now)`,
        );
      const planned = planCourse({
        cohort,
        learners: roster.learners
          .map((learner, index) => ({ learner, index }))
          .filter((x) => x.learner.cohort_id === id),
        states,
        at: input.staticOnly ? undefined : at,
        settings,
        shardRooms: sizing.size,
      });
      errors.push(...planned.errors);
      warnings.push(...planned.warnings);
      named.push(...planned.named);
      work.course = planned.work;
      works.push(work);
      continue;
    }
    const hold = (shard: number) => work.held.set(shard, (work.held.get(shard) ?? 0) + 1);
    const seen = new Map<string, number>();
    const failed: Candidate[] = [];
    const pending: Candidate[] = [];
    const inRoster = new Set<string>();
    let order = 0;

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
      const located = roomAt.get(key);
      const room = located?.room;
      // A room that exists keeps its name even if the pattern changed since: a rename is not our call.
      const repository =
        learner.repository ?? room?.repository ?? repositoryNameFor(pattern, id, learner.github_handle);
      const nameProblem = repositoryNameProblem(repository);
      if (nameProblem) {
        errors.push(`learners[${i}] "${learner.github_handle}" (cohort ${id}): repository name: ${nameProblem}`);
        continue;
      }
      const recorded = learner.provisioning.shard;
      if (located && recorded !== undefined && recorded !== located.shard) {
        warnings.push(
          `cohort ${id}: learner "${learner.github_handle}" is recorded in shard ${recorded}, but the room is in the state of ${stackName(id, located.shard)}: it stays there (the next apply records shard ${located.shard})`,
        );
      }
      // Rule 5: state first (moving a room would archive it in one stack and clash in the other).
      const shard = located?.shard ?? recorded ?? (rosterSaysProvisioned(learner) ? 0 : undefined);

      if (learner.provisioning.state === 'archived') {
        const at = shard ?? 0;
        work.archived.push({
          github_handle: learner.github_handle,
          repository,
          why: 'withdrawn',
          inState: room?.kinds.has('repository') ?? false,
          shard: at,
        });
        // The post-step records last_outcome "archived" once the archive happened: nothing left to forget then.
        const done = learner.provisioning.last_outcome === 'archived' && !room;
        if (!done)
          work.forget.push({
            shard: at,
            addresses: forgetAddresses(learner.github_handle, requiredFiles, states.get(at), room),
          });
        continue;
      }
      named.push({ github_handle: learner.github_handle, cohort_id: id, repository });
      if (shard !== undefined) hold(shard);
      // Adoption: the roster names an existing repository. Import it unless state already holds
      // it; without state, unless the roster says it was provisioned (an import of an address
      // already in state is a no-op, so the crash case is safe too).
      const adopt =
        learner.repository !== undefined &&
        (stateGiven ? !room?.kinds.has('repository') : !rosterSaysProvisioned(learner));
      if (rosterSaysProvisioned(learner) || room?.kinds.has('repository')) {
        work.rooms.push({
          github_handle: learner.github_handle,
          cohort_id: id,
          repository,
          status: 'existing',
          ...(adopt ? { adopt } : {}),
          shard: shard ?? 0,
          order,
        });
      } else if (learner.provisioning.state === 'failed') {
        failed.push({ learner, repository, adopt, order });
      } else {
        pending.push({ learner, repository, adopt, order });
      }
      order++;
    }

    for (const [shard, known] of states) {
      for (const room of known.rooms.values()) {
        if (inRoster.has(room.handle)) continue;
        work.archived.push({
          github_handle: room.handle,
          repository: room.repository,
          why: 'not-in-roster',
          inState: room.kinds.has('repository'),
          shard,
        });
        work.forget.push({ shard, addresses: forgetAddresses(room.handle, requiredFiles, known, room) });
      }
    }
    work.candidates = [...failed, ...pending];
    works.push(work);
  }

  errors.push(...repositoryCollisions(named, settings.owner));
  const budget = admit(works, settings);
  const stacks = works.flatMap((w) => stackPlans(w));
  for (const w of works) {
    for (const [shard, n] of countRooms(w)) {
      if (n <= w.base.shardSize) continue;
      warnings.push(
        `cohort ${w.base.cohort_id}: stack ${stackName(w.base.cohort_id, shard)} holds ${n} rooms, more than the shard size ${w.base.shardSize}: its plans and applies may outlive the installation token's hour. Split it: learning-rooms migrate-shards --cohort ${w.base.cohort_id} --state-dir DIR (docs/scale.md, "Migration")`,
      );
    }
  }
  for (const plan of stacks) {
    const guard = removalGuardProblem(plan, settings);
    if (guard) errors.push(guard);
  }
  return { stacks, errors, warnings, budget };
}

function countRooms(w: CohortWork): Map<number, number> {
  const n = new Map<number, number>();
  for (const r of w.course?.rooms ?? w.rooms) n.set(r.shard, (n.get(r.shard) ?? 0) + 1);
  return n;
}

/** A course's figures for shard sizing and admission: its dearest room in required files, the rooms one run admits. */
function courseFigures(cohort: Cohort, settings: SynthesisSettings): { files: number; roomsPerRun: number } {
  const assignments = cohort.assignments ?? [];
  let files = courseRoomFiles(cohort.required_files?.length ?? 0, false);
  let cheapest = Infinity;
  for (const a of assignments) {
    const k = (a.required_files ?? cohort.required_files ?? []).length;
    const feedback = a.feedback_pull_request === true;
    files = Math.max(files, courseRoomFiles(k, feedback));
    cheapest = Math.min(
      cheapest,
      contentCreationPerCourseRoom({
        files: k,
        people: 1 + (cohort.facilitators?.handles?.length ?? 0),
        team: cohort.facilitators?.team !== undefined,
        feedback,
      }),
    );
  }
  const writes = contentCreationPerRun(settings);
  const perRun =
    settings.admissionBudget ?? (Number.isFinite(cheapest) ? Math.floor(writes / cheapest) : roomsPerRun(settings, 0));
  return { files, roomsPerRun: perRun };
}

/** The facilitators as a room carries them. */
function facilitatorSetup(cohort: Cohort): NonNullable<CohortPlan['facilitators']> {
  const f = cohort.facilitators;
  const permission = facilitatorPermission(f);
  return {
    people: (f?.handles ?? []).map((username) => ({ username, permission })),
    ...(f?.team ? { team: { id: f.team.id, permission } } : {}),
  };
}

/** One plan per shard that has rooms, archives, queued learners or state; shard 0 always. */
function stackPlans(w: CohortWork): CohortPlan[] {
  if (w.course) return courseStackPlans(w, w.course);
  const shards = new Set<number>([
    0,
    ...w.states.keys(),
    ...w.rooms.map((r) => r.shard),
    ...w.archived.map((a) => a.shard),
    ...w.queued.map((q) => q.shard),
  ]);
  return [...shards]
    .sort((a, b) => a - b)
    .map((shard) => {
      const known = w.states.get(shard);
      const rooms = w.rooms
        .filter((r) => r.shard === shard)
        .sort((a, b) => a.order - b.order)
        .map(({ shard: _s, order: _o, ...r }) => r);
      return {
        ...w.base,
        stack: stackName(w.base.cohort_id, shard),
        shard,
        rooms,
        queued: w.queued.filter((q) => q.shard === shard).map(({ shard: _s, ...q }) => q),
        archived: w.archived.filter((a) => a.shard === shard).map(({ shard: _s, ...a }) => a),
        forget: w.forget.filter((f) => f.shard === shard).flatMap((f) => f.addresses),
        imports: rooms
          .filter((r) => r.adopt)
          .map((r) => ({ to: repositoryAddress(r.github_handle), id: r.repository })),
        stateKnown: known !== undefined,
        roomsInState: known ? [...known.rooms.values()].filter((r) => r.kinds.has('repository')).length : undefined,
      };
    })
    .filter((p) => p.shard === 0 || p.rooms.length > 0 || p.archived.length > 0 || p.queued.length > 0 || p.stateKnown);
}

/** A course's stacks: one per shard it touches (rooms, queue, archives, learners, state); shard 0 always. */
function courseStackPlans(w: CohortWork, course: CourseWork): CohortPlan[] {
  const shards = new Set<number>([0, ...w.states.keys(), ...courseShards(course)]);
  return [...shards]
    .sort((a, b) => a - b)
    .map((shard) => {
      const known = w.states.get(shard);
      const part = courseStackPlan(course, shard);
      return {
        ...w.base,
        stack: stackName(w.base.cohort_id, shard),
        shard,
        rooms: [],
        queued: [],
        archived: [],
        forget: part.forget,
        imports: [],
        stateKnown: known !== undefined,
        roomsInState: known ? part.roomsInState : undefined,
        course: part.course,
      };
    })
    .filter(
      (p) =>
        p.shard === 0 ||
        p.stateKnown ||
        (p.course?.rooms.length ?? 0) > 0 ||
        (p.course?.queued.length ?? 0) > 0 ||
        (p.course?.archived.length ?? 0) > 0 ||
        (p.course?.learners.length ?? 0) > 0,
    );
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

/**
 * Admits this run's new learners (admission-budget.ts), gives each admitted newcomer a shard, and
 * places everyone still waiting in the queue with the run that admits them.
 */
function admit(works: CohortWork[], settings: SynthesisSettings): SynthesisPlan['budget'] {
  const explicit = settings.admissionBudget;
  const writes = contentCreationPerRun(settings);
  const courseWords = works.some((w) => w.course)
    ? "; a course's room 1 + P + K (+ 2 with a feedback pull request): the repository, each of its P people (learners, facilitators, a team), each file (the branch and the pull request)"
    : '';
  const description =
    explicit !== undefined
      ? `${SETTINGS_ENV.admissionBudget}=${explicit} new rooms per run`
      : `${writes} content-creating writes per run (${settings.contentWritesPerHour}/hour, a run every ${settings.runIntervalMinutes} min, ${Math.round((1 - CONTENT_CREATION_RESERVE) * 100)}% of it for new rooms), 2 + K per room: the repository, the invitation and each of the K files${courseWords}`;
  const groups: AdmissionGroup[] = works.map((w) =>
    w.course
      ? {
          cost: 0,
          costs: w.course.candidates.map((c) => c.cost),
          cap: w.cohort.admission_budget,
          waiting: w.course.candidates.length,
        }
      : {
          cost: contentCreationPerRoom(w.base.requiredFiles.length),
          cap: w.cohort.admission_budget,
          waiting: w.candidates.length,
        },
  );
  const runs = admissionRuns(groups, { rooms: explicit, writes });
  const thisRun = runs[0] ?? works.map(() => 0);

  let admitted = 0;
  works.forEach((w, g) => {
    if (w.course) {
      admitted += thisRun[g];
      return; // placed below, once the queue's order is known
    }
    const taken = w.candidates.slice(0, thisRun[g]);
    admitted += taken.length;
    const newcomers = taken.filter((c) => c.learner.provisioning.shard === undefined).sort((a, b) => a.order - b.order);
    const given = assignShards(
      w.held,
      newcomers.map((c) => foldHandle(c.learner.github_handle)),
      w.base.shardSize,
    );
    for (const c of taken) {
      const shard = c.learner.provisioning.shard ?? given.get(foldHandle(c.learner.github_handle)) ?? 0;
      w.rooms.push({
        github_handle: c.learner.github_handle,
        cohort_id: w.base.cohort_id,
        repository: c.repository,
        status: 'new',
        ...(c.adopt ? { adopt: true } : {}),
        shard,
        order: c.order,
      });
    }
  });

  // The queue in admission order: run by run, round by round, one learner of each cohort per round.
  const order: QueuedName[] = [];
  const nextOf = works.map((_, g) => thisRun[g]);
  runs.slice(1).forEach((taken, r) => {
    const rounds = Math.max(0, ...taken);
    for (let k = 0; k < rounds; k++) {
      works.forEach((w, g) => {
        if (k >= taken[g]) return;
        order.push({ ...queueName(w, nextOf[g] + k), run: r + 1, position: order.length + 1 });
      });
    }
    taken.forEach((n, g) => (nextOf[g] += n));
  });
  works.forEach((w, g) => {
    const waiting = w.course ? w.course.candidates.length : w.candidates.length;
    for (let i = nextOf[g]; i < waiting; i++) order.push({ ...queueName(w, i), position: order.length + 1 });
  });
  const placed = new Map(order.map((q) => [queueKey(q.cohort_id, q), q]));

  works.forEach((w, g) => {
    const cap = w.cohort.admission_budget;
    const reason =
      cap !== undefined && thisRun[g] >= cap
        ? `queued: cohort ${w.base.cohort_id} admits at most ${cap} new rooms per run (admission_budget); a later run provisions it`
        : `queued: the admission budget (${description}) is spent for this run; a later run provisions it`;
    const placeOf = (q: QueuedName | undefined) => {
      const at = q?.run !== undefined ? runTime(settings.runStartedAt, settings.runIntervalMinutes, q.run) : undefined;
      return {
        position: q?.position ?? 0,
        ...(q?.run !== undefined ? { run: q.run } : {}),
        ...(at ? { expected_at: at.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
      };
    };
    if (w.course) {
      const id = w.base.cohort_id;
      admitCourse(w.course, thisRun[g], (key) => placeOf(placed.get(`${id}\u0000room:${key}`)), reason);
      return;
    }
    for (const c of w.candidates.slice(thisRun[g])) {
      const q = placed.get(`${w.base.cohort_id}\u0000${foldHandle(c.learner.github_handle)}`);
      w.queued.push({
        github_handle: c.learner.github_handle,
        cohort_id: w.base.cohort_id,
        repository: c.repository,
        reason,
        queue: placeOf(q),
        shard: c.learner.provisioning.shard ?? 0,
      });
    }
  });
  const sentence = admissionSentence({
    admitted,
    queue: order,
    startedAt: settings.runStartedAt,
    intervalMinutes: settings.runIntervalMinutes,
  });
  return { description, admitted, queued: order.length, sentence };
}

/** The queue's name for a cohort's i-th waiting learner, or course room. */
function queueName(w: CohortWork, i: number): Omit<QueuedName, 'position'> & { room?: string } {
  if (w.course) {
    const c = w.course.candidates[i];
    return { github_handle: c.owner, cohort_id: w.base.cohort_id, label: c.label, room: c.room.key };
  }
  return { github_handle: w.candidates[i].learner.github_handle, cohort_id: w.base.cohort_id };
}

function queueKey(cohortId: string, q: QueuedName & { room?: string }): string {
  return q.room !== undefined ? `${cohortId}\u0000room:${q.room}` : `${cohortId}\u0000${foldHandle(q.github_handle)}`;
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
  // A course's end is confirmed in the roster (course-plan.ts endOfCourseGuard); other archives count.
  const leaving = plan.course
    ? plan.course.archived
        .filter((a) => a.inState && a.why !== 'end-of-course')
        .map((a) => ({
          github_handle: a.team ? `${a.team} (${a.assignment})` : `${a.members[0] ?? a.key} (${a.assignment})`,
        }))
    : plan.archived.filter((a) => a.inState);
  const where = plan.stack === plan.cohort_id ? plan.cohort_id : `${plan.cohort_id} (stack ${plan.stack})`;
  return massArchiveProblem(
    where,
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
