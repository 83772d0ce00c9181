/**
 * Which CSV an operator handed over when it is not the list a command expects: a GitHub Classroom
 * grades export (assignment results), a Canvas gradebook. Named by its header, so the message says
 * what the file is and where the right one comes from, instead of "missing column".
 */

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** Columns only GitHub Classroom's grades export ("Download grades") has. */
const CLASSROOM_GRADES = [
  'assignment name',
  'points awarded',
  'points available',
  'student repository url',
  'submission timestamp',
  'starter code url',
];
/** Columns of a Canvas gradebook export. */
const CANVAS_GRADEBOOK = ['sis user id', 'sis login id'];

/** What the file is, in words for the operator, when the header shows it is the wrong kind; else undefined. */
export function wrongCsvKind(
  header: readonly string[],
  expected: 'class list' | 'Classroom roster export',
): string | undefined {
  const have = new Set(header.map(norm));
  const fix =
    expected === 'class list'
      ? 'export the class list from your school system, or the roster from GitHub Classroom (your classroom → Students → Download), with a column of GitHub user names'
      : 'download the roster from GitHub Classroom instead (your classroom → Students → Download): its columns are identifier, github_username, github_id, name';
  if (CLASSROOM_GRADES.filter((c) => have.has(c)).length >= 2)
    return `this is a GitHub Classroom grades export (assignment results), not a ${expected}: ${fix}`;
  if (CANVAS_GRADEBOOK.some((c) => have.has(c)) && !have.has('github handle') && !have.has('github username')) {
    return `this is a Canvas gradebook export, which has no GitHub user names, not a ${expected}: ${fix}`;
  }
  return undefined;
}
