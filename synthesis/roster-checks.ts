/**
 * Every check synthesis makes that needs only the roster, the settings and the required files:
 * repository names (GitHub's rule, at most 100 characters), two learners on one repository,
 * templates, patterns and required files (paths, and present in the folder). `validate` runs these
 * with the same functions synth runs, so a roster validate passes is one synth accepts (state aside).
 */
import { resolve } from 'node:path';
import type { Roster } from '../roster/types';
import type { SynthesisSettings } from '../contracts/settings';
import { planCohorts } from './cohort-plan';
import { readRequiredFiles } from './required-files';

export function rosterOnlyProblems(roster: Roster, settings: SynthesisSettings, cwd: string): string[] {
  // Without state: what state adds (rooms not in the roster, the removal guard) is synth's alone.
  const plan = planCohorts({ roster, settings, staticOnly: true });
  return [...plan.errors, ...readRequiredFiles(resolve(cwd, settings.requiredFilesDir), roster).errors];
}
