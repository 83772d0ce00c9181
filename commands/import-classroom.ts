import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatRosterError, upsertLearners, validateRoster, writeRosterFile } from '../roster';
import { mapClassroomExport, withAdoptPattern } from '../reconstruct/classroom';
import { escapeControls, quoted } from '../shared/terminal-text';
import { defineCommand } from './command';
import { readRosterOrSay } from './roster-file';
import { DRY_RUN, rosterArgument } from './common-options';

const options = {
  csv: { type: 'string', value: 'FILE', required: true, help: 'the Classroom roster export' },
  prefix: {
    type: 'string',
    value: 'PREFIX',
    required: true,
    help: 'the assignment\'s repository prefix (without the trailing "-")',
  },
  cohort: { type: 'string', value: 'ID', required: true, help: 'the roster cohort the learners join (it must exist)' },
  path: { type: 'string', value: 'PATH', required: true, help: 'the learning path of learners new to the roster' },
  assignment: {
    type: 'string',
    value: 'ID',
    help: 'for a cohort with assignments: the assignment whose Classroom repositories these are (it adopts them)',
  },
  'dry-run': { ...DRY_RUN, help: `${DRY_RUN.help}: report what would change, the roster untouched` },
  json: { type: 'boolean', help: 'print the result as JSON' },
} as const;

export const importClassroomCommand = defineCommand({
  name: 'import-classroom',
  summary: 'add a GitHub Classroom roster export to the roster, adopting the Classroom repositories',
  usage: [
    '[roster.json] --csv export.csv --prefix PREFIX --cohort ID --path PATH [--dry-run] [--json]',
    '[roster.json] --csv export.csv --prefix PREFIX --cohort ID --assignment ID --path PATH [--dry-run] [--json]',
  ],
  description: `Reads GitHub Classroom's roster export (columns identifier, github_username,
github_id, name) and upserts one learner per linked GitHub account into the cohort,
with "repository": "<PREFIX>-<github_username>", the name Classroom gave the
assignment's repositories, and the identifier as "student_id" (the link to the
school's records). Learners already in the cohort keep their path, name and
history; only their repository and a missing student id are set. Rows that cannot be mapped (no linked
account, not a GitHub login, a duplicate) are listed with the reason.
For a cohort with assignments (a course), name the assignment: it gets
"adopt_pattern": "<PREFIX>-{handle}" ("-{team}" for a group assignment), and
the learners join the cohort without a repository of their own.
Then run "learning-rooms reconstruct" to import the existing repositories.`,
  argument: rosterArgument('the roster to update', { default: 'roster.json' }),
  options,
  exitStatus:
    '0 roster written (or would be), 1 the export or the roster cannot be used (a grades export is named as such; nothing written), 2 usage error.',
  async run({ values, file: rosterFile = 'roster.json' }, io) {
    const rosterPath = resolve(io.cwd, rosterFile);
    const roster = readRosterOrSay(rosterFile, io);
    if (!roster) return 1;
    const csvText = readFileSync(resolve(io.cwd, values.csv), 'utf8');
    const result = mapClassroomExport(csvText, roster, {
      prefix: values.prefix,
      cohortId: values.cohort,
      path: values.path,
      ...(values.assignment !== undefined ? { assignment: values.assignment } : {}),
    });
    if (result.fatal.length) {
      // Messages quote cells of the export: every line is shown with its control characters escaped.
      io.stderr(result.fatal.map((f) => escapeControls(`${values.csv}: ${f}`)).join('\n') + '\nnothing written\n');
      return 1;
    }
    const upserted = upsertLearners(roster, result.patches);
    const adoption = result.adoption;
    const updated = adoption ? withAdoptPattern(upserted, adoption) : upserted;
    // A --path the roster rejects would fail only at the write: say so now, dry run or not.
    const invalid = validateRoster(updated);
    if (invalid.length) {
      io.stderr(invalid.map((e) => formatRosterError(e, rosterFile)).join('\n') + '\nnothing written\n');
      return 1;
    }
    const write = !values['dry-run'] && (result.patches.length > 0 || adoption?.change === 'set');
    if (write) writeRosterFile(rosterPath, updated);

    if (values.json) {
      const { patches: _patches, ...summary } = result;
      // JSON escapes C0 controls itself; the C1 ones (such as CSI, U+009B) and format characters too.
      // (Line by line: the only raw line breaks in indented JSON are its layout; `\uXXXX` stays valid JSON.)
      const json = JSON.stringify({ ...summary, written: write ? rosterFile : null }, null, 2);
      io.stdout(json.split('\n').map(escapeControls).join('\n') + '\n');
      return 0;
    }
    const lines = adoption
      ? [
          `${result.added.length} added, ${result.updated.length} updated (student id set), ${result.unchanged.length} already in the cohort, ${result.unmapped.length} not mapped, ${result.blankRows} blank rows skipped`,
          `assignment ${adoption.assignment} of cohort ${adoption.cohort_id} adopts "${adoption.adopt_pattern}"${adoption.change === 'unchanged' ? ' (already)' : ''}`,
        ]
      : [
          `${result.added.length} added, ${result.updated.length} updated (repository set), ${result.unchanged.length} already adopted, ${result.unmapped.length} not mapped, ${result.blankRows} blank rows skipped`,
        ];
    for (const n of result.notes) lines.push(escapeControls(`note: ${n}`));
    if (result.unmapped.length) {
      lines.push('rows not mapped:');
      for (const u of result.unmapped) {
        const who = [
          u.github_username && `github_username ${quoted(u.github_username)}`,
          u.identifier && `identifier ${quoted(u.identifier)}`,
        ]
          .filter(Boolean)
          .join(', ');
        lines.push(escapeControls(`  line ${u.line}${who ? ` (${who})` : ''}: ${u.reason}`));
      }
    }
    lines.push(write ? `wrote ${rosterFile}` : values['dry-run'] ? 'dry run: roster not written' : 'nothing to change');
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
});
