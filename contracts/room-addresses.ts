/**
 * Terraform resource addresses of a learning room. One scheme serves synthesis (which names the
 * resources) and every reader of plans and applies (which attributes changes to learners).
 *
 * Addresses name the learner and are stable across runs: the handle is lower-cased (GitHub logins
 * are case-insensitive, so "Alice" and "alice" are the same learner and the same room), and a
 * handle can never contain "--", so "--" safely separates the learner from a file's slug.
 *
 * A course's rooms (cohorts with assignments, docs/course.md) are named by their room key,
 * `<assignment>--<owner>`: the owner is the lower-cased handle of an individual room's learner or
 * the name of a team. Neither an assignment id, a handle nor a team name can contain "--", and an
 * assignment id never starts with "learner", so the two schemes never meet:
 *   github_repository.a1-html--alice                    github_repository_collaborators.a1-html--alice
 *   github_repository_file.a1-html--alice--<file slug>  github_branch.a1-html--alice--feedback
 *   github_repository_pull_request.a1-html--alice--feedback        github_repository.a3-team--team-1
 */
import { foldHandle } from '../roster/handle';

/** The resources of a learner's one room (a cohort without assignments). */
export type LearnerResourceKind = 'repository' | 'collaborator' | 'file';
/** Every kind of resource a room can hold: a learner's room with its facilitators, a course's room. */
export type RoomResourceKind =
  LearnerResourceKind | 'facilitator' | 'facilitator-team' | 'collaborators' | 'branch' | 'pull-request';

export const RESOURCE_TYPES: Record<LearnerResourceKind, string> = {
  repository: 'github_repository',
  collaborator: 'github_repository_collaborator',
  file: 'github_repository_file',
};

/** A facilitator on a learner's room (a cohort without assignments): one collaborator each, and the team's access. */
export const FACILITATOR_TYPES = {
  facilitator: 'github_repository_collaborator',
  'facilitator-team': 'github_team_repository',
} as const;

export type CourseResourceKind = 'repository' | 'collaborators' | 'file' | 'branch' | 'pull-request';

export const COURSE_RESOURCE_TYPES: Record<CourseResourceKind, string> = {
  repository: 'github_repository',
  collaborators: 'github_repository_collaborators',
  file: 'github_repository_file',
  branch: 'github_branch',
  'pull-request': 'github_repository_pull_request',
};

/** The Terraform resource name shared by a learner's repository and collaborator. */
export function learnerResourceName(handle: string): string {
  return `learner-${foldHandle(handle)}`;
}

/** A required file's path as a Terraform-name-safe slug: `.github/workflows/ack.yml` -> `github_workflows_ack_yml`. */
export function fileSlug(path: string): string {
  return path.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
}

export function fileResourceName(handle: string, path: string): string {
  return `${learnerResourceName(handle)}--${fileSlug(path)}`;
}

export function repositoryAddress(handle: string): string {
  return `${RESOURCE_TYPES.repository}.${learnerResourceName(handle)}`;
}

export function collaboratorAddress(handle: string): string {
  return `${RESOURCE_TYPES.collaborator}.${learnerResourceName(handle)}`;
}

export function fileAddress(handle: string, path: string): string {
  return `${RESOURCE_TYPES.file}.${fileResourceName(handle, path)}`;
}

/** A facilitator's collaborator resource on a learner's room. */
export function facilitatorResourceName(handle: string, facilitator: string): string {
  return `${learnerResourceName(handle)}--facilitator-${foldHandle(facilitator)}`;
}

export function facilitatorAddress(handle: string, facilitator: string): string {
  return `${FACILITATOR_TYPES.facilitator}.${facilitatorResourceName(handle, facilitator)}`;
}

/** The facilitators' team's access to a learner's room. */
export function facilitatorTeamResourceName(handle: string): string {
  return `${learnerResourceName(handle)}--facilitators`;
}

export function facilitatorTeamAddress(handle: string): string {
  return `${FACILITATOR_TYPES['facilitator-team']}.${facilitatorTeamResourceName(handle)}`;
}

export interface ParsedRoomAddress {
  kind: RoomResourceKind;
  /** Lower-cased handle. */
  handle: string;
  /** For files: the slug (the path itself is in the learner index). */
  fileSlug?: string;
  /** For a facilitator: the lower-cased facilitator handle. */
  facilitator?: string;
}

