import { Cohort, Enrolment, Learner, Progress, Provisioning, Roster } from './types';

// Canonical key order, so that a document written by the tool and one edited by hand diff cleanly.
const COHORT_KEYS: (keyof Cohort)[] = [
  'cohort_id',
  'title',
  'template',
  'template_ref',
  'repository_pattern',
  'required_files',
  'challenge_label',
  'admission_budget',
  'starts_on',
  'enrolment',
  'notes',
];
const ENROLMENT_KEYS: (keyof Enrolment)[] = ['review', 'opens', 'closes', 'allowed_handles', 'code_sha256'];
const LEARNER_KEYS: (keyof Learner)[] = [
  'github_handle',
  'cohort_id',
  'path',
  'repository',
  'name',
  'email',
  'student_id',
  'notes',
  'provisioning',
  'progress',
];
const PROVISIONING_KEYS: (keyof Provisioning)[] = [
  'state',
  'shard',
  'last_outcome',
  'last_run_id',
  'updated_at',
  'provisioned_at',
  'cause',
  'detail',
];
const PROGRESS_KEYS: (keyof Progress)[] = ['status', 'updated_at', 'since', 'challenges_closed', 'challenges_total'];

function ordered<T extends object>(value: T, keys: (keyof T)[]): T {
  const out: Partial<T> = {};
  for (const k of keys) if (value[k] !== undefined) out[k] = value[k];
  return out as T;
}

function canonicalCohort(c: Cohort): Cohort {
  const out = ordered(c, COHORT_KEYS);
  if (c.enrolment) out.enrolment = ordered(c.enrolment, ENROLMENT_KEYS);
  return out;
}

function canonicalLearner(l: Learner): Learner {
  const out = ordered(l, LEARNER_KEYS);
  out.provisioning = ordered(l.provisioning, PROVISIONING_KEYS);
  if (l.progress) out.progress = ordered(l.progress, PROGRESS_KEYS);
  return out;
}

/** The roster with every object's keys in canonical order and undefined fields dropped. */
export function canonicalRoster(r: Roster): Roster {
  return {
    format_version: r.format_version,
    cohorts: r.cohorts.map(canonicalCohort),
    learners: r.learners.map(canonicalLearner),
  };
}

/**
 * Stable text: canonical key order, two-space indentation, one learner per block in the order the
 * operator keeps them, trailing newline. A change to one learner touches only that learner's lines.
 */
export function serializeRoster(r: Roster): string {
  return JSON.stringify(canonicalRoster(r), null, 2) + '\n';
}
