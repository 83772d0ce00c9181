import { resolve } from 'node:path';
import { formatRosterError, formatRosterNote, readRosterFile, summarizeRoster, summarizeRosterErrors } from '../roster';
import { readSettings } from '../contracts/settings';
import { escapeControls } from '../shared/terminal-text';
import { rosterOnlyProblems } from '../synthesis/roster-checks';
import { defineCommand, optionEnv } from './command';
import { REQUIRED_FILES_DIR, rosterArgument } from './common-options';

const options = {
  'required-files-dir': REQUIRED_FILES_DIR,
  json: {
    type: 'boolean',
    help: 'print the result as JSON ({valid, summary, errors, notes, synthesis_problems}) on stdout (learners counted from 1 in messages; from 0 in JSON paths and learner.index)',
  },
} as const;

export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'check a roster and print a summary, or every problem in it',
  usage: ['[roster.json] [options]'],
  description: `Checks the roster against its schema and the identity rules (one entry per learner and
cohort, handles compared case-insensitively, known cohorts), then runs every check synth makes on
the roster alone, with the same code: repository names (GitHub's rule, at most 100 characters),
two learners sharing one repository (names compared case-insensitively), templates, repository
patterns, and the required files (valid paths, each present in the required-files folder).`,
  argument: rosterArgument('the roster to check', { default: 'roster.json' }),
  options,
  environment:
    'LEARNING_ROOMS_REPOSITORY_PATTERN, LEARNING_ROOM_TEMPLATE_REPO and the other synthesis settings (docs/synthesis.md), as synth reads them.',
  exitStatus: '0 valid, 1 invalid (every problem is listed, one per line), 2 usage error or invalid settings.',
  async run({ values, file = 'roster.json' }, io) {
    const { roster, errors, notes = [] } = readRosterFile(resolve(io.cwd, file));
    // The synthesis checks need a roster that passed the schema; until then its errors are the list.
    let problems: string[] = [];
    if (roster) {
      const { settings, errors: settingErrors } = readSettings(optionEnv(options, values, io.env));
      if (!settings) {
        io.stderr(settingErrors.map((e) => `learning-rooms validate: ${e}\n`).join(''));
        return 2;
      }
      problems = rosterOnlyProblems(roster, settings, io.cwd);
    }
    const valid = errors.length === 0 && problems.length === 0;
    if (values.json) {
      const summary = roster ? summarizeRoster(roster) : undefined;
      io.stdout(JSON.stringify({ valid, summary, errors, notes, synthesis_problems: problems }, null, 2) + '\n');
      return valid ? 0 : 1;
    }
    const noteLines = notes.map((n) => formatRosterNote(n, file) + '\n').join('');
    if (valid && roster) {
      io.stdout(`${file} is valid: ${summarizeRoster(roster)}\n`);
      if (noteLines !== '') io.stderr(noteLines);
      return 0;
    }
    const lines = [
      ...errors.map((e) => formatRosterError(e, file)),
      ...problems.map((p) => escapeControls(`${file}: ${p}`)),
    ];
    io.stderr(lines.join('\n') + '\n' + noteLines);
    io.stderr(`${file}: ${summarizeRosterErrors(errors, problems.length)}\n`);
    return 1;
  },
});
