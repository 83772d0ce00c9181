/**
 * `imports/<cohort>.json`: the import entries of one cohort, written by `learning-rooms reconstruct`
 * and read by synthesis. Reviewed in a pull request like any other change of record.
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write';
import schema from './imports.schema.json';
import { CohortReconstruction, IMPORTS_FORMAT_VERSION, ImportsFile } from './types';

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv, ['date-time']);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

export function importsFilePath(dir: string, cohortId: string): string {
  return join(dir, `${cohortId}.json`);
}

export function importsFileFor(owner: string, cohort: CohortReconstruction, generatedAt: string): ImportsFile {
  return { format_version: IMPORTS_FORMAT_VERSION, cohort_id: cohort.cohort_id, owner, generated_at: generatedAt, imports: cohort.imports, learners: cohort.learners };
}

export function serializeImportsFile(file: ImportsFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}

export interface ImportsFileResult {
  file?: ImportsFile;
  /** Every problem, each naming where it is and what was expected. */
  errors: string[];
}

export function parseImportsFile(text: string, source = 'imports file'): ImportsFileResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { errors: [`${source}: expected JSON, ${(err as Error).message}`] };
  }
  const validate = validator();
  if (!validate(value)) {
    return { errors: (validate.errors ?? []).map((e) => `${source}${e.instancePath || ' (document)'}: ${e.message ?? 'invalid'}`) };
  }
  const file = value as ImportsFile;
  const errors: string[] = [];
  const seen = new Set<string>();
  file.imports.forEach((entry, i) => {
    if (entry.cohort_id !== file.cohort_id) errors.push(`${source}/imports/${i}: expected cohort_id "${file.cohort_id}" (the file's cohort), found "${entry.cohort_id}"`);
    if (seen.has(entry.address)) errors.push(`${source}/imports/${i}: expected each address once, found ${entry.address} again`);
    seen.add(entry.address);
  });
  return errors.length ? { errors } : { file, errors };
}

/** The cohort's import entries, or undefined when reconstruct wrote none for it. Throws on an invalid file. */
export function readImportsFile(dir: string, cohortId: string): ImportsFile | undefined {
  const path = importsFilePath(dir, cohortId);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const { file, errors } = parseImportsFile(text, path);
  if (!file) throw new Error(`invalid import entries:\n${errors.join('\n')}`);
  if (file.cohort_id !== cohortId) throw new Error(`${path}: expected the import entries of cohort "${cohortId}", found cohort "${file.cohort_id}"`);
  return file;
}

/** Writes one file per cohort; returns the paths written. */
export function writeImportsFiles(dir: string, owner: string, cohorts: CohortReconstruction[], generatedAt: string): string[] {
  mkdirSync(dir, { recursive: true });
  return cohorts.map((c) => {
    const path = importsFilePath(dir, c.cohort_id);
    writeFileAtomic(path, serializeImportsFile(importsFileFor(owner, c, generatedAt)));
    return path;
  });
}
