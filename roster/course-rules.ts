/**
 * The roster rules of a course that JSON Schema cannot say (docs/course.md): dates in order, team
 * members who are learners of the cohort and in one team per assignment, facilitators who are not
 * learners, extensions for assignments that exist and have a cutoff, a feedback pull request that
 * has a commit to show. Each problem names where it is; validate.ts words and places them.
 */
import { foldHandle } from './handle';
import { adoptPatternProblem, assignmentPatternProblem, isGroupAssignment } from './course';
import type { Segments } from './json-text';
import type { Assignment, Team } from './types';

export interface CourseProblem {
  at: Segments;
  expected: string;
  found: string;
  hint?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const instant = (v: unknown): number | undefined => {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
};

/** Every course problem of a roster document (cohorts' assignments, facilitators, end of course; learners' extensions). */
export function courseProblems(doc: Json): CourseProblem[] {
  const out: CourseProblem[] = [];
  const learners = list(doc.learners);
  const cohorts = list(doc.cohorts);
  /** cohort id -> folded handle -> learner index (first entry). */
  const learnersOf = new Map<string, Map<string, number>>();
  learners.forEach((l, i) => {
    if (!isObject(l)) return;
    const cohort = str(l.cohort_id);
    const handle = str(l.github_handle);
    if (cohort === undefined || handle === undefined) return;
    const m = learnersOf.get(cohort) ?? new Map<string, number>();
    if (!m.has(foldHandle(handle))) m.set(foldHandle(handle), i);
    learnersOf.set(cohort, m);
  });
  /** cohort id -> assignment id -> the assignment. */
  const assignmentsOf = new Map<string, Map<string, Json>>();

  cohorts.forEach((c, ci) => {
    if (!isObject(c)) return;
    const cohortId = str(c.cohort_id) ?? `cohort ${ci + 1}`;
    const members = learnersOf.get(cohortId) ?? new Map<string, number>();
    const byId = new Map<string, Json>();
    assignmentsOf.set(cohortId, byId);
    const cohortFiles = list(c.required_files).length;
    list(c.assignments).forEach((a, ai) => {
      if (!isObject(a)) return;
      const at: Segments = ['cohorts', ci, 'assignments', ai];
      const id = str(a.id);
      if (id !== undefined) {
        if (byId.has(id))
          out.push({
            at: [...at, 'id'],
            expected: `an assignment id not used before in cohort "${cohortId}" (assignment ${[...byId.keys()].indexOf(id) + 1} has it)`,
            found: JSON.stringify(id),
          });
        else byId.set(id, a);
      }
      const named = `assignment ${JSON.stringify(id ?? ai + 1)}`;
      out.push(...dateProblems(a, at, named));
      const patternProblem =
        typeof a.repository_pattern === 'string' || a.repository_pattern === undefined
          ? assignmentPatternProblem(a as unknown as Assignment)
          : undefined;
      if (patternProblem && a.repository_pattern !== undefined)
        out.push({
          at: [...at, 'repository_pattern'],
          expected: `a repository name pattern for ${named}`,
          found: JSON.stringify(a.repository_pattern),
          hint: patternProblem,
        });
      if (typeof a.adopt_pattern === 'string') {
        const adoptAt: Segments = [...at, 'adopt_pattern'];
        const adopt = adoptPatternProblem(a as unknown as Assignment);
        if (adopt)
          out.push({
            at: adoptAt,
            expected: `the names of the existing repositories ${named} of cohort "${cohortId}" adopts`,
            found: JSON.stringify(a.adopt_pattern),
            hint: adopt,
          });
        if (a.repository_pattern !== undefined)
          out.push({
            at: [...at, 'repository_pattern'],
            expected: `either "adopt_pattern" or "repository_pattern" for ${named} of cohort "${cohortId}" (the adopted repositories' names are the rooms' names)`,
            found: 'both',
            hint: 'remove "repository_pattern": the rooms keep the names of the repositories they adopt',
          });
      }
      if (a.feedback_pull_request === true) {
        const files = a.required_files !== undefined ? list(a.required_files).length : cohortFiles;
        if (files === 0)
          out.push({
            at: [...at, 'feedback_pull_request'],
            expected: `at least one required file for ${named} (GitHub refuses a pull request with no commit between its branches; the files are the commit the feedback branch lacks)`,
            found: 'true with no required files',
            hint: 'add "required_files" to the assignment (or the cohort), or leave the feedback pull request out',
          });
      }
      if (isGroupAssignment(a as unknown as Assignment)) out.push(...teamProblems(a, at, cohortId, members, named));
    });
    out.push(...facilitatorProblems(c, ci, cohortId, members));
    const end = c.end_of_course;
    if (isObject(end)) {
      const endAt = instant(end.at);
      list(c.assignments).forEach((a, ai) => {
        const opens = isObject(a) ? instant(a.opens) : undefined;
        if (endAt !== undefined && opens !== undefined && endAt <= opens)
          out.push({
            at: ['cohorts', ci, 'end_of_course', 'at'],
            expected: `an end of course after every assignment opens (assignment ${JSON.stringify(str((a as Json).id) ?? ai + 1)} opens ${String((a as Json).opens)})`,
            found: JSON.stringify(end.at),
          });
      });
      if (c.assignments === undefined)
        out.push({
          at: ['cohorts', ci, 'end_of_course'],
          expected:
            'an end of course only in a cohort with "assignments" (a cohort without them is ended by withdrawing its learners)',
          found: 'an end_of_course',
        });
    }
  });

  learners.forEach((l, li) => {
    if (!isObject(l)) return;
    const cohortId = str(l.cohort_id);
    const assignments = cohortId !== undefined ? assignmentsOf.get(cohortId) : undefined;
    const cohortIsCourse =
      cohortId !== undefined &&
      cohorts.some((c) => isObject(c) && c.cohort_id === cohortId && c.assignments !== undefined);
    if (l.repository !== undefined && cohortIsCourse)
      out.push({
        at: ['learners', li, 'repository'],
        expected:
          'no "repository" for a learner of a cohort with assignments (adopting an existing room applies to one room per learner)',
        found: JSON.stringify(l.repository),
        hint: 'to adopt existing repositories of an assignment, give the assignment an "adopt_pattern" ("<classroom prefix>-{handle}")',
      });
    if (!isObject(l.extensions)) return;
    for (const [assignmentId, value] of Object.entries(l.extensions)) {
      const at: Segments = ['learners', li, 'extensions', assignmentId];
      const a = assignments?.get(assignmentId);
      if (!cohortIsCourse) {
        out.push({
          at,
          expected: 'extensions only for a learner of a cohort with assignments',
          found: `an extension for ${JSON.stringify(assignmentId)}`,
        });
        continue;
      }
      if (!a) {
        const known = [...(assignments?.keys() ?? [])];
        out.push({
          at,
          expected: `an assignment of cohort "${cohortId}" (${known.join(', ') || 'none is defined'})`,
          found: JSON.stringify(assignmentId),
        });
        continue;
      }
      const cutoff = instant(a.cutoff);
      const moved = instant(value);
      if (a.cutoff === undefined)
        out.push({
          at,
          expected: `an extension of an assignment with a cutoff ("${assignmentId}" has none: write access lasts until the end of course)`,
          found: JSON.stringify(value),
        });
      else if (cutoff !== undefined && moved !== undefined && moved <= cutoff)
        out.push({
          at,
          expected: `a time after the assignment's cutoff ${String(a.cutoff)} (an extension moves the learner's cutoff later)`,
          found: JSON.stringify(value),
        });
    }
  });
  return out;
}

/** opens < due <= cutoff, each when given and readable (the schema reports unreadable ones). */
function dateProblems(a: Json, at: Segments, named: string): CourseProblem[] {
  const out: CourseProblem[] = [];
  const opens = instant(a.opens);
  const due = instant(a.due);
  const cutoff = instant(a.cutoff);
  if (opens !== undefined && due !== undefined && due <= opens)
    out.push({
      at: [...at, 'due'],
      expected: `a due time after ${named} opens (${String(a.opens)})`,
      found: JSON.stringify(a.due),
    });
  if (due !== undefined && cutoff !== undefined && cutoff < due)
    out.push({
      at: [...at, 'cutoff'],
      expected: `a cutoff at or after ${named} is due (${String(a.due)}): write access ends at the cutoff`,
      found: JSON.stringify(a.cutoff),
    });
  else if (due === undefined && opens !== undefined && cutoff !== undefined && cutoff <= opens)
    out.push({
      at: [...at, 'cutoff'],
      expected: `a cutoff after ${named} opens (${String(a.opens)})`,
      found: JSON.stringify(a.cutoff),
    });
  return out;
}

function teamProblems(
  a: Json,
  at: Segments,
  cohortId: string,
  members: Map<string, number>,
  named: string,
): CourseProblem[] {
  const out: CourseProblem[] = [];
  const names = new Map<string, number>();
  /** folded handle -> the team (its index and name) that has it first. */
  const inTeam = new Map<string, { ti: number; name: string }>();
  list(a.teams).forEach((t, ti) => {
    if (!isObject(t)) return;
    const team = t as unknown as Team;
    const tAt: Segments = [...at, 'teams', ti];
    if (typeof team.name === 'string') {
      const first = names.get(team.name);
      if (first !== undefined)
        out.push({
          at: [...tAt, 'name'],
          expected: `a team name not used before in ${named}`,
          found: JSON.stringify(team.name),
          hint: `team ${first + 1} already has it`,
        });
      else names.set(team.name, ti);
    }
    list(t.members).forEach((m, mi) => {
      if (typeof m !== 'string') return;
      const key = foldHandle(m);
      const mAt: Segments = [...tAt, 'members', mi];
      if (!members.has(key)) {
        out.push({
          at: mAt,
          expected: `a learner of cohort "${cohortId}" (the members of team ${JSON.stringify(team.name)} of ${named} are learners of the cohort)`,
          found: JSON.stringify(m),
        });
        return;
      }
      const other = inTeam.get(key);
      if (other !== undefined)
        out.push({
          at: mAt,
          expected: `each learner in at most one team of ${named}`,
          found: JSON.stringify(m),
          hint:
            other.ti === ti
              ? 'already listed in this team'
              : `already in team ${other.ti + 1} (${JSON.stringify(other.name)}): remove one of the two`,
        });
      else inTeam.set(key, { ti, name: typeof team.name === 'string' ? team.name : `team ${ti + 1}` });
    });
  });
  return out;
}

function facilitatorProblems(c: Json, ci: number, cohortId: string, members: Map<string, number>): CourseProblem[] {
  const out: CourseProblem[] = [];
  const f = c.facilitators;
  if (!isObject(f)) return out;
  const seen = new Set<string>();
  list(f.handles).forEach((h, hi) => {
    if (typeof h !== 'string') return;
    const at: Segments = ['cohorts', ci, 'facilitators', 'handles', hi];
    const key = foldHandle(h);
    if (members.has(key))
      out.push({
        at,
        expected: `a facilitator who is not a learner of cohort "${cohortId}" (a learner's own access would be overwritten)`,
        found: JSON.stringify(h),
        hint: `learner ${(members.get(key) ?? 0) + 1} is ${JSON.stringify(h)}`,
      });
    else if (seen.has(key))
      out.push({
        at,
        expected: 'each facilitator once (GitHub user names ignore upper and lower case)',
        found: JSON.stringify(h),
      });
    seen.add(key);
  });
  return out;
}
