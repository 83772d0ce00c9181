import { learnerKey } from './handle';
import { Learner, Progress, Provisioning, Roster } from './types';

/** What an upsert may carry: the identity key, and any fields to set or merge. */
export type LearnerPatch = Pick<Learner, 'github_handle' | 'cohort_id'> &
  Partial<Omit<Learner, 'github_handle' | 'cohort_id' | 'provisioning' | 'progress'>> & {
    provisioning?: Partial<Provisioning>;
    progress?: Partial<Progress>;
  };

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

function mergeLearner(existing: Learner | undefined, patch: LearnerPatch): Learner {
  const { provisioning: provPatch, progress: progPatch, ...fields } = patch;
  const base: Learner = existing ?? {
    github_handle: patch.github_handle,
    cohort_id: patch.cohort_id,
    path: '',
    provisioning: { state: 'pending' },
  };
  const merged: Learner = { ...base };
  for (const [k, v] of Object.entries(fields) as [keyof typeof fields, unknown][]) {
    // The stored spelling of a handle stays: identity is case-insensitive and a case change is not news.
    if (k === 'github_handle' && existing) continue;
    if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
  }
  if (provPatch) {
    const provisioning: Provisioning = { ...base.provisioning };
    for (const [k, v] of Object.entries(provPatch)) {
      if (v !== undefined) (provisioning as unknown as Record<string, unknown>)[k] = v;
    }
    // History is never dropped: the first provisioning time survives any later patch.
    provisioning.provisioned_at = earliest(base.provisioning.provisioned_at, provPatch.provisioned_at);
    if (provisioning.provisioned_at === undefined) delete provisioning.provisioned_at;
    if (provPatch.state !== undefined && provisioning.state !== 'failed') {
      // A cause and its detail explain a failure; a later success must not carry the old ones.
      if (provPatch.cause === undefined) delete provisioning.cause;
      if (provPatch.detail === undefined) delete provisioning.detail;
    }
    merged.provisioning = provisioning;
  }
  if (progPatch) {
    const progress = { ...(base.progress ?? { status: 'unknown' }) } as Progress;
    for (const [k, v] of Object.entries(progPatch)) {
      if (v !== undefined) (progress as unknown as Record<string, unknown>)[k] = v;
    }
    merged.progress = progress;
  }
  return merged;
}

/**
 * Inserts or merges learners by identity key (handle case-insensitive, cohort). Pure: returns a new
 * roster. Fields in a patch replace the stored ones; provisioning and progress merge field by field;
 * new learners are appended in patch order, existing ones keep their place.
 */
export function upsertLearners(roster: Roster, patches: LearnerPatch[]): Roster {
  const learners = roster.learners.slice();
  const position = new Map<string, number>();
  learners.forEach((l, i) => position.set(learnerKey(l.github_handle, l.cohort_id), i));
  for (const patch of patches) {
    const key = learnerKey(patch.github_handle, patch.cohort_id);
    const at = position.get(key);
    if (at === undefined) {
      position.set(key, learners.length);
      learners.push(mergeLearner(undefined, patch));
    } else {
      learners[at] = mergeLearner(learners[at], patch);
    }
  }
  return { ...roster, learners };
}

export function upsertLearner(roster: Roster, patch: LearnerPatch): Roster {
  return upsertLearners(roster, [patch]);
}

export function findLearner(roster: Roster, handle: string, cohortId: string): Learner | undefined {
  const key = learnerKey(handle, cohortId);
  return roster.learners.find((l) => learnerKey(l.github_handle, l.cohort_id) === key);
}
