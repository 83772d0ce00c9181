/**
 * GitHub Classroom roster export -> roster entries that adopt the repositories Classroom created.
 * Classroom named an assignment's repositories `<assignment prefix>-<github username>`; each learner
 * gets that name in `repository`, so synthesis manages the existing repository instead of a new one.
 * The roster identifier (the school's id, or an email) is kept as the learner's `student_id`, the
 * link to the school's records, unless the roster already gives that id to someone else.
 *
 * A course cohort (one with assignments, docs/course.md) adopts per assignment instead: with
 * `assignment`, the assignment's `adopt_pattern` becomes `<prefix>-{handle}` (or `-{team}` for a
 * group assignment) and the learners join the cohort without a `repository` of their own.
 */
import { explainHandle, findLearner, foldHandle, LearnerPatch, Roster, sameHandle } from '../roster';
import { adoptPatternProblem, isCourse, isGroupAssignment } from '../roster/course';
import { quoted } from '../shared/terminal-text';
import { wrongCsvKind } from './csv-kind';
import { parseCsv } from './csv';

export const CLASSROOM_COLUMNS = ['identifier', 'github_username', 'github_id', 'name'] as const;

export interface ClassroomImportOptions {
  /** The assignment's repository prefix (Classroom's "<prefix>-<username>"). */
  prefix: string;
  cohortId: string;
  /** Learning path given to learners new to the roster. */
  path: string;
  /** For a course cohort: the assignment whose Classroom repositories these are (it gets the adopt_pattern). */
  assignment?: string;
}

/** The adopt_pattern an import writes on a course's assignment. */
export interface AssignmentAdoption {
  cohort_id: string;
  assignment: string;
  adopt_pattern: string;
  /** set: the assignment had no adopt_pattern; unchanged: it already had this one. */
  change: 'set' | 'unchanged';
}

export interface UnmappedRow {
  /** 1-based line of the row in the export. */
  line: number;
  /** The row's identifier column, to find it in Classroom. */
  identifier?: string;
  github_username?: string;
  reason: string;
}

export interface ClassroomImport {
  /** Patches for `upsertLearners`, in export order. */
  patches: LearnerPatch[];
  /** Learners new to the roster, and learners already in it that now adopt their Classroom repository. */
  added: string[];
  updated: string[];
  /** Already in the roster with exactly this repository: nothing to change. */
  unchanged: string[];
  unmapped: UnmappedRow[];
  blankRows: number;
  /** Problems that stop the import entirely (missing column, unreadable CSV, another kind of export). */
  fatal: string[];
  /** Identifiers not kept as student ids, and why (the roster's id is never overwritten). */
  notes: string[];
  /** With `assignment`: the assignment's adopt_pattern (write it with `withAdoptPattern`). */
  adoption?: AssignmentAdoption;
}

// eslint-disable-next-line no-control-regex -- a student id may hold no control character
const STUDENT_ID = /^[^\u0000-\u001f\u007f]{1,100}$/;

const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** Why `prefix` cannot start a repository name, or undefined. */
export function prefixProblem(prefix: string): string | undefined {
  if (prefix.length === 0)
    return 'expected the assignment prefix (Classroom named repositories "<prefix>-<username>"), found nothing';
  if (prefix.endsWith('-')) return `expected the prefix without its trailing hyphen, found "${prefix}"`;
  if (!REPOSITORY_NAME.test(prefix)) return `expected only A-Za-z0-9 . _ - in the prefix, found "${prefix}"`;
  return undefined;
}

/** Classroom's repository name for a learner of the assignment. */
export function classroomRepositoryName(prefix: string, handle: string): string {
  return `${prefix}-${handle}`;
}

/** Classroom's repository names for an assignment of a course: `<prefix>-{handle}`, or `<prefix>-{team}` for a group assignment. */
export function classroomAdoptPattern(prefix: string, group: boolean): string {
  return `${prefix}-${group ? '{team}' : '{handle}'}`;
}

/** The roster with the assignment's adopt_pattern written (the roster itself untouched). */
export function withAdoptPattern(
  roster: Roster,
  adoption: Pick<AssignmentAdoption, 'cohort_id' | 'assignment' | 'adopt_pattern'>,
): Roster {
  return {
    ...roster,
    cohorts: roster.cohorts.map((c) =>
      c.cohort_id !== adoption.cohort_id
        ? c
        : {
            ...c,
            assignments: (c.assignments ?? []).map((a) =>
              a.id === adoption.assignment ? { ...a, adopt_pattern: adoption.adopt_pattern } : a,
            ),
          },
    ),
  };
}

