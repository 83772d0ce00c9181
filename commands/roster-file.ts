/** The roster a command was given: read and validated, or every problem said on stderr. */
import { resolve } from 'node:path';
import { formatRosterError, readRosterFile, type Roster } from '../roster';
import type { CliIo } from './io';

/** `shown` is the name the operator typed, used in the messages; undefined after the problems were said. */
export function readRosterOrSay(shown: string, io: CliIo): Roster | undefined {
  const { roster, errors } = readRosterFile(resolve(io.cwd, shown));
  if (!roster) io.stderr(errors.map((e) => formatRosterError(e, shown)).join('\n') + '\n');
  return roster;
}
