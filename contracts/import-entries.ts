/**
 * `imports/<cohort>.json`: the import entries of one cohort, written by `learning-rooms reconstruct`
 * and read by synthesis (which turns entries into `import` blocks). Reviewed in a pull request like
 * any other change of record. The types, the writer and the reader.
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write';
import schema from './import-entries.schema.json';

/** Folder holding `<cohort>.json` import entries for synthesis; unset: no imports. */
export const IMPORTS_DIR_ENV = 'LEARNING_ROOMS_IMPORTS_DIR';

/** One Terraform import: adopt the existing object `id` at `address` instead of creating it. */
export interface ImportEntry {
  cohort_id: string;
  github_handle: string;
  /** Address in the cohort's stack (contracts/room-addresses.ts). */
  address: string;
  /**
   * The provider's import id: repository `name`, collaborator `name:login`, file `name/path`; in a
   * course's room: collaborators list `name`, feedback branch `name:feedback`, pull request `owner:name:number`.
   */
  id: string;
  /**
   * A course's room (`<assignment>--<owner>`, docs/course.md) the entry belongs to; `github_handle` is
   * then the room's owner (the learner's handle, or the team's name). Absent for a learner's one room.
   */
  room?: string;
}

export type LearnerOutcome =
  /** Every resource of the room exists and is imported. */
  | 'adopted'
  /** The repository exists and is imported; some of its resources are missing and will be created. */
  | 'partly-adopted'
  /** No repository: the plan creates the whole room. */
  | 'to-create'
  /** Archived in the roster: synthesis does not manage the room, nothing is imported. */
  | 'archived'
  /** Shares its repository name with another learner: nothing imported until the roster is fixed. */
  | 'conflict';

export interface LearnerReconstruction {
  cohort_id: string;
  github_handle: string;
  /** The repository name the configuration uses. */
  repository: string;
  outcome: LearnerOutcome;
  /** Addresses imported. */
  imported: string[];
  /** Addresses that do not exist on GitHub: the plan will create them. */
  missing: string[];
  /** Facts the operator should know (case differences, pending invitations, archived on GitHub). */
  notes: string[];
}

/** What reconstruct found for one room of a course (a cohort with assignments). */
export interface RoomReconstruction {
  cohort_id: string;
  assignment: string;
  /** `<assignment>--<owner>`. */
  room: string;
  /** The learner's handle (roster spelling), or the team's name. */
  owner: string;
  /** The learners whose room it is (roster spelling). */
  members: string[];
  team?: boolean;
  /** The repository name the configuration uses. */
  repository: string;
  /**
   * As a learner's: `adopted`, `partly-adopted`, `to-create`, `conflict`; `archived`: synthesis does
   * not configure the room (learners withdrawn, the end of course archives it), nothing imported;
   * `not-open`: the assignment has not opened at the instant, nothing imported.
   */
  outcome: LearnerOutcome | 'not-open';
  imported: string[];
  missing: string[];
  notes: string[];
}

export const IMPORTS_FORMAT_VERSION = 1;

/** The file `imports/<cohort>.json`. */
export interface ImportsFile {
  format_version: typeof IMPORTS_FORMAT_VERSION;
  cohort_id: string;
  owner: string;
  /** When reconstruct ran (ISO 8601); for the reviewer, not used by synthesis. */
  generated_at: string;
  imports: ImportEntry[];
  /** Per learner: what was adopted and what the next plan will create. */
  learners: LearnerReconstruction[];
  /** A course's rooms (present only for a cohort with assignments): per room, as `learners`. */
  rooms?: RoomReconstruction[];
}

/** What one cohort's file holds besides its header (reconstruct's per-cohort result). */
export type CohortImports = Pick<ImportsFile, 'cohort_id' | 'imports' | 'learners' | 'rooms'>;

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

export function importsFileFor(owner: string, cohort: CohortImports, generatedAt: string): ImportsFile {
  return {
    format_version: IMPORTS_FORMAT_VERSION,
    cohort_id: cohort.cohort_id,
    owner,
    generated_at: generatedAt,
    imports: cohort.imports,
    learners: cohort.learners,
    ...(cohort.rooms ? { rooms: cohort.rooms } : {}),
  };
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
    return {
      errors: (validate.errors ?? []).map(
        (e) => `${source}${e.instancePath || ' (document)'}: ${e.message ?? 'invalid'}`,
      ),
    };
  }
  const file = value as ImportsFile;
  const errors: string[] = [];
  const seen = new Set<string>();
  file.imports.forEach((entry, i) => {
    if (entry.cohort_id !== file.cohort_id)
      errors.push(
        `${source}/imports/${i}: expected cohort_id "${file.cohort_id}" (the file's cohort), found "${entry.cohort_id}"`,
      );
    if (seen.has(entry.address))
      errors.push(`${source}/imports/${i}: expected each address once, found ${entry.address} again`);
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
  if (file.cohort_id !== cohortId)
    throw new Error(`${path}: expected the import entries of cohort "${cohortId}", found cohort "${file.cohort_id}"`);
  return file;
}

/** Writes one file per cohort; returns the paths written. */
export function writeImportsFiles(dir: string, owner: string, cohorts: CohortImports[], generatedAt: string): string[] {
  mkdirSync(dir, { recursive: true });
  return cohorts.map((c) => {
    const path = importsFilePath(dir, c.cohort_id);
    writeFileAtomic(path, serializeImportsFile(importsFileFor(owner, c, generatedAt)));
    return path;
  });
}
