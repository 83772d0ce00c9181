/** Reading and updating `progress-history.json` on disk (the pure rules are in history.ts). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Roster } from '../roster/types';
import { writeFileIfChanged } from '../shared/write-if-changed';
import {
  countStatuses,
  emptyHistory,
  HISTORY_FILE,
  parseHistory,
  ProgressHistory,
  recordDay,
  serializeHistory,
} from './history';
import type { ProgressReport } from './report';

export function historyPathFor(reportPath: string): string {
  return join(dirname(reportPath), HISTORY_FILE);
}

/** The history on disk (empty when there is none), or the problems that make it unreadable. */
export function readHistoryFile(path: string): { history?: ProgressHistory; problems: string[] } {
  if (!existsSync(path)) return { history: emptyHistory(), problems: [] };
  return parseHistory(readFileSync(path, 'utf8'));
}

/**
 * Records today's counts (the report's day). A damaged history is left as it is, never replaced:
 * the problems are returned for a warning, and the next poll after a repair records again.
 */
export function updateHistoryFile(
  path: string,
  roster: Roster,
  report: ProgressReport,
): { written: boolean; problems: string[] } {
  const { history, problems } = readHistoryFile(path);
  if (!history) return { written: false, problems: problems.map((p) => `${path}: ${p}`) };
  const next = recordDay(history, report.generated_at.slice(0, 10), countStatuses(roster, report));
  return { written: writeFileIfChanged(path, serializeHistory(next)), problems: [] };
}
