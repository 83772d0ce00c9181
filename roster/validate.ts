import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import schema from './roster.schema.json';
import { enrolmentMoment } from './enrolment';
import { explainHandle, foldHandle, learnerKey, looksLikeEmail, sameHandle, suggestHandle } from './handle';
import { Locator, Segments } from './json-text';
import { pathCounts } from './notes';
import { closestMatch } from './suggest';
import { courseProblems } from './course-rules';
import { RosterError, SUPPORTED_FORMAT_VERSIONS } from './types';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    addFormats(ajv, ['date-time', 'date', 'email']);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** `["learners", 3, "cohort_id"]` -> `learners[3].cohort_id` */
export function pathText(at: Segments): string {
  if (at.length === 0) return '(document)';
  let out = '';
  for (const seg of at) {
    if (typeof seg === 'number') out += `[${seg}]`;
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

function valueAt(doc: unknown, at: Segments): unknown {
  let cur: unknown = doc;
  for (const seg of at) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** A JSON pointer as segments: a number where it indexes an array (an object key may look numeric). */
function segmentsOf(doc: unknown, pointer: string): Segments {
  const at: Segments = [];
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    at.push(Array.isArray(valueAt(doc, at)) ? Number(key) : key);
  }
  return at;
}

/** A problem before it is placed in the file. */
interface Problem {
  at: Segments;
  expected: string;
  found: string;
  hint?: string;
  /** A required field that is missing, or an unknown field that probably means `target`. */
  kind?: 'missing' | 'unknown';
  target?: string;
}

/** What the rules need to know about the whole roster to word one problem. */
interface Context {
  doc: Record<string, unknown>;
  cohortIds: string[];
  /** Learning paths each cohort's learners use, most used first. */
  pathsByCohort: Map<string, string[]>;
  /** First learner of each (login, cohort): a handle's login is the handle, or what it means ("@alice": alice). */
  firstByKey: Map<string, number>;
  locate?: Locator;
}

interface LearnerLike {
  github_handle?: unknown;
  cohort_id?: unknown;
}

const learnersOf = (doc: Record<string, unknown>): unknown[] => (Array.isArray(doc.learners) ? doc.learners : []);
const entryOf = (l: unknown): LearnerLike => (l !== null && typeof l === 'object' ? (l as LearnerLike) : {});
const IDENTIFIER = new RegExp(schema.definitions.identifier.pattern);
/** An identifier that does not end like a shard stack's name (contracts/stack-names.ts). */
const COHORT_ID = new RegExp(schema.definitions.cohort_id.pattern);

/** "learner 3 (line 41)" for hints that point at another learner; people count from 1. */
function learnerRef(ctx: Context, index: number): string {
  const where = ctx.locate?.(['learners', index]);
  return `learner ${index + 1}${where ? ` (line ${where.line})` : ''}`;
}

/** The login a handle is, or clearly means once what was pasted around it is dropped. */
const loginOf = (handle: string): string | undefined =>
  explainHandle(handle) === undefined ? handle : suggestHandle(handle);

/** `learner 1 (line 9) is already "alice" in cohort "c1"`, for a second entry of one login. */
function alreadyThere(ctx: Context, first: number, cohort: string, handle: string): string {
  const firstHandle = String(entryOf(learnersOf(ctx.doc)[first]).github_handle);
  const caseOnly =
    firstHandle !== handle && sameHandle(firstHandle, handle) ? ' (GitHub user names ignore upper and lower case)' : '';
  return `${learnerRef(ctx, first)} is already ${JSON.stringify(firstHandle)} in cohort "${cohort}"${caseOnly}`;
}

function context(doc: Record<string, unknown>, locate?: Locator): Context {
  const cohorts = Array.isArray(doc.cohorts) ? doc.cohorts : [];
  const cohortIds = [
    ...new Set(cohorts.map((c: unknown) => entryOf(c).cohort_id).filter((id): id is string => typeof id === 'string')),
  ];
  const firstByKey = new Map<string, number>();
  learnersOf(doc).forEach((l, index) => {
    const { github_handle: handle, cohort_id: cohort } = entryOf(l);
    if (typeof cohort !== 'string') return;
    const login = typeof handle === 'string' ? loginOf(handle) : undefined;
    if (login !== undefined && !firstByKey.has(learnerKey(login, cohort)))
      firstByKey.set(learnerKey(login, cohort), index);
  });
  const pathsByCohort = new Map([...pathCounts(doc)].map(([cohort, paths]) => [cohort, paths.map(([p]) => p)]));
  return { doc, cohortIds, pathsByCohort, firstByKey, locate };
}

/** For a cohort id or path that is not one: the known one it probably means, or how to write it. */
function identifierHint(value: string, known: string[], pattern: RegExp = IDENTIFIER): string | undefined {
  const near = closestMatch(value, known);
  if (near !== undefined) return `did you mean "${near}"?`;
  if (looksLikeEmail(value)) return 'this is an email address; an email address goes in the learner\'s "email" field';
  const slug = value.trim().toLowerCase().replace(/\s+/g, '-');
  return slug !== value && pattern.test(slug) ? `write it as "${slug}"` : undefined;
}

/** The handle's explanation; when its fix is a handle the cohort already has, says so too. */
function handleHint(ctx: Context, index: number, handle: string): string | undefined {
  const why = explainHandle(handle);
  const login = suggestHandle(handle);
  const cohort = entryOf(learnersOf(ctx.doc)[index]).cohort_id;
  if (login === undefined || typeof cohort !== 'string') return why;
  const first = ctx.firstByKey.get(learnerKey(login, cohort));
  if (first === undefined || first === index) return why;
  return `${why}; but ${alreadyThere(ctx, first, cohort, login)}, so remove one of the two entries instead`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text in double quotes',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object in curly braces { }',
  array: 'a list in square brackets [ ]',
  null: 'null',
};

function typeProblem(err: ErrorObject, at: Segments, value: unknown): Omit<Problem, 'at' | 'found'> {
  const types = String(err.params.type).split(',');
  const expected = types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
  const field = at[at.length - 1];
  const words = field === 'github_handle' ? 'a GitHub user name, in double quotes' : expected;
  if (types.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
    return { expected: words, hint: `write "${String(value)}" (in double quotes)` };
  }
  // A class list pasted as names: each learner must be an object with its fields.
  if (at.length === 2 && at[0] === 'learners' && typeof value === 'string') {
    return {
      expected: words,
      hint: `write { "github_handle": ${JSON.stringify(value)}, "cohort_id": ..., "path": ..., "provisioning": { "state": "pending" } }`,
    };
  }
  return { expected: words };
}

const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'an ISO 8601 date and time such as "2026-09-01T09:00:00Z"',
  date: 'an ISO 8601 date such as "2026-09-01"',
  email: 'an email address',
};

interface SchemaNode {
  description?: string;
  properties?: Record<string, unknown>;
}

/** Expected words and, where the tool can tell, what to write instead, for one schema error. */
function schemaProblem(err: ErrorObject, at: Segments, value: unknown, ctx: Context): Omit<Problem, 'at' | 'found'> {
  const node = err.parentSchema as SchemaNode | undefined;
  const field = at[at.length - 1];
  const index = at[0] === 'learners' && typeof at[1] === 'number' ? at[1] : undefined;
  switch (err.keyword) {
    case 'type':
      return typeProblem(err, at, value);
    case 'enum': {
      const allowed = (err.params.allowedValues as unknown[]).map(String);
      const near = typeof value === 'string' ? closestMatch(value, allowed) : undefined;
      return {
        expected: `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
        hint: near && `did you mean "${near}"?`,
      };
    }
    case 'const':
      return { expected: JSON.stringify(err.params.allowedValue) };
    case 'pattern':
      if (field === 'github_handle' && index !== undefined && typeof value === 'string') {
        return { expected: 'a GitHub user name', hint: handleHint(ctx, index, value) };
      }
      if (at[2] === 'enrolment' && at[3] === 'allowed_handles' && typeof value === 'string') {
        return { expected: 'a GitHub user name', hint: explainHandle(value) };
      }
      if (field === 'path' && index !== undefined && typeof value === 'string') {
        const cohort = entryOf(learnersOf(ctx.doc)[index]).cohort_id;
        return {
          expected: 'a learning path name: lower-case letters, digits, ".", "_" and "-", such as "web"',
          hint: identifierHint(value, ctx.pathsByCohort.get(String(cohort)) ?? []),
        };
      }
      if (field === 'cohort_id' && at[0] === 'cohorts' && typeof value === 'string') {
        const slug = identifierHint(value, [], COHORT_ID);
        // Not an identifier at all: the identifier's words; an identifier that ends like a shard
        // stack's name breaks only the cohort id's own rule, which its description adds.
        const words = IDENTIFIER.test(value) ? node?.description : schema.definitions.identifier.description;
        // Its learners name it too: they are not reported again (see schemaProblems).
        return {
          expected: words ?? 'an identifier',
          hint: slug && `${slug}, here and in the "cohort_id" of its learners`,
        };
      }
      return { expected: node?.description ?? `text matching ${String(err.params.pattern)}` };
    case 'format':
      return {
        expected: FORMAT_WORDS[String(err.params.format)] ?? `a value in the ${String(err.params.format)} format`,
      };
    case 'minimum':
      return { expected: `a number of at least ${String(err.params.limit)}` };
    case 'minLength':
      return { expected: `text of at least ${String(err.params.limit)} characters` };
    case 'maxLength':
      return { expected: `text of at most ${String(err.params.limit)} characters` };
    case 'uniqueItems':
      return { expected: `no repeated items (items ${String(err.params.j)} and ${String(err.params.i)} are equal)` };
    default:
      return { expected: err.message ?? err.keyword };
  }
}

/** Names people give the fields, from GitHub Classroom's export and from habit. */
const FIELD_ALIASES = new Map([
  ['handle', 'github_handle'],
  ['username', 'github_handle'],
  ['githubusername', 'github_handle'],
  ['github', 'github_handle'],
  ['githublogin', 'github_handle'],
  ['login', 'github_handle'],
  ['user', 'github_handle'],
  ['cohort', 'cohort_id'],
  ['class', 'cohort_id'],
  ['learningpath', 'path'],
  ['track', 'path'],
  ['state', 'provisioning'],
  ['status', 'progress'],
]);

/** The known field an unknown one probably means: same letters, a usual alias, a prefix or a typo. */
function closestField(name: string, known: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const same = known.find((k) => norm(k) === norm(name));
  if (same !== undefined) return same;
  const alias = FIELD_ALIASES.get(norm(name));
  if (alias !== undefined && known.includes(alias)) return alias;
  const prefixed = norm(name).length >= 3 ? known.find((k) => norm(k).startsWith(norm(name))) : undefined;
  return prefixed ?? closestMatch(name, known);
}

/** An unknown field, with the known field it probably means (and, for a handle, what its value needs). */
function unknownField(err: ErrorObject, at: Segments, ctx: Context): Problem {
  const extra = String(err.params.additionalProperty);
  const known = Object.keys((err.parentSchema as SchemaNode | undefined)?.properties ?? {});
  const target = closestField(extra, known);
  let hint: string | undefined;
  // "state" or "status" written beside the learner's fields instead of inside their object.
  const nested =
    (target === 'provisioning' || target === 'progress') && FIELD_ALIASES.get(extra.toLowerCase()) === target;
  if (nested) hint = `"${extra}" goes inside "${target}": write "${target}": { "${extra}": ... }`;
  else if (target !== undefined) hint = `did you mean "${target}"?`;
  const value = valueAt(ctx.doc, [...at, extra]);
  const why = target === 'github_handle' && typeof value === 'string' ? explainHandle(value) : undefined;
  if (why !== undefined) hint = `${hint} Then also: ${why}`;
  return {
    at: [...at, extra],
    expected: `only known fields (${known.join(', ')})`,
    found: `unknown field "${extra}"`,
    hint,
    kind: 'unknown',
    target,
  };
}

function schemaProblems(ctx: Context): Problem[] {
  const validate = validator();
  if (validate(ctx.doc)) return [];
  return (validate.errors ?? []).flatMap((err): Problem[] => {
    const at = segmentsOf(ctx.doc, err.instancePath);
    if (err.keyword === 'required') {
      const missing = String(err.params.missingProperty);
      return [{ at: [...at, missing], expected: `the required field "${missing}"`, found: 'nothing', kind: 'missing' }];
    }
    if (err.keyword === 'additionalProperties') return [unknownField(err, at, ctx)];
    const value = valueAt(ctx.doc, at);
    // A learner naming a cohort whose own id is malformed: the cohort's error says it once.
    if (
      err.keyword === 'pattern' &&
      at[0] === 'learners' &&
      at[2] === 'cohort_id' &&
      ctx.cohortIds.includes(value as string)
    )
      return [];
    return [{ at, found: renderFound(value), ...schemaProblem(err, at, value, ctx) }];
  });
}

/**
 * A cohort's enrolment rule beyond its shape: real dates, closing after opening, each allowed
 * handle once. A malformed date or handle is the schema's to report.
 */
function enrolmentProblems(cohort: unknown, i: number): Problem[] {
  const rule = (cohort as { enrolment?: unknown } | null)?.enrolment;
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return [];
  const { opens, closes, allowed_handles: allowed } = rule as Record<string, unknown>;
  const at = (field: string): Segments => ['cohorts', i, 'enrolment', field];
  const out: Problem[] = [];
  const SHAPE = new RegExp(schema.definitions.moment.pattern);
  const moment = (field: string, value: unknown, edge: 'start' | 'end') => {
    if (typeof value !== 'string' || !SHAPE.test(value)) return undefined;
    const m = enrolmentMoment(value, edge);
    if (!m) out.push({ at: at(field), expected: 'a date that exists in the calendar', found: JSON.stringify(value) });
    return m;
  };
  const from = moment('opens', opens, 'start');
  const to = moment('closes', closes, 'end');
  if (from && to && to.at <= from.at) {
    out.push({
      at: at('closes'),
      expected: `a time after "opens" (${String(opens)})`,
      found: JSON.stringify(closes),
      hint: 'enrolment would never be open: swap the two, or correct one',
    });
  }
  if (Array.isArray(allowed)) {
    const first = new Map<string, number>();
    allowed.forEach((h: unknown, k: number) => {
      if (typeof h !== 'string' || explainHandle(h) !== undefined) return;
      const seen = first.get(foldHandle(h));
      if (seen === undefined) first.set(foldHandle(h), k);
      else
        out.push({
          at: ['cohorts', i, 'enrolment', 'allowed_handles', k],
          expected: 'each GitHub user name once',
          found: JSON.stringify(h),
          hint: `item ${seen + 1} is already ${JSON.stringify(allowed[seen])} (GitHub user names ignore upper and lower case): remove one`,
        });
    });
  }
  return out;
}

/** Rules a JSON Schema cannot say: identity, references between cohorts and learners. */
function crossProblems(ctx: Context): Problem[] {
  const out: Problem[] = [];
  const cohorts = Array.isArray(ctx.doc.cohorts) ? ctx.doc.cohorts : [];
  cohorts.forEach((c: unknown, i: number) => out.push(...enrolmentProblems(c, i)));
  const firstCohort = new Map<string, number>();
  cohorts.forEach((c: unknown, i: number) => {
    const id = entryOf(c).cohort_id;
    if (typeof id !== 'string') return;
    const first = firstCohort.get(id);
    if (first === undefined) firstCohort.set(id, i);
    else
      out.push({
        at: ['cohorts', i, 'cohort_id'],
        expected: 'a cohort id not used before',
        found: JSON.stringify(id),
        hint: `cohort ${first + 1} already has it`,
      });
  });
  learnersOf(ctx.doc).forEach((l, index) => {
    const { github_handle: handle, cohort_id: cohort } = entryOf(l);
    if (typeof cohort === 'string' && !firstCohort.has(cohort)) {
      const known = ctx.cohortIds;
      const shown =
        known.length > 10
          ? `${known.slice(0, 10).join(', ')}, ... ${known.length} in all`
          : known.join(', ') || 'none is defined';
      out.push({
        at: ['learners', index, 'cohort_id'],
        expected: `a cohort defined under "cohorts" (${shown})`,
        found: JSON.stringify(cohort),
        hint: identifierHint(cohort, known, COHORT_ID),
      });
    }
    // An invalid handle is reported as such (its hint names an earlier entry of the same login).
    if (typeof handle !== 'string' || typeof cohort !== 'string' || explainHandle(handle) !== undefined) return;
    const first = ctx.firstByKey.get(learnerKey(handle, cohort));
    if (first === undefined || first === index) return;
    out.push({
      at: ['learners', index, 'github_handle'],
      expected: 'one entry per learner and cohort',
      found: JSON.stringify(handle),
      hint: `${alreadyThere(ctx, first, cohort, handle)}: remove one of the two entries`,
    });
  });
  return out;
}

/**
 * One report per mistake: the first problem at a path wins (the cross rules come first, as they
 * say more: "did you mean" a defined cohort rather than "not an identifier"), and a required field
 * is not reported missing when an unknown field beside it probably is that field misspelt.
 */
function onePerMistake(problems: Problem[]): Problem[] {
  const key = (at: Segments) => JSON.stringify(at);
  const misspelt = new Set(
    problems
      .filter((p) => p.kind === 'unknown' && p.target !== undefined)
      .map((p) => key([...p.at.slice(0, -1), p.target as string])),
  );
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = key(p.at);
    if (seen.has(k) || (p.kind === 'missing' && misspelt.has(k))) return false;
    seen.add(k);
    return true;
  });
}

/** The problem as reported: JSON path, learner (0-based index and handle), source position. */
function placed(p: Problem, ctx: Context): RosterError {
  const e: RosterError = { path: pathText(p.at), expected: p.expected, found: p.found };
  if (p.at[0] === 'learners' && typeof p.at[1] === 'number') {
    const raw = entryOf(learnersOf(ctx.doc)[p.at[1]]).github_handle;
    const handle = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : undefined;
    e.learner = handle === undefined ? { index: p.at[1] } : { index: p.at[1], handle };
  }
  if (p.hint !== undefined) e.hint = p.hint;
  const where = p.at.length > 0 ? ctx.locate?.(p.at) : undefined;
  if (where) Object.assign(e, where);
  return e;
}

/**
 * Every problem in a parsed roster document, in document order; empty when valid. With `locate`
 * (from the text the document was parsed from), each problem says on which line it is.
 */
export function validateRoster(doc: unknown, locate?: Locator): RosterError[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return [
      {
        path: '(document)',
        expected: 'a JSON object with format_version, cohorts and learners',
        found: renderFound(doc),
      },
    ];
  }
  const ctx = context(doc as Record<string, unknown>, locate);
  const version = ctx.doc.format_version;
  if (!(SUPPORTED_FORMAT_VERSIONS as readonly unknown[]).includes(version)) {
    // Another version's rules are unknown to this tool: validating further would only mislead.
    return [
      placed(
        {
          at: ['format_version'],
          expected: `a supported format version (${SUPPORTED_FORMAT_VERSIONS.join(', ')})`,
          found: renderFound(version),
        },
        ctx,
      ),
    ];
  }
  // The course's rules last: a value the schema already refuses is reported once, by the schema.
  const problems = onePerMistake([...crossProblems(ctx), ...schemaProblems(ctx), ...courseProblems(ctx.doc)]);
  return inDocumentOrder(problems, ctx).map((p) => placed(p, ctx));
}

/** Learner by learner, and within a learner field by field as written (a missing field last). */
function inDocumentOrder(problems: Problem[], ctx: Context): Problem[] {
  const rank = (p: Problem): [number, number] => {
    if (p.at[0] !== 'learners' || typeof p.at[1] !== 'number') return [-1, 0];
    const entry = learnersOf(ctx.doc)[p.at[1]];
    const keys = entry !== null && typeof entry === 'object' ? Object.keys(entry) : [];
    const field = keys.indexOf(String(p.at[2]));
    return [p.at[1], field === -1 ? keys.length : field];
  };
  return problems
    .map((p) => ({ p, r: rank(p) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1])
    .map(({ p }) => p);
}
