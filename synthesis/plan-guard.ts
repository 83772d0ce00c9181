/**
 * Second line of defence, on the Terraform plan itself (`terraform show -json tfplan`): a plan
 * that would archive (destroy, or replace) the repository of a learner who is still in the roster
 * is refused, whatever went wrong upstream (a stale roster state, a lost state input, a bug).
 * The removal guard's share rule is checked here too, because the plan sees every room in state
 * even when synthesis had no state input.
 */
import { parseRoomAddress } from '../contracts/room-addresses';
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

/** From a learner index: everyone except learners archived on purpose. */
export function wantedFromIndex(index: LearnerIndex): WantedLearners {
  return wanted(
    index.learners
      .filter((l) => !isArchivedEntry(l))
      .map((l) => ({ github_handle: l.github_handle, cohort_id: l.cohort_id, repository: l.repository })),
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
    const name = repositoryName(rc.change.before);
    const w =
      (parsed && wantedLearners.byHandle.get(parsed.handle)) ??
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

/** Repositories the plan removes, and how many existed before it (every github_repository not being created). */
export function plannedArchives(plan: PlanResourceChanges): { archived: string[]; existing: number } {
  const archived: string[] = [];
  let existing = 0;
  for (const rc of plan.resource_changes) {
    if (rc.type !== 'github_repository' || (rc.mode !== undefined && rc.mode !== 'managed')) continue;
    const a = rc.change.actions;
    if (!(a.length === 1 && a[0] === 'create')) existing++;
    if (isRemoval(a))
      archived.push(parseRoomAddress(rc.address)?.handle ?? repositoryName(rc.change.before) ?? rc.address);
  }
  return { archived, existing };
}