/** The assignment's adoption, or the fatal problems of `--assignment` (none for a cohort of one room per learner without it). */
function adoptionOf(roster: Roster, opts: ClassroomImportOptions): { adoption?: AssignmentAdoption; fatal: string[] } {
  const cohort = roster.cohorts.find((c) => c.cohort_id === opts.cohortId);
  if (!cohort) return { fatal: [] };
  const ids = (cohort.assignments ?? []).map((a) => a.id);
  if (opts.assignment === undefined)
    return isCourse(cohort)
      ? {
          fatal: [
            `--assignment: expected the assignment whose Classroom repositories these are (cohort ${opts.cohortId} has assignments: ${ids.join(', ') || 'none yet'}; each learner gets a room per assignment, so the assignment adopts them, not the learner), found nothing`,
          ],
        }
      : { fatal: [] };
  if (!isCourse(cohort))
    return {
      fatal: [
        `--assignment: expected a cohort with assignments, found cohort ${opts.cohortId} with one room per learner (leave --assignment out: each learner adopts "<prefix>-<username>")`,
      ],
    };
  const a = cohort.assignments?.find((x) => x.id === opts.assignment);
  if (!a)
    return {
      fatal: [
        `--assignment: expected an assignment of cohort ${opts.cohortId} (${ids.join(', ') || 'none is defined'}), found ${quoted(opts.assignment)}; add the assignment to the roster first`,
      ],
    };
  const adopt_pattern = classroomAdoptPattern(opts.prefix, isGroupAssignment(a));
  if (a.adopt_pattern !== undefined && a.adopt_pattern !== adopt_pattern)
    return {
      fatal: [
        `--assignment: expected assignment ${a.id} of cohort ${opts.cohortId} without another adopt_pattern, found "${a.adopt_pattern}" (this export gives "${adopt_pattern}"); edit the roster if that is the right one`,
      ],
    };
  const problem = adoptPatternProblem({ adopt_pattern, ...(a.teams ? { teams: a.teams } : {}) });
  if (problem) return { fatal: [`--prefix: ${problem}`] };
  return {
    adoption: {
      cohort_id: opts.cohortId,
      assignment: a.id,
      adopt_pattern,
      change: a.adopt_pattern === undefined ? 'set' : 'unchanged',
    },
    fatal: [],
  };
}

