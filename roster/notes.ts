/**
 * Notes: what a roster may say but probably does not mean. A learning path is a free identifier
 * (a cohort does not list its paths), so a new one is allowed; but a path only one learner of a
 * cohort has, close to one several others have, is most often a typo that would quietly put the
 * learner on a path of their own.
 */
import schema from './roster.schema.json';
import { Locator } from './json-text';
import { closestMatch } from './suggest';
import { RosterNote } from './types';

const IDENTIFIER = new RegExp(schema.definitions.identifier.pattern);

interface Entry {
  index: number;
  handle?: string;
  cohort: string;
  path: string;
}

function entries(doc: unknown): Entry[] {
  const learners = doc !== null && typeof doc === 'object' ? (doc as { learners?: unknown }).learners : undefined;
  if (!Array.isArray(learners)) return [];
  return learners.flatMap((l: unknown, index): Entry[] => {
    if (l === null || typeof l !== 'object') return [];
    const { github_handle: handle, cohort_id: cohort, path } = l as Record<string, unknown>;
    if (typeof cohort !== 'string' || typeof path !== 'string' || !IDENTIFIER.test(path)) return [];
    return [{ index, cohort, path, ...(typeof handle === 'string' ? { handle } : {}) }];
  });
}

/** How many learners of each cohort follow each (well-formed) path, most followed first. */
export function pathCounts(doc: unknown): Map<string, [string, number][]> {
  const counts = new Map<string, Map<string, number>>();
  for (const e of entries(doc)) {
    const inCohort = counts.get(e.cohort) ?? new Map<string, number>();
    inCohort.set(e.path, (inCohort.get(e.path) ?? 0) + 1);
    counts.set(e.cohort, inCohort);
  }
  return new Map([...counts].map(([cohort, paths]) => [cohort, [...paths].sort((a, b) => b[1] - a[1])]));
}

/** Paths that look mistyped: used once in a cohort, within a typo or two of a path used more. */
export function rosterNotes(doc: unknown, locate?: Locator): RosterNote[] {
  const counts = pathCounts(doc);
  const notes: RosterNote[] = [];
  for (const e of entries(doc)) {
    const inCohort = new Map(counts.get(e.cohort));
    if (inCohort.get(e.path) !== 1) continue;
    const common = [...inCohort].filter(([, n]) => n >= 2).map(([p]) => p);
    const near = closestMatch(e.path, common);
    if (near === undefined) continue;
    const at = ['learners', e.index, 'path'];
    const note: RosterNote = {
      path: `learners[${e.index}].path`,
      learner: e.handle === undefined ? { index: e.index } : { index: e.index, handle: e.handle },
      note: `no other learner of cohort "${e.cohort}" has the path "${e.path}"; did you mean "${near}" (${inCohort.get(near)} learners)? If it is a new path, leave it`,
    };
    notes.push({ ...note, ...locate?.(at) });
  }
  return notes;
}
