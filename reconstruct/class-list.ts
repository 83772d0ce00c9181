/**
 * A plain CSV class list (a school system's export, a spreadsheet) -> roster entries: the GitHub
 * user name, and optionally the name, email, student id (the link to the school's records),
 * cohort and learning path. Headers are matched case-insensitively with their usual spellings.
 * Every problem is named with its line and column; an import with any problem writes nothing.
 * A learner already in the cohort is updated (their provisioning and progress stay), never
 * another person's entry: a student id that the roster gives someone else is a problem.
 * Pure: the caller upserts the patches and writes the roster.
 */
import {
  closestMatch,
  explainHandle,
  findLearner,
  learnerKey,
  sameHandle,
  type LearnerPatch,
  type Roster,
} from '../roster';
import { looksLikeEmail } from '../roster/handle';
import { quoted } from '../shared/terminal-text';
import { wrongCsvKind } from './csv-kind';
import { parseCsv } from './csv';

type Field = 'github_handle' | 'name' | 'first_name' | 'last_name' | 'email' | 'student_id' | 'cohort' | 'path';

/** The spellings each column goes by (compared lower-case, with `_`, `-` and spaces alike). */
export const CLASS_LIST_COLUMNS: Readonly<Record<Field, readonly string[]>> = {
  github_handle: [
    'github handle',
    'github username',
    'github user name',
    'github login',
    'github account',
    'github',
    'handle',
    'username',
    'user name',
    'login',
  ],
  name: ['name', 'full name', 'student name', 'display name'],
  first_name: ['first name', 'given name', 'firstname'],
  last_name: ['last name', 'family name', 'surname', 'lastname'],
  email: ['email', 'e mail', 'email address', 'mail'],
  student_id: [
    'student id',
    'student number',
    'id number',
    'sis id',
    'sis user id',
    'identifier',
    'roster identifier',
    'id',
  ],
  cohort: ['cohort', 'cohort id', 'class', 'section'],
  path: ['path', 'learning path', 'track'],
};

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
const IDENTIFIER = /^[a-z0-9][a-z0-9._-]{0,62}$/;
// eslint-disable-next-line no-control-regex -- a student id may hold no control character
const STUDENT_ID = /^[^\u0000-\u001f\u007f]{1,100}$/;

export interface ClassListOptions {
  /** The cohort of rows without one (and of every row when the list has no cohort column). */
  cohort?: string;
  /** The learning path of new learners whose row names none. */
  path?: string;
}

export interface ClassListProblem {
  line: number;
  /** The column as the file writes it, or the option that stands in for it. */
  column?: string;
  message: string;
}

export interface ClassListResult {
  patches: LearnerPatch[];
  added: string[];
  updated: { handle: string; fields: string[] }[];
  unchanged: string[];
  /** Rows that cannot be enrolled yet (no GitHub user name), with their line: said, not refused. */
  skipped: { line: number; reason: string }[];
  blankRows: number;
  /** Columns the import does not read. */
  ignoredColumns: string[];
  /** Archived learners in the list: updated details, still withdrawn. */
  archived: string[];
  /** Every problem with a row; any of them and nothing is written. */
  problems: ClassListProblem[];
  /** Problems with the whole file (wrong kind, no column of user names, unreadable CSV, options). */
  fatal: string[];
}