/** Maps a Classroom roster export onto the roster. Pure: the caller upserts the patches and writes the file. */
export function mapClassroomExport(csvText: string, roster: Roster, opts: ClassroomImportOptions): ClassroomImport {
  const result: ClassroomImport = {
    patches: [],
    added: [],
    updated: [],
    unchanged: [],
    unmapped: [],
    blankRows: 0,
    fatal: [],
    notes: [],
  };
  const pp = prefixProblem(opts.prefix);
  if (pp) result.fatal.push(`--prefix: ${pp}`);
  if (!roster.cohorts.some((c) => c.cohort_id === opts.cohortId)) {
    result.fatal.push(
      `--cohort: expected a cohort of the roster (${roster.cohorts.map((c) => c.cohort_id).join(', ') || 'none'}), found "${opts.cohortId}"; add the cohort to the roster first`,
    );
  }
  if (opts.path.trim() === '') result.fatal.push('--path: expected the learning path for new learners, found nothing');
  const { adoption, fatal } = pp ? { adoption: undefined, fatal: [] } : adoptionOf(roster, opts);
  result.fatal.push(...fatal);
  if (adoption) result.adoption = adoption;

  const { records, problems } = parseCsv(csvText);
  for (const p of problems) result.fatal.push(`line ${p.line}: ${p.message}`);
  const nonBlank = records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  result.blankRows = records.length - nonBlank.length;
  const header = nonBlank[0];
  if (!header) {
    result.fatal.push(`expected a header row with the columns ${CLASSROOM_COLUMNS.join(', ')}, found an empty file`);
    return result;
  }
  const wrong = wrongCsvKind(header.fields, 'Classroom roster export');
  if (wrong) {
    result.fatal.push(`line ${header.line}: ${wrong}`);
    return result;
  }
  const column = new Map<string, number>();
  header.fields.forEach((f, i) => {
    const name = f.trim().toLowerCase();
    if (!column.has(name)) column.set(name, i);
  });
  for (const required of ['identifier', 'github_username'] as const) {
    if (!column.has(required)) {
      result.fatal.push(
        `line ${header.line}: expected a column "${required}" in the header, found ${header.fields.map(quoted).join(', ')}`,
      );
    }
  }
  if (result.fatal.length > 0) return result;

  const cell = (fields: string[], name: string): string => {
    const at = column.get(name);
    return at === undefined ? '' : (fields[at] ?? '').trim();
  };
  const seenHandle = new Map<string, number>();
  const seenId = new Map<string, number>();
  for (const row of nonBlank.slice(1)) {
    const identifier = cell(row.fields, 'identifier');
    const handle = cell(row.fields, 'github_username');
    const githubId = cell(row.fields, 'github_id');
    const name = cell(row.fields, 'name');
    const base = {
      line: row.line,
      ...(identifier ? { identifier } : {}),
      ...(handle ? { github_username: handle } : {}),
    };
    if (handle === '') {
      result.unmapped.push({
        ...base,
        reason: 'no GitHub account is linked to this roster identifier in Classroom (github_username is empty)',
      });
      continue;
    }
    const why = explainHandle(handle);
    if (why) {
      result.unmapped.push({ ...base, reason: `github_username is not a GitHub login: ${why}` });
      continue;
    }
    const earlier = seenHandle.get(foldHandle(handle));
    if (earlier !== undefined) {
      result.unmapped.push({
        ...base,
        reason: `the same learner as line ${earlier} (GitHub logins are case-insensitive); kept the first`,
      });
      continue;
    }
    const earlierId = githubId ? seenId.get(githubId) : undefined;
    if (earlierId !== undefined) {
      result.unmapped.push({
        ...base,
        reason: `the same GitHub account (github_id ${githubId}) as line ${earlierId} under another login; kept the first`,
      });
      continue;
    }
    seenHandle.set(foldHandle(handle), row.line);
    if (githubId) seenId.set(githubId, row.line);

    const repository = classroomRepositoryName(opts.prefix, handle);
    const existing = findLearner(roster, handle, opts.cohortId);
    // The identifier as the learner's student id: only a valid one, only if nobody else has it, never over another.
    const studentId = (() => {
      if (!identifier || !STUDENT_ID.test(identifier)) return undefined;
      const owner = roster.learners.find((l) => l.student_id === identifier && !sameHandle(l.github_handle, handle));
      if (owner) {
        result.notes.push(
          `line ${row.line}: identifier ${quoted(identifier)} not kept as ${handle}'s student id: the roster gives it to ${owner.github_handle} (cohort ${owner.cohort_id})`,
        );
        return undefined;
      }
      if (existing?.student_id !== undefined && existing.student_id !== identifier) {
        result.notes.push(
          `line ${row.line}: identifier ${quoted(identifier)} not kept: ${existing.github_handle} already has the student id ${quoted(existing.student_id)}`,
        );
        return undefined;
      }
      return existing?.student_id === identifier ? undefined : identifier;
    })();
    if (adoption) {
      // The assignment adopts the repositories: the learner joins the cohort, without a repository of their own.
      if (existing) {
        if (studentId === undefined) result.unchanged.push(existing.github_handle);
        else {
          result.patches.push({
            github_handle: existing.github_handle,
            cohort_id: opts.cohortId,
            student_id: studentId,
          });
          result.updated.push(existing.github_handle);
        }
      } else {
        result.patches.push({
          github_handle: handle,
          cohort_id: opts.cohortId,
          path: opts.path,
          ...(name ? { name } : {}),
          ...(studentId ? { student_id: studentId } : {}),
          provisioning: { state: 'pending' },
        });
        result.added.push(handle);
      }
      continue;
    }
    if (existing) {
      if (existing.repository !== undefined && existing.repository.toLowerCase() !== repository.toLowerCase()) {
        result.unmapped.push({
          ...base,
          reason: `already in cohort ${opts.cohortId} with the repository "${existing.repository}"; left unchanged (edit the roster if the Classroom repository "${repository}" is the right one)`,
        });
        continue;
      }
      if (existing.repository !== undefined && studentId === undefined) {
        result.unchanged.push(existing.github_handle);
        continue;
      }
      // Only the repository (and a missing student id) is set: the roster's path, name and history stay the operator's.
      result.patches.push({
        github_handle: existing.github_handle,
        cohort_id: opts.cohortId,
        ...(existing.repository === undefined ? { repository } : {}),
        ...(studentId ? { student_id: studentId } : {}),
      });
      result.updated.push(existing.github_handle);
      continue;
    }
    if (
      roster.learners.some(
        (l) => sameHandle(l.github_handle, handle) && l.repository?.toLowerCase() === repository.toLowerCase(),
      )
    ) {
      result.unmapped.push({
        ...base,
        reason: `the repository "${repository}" is already adopted by this learner in another cohort`,
      });
      continue;
    }
    result.patches.push({
      github_handle: handle,
      cohort_id: opts.cohortId,
      path: opts.path,
      repository,
      ...(name ? { name } : {}),
      ...(studentId ? { student_id: studentId } : {}),
      provisioning: { state: 'pending' },
    });
    result.added.push(handle);
  }
  return result;
}
