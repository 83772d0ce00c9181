import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatRosterError, parseRoster, RosterError, serializeRoster, validateRoster } from '../../roster';
import { generatedRoster, learner, roster } from '../../test-kit/rosters';

const lines = (errors: RosterError[]) => errors.map((e) => formatRosterError(e));
/** The lines of a roster given as an object: no source text, so no line numbers. */
const linesOf = (doc: unknown) => lines(validateRoster(doc));

function errorsOf(doc: unknown): RosterError[] {
  return parseRoster(JSON.stringify(doc)).errors;
}

describe('valid rosters', () => {
  test('the bundled example is valid', () => {
    const text = readFileSync(join(__dirname, '../../examples/roster.example.json'), 'utf8');
    const { roster: r, errors } = parseRoster(text);
    expect(errors).toEqual([]);
    expect(r?.learners.length).toBeGreaterThanOrEqual(8);
    expect(new Set(r?.learners.map((l) => l.cohort_id)).size).toBe(2);
  });

  test('a roster with no learners is valid', () => {
    expect(validateRoster(roster([]))).toEqual([]);
  });

  test('a roster of 10,000 learners is valid', () => {
    const r = generatedRoster(10_000);
    expect(parseRoster(serializeRoster(r)).errors).toEqual([]);
  });

  test('one person may be in two cohorts', () => {
    expect(validateRoster(roster([learner('alice', 'c1'), learner('Alice', 'c2')], ['c1', 'c2']))).toEqual([]);
  });

  test.each(['a', 'A-b-C', '0', 'x'.repeat(39), 'dev-42-x'])('handle %s is accepted', (h) => {
    expect(validateRoster(roster([learner(h)]))).toEqual([]);
  });
});

describe('handles', () => {
  test.each([
    ['double hyphen', 'bad--handle', 'two hyphens in a row'],
    ['leading hyphen', '-alice', 'start with a hyphen'],
    ['trailing hyphen', 'alice-', 'end with a hyphen'],
    ['40 characters', 'a'.repeat(40), 'at most 39 characters'],
    ['non-ASCII letter', 'jürgen', 'only letters a-z, digits and hyphens (found "ü")'],
    ['an underscore', 'snake_case', 'no underscore "_"'],
    ['empty', '', 'must not be empty'],
  ])('%s is rejected with the reason, naming the learner and field', (_what, handle, reason) => {
    const errors = errorsOf(roster([learner('ok'), learner(handle)]));
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('learners[1].github_handle');
    expect(errors[0].learner).toEqual({ index: 1, handle });
    expect(errors[0].expected).toBe('a GitHub user name');
    expect(errors[0].hint).toContain(reason);
    expect(errors[0].found).toBe(JSON.stringify(handle));
  });
});

describe('identity', () => {
  test('a duplicate differing only in case names both positions', () => {
    expect(linesOf(roster([learner('Alice'), learner('bob'), learner('ALICE')]))).toEqual([
      'learner 3, github_handle: expected one entry per learner and cohort; found "ALICE"; learner 1 is already "Alice" in cohort "c1" (GitHub user names ignore upper and lower case): remove one of the two entries',
    ]);
  });

  test('a learner in an undefined cohort is named with the known cohorts', () => {
    expect(linesOf(roster([learner('alice', 'c9')], ['c1', 'c2']))).toEqual([
      'learner 1 (alice), cohort_id: expected a cohort defined under "cohorts" (c1, c2); found "c9"; did you mean "c1"?',
    ]);
    expect(linesOf(roster([learner('alice', 'spring')], ['c1', 'c2']))).toEqual([
      'learner 1 (alice), cohort_id: expected a cohort defined under "cohorts" (c1, c2); found "spring"',
    ]);
  });

  test('a cohort defined twice is an error', () => {
    const errors = errorsOf(roster([], ['c1', 'c1']));
    expect(errors.map((e) => e.path)).toEqual(['cohorts[1].cohort_id']);
  });
});

