/**
 * A course as the roster declares it, read at an instant: which assignments are open, each
 * learner's cutoff (their extension, else the assignment's), the permission each member of a room
 * holds, and where the end of course stands. Pure: the instant is always a parameter, never the
 * clock, so a plan can be previewed for any time (`synth --at`). Synthesis, the plan comment and
 * the dashboard read the course through these functions (docs/course.md).
 */
import { foldHandle } from './handle';
import type {
  Assignment,
  CollaboratorPermission,
  Cohort,
  EndOfCourseMode,
  Facilitators,
  Learner,
  Roster,
  Team,
} from './types';

/** A cohort with `assignments` (even an empty list) is a course: one room per open assignment, not one per learner. */
export function isCourse(cohort: Pick<Cohort, 'assignments'>): boolean {
  return cohort.assignments !== undefined;
}

/** A group assignment lists its teams (even none yet): one room per team. */
export function isGroupAssignment(a: Pick<Assignment, 'teams'>): boolean {
  return a.teams !== undefined;
}

export const DEFAULT_INDIVIDUAL_PATTERN = '{cohort}-{assignment}-{handle}';
export const DEFAULT_TEAM_PATTERN = '{cohort}-{assignment}-{team}';
export const DEFAULT_FACILITATOR_PERMISSION: CollaboratorPermission = 'maintain';
/** The branch and title of the feedback pull request, as GitHub Classroom named them. */
export const FEEDBACK_BRANCH = 'feedback';
export const FEEDBACK_TITLE = 'Feedback';
export const FEEDBACK_BODY =
  'This pull request is where your teachers give feedback on your work. It compares your work on the default branch ' +
  'with the starter code (the `feedback` branch), so they can comment on any line you changed. Do not merge or close it.';

/** The assignment's repository name pattern, the given one or the default of its kind. */
export function assignmentPattern(a: Pick<Assignment, 'repository_pattern' | 'teams'>): string {
  return a.repository_pattern ?? (isGroupAssignment(a) ? DEFAULT_TEAM_PATTERN : DEFAULT_INDIVIDUAL_PATTERN);
}

/** Why an assignment's pattern cannot name its rooms, or undefined. */
export function assignmentPatternProblem(a: Pick<Assignment, 'repository_pattern' | 'teams'>): string | undefined {
  const pattern = assignmentPattern(a);
  const owner = isGroupAssignment(a) ? '{team}' : '{handle}';
  const other = isGroupAssignment(a) ? '{handle}' : '{team}';
  const placeholders = pattern.match(/\{[^}]*\}/g) ?? [];
  const unknown = placeholders.filter((p) => !['{cohort}', '{assignment}', owner].includes(p));
  if (unknown.length > 0) {
    const why = unknown.includes(other)
      ? ` (${other} names the rooms of ${isGroupAssignment(a) ? 'an individual' : 'a group'} assignment)`
      : '';
    return `expected only the placeholders {cohort}, {assignment} and ${owner}, found ${unknown.join(', ')} in "${pattern}"${why}`;
  }
  if (!pattern.includes(owner))
    return `expected a pattern containing ${owner} (one room per ${isGroupAssignment(a) ? 'team' : 'learner'}), found "${pattern}"`;
  if (!/^[A-Za-z0-9._-]*$/.test(pattern.replace(/\{cohort\}|\{assignment\}|\{handle\}|\{team\}/g, '')))
    return `expected only A-Za-z0-9 . _ - around the placeholders, found "${pattern}"`;
  return undefined;
}

/** The longest owner a room can have: a GitHub login, or a team name (both at most 39 characters). */
const LONGEST_OWNER = 39;

/**
 * Why an assignment's `adopt_pattern` cannot name the existing repositories its rooms adopt, or
 * undefined: exactly one placeholder, `{handle}` for an individual assignment or `{team}` for a
 * group one, and around it only what GitHub accepts in a repository name, short enough for the
 * longest login (at most 100 characters in all).
 */
