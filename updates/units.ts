/**
 * Which rooms a starter-code update concerns, from the roster and the naming rules alone (no
 * GitHub): one unit per template a set of rooms was made from, i.e. a cohort without assignments
 * (one room per learner, the cohort's template) or one assignment of a cohort (its own template,
 * rooms per learner or per team). Pure.
 */
import { roomRepositoryName } from '../contracts/room-names';
import type { Cohort, Learner, Roster } from '../roster/types';
import { assignmentRoomName, assignmentsOf, type AssignmentView } from './assignments';

export interface RoomTarget {
  repository: string;
  /** The learners whose room it is (one, or a team's members). */
  learners: string[];
}

export interface UpdateUnit {
  /** "cohort" or "cohort/assignment", for messages and results. */
  key: string;
  cohort_id: string;
  assignment_id?: string;
  /** "owner/repo" of the template the rooms were made from. */
  template: string;
  /** The template commit the rooms hold, as recorded in the roster; absent: not recorded yet. */
  template_ref?: string;
  /** Paths Terraform writes and enforces on the default branch: never proposed. */
  required_files: string[];
  rooms: RoomTarget[];
}

export interface SelectOptions {
  /** LEARNING_ROOM_TEMPLATE_REPO: the template of a cohort that names none. */
  defaultTemplate: string;
  /** LEARNING_ROOMS_REPOSITORY_PATTERN. */
  defaultPattern: string;
  /** Only these cohorts (default: every cohort). */
  cohorts?: readonly string[];
  /** Only these assignments (default: every assignment, and every cohort without assignments). */
  assignments?: readonly string[];
}

/**
 * A room the roster says exists: made once (provisioned now, or provisioned_at recorded) and not
 * archived. A room the roster wrongly believes in is found missing on GitHub and skipped then.
 */
export function roomExists(learner: Learner): boolean {
  const p = learner.provisioning;
  return p.state !== 'archived' && (p.state === 'provisioned' || p.provisioned_at !== undefined);
}

function assignmentRooms(cohort: Cohort, assignment: AssignmentView, learners: Learner[]): RoomTarget[] {
  if (assignment.teams.length > 0) {
    const present = new Set(learners.map((l) => l.github_handle.toLowerCase()));
    return assignment.teams
      .map((t) => ({
        repository: assignmentRoomName(cohort.cohort_id, assignment, { team: t.id }),
        learners: t.members.filter((m) => present.has(m.toLowerCase())),
      }))
      .filter((r) => r.learners.length > 0);
  }
  // A group assignment without teams has no rooms anyone can name yet.
  if (assignment.group) return [];
  return learners.map((l) => ({
    repository: assignmentRoomName(cohort.cohort_id, assignment, { handle: l.github_handle }),
    learners: [l.github_handle],
  }));
}

export function selectUnits(roster: Roster, options: SelectOptions): { units: UpdateUnit[]; problems: string[] } {
  const problems: string[] = [];
  const known = roster.cohorts.map((c) => c.cohort_id);
  for (const id of options.cohorts ?? [])
    if (!known.includes(id))
      problems.push(`--cohort: expected a cohort of the roster (${known.join(', ') || 'none'}), found "${id}"`);
  const cohorts = roster.cohorts.filter((c) => !options.cohorts?.length || options.cohorts.includes(c.cohort_id));

  const wanted = options.assignments ?? [];
  const seen = new Set<string>();
  const units: UpdateUnit[] = [];
  for (const cohort of cohorts) {
    const learners = roster.learners.filter((l) => l.cohort_id === cohort.cohort_id && roomExists(l));
    const assignments = assignmentsOf(cohort);
    const cohortTemplate = cohort.template ?? options.defaultTemplate;
    if (assignments.length === 0) {
      if (wanted.length > 0) continue;
      units.push({
        key: cohort.cohort_id,
        cohort_id: cohort.cohort_id,
        template: cohortTemplate,
        ...(cohort.template_ref ? { template_ref: cohort.template_ref } : {}),
        required_files: cohort.required_files ?? [],
        rooms: learners.map((l) => ({
          repository: roomRepositoryName(l, cohort, options.defaultPattern),
          learners: [l.github_handle],
        })),
      });
      continue;
    }
    for (const a of assignments) {
      if (wanted.length > 0 && !wanted.includes(a.id)) continue;
      seen.add(a.id);
      units.push({
        key: `${cohort.cohort_id}/${a.id}`,
        cohort_id: cohort.cohort_id,
        assignment_id: a.id,
        template: a.template ?? cohortTemplate,
        ...(a.templateRef ? { template_ref: a.templateRef } : {}),
        required_files: a.requiredFiles ?? cohort.required_files ?? [],
        rooms: assignmentRooms(cohort, a, learners),
      });
    }
  }
  const offered = [...new Set(cohorts.flatMap((c) => assignmentsOf(c).map((a) => a.id)))];
  for (const id of wanted)
    if (!seen.has(id))
      problems.push(
        `--assignment: expected an assignment of ${options.cohorts?.length ? 'the cohorts chosen' : 'the roster'} (${offered.join(', ') || 'none: no cohort has assignments'}), found "${id}"`,
      );
  for (const u of units) u.rooms.sort((a, b) => a.repository.localeCompare(b.repository));
  return { units, problems };
}