const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Attributes an address to a learner's room; undefined for anything that is not part of one (a course's rooms included). */
export function parseRoomAddress(address: string): ParsedRoomAddress | undefined {
  const m = /^([a-z_]+)\.learner-([A-Za-z0-9_-]+)$/.exec(address);
  if (!m) return undefined;
  const [, type, name] = m;
  const cut = name.indexOf('--');
  const handle = cut < 0 ? name : name.slice(0, cut);
  const suffix = cut < 0 ? undefined : name.slice(cut + 2);
  if (!HANDLE.test(handle)) return undefined;
  if (suffix === undefined) {
    if (type === RESOURCE_TYPES.repository) return { kind: 'repository', handle };
    if (type === RESOURCE_TYPES.collaborator) return { kind: 'collaborator', handle };
    return undefined;
  }
  if (type === RESOURCE_TYPES.file && /^[A-Za-z0-9_]+$/.test(suffix)) return { kind: 'file', handle, fileSlug: suffix };
  const f = /^facilitator-(.+)$/.exec(suffix);
  if (type === FACILITATOR_TYPES.facilitator && f && HANDLE.test(f[1]))
    return { kind: 'facilitator', handle, facilitator: f[1] };
  if (type === FACILITATOR_TYPES['facilitator-team'] && suffix === 'facilitators')
    return { kind: 'facilitator-team', handle };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// A course's rooms

const ASSIGNMENT = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
const OWNER = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/** The room key, `<assignment>--<owner>`: the owner a lower-cased handle (individual room) or a team name. */
export function courseRoomKey(assignment: string, owner: string): string {
  return `${assignment}--${foldHandle(owner)}`;
}

export function courseRepositoryAddress(key: string): string {
  return `${COURSE_RESOURCE_TYPES.repository}.${key}`;
}

export function courseCollaboratorsAddress(key: string): string {
  return `${COURSE_RESOURCE_TYPES.collaborators}.${key}`;
}

export function courseFileResourceName(key: string, path: string): string {
  return `${key}--${fileSlug(path)}`;
}

export function courseFileAddress(key: string, path: string): string {
  return `${COURSE_RESOURCE_TYPES.file}.${courseFileResourceName(key, path)}`;
}

export function feedbackResourceName(key: string): string {
  return `${key}--feedback`;
}

export function feedbackBranchAddress(key: string): string {
  return `${COURSE_RESOURCE_TYPES.branch}.${feedbackResourceName(key)}`;
}

export function feedbackPullRequestAddress(key: string): string {
  return `${COURSE_RESOURCE_TYPES['pull-request']}.${feedbackResourceName(key)}`;
}

export interface ParsedCourseAddress {
  kind: CourseResourceKind;
  /** `<assignment>--<owner>`. */
  key: string;
  assignment: string;
  /** Lower-cased handle, or team name. */
  owner: string;
  /** For files: the slug. */
  fileSlug?: string;
}

/** Attributes an address to a course's room; undefined for anything else (a learner's one room included). */
export function parseCourseRoomAddress(address: string): ParsedCourseAddress | undefined {
  const dot = address.indexOf('.');
  if (dot < 0) return undefined;
  const type = address.slice(0, dot);
  const parts = address.slice(dot + 1).split('--');
  if (parts.length < 2 || parts.length > 3) return undefined;
  const [assignment, owner, suffix] = parts;
  if (/^learner(?:-|$)/.test(assignment) || !ASSIGNMENT.test(assignment) || !OWNER.test(owner)) return undefined;
  const key = `${assignment}--${owner}`;
  const base = { key, assignment, owner };
  if (suffix === undefined) {
    if (type === COURSE_RESOURCE_TYPES.repository) return { kind: 'repository', ...base };
    if (type === COURSE_RESOURCE_TYPES.collaborators) return { kind: 'collaborators', ...base };
    return undefined;
  }
  if (type === COURSE_RESOURCE_TYPES.file && /^[A-Za-z0-9_]+$/.test(suffix))
    return { kind: 'file', ...base, fileSlug: suffix };
  if (suffix === 'feedback' && type === COURSE_RESOURCE_TYPES.branch) return { kind: 'branch', ...base };
  if (suffix === 'feedback' && type === COURSE_RESOURCE_TYPES['pull-request']) return { kind: 'pull-request', ...base };
  return undefined;
}
