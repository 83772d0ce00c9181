import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatRosterError, upsertLearners, validateRoster, writeRosterFile } from '../roster';
import { formatClassListProblem, mapClassList } from '../reconstruct/class-list';
import { escapeControls } from '../shared/terminal-text';
import { defineCommand } from './command';
import { readRosterOrSay } from './roster-file';
import { DRY_RUN, rosterArgument } from './common-options';

const options = {
  csv: { type: 'string', value: 'FILE', required: true, help: 'the class list: a CSV with a header row' },
  cohort: {
    type: 'string',
    value: 'ID',
    help: 'the cohort of rows without one (the list needs a cohort column otherwise); it must be in the roster',
  },
  path: { type: 'string', value: 'PATH', help: 'the learning path of new learners whose row has none' },
  'dry-run': { ...DRY_RUN, help: `${DRY_RUN.help}: check the list and report what would change, the roster untouched` },
  json: { type: 'boolean', help: 'print the result as JSON' },
} as const;

export const importClassListCommand = defineCommand({
  name: 'import-class-list',
  summary: 'add a CSV class list (GitHub user name, name, email, student id, cohort, path) to the roster',
  usage: ['[roster.json] --csv FILE [--cohort ID] [--path PATH] [--dry-run] [--json]'],
  description: `Reads a class list with a header row: a column of GitHub user names (github_username, handle,
github, ...) and, optionally, name (or first and last name), email, student id (student_id, ID
number, SIS user id, identifier: the link to the school's records), cohort and path; headers in
any case, with spaces, "_" or "-". Upserts one learner per row: new ones are pending; known ones
get the list's details, keeping their provisioning and progress; a student id the roster gives
another learner is never taken. Rows without a user name are skipped and listed. Any problem
(each named with its line and column) and nothing is written. The class list holds personal
data: commit the roster change in a pull request of the private admin repository, never the CSV,
and never into the public front door.`,
  argument: rosterArgument('the roster to update', { default: 'roster.json' }),
  options,
  exitStatus:
    '0 roster written (or, with --dry-run, would be), or nothing to change; 1 the list or the roster has problems (every one listed; nothing written); 2 usage error.',
  async run({ values, file: rosterFile = 'roster.json' }, io) {
    const rosterPath = resolve(io.cwd, rosterFile);
    const roster = readRosterOrSay(rosterFile, io);
    if (!roster) return 1;
    const csvText = readFileSync(resolve(io.cwd, values.csv), 'utf8');
    const result = mapClassList(csvText, roster, {
      ...(values.cohort ? { cohort: values.cohort } : {}),
      ...(values.path ? { path: values.path } : {}),
    });
    // Messages quote cells of the list: every line is shown with its control characters escaped.
    const fail = (lines: string[]) => {
      io.stderr(
        lines.map((l) => escapeControls(l)).join('\n') +
          `\n${values.csv}: ${lines.length} problem${lines.length === 1 ? '' : 's'}; nothing written\n`,
      );
      return 1;
    };
    if (result.fatal.length > 0) return fail(result.fatal.map((f) => `${values.csv}: ${f}`));
    if (result.problems.length > 0)
      return fail(result.problems.map((p) => `${values.csv}: ${formatClassListProblem(p)}`));
    const updated = upsertLearners(roster, result.patches);
    const invalid = validateRoster(updated);
    if (invalid.length > 0) return fail(invalid.map((e) => formatRosterError(e, rosterFile)));
    const write = !values['dry-run'] && result.patches.length > 0;
    if (write) writeRosterFile(rosterPath, updated);

    if (values.json) {
      const { patches: _patches, ...summary } = result;
      const json = JSON.stringify({ ...summary, written: write ? rosterFile : null }, null, 2);
      io.stdout(json.split('\n').map(escapeControls).join('\n') + '\n');
      return 0;
    }
    const lines = [
      `${result.added.length} added, ${result.updated.length} updated, ${result.unchanged.length} unchanged, ${result.skipped.length} skipped (no GitHub user name), ${result.blankRows} blank rows`,
    ];
    for (const u of result.updated) lines.push(`  updated ${u.handle}: ${u.fields.join(', ')}`);
    for (const s of result.skipped) lines.push(`  skipped line ${s.line}: ${s.reason}`);
    if (result.archived.length > 0)
      lines.push(
        `  withdrawn, and still withdrawn (reinstate by hand if they come back): ${result.archived.join(', ')}`,
      );
    if (result.ignoredColumns.length > 0) lines.push(`  columns not read: ${result.ignoredColumns.join(', ')}`);
    lines.push(
      write
        ? `wrote ${rosterFile}: commit it in a pull request (never the CSV)`
        : values['dry-run']
          ? 'dry run: roster not written'
          : 'nothing to change',
    );
    io.stdout(lines.map(escapeControls).join('\n') + '\n');
    return 0;
  },
});
