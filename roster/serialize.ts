import {
  Assignment,
  Cohort,
  EndOfCourse,
  Enrolment,
  Facilitators,
  Learner,
  Progress,
  Provisioning,
  Roster,
  Team,
} from './types';

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
  'assignments',
  'facilitators',
  'end_of_course',
];
const ASSIGNMENT_KEYS: (keyof Assignment)[] = [
  'id',
  'title',
  'template',
  'template_ref',
  'repository_pattern',
  'adopt_pattern',
  'required_files',
  'opens',
  'due',
  'cutoff',
  'feedback_pull_request',
  'teams',
];
const TEAM_KEYS: (keyof Team)[] = ['name', 'members', 'shard'];
const FACILITATOR_KEYS: (keyof Facilitators)[] = ['handles', 'team', 'permission'];
const END_KEYS: (keyof EndOfCourse)[] = ['at', 'mode', 'allow_mass_change'];
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
  'extensions',
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

function canonicalLearner(l: Learner): Learner {
  const out = ordered(l, LEARNER_KEYS);
  out.provisioning = ordered(l.provisioning, PROVISIONING_KEYS);
  if (l.progress) out.progress = ordered(l.progress, PROGRESS_KEYS);
  return out;
}

/** A cohort's enrolment rule and a course's parts (docs/course.md) in canonical order too. */
function canonicalCohort(c: Cohort): Cohort {
  const out = ordered(c, COHORT_KEYS);
  if (c.enrolment) out.enrolment = ordered(c.enrolment, ENROLMENT_KEYS);
  if (c.assignments)
    out.assignments = c.assignments.map((a) => {
      const o = ordered(a, ASSIGNMENT_KEYS);
      if (a.teams) o.teams = a.teams.map((t) => ordered(t, TEAM_KEYS));
      return o;
    });
  if (c.facilitators) {
    out.facilitators = ordered(c.facilitators, FACILITATOR_KEYS);
    if (c.facilitators.team) out.facilitators.team = ordered(c.facilitators.team, ['id', 'slug']);
  }
  if (c.end_of_course) out.end_of_course = ordered(c.end_of_course, END_KEYS);
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