export function adoptPatternProblem(a: Pick<Assignment, 'adopt_pattern' | 'teams'>): string | undefined {
  const pattern = a.adopt_pattern;
  if (pattern === undefined) return undefined;
  const group = isGroupAssignment(a);
  const owner = group ? '{team}' : '{handle}';
  const other = group ? '{handle}' : '{team}';
  const placeholders = pattern.match(/\{[^}]*\}/g) ?? [];
  const unknown = placeholders.filter((p) => p !== owner);
  if (unknown.length > 0) {
    const why = unknown.includes(other)
      ? ` (${other} names the repositories of ${group ? 'an individual' : 'a group'} assignment)`
      : '';
    return `expected only the placeholder ${owner} (the existing repositories are named by ${group ? 'team' : "the learner's GitHub login"}), found ${unknown.join(', ')} in "${pattern}"${why}`;
  }
  if (placeholders.length !== 1)
    return `expected ${owner} exactly once (one existing repository per ${group ? 'team' : 'learner'}, such as "<classroom prefix>-${owner}"), found ${placeholders.length === 0 ? 'none' : placeholders.length} in "${pattern}"`;
  const around = pattern.replace(owner, '');
  if (!/^[A-Za-z0-9._-]*$/.test(around) || /[{}]/.test(around))
    return `expected only A-Za-z0-9 . _ - around ${owner} (what GitHub accepts in a repository name), found "${pattern}"`;
  if (around.length + LONGEST_OWNER > 100)
    return `expected at most ${100 - LONGEST_OWNER} characters around ${owner} (a repository name has at most 100, a ${group ? 'team name' : 'GitHub login'} up to ${LONGEST_OWNER}), found ${around.length} in "${pattern}"`;
  return undefined;
}

/**
 * The name of the existing repository a room adopts: the assignment's `adopt_pattern` with the
 * learner's handle as the roster spells it (import-classroom writes it as Classroom exported it,
 * the spelling GitHub gave the repository), or the team's name; undefined without an adopt_pattern.
 */
export function adoptedRepositoryName(a: Pick<Assignment, 'adopt_pattern'>, owner: string): string | undefined {
  return a.adopt_pattern?.replace(/\{handle\}|\{team\}/g, owner);
}

/** A room's repository name: the assignment's pattern with the cohort, the assignment and the lower-cased handle (or the team). */
export function assignmentRepositoryName(
  cohortId: string,
  a: Pick<Assignment, 'id' | 'repository_pattern' | 'teams'>,
  owner: string,
): string {
  const value = isGroupAssignment(a) ? owner : foldHandle(owner);
  return assignmentPattern(a)
    .replace(/\{cohort\}/g, cohortId)
    .replace(/\{assignment\}/g, a.id)
    .replace(/\{handle\}|\{team\}/g, value);
}

const time = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
};

/** Rooms of an assignment are made once it opens. */
export function hasOpened(a: Pick<Assignment, 'opens'>, at: Date): boolean {
  const opens = time(a.opens);
  return opens !== undefined && opens <= at.getTime();
}

/** The learner's cutoff for the assignment: their extension, else the assignment's; undefined: no cutoff. */
export function effectiveCutoff(
  a: Pick<Assignment, 'id' | 'cutoff'>,
  learner: Pick<Learner, 'extensions'> | undefined,
): string | undefined {
  return learner?.extensions?.[a.id] ?? a.cutoff;
}

/** Whether the cutoff has passed at `at` (the cutoff instant itself counts as passed). */
export function cutoffPassed(cutoff: string | undefined, at: Date): boolean {
  const t = time(cutoff);
  return t !== undefined && t <= at.getTime();
}

/**
 * Where a course's end stands at `at`, room by room:
 * - `running`: before `end_of_course.at` (or none declared);
 * - `hand-over`: the members become admin (mode hand-over), in one apply...
 * - `publish`: ...or the room becomes public (mode portfolio);
 * - `archive`: the room is archived (mode archive at once; the others once their first step is in state).
 * An archived repository refuses every change, so the first step and the archive are separate applies.
 */
export type EndStep = 'running' | 'hand-over' | 'publish' | 'archive';

