/**
 * The required files every room of a cohort receives, read from the required-files folder. One
 * reader for synthesis (their content goes into the configuration) and validate (a file named by
 * the roster but missing is a roster problem), so both refuse the same rosters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Roster } from '../roster/types';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads every required file named by any cohort; errors name the cohort and the path. */
export function readRequiredFiles(dir: string, roster: Roster): { files: Map<string, string>; errors: string[] } {
  const files = new Map<string, string>();
  const errors: string[] = [];
  for (const cohort of roster.cohorts) {
    const named = [
      ...(cohort.required_files ?? []).map((path) => ({ path, where: `cohort ${cohort.cohort_id}: required_files` })),
      ...(cohort.assignments ?? []).flatMap((a) =>
        (a.required_files ?? []).map((path) => ({
          path,
          where: `cohort ${cohort.cohort_id}: assignment ${a.id}: required_files`,
        })),
      ),
    ];
    for (const { path, where } of named) {
      if (files.has(path)) continue;
      const full = join(dir, path);
      try {
        files.set(path, decoder.decode(readFileSync(full)));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const found = code === 'ENOENT' ? 'no such file' : code ? code : 'bytes that are not UTF-8 text';
        errors.push(`${where} "${path}": expected a UTF-8 text file at ${full}, found ${found}`);
      }
    }
  }
  return { files, errors };
}
