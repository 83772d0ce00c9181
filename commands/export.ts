import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseProgressReport } from '../dashboard/inputs';
import {
  GRADEBOOK_FORMATS,
  GradebookFormat,
  gradebookAssignments,
  gradebookCsv,
  gradebookJson,
  gradebookRows,
  unmatchable,
} from '../export/gradebook';
import { loadRoster } from '../roster';
import { readUtf8File } from '../shared/text-input';
import { writeFileIfChanged } from '../shared/write-if-changed';
import { defineCommand } from './command';
import { outDir, rosterArgument } from './common-options';

const options = {
  progress: {
    type: 'string',
    value: 'FILE',
    help: 'the progress report (default: progress.json beside the roster, if present; without it, statuses come from the roster)',
  },
  cohort: { type: 'string', value: 'ID', multiple: true, help: 'only this cohort (repeatable; default: every cohort)' },
  format: { type: 'string', value: 'F', help: `${GRADEBOOK_FORMATS.join(', ')} (default: plain)` },
  'out-dir': outDir('the folder for the files (default: exports/ beside the roster)', ['out']),
} as const;

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'write a gradebook export per cohort: CSV (plain, Canvas or Moodle layout) or JSON',
  usage: ['[roster.json] [--format plain|canvas|moodle|json] [--out-dir DIR] [options]'],
  description: `Writes one file per cohort, <DIR>/<cohort>.csv (or .json): each learner's student id and email
(when the roster has them), handle, status, challenges done (k of n), completion time and last
activity. CSV is UTF-8 with a byte order mark (Excel), RFC 4180 quoting, CRLF line ends; a cell
starting with = + - @, a tab or a carriage return is prefixed with ' so no spreadsheet runs it.
Withdrawn learners are left out. Layouts (docs/dashboard.md, "Gradebook export"):

  plain    student_id, email, name, github_handle, cohort, path, status, challenges_closed,
           challenges_total, k_of_n, completed_at, last_activity
  canvas   Student, ID, SIS User ID, SIS Login ID, Section, Learning room challenges
           (Canvas gradebook import: matched by SIS User ID = student_id or SIS Login ID = email)
  moodle   ID number, Email address, Full name, GitHub handle, Learning room challenges,
           Learning room status, Completed at, Last activity
           (Moodle CSV grade import: map "ID number" or "Email address" to the user)
  json     {format_version, cohort_id, generated_at, learners: [...]} with the plain fields

Writes only the files in --out-dir (so it takes no --dry-run).`,
  argument: rosterArgument('the roster', { default: 'roster.json' }),
  options,
  exitStatus: '0 written; 2 usage error or unreadable input.',
  async run({ values, file = 'roster.json' }, io) {
    const format = (values.format ?? 'plain') as GradebookFormat;
    if (!GRADEBOOK_FORMATS.includes(format))
      throw new Error(`--format: expected one of ${GRADEBOOK_FORMATS.join(', ')}, found "${values.format}"`);
    const rosterPath = resolve(io.cwd, file);
    const roster = loadRoster(rosterPath);
    const progressPath = values.progress
      ? resolve(io.cwd, values.progress)
      : resolve(dirname(rosterPath), 'progress.json');
    let report;
    if (values.progress || existsSync(progressPath)) {
      const parsed = parseProgressReport(readUtf8File(progressPath), progressPath);
      if (!parsed.report) {
        io.stderr(parsed.problems.map((p) => `learning-rooms export: ${p}`).join('\n') + '\n');
        return 2;
      }
      report = parsed.report;
    }
    const byCohort = gradebookRows(roster, report);
    const unknown = (values.cohort ?? []).filter((c) => !byCohort.has(c));
    if (unknown.length > 0)
      throw new Error(
        `--cohort: ${unknown.map((c) => `"${c}"`).join(', ')} not in the roster (cohorts: ${[...byCohort.keys()].join(', ') || 'none'})`,
      );
    const outDir = values['out-dir'] ? resolve(io.cwd, values['out-dir']) : resolve(dirname(rosterPath), 'exports');
    mkdirSync(outDir, { recursive: true });
    for (const [cohort, rows] of byCohort) {
      if (values.cohort && !values.cohort.includes(cohort)) continue;
      const path = join(outDir, `${cohort}.${format === 'json' ? 'json' : 'csv'}`);
      writeFileIfChanged(
        path,
        format === 'json'
          ? gradebookJson(cohort, report?.generated_at, rows)
          : gradebookCsv(rows, format, gradebookAssignments(roster, cohort)),
      );
      io.stdout(`wrote ${path} (${rows.length} learner${rows.length === 1 ? '' : 's'})\n`);
      const lost = unmatchable(rows);
      if (lost.length > 0 && format !== 'plain' && format !== 'json') {
        io.stderr(
          `warning: ${cohort}: ${lost.length} learner(s) have neither student_id nor email, so the gradebook cannot match them: ${lost.slice(0, 10).join(', ')}${lost.length > 10 ? ', …' : ''}\n`,
        );
      }
    }
    return 0;
  },
});