export function endOfCourseReached(cohort: Pick<Cohort, 'end_of_course'>, at: Date): boolean {
  const end = time(cohort.end_of_course?.at);
  return end !== undefined && end <= at.getTime();
}

/** The first step of the end of course for a mode (archive has only one). */
export function firstEndStep(mode: EndOfCourseMode): Exclude<EndStep, 'running'> {
  return mode === 'hand-over' ? 'hand-over' : mode === 'portfolio' ? 'publish' : 'archive';
}

/** A member's permission on a room at `at`: push until the cutoff, pull (read) from it, admin when handed over. */
export function memberPermission(cutoff: string | undefined, at: Date, step: EndStep): CollaboratorPermission {
  if (step === 'hand-over') return 'admin';
  return cutoffPassed(cutoff, at) ? 'pull' : 'push';
}

/** The facilitators' permission (default maintain). */
export function facilitatorPermission(f: Facilitators | undefined): CollaboratorPermission {
  return f?.permission ?? DEFAULT_FACILITATOR_PERMISSION;
}

/** The team's members who are learners of the cohort and not withdrawn, in the team's order and spelling. */
export function activeMembers(team: Team, active: ReadonlyMap<string, Learner>): Learner[] {
  const out: Learner[] = [];
  const seen = new Set<string>();
  for (const m of team.members) {
    const key = foldHandle(m);
    const l = active.get(key);
    if (l && !seen.has(key)) {
      seen.add(key);
      out.push(l);
    }
  }
  return out;
}

/** One coming cutoff: who loses write access to which assignment's rooms, and when. */
export interface UpcomingCutoff {
  cohort_id: string;
  assignment: string;
  title?: string;
  /** ISO 8601. */
  at: string;
  /** Learners (roster spelling) who drop from push to pull then. */
  learners: string[];
  /** For a group assignment: the teams whose rooms those learners are in. */
  teams?: string[];
}

/**
 * Cutoffs after `at` and at most `withinMs` later, from the roster alone: per cohort, assignment and
 * instant, the learners (not withdrawn) whose cutoff it is, an extension moving a learner to its own
 * line. A learner of a group assignment counts when in a team. Sorted by time, then cohort and assignment.
 */
export function upcomingCutoffs(roster: Roster, at: Date, withinMs: number): UpcomingCutoff[] {
  const from = at.getTime();
  const until = from + withinMs;
  const byKey = new Map<string, UpcomingCutoff>();
  for (const cohort of roster.cohorts) {
    if (cohort.end_of_course && endOfCourseReached(cohort, at)) continue;
    const learners = roster.learners.filter(
      (l) => l.cohort_id === cohort.cohort_id && l.provisioning.state !== 'archived',
    );
    const active = new Map(learners.map((l) => [foldHandle(l.github_handle), l]));
    for (const a of cohort.assignments ?? []) {
      const add = (l: Learner, team?: string) => {
        const cutoff = effectiveCutoff(a, l);
        const t = time(cutoff);
        if (cutoff === undefined || t === undefined || t <= from || t > until) return;
        const key = `${cohort.cohort_id}\u0000${a.id}\u0000${t}`;
        let u = byKey.get(key);
        if (!u) {
          u = {
            cohort_id: cohort.cohort_id,
            assignment: a.id,
            ...(a.title ? { title: a.title } : {}),
            at: new Date(t).toISOString(),
            learners: [],
          };
          byKey.set(key, u);
        }
        u.learners.push(l.github_handle);
        if (team !== undefined) {
          u.teams = u.teams ?? [];
          if (!u.teams.includes(team)) u.teams.push(team);
        }
      };
      if (isGroupAssignment(a))
        for (const team of a.teams ?? []) for (const l of activeMembers(team, active)) add(l, team.name);
      else for (const l of learners) add(l);
    }
  }
  return [...byKey.values()].sort(
    (x, y) =>
      Date.parse(x.at) - Date.parse(y.at) ||
      x.cohort_id.localeCompare(y.cohort_id) ||
      x.assignment.localeCompare(y.assignment),
  );
}

export const UPCOMING_CUTOFF_DAYS = 7;
export const DAY_MS = 86_400_000;
