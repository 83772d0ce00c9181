/**
 * Which rooms a starter-code update concerns, from the roster and the naming rules alone (no
 * GitHub): one unit per template a set of rooms was made from, i.e. a cohort without assignments
 * (one room per learner, the cohort's template) or one assignment of a cohort (its own template,
 * rooms per learner or per team). Pure.
 */
import { roomRepositoryName } from '../contracts/room-names';
import { isCourse } from '../roster/course';
import type { Roster } from '../roster/types';
import { assignmentRoomTargets, roomMade } from './assignments';

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
  /** The instant (`--at`, default now): which assignments have opened, whether the course has ended. */
  at: Date;
}

/**
 * A learner's one room (a cohort without assignments) exists once made and until archived. A room
 * the roster wrongly believes in is found missing on GitHub and skipped then.
 */
export const roomExists = roomMade;

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
    const cohortLearners = roster.learners.filter((l) => l.cohort_id === cohort.cohort_id);
    const learners = cohortLearners.filter(roomExists);
    const assignments = cohort.assignments ?? [];
    const cohortTemplate = cohort.template ?? options.defaultTemplate;
    if (!isCourse(cohort)) {
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
        ...(a.template_ref ? { template_ref: a.template_ref } : {}),
        required_files: a.required_files ?? cohort.required_files ?? [],
        rooms: assignmentRoomTargets(cohort, a, cohortLearners, options.at),
      });
    }
  }
  const offered = [...new Set(cohorts.flatMap((c) => (c.assignments ?? []).map((a) => a.id)))];
  for (const id of wanted)
    if (!seen.has(id))
      problems.push(
        `--assignment: expected an assignment of ${options.cohorts?.length ? 'the cohorts chosen' : 'the roster'} (${offered.join(', ') || 'none: no cohort has assignments'}), found "${id}"`,
      );
  for (const u of units) u.rooms.sort((a, b) => a.repository.localeCompare(b.repository));
  return { units, problems };
}