export function mapClassList(csvText: string, roster: Roster, opts: ClassListOptions = {}): ClassListResult {
  const result: ClassListResult = {
    patches: [],
    added: [],
    updated: [],
    unchanged: [],
    skipped: [],
    blankRows: 0,
    ignoredColumns: [],
    archived: [],
    problems: [],
    fatal: [],
  };
  const cohorts = roster.cohorts.map((c) => c.cohort_id);
  if (opts.cohort !== undefined && !cohorts.includes(opts.cohort)) {
    result.fatal.push(
      `--cohort: expected a cohort of the roster (${cohorts.join(', ') || 'none'}), found ${quoted(opts.cohort)}; add the cohort to the roster first`,
    );
  }
  if (opts.path !== undefined && !IDENTIFIER.test(opts.path))
    result.fatal.push(
      `--path: expected a learning path name (lower-case letters, digits, ".", "_" and "-"), found ${quoted(opts.path)}`,
    );

  const { records, problems } = parseCsv(csvText);
  for (const p of problems) result.fatal.push(`line ${p.line}: ${p.message}`);
  const nonBlank = records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  result.blankRows = records.length - nonBlank.length;
  const header = nonBlank[0];
  if (!header) {
    result.fatal.push(
      'expected a header row (github_username, and optionally name, email, student_id, cohort, path), found an empty file',
    );
    return result;
  }
  const wrong = wrongCsvKind(header.fields, 'class list');
  if (wrong) {
    result.fatal.push(`line ${header.line}: ${wrong}`);
    return result;
  }
  const column = new Map<Field, { index: number; label: string }>();
  header.fields.forEach((label, index) => {
    const field = (Object.keys(CLASS_LIST_COLUMNS) as Field[]).find((f) => CLASS_LIST_COLUMNS[f].includes(norm(label)));
    if (field && !column.has(field)) column.set(field, { index, label: label.trim() });
    else if (label.trim() !== '') result.ignoredColumns.push(label.trim());
  });
  if (!column.has('github_handle')) {
    result.fatal.push(
      `line ${header.line}: expected a column of GitHub user names (named github_username, handle or github), found ${header.fields.map(quoted).join(', ')}`,
    );
  }
  if (!column.has('cohort') && opts.cohort === undefined)
    result.fatal.push(`line ${header.line}: no cohort column: add one, or give --cohort ID for every row`);
  if (result.fatal.length > 0) return result;

  const cell = (fields: string[], f: Field) => {
    const c = column.get(f);
    return c === undefined ? '' : (fields[c.index] ?? '').trim();
  };
  const label = (f: Field) => column.get(f)?.label ?? f;
  const seen = new Map<string, number>();
  const seenId = new Map<string, { line: number; handle: string }>();
  for (const row of nonBlank.slice(1)) {
    // `option`: the problem is the value an option gave (--cohort, --path), not a cell.
    const problem = (f: Field, message: string, option?: string) =>
      result.problems.push({ line: row.line, column: option ?? label(f), message });
    const handle = cell(row.fields, 'github_handle');
    if (handle === '') {
      result.skipped.push({
        line: row.line,
        reason: 'no GitHub user name yet: add it when the learner has an account',
      });
      continue;
    }
    const why = explainHandle(handle);
    if (why) {
      problem('github_handle', `expected a GitHub user name; found ${quoted(handle)}; ${why}`);
      continue;
    }
    const cohort = cell(row.fields, 'cohort') || opts.cohort || '';
    const fromOption = cell(row.fields, 'cohort') === '';
    if (cohort === '') {
      problem(
        'cohort',
        'no cohort: fill the cell, or give --cohort ID for rows without one',
        column.has('cohort') ? undefined : '--cohort',
      );
      continue;
    }
    if (!cohorts.includes(cohort)) {
      const near = closestMatch(cohort, cohorts);
      problem(
        'cohort',
        `expected a cohort of the roster (${cohorts.join(', ') || 'none'}), found ${quoted(cohort)}${near ? `; did you mean "${near}"?` : '; add the cohort to the roster first'}`,
        fromOption ? '--cohort' : undefined,
      );
      continue;
    }
    const key = learnerKey(handle, cohort);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problem(
        'github_handle',
        `the same learner as line ${earlier} (${quoted(handle)} in ${cohort}; GitHub user names ignore upper and lower case): keep one row`,
      );
      continue;
    }
    seen.set(key, row.line);
    const existing = findLearner(roster, handle, cohort);

    const patch: LearnerPatch = { github_handle: existing?.github_handle ?? handle, cohort_id: cohort };
    const rawPath = cell(row.fields, 'path') || (existing ? '' : (opts.path ?? ''));
    if (rawPath !== '') {
      const path = rawPath.toLowerCase();
      if (!IDENTIFIER.test(path))
        problem(
          'path',
          `expected a learning path name (lower-case letters, digits, ".", "_" and "-", such as "web"), found ${quoted(rawPath)}`,
        );
      else patch.path = path;
    } else if (!existing)
      problem(
        'path',
        'no learning path for this new learner: fill the cell, or give --path for rows without one',
        column.has('path') ? undefined : '--path',
      );

    const first = cell(row.fields, 'first_name');
    const last = cell(row.fields, 'last_name');
    const name = cell(row.fields, 'name') || [first, last].filter(Boolean).join(' ');
    if (name !== '') patch.name = name;
    const email = cell(row.fields, 'email');
    if (email !== '') {
      if (!looksLikeEmail(email)) problem('email', `expected an email address, found ${quoted(email)}`);
      else patch.email = email;
    }
    const studentId = cell(row.fields, 'student_id');
    if (studentId !== '') {
      if (!STUDENT_ID.test(studentId))
        problem(
          'student_id',
          `expected a student id of 1 to 100 characters without control characters, found ${quoted(studentId)}`,
        );
      else {
        const twin = seenId.get(studentId);
        const owner = roster.learners.find((l) => l.student_id === studentId && !sameHandle(l.github_handle, handle));
        if (twin && !sameHandle(twin.handle, handle))
          problem(
            'student_id',
            `${quoted(studentId)} is also on line ${twin.line}, for ${quoted(twin.handle)}: one student id per person`,
          );
        else if (owner)
          problem(
            'student_id',
            `${quoted(studentId)} is the student id of ${quoted(owner.github_handle)} in the roster (cohort ${owner.cohort_id}); never given to another learner: correct the row or the roster`,
          );
        else if (existing?.student_id !== undefined && existing.student_id !== studentId) {
          problem(
            'student_id',
            `the roster has ${quoted(handle)} in ${cohort} with the student id ${quoted(existing.student_id)}, the list says ${quoted(studentId)}: a different person? Correct one of them (the roster's is never overwritten)`,
          );
        } else patch.student_id = studentId;
        if (!twin) seenId.set(studentId, { line: row.line, handle });
      }
    }
    if (result.problems.some((p) => p.line === row.line)) continue;

    if (!existing) {
      result.patches.push({ ...patch, provisioning: { state: 'pending' } });
      result.added.push(patch.github_handle);
      continue;
    }
    const fields = (['path', 'name', 'email', 'student_id'] as const).filter(
      (f) => patch[f] !== undefined && patch[f] !== existing[f],
    );
    if (existing.provisioning.state === 'archived') result.archived.push(existing.github_handle);
    if (fields.length === 0) result.unchanged.push(existing.github_handle);
    else {
      result.patches.push(patch);
      result.updated.push({ handle: existing.github_handle, fields });
    }
  }
  return result;
}

/** `line 4, column "GitHub username": ...` */
export function formatClassListProblem(p: ClassListProblem): string {
  return `line ${p.line}${p.column ? `, column ${quoted(p.column)}` : ''}: ${p.message}`;
}
