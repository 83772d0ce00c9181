import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import schema from './roster.schema.json';
import { explainHandle, learnerKey } from './handle';
import { RosterError, SUPPORTED_FORMAT_VERSIONS } from './types';
import { escapeControls, quotedIfNeeded } from '../shared/terminal-text';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    addFormats(ajv, ['date-time', 'date', 'email']);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** `/learners/3/cohort_id` -> `learners[3].cohort_id` */
export function toJsonPath(pointer: string): string {
  if (pointer === '') return '(document)';
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** A value shown short enough for one line of output. */
export function renderFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  if (Array.isArray(value)) text = `an array of ${value.length}`;
  else if (value !== null && typeof value === 'object') text = 'an object';
  else text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const score = k.startsWith(name) || name.startsWith(k) ? 1 : editDistance(name, k);
    if (score < bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

interface SchemaNode {
  description?: string;
  properties?: Record<string, unknown>;
}

function expectation(err: ErrorObject, found: unknown): string {
  const node = err.parentSchema as SchemaNode | undefined;
  switch (err.keyword) {
    case 'type':
      return `a value of type ${String(err.params.type).replace(',', ' or ')}`;
    case 'enum':
      return `one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${JSON.stringify(err.params.allowedValue)}`;
    case 'pattern':
      if (err.instancePath.endsWith('/github_handle') && typeof found === 'string') {
        return `a GitHub handle (${explainHandle(found) ?? 'see the handle rules'})`;
      }
      return node?.description ?? `text matching ${String(err.params.pattern)}`;
    case 'format':
      return (
        {
          'date-time': 'an ISO 8601 date and time such as "2026-09-01T09:00:00Z"',
          date: 'an ISO 8601 date such as "2026-09-01"',
          email: 'an email address',
        }[String(err.params.format)] ?? `a value in the ${String(err.params.format)} format`
      );
    case 'minimum':
      return `a number of at least ${String(err.params.limit)}`;
    case 'minLength':
      return `text of at least ${String(err.params.limit)} characters`;
    case 'maxLength':
      return `text of at most ${String(err.params.limit)} characters`;
    case 'uniqueItems':
      return `no repeated items (items ${String(err.params.j)} and ${String(err.params.i)} are equal)`;
    default:
      return err.message ?? err.keyword;
  }
}

interface LearnerLike {
  github_handle?: unknown;
  cohort_id?: unknown;
}

function learnerOf(doc: unknown, pointer: string): RosterError['learner'] {
  const m = /^\/learners\/(\d+)(?:\/|$)/.exec(pointer);
  if (!m) return undefined;
  const index = Number(m[1]);
  const entry = valueAt(doc, `/learners/${index}`) as LearnerLike | undefined;
  const raw = entry?.github_handle;
  const handle = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : undefined;
  return handle === undefined ? { index } : { index, handle };
}

function schemaErrors(doc: unknown): RosterError[] {
  const validate = validator();
  if (validate(doc)) return [];
  const out: RosterError[] = [];
  for (const err of validate.errors ?? []) {
    let pointer = err.instancePath;
    let found: unknown = valueAt(doc, pointer);
    let expected: string;
    if (err.keyword === 'required') {
      pointer = `${pointer}/${String(err.params.missingProperty)}`;
      found = undefined;
      expected = `the required field "${String(err.params.missingProperty)}"`;
    } else if (err.keyword === 'additionalProperties') {
      const extra = String(err.params.additionalProperty);
      pointer = `${pointer}/${extra}`;
      found = `unknown field "${extra}"`;
      const known = Object.keys((err.parentSchema as SchemaNode | undefined)?.properties ?? {});
      const hint = closest(extra, known);
      expected = `only known fields (${known.join(', ')})${hint ? `; did you mean "${hint}"?` : ''}`;
    } else {
      expected = expectation(err, found);
    }
    out.push({
      path: toJsonPath(pointer),
      learner: learnerOf(doc, pointer),
      expected,
      found: err.keyword === 'additionalProperties' ? String(found) : renderFound(found),
    });
  }
  return out;
}

/** Rules a JSON Schema cannot say: identity, references between cohorts and learners. */
function crossErrors(doc: Record<string, unknown>): RosterError[] {
  const out: RosterError[] = [];
  const cohorts = Array.isArray(doc.cohorts) ? doc.cohorts : [];
  const learners = Array.isArray(doc.learners) ? doc.learners : [];
  const cohortIds = new Map<string, number>();
  cohorts.forEach((c: unknown, i: number) => {
    const id = c && typeof c === 'object' ? (c as { cohort_id?: unknown }).cohort_id : undefined;
    if (typeof id !== 'string') return;
    const first = cohortIds.get(id);
    if (first !== undefined) {
      out.push({
        path: `cohorts[${i}].cohort_id`,
        expected: `a cohort id not used before (cohorts[${first}] already defines it)`,
        found: JSON.stringify(id),
      });
    } else cohortIds.set(id, i);
  });
  const seen = new Map<string, { index: number; handle: string }>();
  learners.forEach((l: unknown, index: number) => {
    if (!l || typeof l !== 'object') return;
    const { github_handle: handle, cohort_id: cohort } = l as LearnerLike;
    if (typeof cohort === 'string' && !cohortIds.has(cohort)) {
      const known = [...cohortIds.keys()];
      out.push({
        path: `learners[${index}].cohort_id`,
        learner: typeof handle === 'string' ? { index, handle } : { index },
        expected:
          known.length > 0
            ? `a cohort defined under "cohorts" (${known.join(', ')})`
            : 'a cohort defined under "cohorts" (none is defined)',
        found: JSON.stringify(cohort),
      });
    }
    if (typeof handle !== 'string' || typeof cohort !== 'string') return;
    const key = learnerKey(handle, cohort);
    const first = seen.get(key);
    if (first) {
      out.push({
        path: `learners[${index}].github_handle`,
        learner: { index, handle },
        expected: `one entry per learner and cohort; learners[${first.index}] is already "${first.handle}" in cohort "${cohort}" (handles are compared case-insensitively)`,
        found: JSON.stringify(handle),
      });
    } else seen.set(key, { index, handle });
  });
  return out;
}

/** Every problem in a parsed roster document, in document order; empty when valid. */
export function validateRoster(doc: unknown): RosterError[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return [
      {
        path: '(document)',
        expected: 'a JSON object with format_version, cohorts and learners',
        found: renderFound(doc),
      },
    ];
  }
  const version = (doc as Record<string, unknown>).format_version;
  if (!(SUPPORTED_FORMAT_VERSIONS as readonly unknown[]).includes(version)) {
    // Another version's rules are unknown to this tool: validating further would only mislead.
    return [
      {
        path: 'format_version',
        expected: `a supported format version (${SUPPORTED_FORMAT_VERSIONS.join(', ')})`,
        found: renderFound(version),
      },
    ];
  }
  const errors = [...schemaErrors(doc), ...crossErrors(doc as Record<string, unknown>)];
  return errors.sort((a, b) => (a.learner?.index ?? -1) - (b.learner?.index ?? -1));
}

/**
 * One line per error: the learner, the path, what was expected and what was found. Values from
 * the file (a key, a handle, a cohort id) may hold control characters: they are shown escaped, so
 * the line stays one readable line and a terminal never acts on them.
 */
export function formatRosterError(e: RosterError, source?: string): string {
  const where = e.line !== undefined ? `${source ?? 'roster'}:${e.line}:${e.column}: ` : source ? `${source}: ` : '';
  if (e.line !== undefined) return escapeControls(`${where}${e.expected}`);
  // A handle with spaces or control characters is shown quoted.
  const who = e.learner
    ? `learner #${e.learner.index}${e.learner.handle !== undefined ? ` (${quotedIfNeeded(e.learner.handle)})` : ''}, `
    : '';
  return escapeControls(`${where}${who}${e.path}: expected ${e.expected}; found ${e.found}`);
}
