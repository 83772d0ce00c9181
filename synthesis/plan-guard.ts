/**
 * Second line of defence, on the Terraform plan itself (`terraform show -json tfplan`): a plan
 * that would archive (destroy, or replace) the repository of a learner who is still in the roster
 * is refused, whatever went wrong upstream (a stale roster state, a lost state input, a bug).
 * The removal guard's share rule is checked here too, because the plan sees every room in state
 * even when synthesis had no state input.
 */
import { parseCourseRoomAddress, parseRoomAddress } from '../contracts/room-addresses';
import { roomRepositoryName } from '../contracts/room-names';
import { isArchivedEntry, LearnerIndex } from '../contracts/learner-index';
import type { PlanResourceChanges } from '../contracts/terraform-plan';
import type { Roster } from '../roster/types';
import { foldHandle } from '../roster/handle';

export interface WantedLearner {
  github_handle: string;
  cohort_id: string;
  repository?: string;
}

/** Learners who must keep a live room, by lower-cased handle and by lower-cased repository name. */
export interface WantedLearners {
  byHandle: Map<string, WantedLearner>;
  byRepository: Map<string, WantedLearner>;
  /** A course's rooms that must stay live, by room key (`<assignment>--<owner>`). */
  byRoom?: Map<string, WantedLearner>;
}

function wanted(list: WantedLearner[]): WantedLearners {
  const byHandle = new Map<string, WantedLearner>();
  const byRepository = new Map<string, WantedLearner>();
  for (const w of list) {
    byHandle.set(foldHandle(w.github_handle), w);
    if (w.repository) byRepository.set(w.repository.toLowerCase(), w);
  }
  return { byHandle, byRepository };
}

/** From a learner index: everyone except learners archived on purpose; a course's rooms except those archived on purpose. */
export function wantedFromIndex(index: LearnerIndex): WantedLearners {
  const w = wanted(
    index.learners
      .filter((l) => !isArchivedEntry(l) && l.repository !== '')
      .map((l) => ({ github_handle: l.github_handle, cohort_id: l.cohort_id, repository: l.repository })),
  );
  if (!index.course) return w;
  // A course's learner has no room of their own: only the rooms the index keeps are wanted.
  w.byHandle = new Map();
  w.byRoom = new Map();
  for (const r of index.course.rooms) {
    if (r.archived) continue;
    const who = {
      github_handle: r.team
        ? `${r.team} (${r.assignment})`
        : `${r.members[0]?.github_handle ?? r.key} (${r.assignment})`,
      cohort_id: index.cohort_id,
      repository: r.repository,
    };
    w.byRoom.set(r.key, who);
    if (r.repository) w.byRepository.set(r.repository.toLowerCase(), who);
  }
  return w;
}

/**
 * The repositories a course's index archives on purpose at the end of course, confirmed in the roster
 * (`end_of_course.allow_mass_change`): the removal guard's share does not count them (course-plan.ts
 * checked the confirmation when the end of course was declared).
 */
export function confirmedEndOfCourse(index: LearnerIndex): Set<string> {
  const end = index.course?.end_of_course;
  if (!end?.allow_mass_change || !end.reached) return new Set();
  return new Set(
    (index.course?.rooms ?? [])
      .filter((r) => r.archived && r.queued_reason === 'end-of-course')
      .map((r) => r.addresses.repository),
  );
}

/**
 * From a roster (optionally one cohort): everyone whose provisioning.state is not "archived", with
 * the repository name the cohort's pattern gives (`defaultPattern` when the cohort has none).
 */
export function wantedFromRoster(roster: Roster, cohortId: string | undefined, defaultPattern: string): WantedLearners {
  const cohorts = new Map(roster.cohorts.map((c) => [c.cohort_id, c]));
  return wanted(
    roster.learners
      .filter((l) => l.provisioning.state !== 'archived' && (cohortId === undefined || l.cohort_id === cohortId))
      .map((l) => ({
        github_handle: l.github_handle,
        cohort_id: l.cohort_id,
        repository: roomRepositoryName(l, cohorts.get(l.cohort_id), defaultPattern),
      })),
  );
}

export interface ArchiveRefusal {
  github_handle: string;
  cohort_id: string;
  address: string;
  actions: string[];
}

const isRemoval = (actions: string[]) => actions.includes('delete');

function repositoryName(before: unknown): string | undefined {
  const name = (before as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Every github_repository the plan would delete or replace whose learner is still wanted. */
export function planArchivesRosterLearner(plan: PlanResourceChanges, wantedLearners: WantedLearners): ArchiveRefusal[] {
  const refusals: ArchiveRefusal[] = [];
  for (const rc of plan.resource_changes) {
    if (
      rc.type !== 'github_repository' ||
      (rc.mode !== undefined && rc.mode !== 'managed') ||
      !isRemoval(rc.change.actions)
    )
      continue;
    const parsed = parseRoomAddress(rc.address);
    const room = parseCourseRoomAddress(rc.address);
    const name = repositoryName(rc.change.before);
    const w =
      (parsed && wantedLearners.byHandle.get(parsed.handle)) ??
      (room && wantedLearners.byRoom?.get(room.key)) ??
      (name ? wantedLearners.byRepository.get(name.toLowerCase()) : undefined);
    if (w)
      refusals.push({
        github_handle: w.github_handle,
        cohort_id: w.cohort_id,
        address: rc.address,
        actions: rc.change.actions,
      });
  }
  return refusals;
}

/**
 * Repositories the plan removes, and how many existed before it (every github_repository not being
 * created); `confirmed` (addresses) are left out of the removed: an end of course the roster confirmed.
 */
export function plannedArchives(
  plan: PlanResourceChanges,
  confirmed: ReadonlySet<string> = new Set(),
): { archived: string[]; existing: number; confirmed: number } {
  const archived: string[] = [];
  let existing = 0;
  let skipped = 0;
  for (const rc of plan.resource_changes) {
    if (rc.type !== 'github_repository' || (rc.mode !== undefined && rc.mode !== 'managed')) continue;
    const a = rc.change.actions;
    if (!(a.length === 1 && a[0] === 'create')) existing++;
    if (!isRemoval(a)) continue;
    if (confirmed.has(rc.address)) {
      skipped++;
      continue;
    }
    archived.push(
      parseRoomAddress(rc.address)?.handle ??
        parseCourseRoomAddress(rc.address)?.key ??
        repositoryName(rc.change.before) ??
        rc.address,
    );
  }
  return { archived, existing, confirmed: skipped };
}
