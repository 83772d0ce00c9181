/** Reading the learner index synthesis writes beside each stack (cdktf.out/stacks/<stack>/learners.json). */
import { formatTextProblem, nestingBeyond, readUtf8File } from '../shared/text-input';
import type { LearnerIndex } from '../synthesis/learner-index';

/** An index is 5 levels deep (document, learners, learner, addresses, files). */
const INDEX_MAX_DEPTH = 64;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and checks an index, listing every problem (with the learner it concerns) at once. */
export function parseLearnerIndex(text: string, source = 'learners.json'): LearnerIndex {
  const tooDeep = nestingBeyond(text, INDEX_MAX_DEPTH);
  if (tooDeep) throw new Error(`${formatTextProblem(source, tooDeep)}; expected a learner index`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not JSON (${(err as Error).message})`);
  }
  const problems: string[] = [];
  if (!isRecord(raw)) throw new Error(`${source}: expected a learner index object`);
  if (raw.format_version !== 1) problems.push(`format_version: expected 1, found ${JSON.stringify(raw.format_version)}`);
  for (const k of ['cohort_id', 'stack', 'owner']) if (typeof raw[k] !== 'string') problems.push(`${k}: expected a string`);
  if (!Array.isArray(raw.learners)) problems.push('learners: expected an array');
  else {
    raw.learners.forEach((l: unknown, i: number) => {
      const at = `learners[${i}]${isRecord(l) && typeof l.github_handle === 'string' ? ` (${l.github_handle})` : ''}`;
      if (!isRecord(l)) return problems.push(`${at}: expected an object`);
      for (const k of ['github_handle', 'cohort_id', 'repository']) if (typeof l[k] !== 'string') problems.push(`${at}.${k}: expected a string`);
      if (typeof l.admitted !== 'boolean') problems.push(`${at}.admitted: expected true or false`);
      const a = l.addresses;
      if (!isRecord(a) || typeof a.repository !== 'string' || typeof a.collaborator !== 'string' || !isRecord(a.files)) {
        problems.push(`${at}.addresses: expected {repository, collaborator, files}`);
      }
      return undefined;
    });
  }
  if (problems.length > 0) throw new Error(`${source}: not a valid learner index:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return raw as unknown as LearnerIndex;
}

export function readLearnerIndex(path: string): LearnerIndex {
  return parseLearnerIndex(readUtf8File(path), path);
}
