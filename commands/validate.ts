import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatRosterError, formatRosterNote, readRosterFile, summarizeRoster, summarizeRosterErrors } from '../roster';
import type { Command } from './io';

export const validateCommand: Command = {
  summary: 'check a roster and print a summary, or every problem in it',
  usage: `Usage: learning-rooms validate [roster.json] [--json]

Checks the roster against its schema and the identity rules (one entry per
learner and cohort, handles compared case-insensitively, known cohorts).

  roster.json   the roster to check (default: ./roster.json)
  --json        print the result as JSON ({valid, summary, errors, notes}) on stdout
                (learners counted from 1 in messages; from 0 in JSON paths and learner.index)

Exit status: 0 valid, 1 invalid (every problem is listed, one per line), 2 usage error.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
    if (positionals.length > 1) throw new Error('expected at most one roster file');
    const file = positionals[0] ?? 'roster.json';
    const { roster, errors, notes = [] } = readRosterFile(resolve(io.cwd, file));
    if (values.json) {
      io.stdout(JSON.stringify({ valid: errors.length === 0, summary: roster ? summarizeRoster(roster) : undefined, errors, notes }, null, 2) + '\n');
      return errors.length === 0 ? 0 : 1;
    }
    const noteLines = notes.map((n) => formatRosterNote(n, file) + '\n').join('');
    if (roster) {
      io.stdout(`${file} is valid: ${summarizeRoster(roster)}\n`);
      if (noteLines !== '') io.stderr(noteLines);
      return 0;
    }
    io.stderr(errors.map((e) => formatRosterError(e, file)).join('\n') + '\n' + noteLines);
    io.stderr(`${file}: ${summarizeRosterErrors(errors)}\n`);
    return 1;
  },
};