describe('fields', () => {
  test('a missing cohort_id names the learner and the field', () => {
    const { cohort_id: _c, ...rest } = learner('alice');
    expect(linesOf(roster([rest as never]))).toEqual([
      'learner 1 (alice), cohort_id: expected the required field "cohort_id"; found nothing',
    ]);
  });

  test('an unknown state lists the states', () => {
    const errors = errorsOf(roster([learner('alice', 'c1', { provisioning: { state: 'done' as never } })]));
    expect(errors[0].path).toBe('learners[0].provisioning.state');
    expect(errors[0].expected).toBe('one of "pending", "provisioned", "failed", "archived"');
    expect(errors[0].found).toBe('"done"');
  });

  test('an unknown field is an error with a suggestion (a typo must not pass silently)', () => {
    const l = {
      github_handle: 'alice',
      cohort: 'c1',
      cohort_id: 'c1',
      path: 'web',
      provisioning: { state: 'pending' },
    };
    const errors = errorsOf(roster([l as never]));
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('learners[0].cohort');
    expect(errors[0].hint).toBe('did you mean "cohort_id"?');
  });

  test('unknown fields are caught at every level', () => {
    const doc = {
      ...roster([learner('a', 'c1', { provisioning: { state: 'pending', sate: 1 } as never })]),
      extra: true,
    };
    (doc.cohorts[0] as unknown as Record<string, unknown>).tempalte = 'x/y';
    expect(
      errorsOf(doc)
        .map((e) => e.path)
        .sort(),
    ).toEqual(['cohorts[0].tempalte', 'extra', 'learners[0].provisioning.sate']);
  });

  test('wrong types name the expected type and the value found', () => {
    expect(linesOf(roster([learner('alice', 'c1', { path: 7 as never, email: 'not-an-email' })]))).toEqual([
      'learner 1 (alice), path: expected text in double quotes; found 7; write "7" (in double quotes)',
      'learner 1 (alice), email: expected an email address; found "not-an-email"',
    ]);
  });

  test('learners that are not objects, and a learners field that is not an array', () => {
    expect(errorsOf({ format_version: 1, cohorts: [], learners: {} })[0]).toMatchObject({
      path: 'learners',
      expected: 'a list in square brackets [ ]',
    });
    expect(linesOf({ format_version: 1, cohorts: [], learners: ['alice', 7] })).toEqual([
      'learner 1: expected an object in curly braces { }; found "alice"; write { "github_handle": "alice", "cohort_id": ..., "path": ..., "provisioning": { "state": "pending" } }',
      'learner 2: expected an object in curly braces { }; found 7',
    ]);
  });

  test('every problem is reported at once, in learner order', () => {
    const errors = errorsOf(
      roster([
        learner('ok'),
        learner('bad--one'),
        learner('fine', 'c1', { provisioning: { state: 'nope' as never } }),
        learner('-x', 'zz'),
      ]),
    );
    expect(errors.map((e) => e.learner?.index)).toEqual([1, 2, 3, 3]);
  });

  test('a handle with control characters is quoted in the message; a numeric handle is still named', () => {
    expect(linesOf(roster([learner('tab\there', 'c9'), learner(42 as never, 'c9')]))).toEqual([
      'learner 1, github_handle: expected a GitHub user name; found "tab\\there"; a GitHub user name holds only letters a-z, digits and hyphens (found "\\t"): copy it from the learner\'s GitHub profile',
      'learner 1 ("tab\\there"), cohort_id: expected a cohort defined under "cohorts" (c1); found "c9"; did you mean "c1"?',
      'learner 2, github_handle: expected a GitHub user name, in double quotes; found 42; write "42" (in double quotes)',
      'learner 2 (42), cohort_id: expected a cohort defined under "cohorts" (c1); found "c9"; did you mean "c1"?',
    ]);
  });

  test('required files must stay inside required-files/', () => {
    const doc = roster([]);
    doc.cohorts[0].required_files = ['.github/workflows/ok.yml', '../secrets.txt', '/etc/passwd', 'a/../../b'];
    const errors = errorsOf(doc);
    expect(errors.map((e) => e.path)).toEqual([
      'cohorts[0].required_files[1]',
      'cohorts[0].required_files[2]',
      'cohorts[0].required_files[3]',
    ]);
    expect(errors[0].expected).toContain("no '..'");
  });

  test('dates and timestamps must be ISO 8601', () => {
    const errors = errorsOf(
      roster([learner('alice', 'c1', { provisioning: { state: 'provisioned', updated_at: 'yesterday' } })]),
    );
    expect(errors[0].expected).toContain('ISO 8601');
  });
});

describe('documents', () => {
  test('an unknown format version says which versions are supported', () => {
    expect(linesOf({ format_version: 7, cohorts: [], learners: [] })).toEqual([
      'format_version: expected a supported format version (1); found 7',
    ]);
    expect(lines(parseRoster('{\n  "format_version": 7,\n  "cohorts": [],\n  "learners": []\n}\n').errors)).toEqual([
      'line 2, format_version: expected a supported format version (1); found 7',
    ]);
    expect(errorsOf({ cohorts: [], learners: [] })[0].found).toBe('nothing');
  });

  test('an empty file', () => {
    const { errors } = parseRoster('  \n');
    expect(errors).toHaveLength(1);
    expect(errors[0].expected).toContain('empty');
  });

  test('a trailing comma gives line and column', () => {
    const text = '{\n  "format_version": 1,\n  "cohorts": [],\n  "learners": [],\n}\n';
    const { errors } = parseRoster(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 5, column: 1 });
    expect(formatRosterError(errors[0], 'roster.json')).toMatch(/^roster\.json:5:1: malformed JSON: trailing comma/);
  });

  test('malformed JSON in the middle of a learner gives its position', () => {
    const text = serializeRoster(roster([learner('alice'), learner('bob')])).replace('"bob"', '"bob" "x"');
    const { errors } = parseRoster(text);
    const line = text.split('\n').findIndex((l) => l.includes('"bob"')) + 1;
    expect(errors[0].line).toBe(line);
    expect(errors[0].expected).toContain('comma');
  });

  test('a stray character is named as found, not as expected', () => {
    const { errors } = parseRoster('{\n  "format_version": 1,\n  "cohorts": [],\n  "learners": [ x ]\n}\n');
    expect(formatRosterError(errors[0], 'roster.json')).toBe(
      'roster.json:4:17: malformed JSON: unexpected character "x": expected a JSON value, string, number, true, false or null',
    );
  });

  test('a byte-order mark is named', () => {
    const { errors } = parseRoster('\ufeff' + serializeRoster(roster([])));
    expect(errors[0].expected).toContain('byte-order mark');
  });

  test('a property given twice in one object is an error, since JSON.parse would drop one', () => {
    const text =
      '{"format_version":1,"cohorts":[{"cohort_id":"c1"}],"learners":[{"github_handle":"a","cohort_id":"c1","cohort_id":"c1","path":"web","provisioning":{"state":"pending"}}]}';
    const { errors } = parseRoster(text);
    expect(errors[0].expected).toContain('"cohort_id" appears twice');
  });

  test('a document that is not an object', () => {
    expect(errorsOf([1, 2])[0].expected).toContain('JSON object');
  });
});
