/**
 * The roster of record: one canonical JSON document in the operator's admin repository.
 * These types mirror `roster.schema.json`; the schema is the contract, these are its TypeScript view.
 */

export const SUPPORTED_FORMAT_VERSIONS = [1] as const;
export type FormatVersion = (typeof SUPPORTED_FORMAT_VERSIONS)[number];

export const PROVISIONING_STATES = ['pending', 'provisioned', 'failed', 'archived'] as const;
export type ProvisioningState = (typeof PROVISIONING_STATES)[number];

/** What one apply did for one learner (the provisioning log's vocabulary). */
export const PROVISIONING_OUTCOMES = [
  'created',
  'already-exists',
  'healed',
  'access-changed',
  'archived',
  'queued',
  'failed',
] as const;
export type ProvisioningOutcome = (typeof PROVISIONING_OUTCOMES)[number];

export const FAILURE_CAUSES = [
  'rate-limit',
  'permission',
  'name-clash',
  'not-found',
  'network-or-server',
  'other',
] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

export const PROGRESS_STATUSES = [
  'unknown',
  'room-missing',
  'invited',
  'invitation-expired',
  'not-started',
  'acknowledged',
  'day1-complete',
  'in-progress',
  'complete',
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export interface Provisioning {
  state: ProvisioningState;
  /**
   * The shard (one Terraform stack of the cohort) holding the learner's room: assigned once, when
   * the learner is admitted, and recorded by the post-step; it never changes afterwards (only
   * `learning-rooms migrate-shards` moves a room, with its state). Absent: not assigned yet, or a
   * room made before shards existed (shard 0).
   */
  shard?: number;
  /** The outcome of the last apply that concerned this learner. */
  last_outcome?: ProvisioningOutcome;
  /** Run id of that apply (joins to provisioning-log.json). */
  last_run_id?: string;
  /** When the state last changed (ISO 8601). */
  updated_at?: string;
  /** First time a room was created for this learner; never cleared once set. */
  provisioned_at?: string;
  /** For a failure: the cause class. */
  cause?: FailureCause;
  /** For a failure or a queued learner: a short, non-secret explanation. */
  detail?: string;
}

export interface Progress {
  status: ProgressStatus;
  /** When the status was last derived (ISO 8601). */
  updated_at?: string;
  /** When the learner entered the current status; drives "stuck longest". */
  since?: string;
  challenges_closed?: number;
  challenges_total?: number;
}

/** The repository permissions a collaborator can hold, in the provider's (and the collaborators API's) names. */
export const COLLABORATOR_PERMISSIONS = ['pull', 'triage', 'push', 'maintain', 'admin'] as const;
export type CollaboratorPermission = (typeof COLLABORATOR_PERMISSIONS)[number];

/** What happens to a course's rooms at its end (docs/course.md). */
export const END_OF_COURSE_MODES = ['archive', 'hand-over', 'portfolio'] as const;
export type EndOfCourseMode = (typeof END_OF_COURSE_MODES)[number];

/** A team of a group assignment, set by the teacher: one room, every member a collaborator. */
export interface Team {
  /** Names the room and its resources: lower-case letters, digits and single hyphens. */
  name: string;
  /** GitHub logins of learners of the cohort, as GitHub spells them. */
  members: string[];
  /** The shard holding the team's room: given when the room is admitted, recorded by the post-step, never changed. */
  shard?: number;
}

/** One assignment of a course: one room per learner (or per team) once it opens. */
export interface Assignment {
  /** Names the rooms and their resources: a lower-case letter, then letters, digits and single hyphens. */
  id: string;
  title?: string;
  /** "owner/repo" of the starter code; default the cohort's template. */
  template?: string;
  /** The template's commit, tag or branch the starter code is at (read by propose-update). */
  template_ref?: string;
  /** Room name pattern with {assignment}, {cohort} and {handle} (or {team} for a group assignment). */
  repository_pattern?: string;
  /**
   * The names of existing repositories the rooms adopt (a course moved from GitHub Classroom):
   * `<classroom prefix>-{handle}` (the handle as the roster spells it), or `-{team}` for a group
   * assignment. Given, it names the assignment's rooms instead of `repository_pattern`.
   */
  adopt_pattern?: string;
  /** Paths under required-files/ written into every room of the assignment; default the cohort's. */
  required_files?: string[];
  /** When the rooms are made (ISO 8601 date and time). */
  opens: string;
  /** When the work is due (shown to people; access changes only at the cutoff). */
  due: string;
  /** When write access ends: every learner drops from push to pull (read). Absent: never before the end of course. */
  cutoff?: string;
  /** A group assignment: the teams, one room each. */
  teams?: Team[];
  /** A "Feedback" pull request from the default branch into a `feedback` branch, made at provisioning. */
  feedback_pull_request?: boolean;
}

/** Who helps teach a cohort: collaborators on every room of the cohort, never organisation owners. */
export interface Facilitators {
  /** GitHub logins, as GitHub spells them. */
  handles?: string[];
  /** An organisation team, by its numeric id (the slug only for people reading the roster). */
  team?: { id: number; slug?: string };
  /** Their permission on every room; default "maintain". */
  permission?: CollaboratorPermission;
}

/** The end of a course: every room archived, handed over to its learners, or published as a portfolio. */
export interface EndOfCourse {
  at: string;
  mode: EndOfCourseMode;
  /** The removal guard's confirmation: the end of course changes every room of the cohort at once. */
  allow_mass_change?: boolean;
}

export interface Learner {
  github_handle: string;
  cohort_id: string;
  /** The learning path the learner follows (free identifier such as "web" or "accessibility"). */
  path: string;
  /** An existing repository to adopt instead of the name the cohort's pattern gives (migration). */
  repository?: string;
  /** Personal data: never published (see redact). */
  name?: string;
  email?: string;
  /** The school's student id (a gradebook's SIS or ID number column); personal data, never published. */
  student_id?: string;
  notes?: string;
  /** Per assignment id: this learner's own cutoff (ISO 8601), later than the assignment's. */
  extensions?: Record<string, string>;
  provisioning: Provisioning;
  progress?: Progress;
}

/** Who may let a registration from the public front door into the roster: nobody but a facilitator, or the tool itself. */
export const ENROLMENT_REVIEWS = ['auto', 'manual'] as const;
export type EnrolmentReview = (typeof ENROLMENT_REVIEWS)[number];

/**
 * A cohort's rule for registrations through the public front door (docs/roster.md, "Enrolment"). A
 * cohort without one takes no registration there. `opens` and `closes` are a date (UTC: from the
 * start of `opens`, to the end of `closes`) or a date and time with its zone.
 */
export interface Enrolment {
  /** auto: accepted registrations are enrolled without a person; manual: a facilitator merges them. */
  review: EnrolmentReview;
  opens?: string;
  closes?: string;
  /** Only these GitHub accounts may register (compared case-insensitively). */
  allowed_handles?: string[];
  /** sha256 of the enrolment code (`learning-rooms enrolment-code` writes it); the code itself is never stored. */
  code_sha256?: string;
}

export interface Cohort {
  cohort_id: string;
  /** Human title, for reports. */
  title?: string;
  /** "owner/repo" of the template; defaults to LEARNING_ROOM_TEMPLATE_REPO. */
  template?: string;
  /**
   * The template commit the cohort's rooms hold (a full SHA): set by `propose-update --record-current`,
   * moved to the template's head when a round of starter-code updates has reached every room.
   */
  template_ref?: string;
  /** Repository name pattern with {cohort} and {handle}; default "{cohort}-{handle}". */
  repository_pattern?: string;
  /** Paths under required-files/ copied to the same path in every room of the cohort. */
  required_files?: string[];
  /** Label that marks challenge issues in a room; default "challenge". */
  challenge_label?: string;
  /** Most learners admitted per run; default derived from GitHub's content-creation limit. */
  admission_budget?: number;
  /** ISO date the cohort starts, for reports. */
  starts_on?: string;
  /** Registration through the public front door; none: this cohort takes no registration there. */
  enrolment?: Enrolment;
  notes?: string;
  /** A course: one room per open assignment instead of one room per learner (docs/course.md). */
  assignments?: Assignment[];
  facilitators?: Facilitators;
  end_of_course?: EndOfCourse;
}

export interface Roster {
  format_version: FormatVersion;
  cohorts: Cohort[];
  learners: Learner[];
}

/**
 * One problem found in a roster. Every field is meant for the operator's eyes; `path` and
 * `learner.index` count from 0 (they address the JSON), the human line counts learners from 1.
 */
export interface RosterError {
  /** JSON path into the document, e.g. `learners[3].cohort_id`. */
  path: string;
  /** Learner position (0-based, the index in `learners`) and handle when the problem belongs to a learner. */
  learner?: { index: number; handle?: string };
  /** What was expected, in words. */
  expected: string;
  /** The value found, rendered short (or "nothing" when missing). */
  found: string;
  /** What to write instead, when the tool can tell ("drop the @: write \"alice\"", "did you mean ..."). */
  hint?: string;
  /**
   * Where in the file (1-based): for a JSON syntax or encoding problem (path "(document)") the
   * place it stops being JSON; for any other problem, where the field or value is written.
   */
  line?: number;
  column?: number;
}

/** Something that is allowed but probably a typo (a path only one learner has): said, not refused. */
export interface RosterNote {
  path: string;
  learner?: { index: number; handle?: string };
  line?: number;
  column?: number;
  note: string;
}
