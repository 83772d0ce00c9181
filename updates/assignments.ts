/**
 * The one reader (and writer of `template_ref`) of a cohort's assignments, the roster model issue
 * 16 adds in parallel: several rooms per learner, one per assignment, each from its own template;
 * team rooms. Every field name of that model is written here only, so a late rename there is a
 * one-line change here. Until that model lands, the roster schema refuses `assignments`, so only
 * rosters built in code (tests) carry them; a cohort without assignments has one room per learner.
 */
import { foldHandle } from '../roster/handle';
import type { Cohort } from '../roster/types';

/** The model's field names, as the other branch spells them. */
const FIELD = {
  list: 'assignments',
  id: 'id',
  title: 'title',
  template: 'template',
  repositoryPattern: 'repository_pattern',
  requiredFiles: 'required_files',
  group: 'group',
  teams: 'teams',
  teamId: 'id',
  teamMembers: 'members',
  templateRef: 'template_ref',
} as const;

/**
 * Room names of assignment rooms until the model's own naming (contracts/room-names.ts) lands:
 * the assignment's `repository_pattern`, else these.
 */
export const DEFAULT_ASSIGNMENT_PATTERN = '{cohort}-{assignment}-{handle}';
export const DEFAULT_TEAM_PATTERN = '{cohort}-{assignment}-{team}';

export interface AssignmentTeam {
  id: string;
  members: string[];
}

export interface AssignmentView {
  id: string;
  title?: string;
  /** "owner/repo"; absent: the cohort's template. */
  template?: string;
  repositoryPattern?: string;
  requiredFiles?: string[];
  group: boolean;
  teams: AssignmentTeam[];
  templateRef?: string;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Loose, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

/** The cohort's assignments (none: the cohort has one room per learner). Entries without an id are not rooms anyone can name; they are left out. */
export function assignmentsOf(cohort: Cohort): AssignmentView[] {
  const raw = (cohort as unknown as Loose)[FIELD.list];
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).flatMap((a): AssignmentView[] => {
    const id = str(a, FIELD.id);
    if (!id) return [];
    const teams = Array.isArray(a[FIELD.teams])
      ? (a[FIELD.teams] as unknown[]).filter(isObject).flatMap((t): AssignmentTeam[] => {
          const teamId = str(t, FIELD.teamId);
          return teamId ? [{ id: teamId, members: strings(t[FIELD.teamMembers]) ?? [] }] : [];
        })
      : [];
    return [
      {
        id,
        title: str(a, FIELD.title),
        template: str(a, FIELD.template),
        repositoryPattern: str(a, FIELD.repositoryPattern),
        requiredFiles: strings(a[FIELD.requiredFiles]),
        group: a[FIELD.group] === true,
        teams,
        templateRef: str(a, FIELD.templateRef),
      },
    ];
  });
}

/** An assignment room's repository name: one learner's (`handle`) or one team's (`team`). */
export function assignmentRoomName(
  cohortId: string,
  assignment: AssignmentView,
  who: { handle: string } | { team: string },
): string {
  const pattern = assignment.repositoryPattern ?? ('team' in who ? DEFAULT_TEAM_PATTERN : DEFAULT_ASSIGNMENT_PATTERN);
  return pattern
    .replace(/\{cohort\}/g, cohortId)
    .replace(/\{assignment\}/g, assignment.id)
    .replace(/\{handle\}/g, 'handle' in who ? foldHandle(who.handle) : '')
    .replace(/\{team\}/g, 'team' in who ? who.team : '');
}

/** A copy of the cohort whose assignment `id` records `sha` as its template_ref. */
export function withAssignmentTemplateRef(cohort: Cohort, id: string, sha: string): Cohort {
  const raw = (cohort as unknown as Loose)[FIELD.list];
  if (!Array.isArray(raw)) return cohort;
  const list = raw.map((a: unknown) => (isObject(a) && a[FIELD.id] === id ? { ...a, [FIELD.templateRef]: sha } : a));
  return { ...cohort, [FIELD.list]: list } as Cohort;
}
