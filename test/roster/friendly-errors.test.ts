/**
 * The mistakes people make in a roster, as the operator reads them from `validate`: each message
 * names the learner (counted from 1), the line, the field, and what to write instead; one mistake
 * is one message. Rosters are written pretty-printed, as an editor shows them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'friendly-errors-'));

type Entry = Record<string, unknown> | string;
const pending = { state: 'pending' };
const person = (handle: unknown, extra: Record<string, unknown> = {}): Entry => ({
  github_handle: handle,
  cohort_id: 'c1',
  path: 'web',
  provisioning: pending,
  ...extra,
});

/** Writes the roster as two-space JSON and runs `validate` on it. */
async function validate(learners: Entry[], cohorts: Entry[] = [{ cohort_id: 'c1' }], args: string[] = []) {
  writeFileSync(join(dir, 'roster.json'), JSON.stringify({ format_version: 1, cohorts, learners }, null, 2));
  const res = await cli(['validate', 'roster.json', ...args], { cwd: dir });
  return { ...res, lines: res.stderr.split('\n').filter((l) => l !== '') };
}

/**
 * Line of a learner's github_handle in these files: with one cohort the first learner opens on
 * line 9, and a learner of the `person` shape takes 8 lines (braces, 4 fields, provisioning's 2).
 */
const handleLine = (n: number) => 10 + 8 * n;
const TAIL = 'roster.json: 1 problem; learners are counted from 1, in file order';

describe('a handle as people paste it: the message says what to write instead', () => {
  const EMAIL =
    'this is an email address, not a GitHub user name: ask the learner for the name they sign in to GitHub with (it shows at the top right of github.com)';
  const PROFILE = 'this is a link to a GitHub profile: write only the user name, "octocat"';
  const LOOK = "copy it from the learner's GitHub profile";
  test.each<[string, unknown, string]>([
    ['@handle', '@octocat', 'drop the @: write "octocat"'],
    ['@ and a space', '@ octocat', 'drop the @ and the space: write "octocat"'],
    ['@ and spaces around it', ' @octocat  ', 'drop the @ and the spaces: write "octocat"'],
    ['a leading space', ' octocat', 'drop the space: write "octocat"'],
    ['a trailing tab', 'octocat\t', 'drop the space: write "octocat"'],
    ['a trailing comma from a pasted list', 'octocat,', 'drop the "," at the end: write "octocat"'],
    ['a trailing semicolon and space', 'octocat; ', 'drop the space and the ";" at the end: write "octocat"'],
    ['quotes inside the quotes', '"octocat"', 'drop the quotes: write "octocat"'],
    ['a list bullet', '- octocat', 'drop the list bullet: write "octocat"'],
    ['an email address', 'octocat@example.org', EMAIL],
    ['an email address with spaces', ' Octocat@Example.org ', EMAIL],
    ['a name and address from a mail client', 'Octo Cat <octocat@example.org>', EMAIL],
    ['a mailto: link', 'mailto:octocat@example.org', EMAIL],
    ['a profile URL', 'https://github.com/octocat', PROFILE],
    ['an upper-case URL', 'HTTPS://GITHUB.COM/octocat', PROFILE],
    ['an http:// URL', 'http://github.com/octocat', PROFILE],
    ['a URL without scheme, with a slash', 'github.com/octocat/', PROFILE],
    ['a www URL', 'www.github.com/octocat', PROFILE],
    ['a URL with a query', 'https://github.com/octocat?tab=repositories', PROFILE],
    [
      'a repository URL',
      'https://github.com/octocat/hello-world',
      'this is a link to a repository or page on GitHub, not a user name: if it is the learner\'s own, write "octocat"',
    ],
    [
      'a link elsewhere',
      'https://gitlab.com/octocat',
      `this is a link, not a GitHub user name: write the user name only (${LOOK})`,
    ],
    [
      'a display name',
      'Alice Nguyen',
      "this looks like a person's name, not a GitHub user name (user names have no spaces): write the name the learner signs in to GitHub with",
    ],
    [
      'a name written last name first',
      'Nguyen, Alice',
      "this looks like a person's name, not a GitHub user name (user names have no spaces): write the name the learner signs in to GitHub with",
    ],
    [
      'several handles in one',
      'alice, bob',
      'this holds 2 user names (alice, bob): give each learner an entry of their own',
    ],
    ['an underscore', 'alice_nguyen', `a GitHub user name has no underscore "_" (hyphens "-" are allowed): ${LOOK}`],
    ['two hyphens', 'alice--nguyen', `a GitHub user name must not contain two hyphens in a row: ${LOOK}`],
    ['a leading hyphen', '-alice', `a GitHub user name must not start with a hyphen: ${LOOK}`],
    ['a trailing hyphen', 'alice-', `a GitHub user name must not end with a hyphen: ${LOOK}`],
    ['40 characters', 'a'.repeat(40), `a GitHub user name has at most 39 characters (this one has 40): ${LOOK}`],
    [
      'an accented letter',
      'jürgen',
      `a GitHub user name holds only letters a-z, digits and hyphens (found "ü"): ${LOOK}`,
    ],
    ['an empty string', '', 'a GitHub user name must not be empty: write the name the learner signs in to GitHub with'],
    [
      '@ with a rule broken after it',
      '@bad--x',
      `a GitHub user name must not contain two hyphens in a row: ${LOOK}; also drop the @`,
    ],
  ])('%s', async (_what, handle, hint) => {
    const res = await validate([person('alice'), person(handle)]);
    expect(res.code).toBe(1);
    expect(res.lines).toEqual([
      `roster.json: learner 2, line ${handleLine(1)}, github_handle: expected a GitHub user name; found ${JSON.stringify(handle)}; ${hint}`,
      TAIL,
    ]);
  });

  test('a number or null where a handle belongs: write it in quotes', async () => {
    const res = await validate([person(583231), person(null)]);
    expect(res.lines).toEqual([
      `roster.json: learner 1, line ${handleLine(0)}, github_handle: expected a GitHub user name, in double quotes; found 583231; write "583231" (in double quotes)`,
      `roster.json: learner 2, line ${handleLine(1)}, github_handle: expected a GitHub user name, in double quotes; found null`,
      'roster.json: 2 problems; learners are counted from 1, in file order',
    ]);
  });
});

describe('did you mean: cohorts, paths, fields and states', () => {
  const cohorts = [{ cohort_id: '2026-spring' }, { cohort_id: '2026-fall' }];
  const at = (cohort: string) => person('alice', { cohort_id: cohort });
  // Two cohorts take lines 3-10; the learner opens on line 12, its cohort_id is on line 14.
  const line =
    'roster.json: learner 1 (alice), line 14, cohort_id: expected a cohort defined under "cohorts" (2026-spring, 2026-fall)';

  test.each([
    ['a typo', '2026-sprng', '; did you mean "2026-spring"?'],
    ['two letters swapped', '2026-fall'.replace('fa', 'af'), '; did you mean "2026-fall"?'],
    ['another case', '2026-Spring', '; did you mean "2026-spring"?'],
    ['a trailing space', '2026-fall ', '; did you mean "2026-fall"?'],
    [
      'an email address',
      'alice@example.org',
      '; this is an email address; an email address goes in the learner\'s "email" field',
    ],
    ['nothing close: no guess', 'summer-camp', ''],
  ])('a cohort_id with %s', async (_what, cohort, hint) => {
    const res = await validate([at(cohort)], cohorts);
    expect(res.lines).toEqual([`${line}; found ${JSON.stringify(cohort)}${hint}`, TAIL]);
  });

  test('a path one learner of twenty mistyped is a note, not an error: the roster stays valid', async () => {
    const learners = Array.from({ length: 20 }, (_, i) =>
      person(`learner-${i + 1}`, { path: i === 13 ? 'acessibility' : 'accessibility' }),
    );
    const res = await validate(learners);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('roster.json is valid: 1 cohort, 20 learners: c1 20 (20 pending)\n');
    expect(res.lines).toEqual([
      `roster.json: note: learner 14 (learner-14), line ${handleLine(13) + 2}, path: no other learner of cohort "c1" has the path "acessibility"; did you mean "accessibility" (19 learners)? If it is a new path, leave it`,
    ]);
  });

  test('two paths each used by several learners are two paths: no note', async () => {
    const res = await validate([
      person('a', { path: 'web' }),
      person('b', { path: 'web' }),
      person('c', { path: 'wed' }),
      person('d', { path: 'wed' }),
    ]);
    expect(res).toMatchObject({ code: 0, stderr: '' });
  });

  test('a path that is no identifier: the close one the cohort uses, or how to write it', async () => {
    const res = await validate([
      person('a'),
      person('b'),
      person('c', { path: 'Web' }),
      person('d', { path: 'Screen Readers' }),
    ]);
    const expected = 'expected a learning path name: lower-case letters, digits, ".", "_" and "-", such as "web"';
    expect(res.lines).toEqual([
      `roster.json: learner 3 (c), line ${handleLine(2) + 2}, path: ${expected}; found "Web"; did you mean "web"?`,
      `roster.json: learner 4 (d), line ${handleLine(3) + 2}, path: ${expected}; found "Screen Readers"; write it as "screen-readers"`,
      'roster.json: 2 problems; learners are counted from 1, in file order',
    ]);
  });

  test('field names people use instead of the roster\'s: one message each, not also "missing"', async () => {
    const res = await validate([
      { handle: '@alice', cohort_id: 'c1', path: 'web', provisioning: pending },
      { github_handle: 'bob', Cohort: 'c1', path: 'web', provisioning: pending },
      { github_handle: 'carol', cohort_id: 'c1', path: 'web', state: 'pending' },
      { github_handle: 'dan', cohort_id: 'c1', path: 'web', provisioning: { state: 'Provisioned' } },
    ]);
    const known =
      'expected only known fields (github_handle, cohort_id, path, repository, name, email, student_id, notes, extensions, provisioning, progress)';
    expect(res.lines).toEqual([
      `roster.json: learner 1, line 10, handle: ${known}; found unknown field "handle"; did you mean "github_handle"? Then also: drop the @: write "alice"`,
      `roster.json: learner 2 (bob), line 19, Cohort: ${known}; found unknown field "Cohort"; did you mean "cohort_id"?`,
      `roster.json: learner 3 (carol), line 29, state: ${known}; found unknown field "state"; "state" goes inside "provisioning": write "provisioning": { "state": ... }`,
      'roster.json: learner 4 (dan), line 36, provisioning.state: expected one of "pending", "provisioned", "failed", "archived"; found "Provisioned"; did you mean "provisioned"?',
      'roster.json: 4 problems; learners are counted from 1, in file order',
    ]);
  });
});

describe('one mistake, one message', () => {
  test('a duplicate differing in case names the first entry and its line', async () => {
    const res = await validate([person('Alice'), person('bob'), person('ALICE')]);
    expect(res.lines).toEqual([
      `roster.json: learner 3, line ${handleLine(2)}, github_handle: expected one entry per learner and cohort; found "ALICE"; learner 1 (line 9) is already "Alice" in cohort "c1" (GitHub user names ignore upper and lower case): remove one of the two entries`,
      TAIL,
    ]);
  });

  test('a handle that is wrong and would also be a duplicate: one message that says both', async () => {
    const res = await validate([person('alice'), person('@Alice')]);
    expect(res.lines).toEqual([
      `roster.json: learner 2, line ${handleLine(1)}, github_handle: expected a GitHub user name; found "@Alice"; drop the @: write "Alice"; but learner 1 (line 9) is already "alice" in cohort "c1" (GitHub user names ignore upper and lower case), so remove one of the two entries instead`,
      TAIL,
    ]);
  });

  test('a cohort id that is not an identifier is reported at the cohort, not again at each learner', async () => {
    const res = await validate(
      [person('a', { cohort_id: 'Spring 2026' }), person('b', { cohort_id: 'Spring 2026' })],
      [{ cohort_id: 'Spring 2026' }],
    );
    expect(res.lines).toEqual([
      `roster.json: cohort 1, line 5, cohort_id: expected an identifier: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters; found "Spring 2026"; write it as "spring-2026", here and in the "cohort_id" of its learners`,
      'roster.json: 1 problem',
    ]);
  });

  test('a missing field points at the line where its learner opens', async () => {
    const res = await validate([person('alice'), { github_handle: 'bob', cohort_id: 'c1', provisioning: pending }]);
    expect(res.lines).toEqual([
      'roster.json: learner 2 (bob), line 17, path: expected the required field "path"; found nothing',
      TAIL,
    ]);
  });

  test('an email address in cohort_id is one problem (not "no identifier" and "no cohort")', async () => {
    const res = await validate([person('alice', { cohort_id: 'alice@example.org' })]);
    expect(res.lines).toHaveLength(2);
    expect(res.lines[0]).toMatch(
      /^roster\.json: learner 1 \(alice\), line 11, cohort_id: expected a cohort defined under "cohorts" \(c1\); found "alice@example\.org"; this is an email address/,
    );
  });

  test('the same mistake on many learners: every learner is named, the last line says they are alike', async () => {
    const res = await validate([person('@ann'), person('bo'), person('@cy'), person('@di'), person('x--y')]);
    expect(res.lines).toEqual([
      `roster.json: learner 1, line ${handleLine(0)}, github_handle: expected a GitHub user name; found "@ann"; drop the @: write "ann"`,
      `roster.json: learner 3, line ${handleLine(2)}, github_handle: expected a GitHub user name; found "@cy"; drop the @: write "cy"`,
      `roster.json: learner 4, line ${handleLine(3)}, github_handle: expected a GitHub user name; found "@di"; drop the @: write "di"`,
      `roster.json: learner 5, line ${handleLine(4)}, github_handle: expected a GitHub user name; found "x--y"; a GitHub user name must not contain two hyphens in a row: copy it from the learner's GitHub profile`,
      'roster.json: 4 problems (3 alike, github_handle: drop the @); learners are counted from 1, in file order',
    ]);
  });

  test('a pasted class list of names: each entry says the shape a learner needs', async () => {
    const res = await validate(['alice', 'bob']);
    expect(res.lines[0]).toBe(
      'roster.json: learner 1, line 9: expected an object in curly braces { }; found "alice"; write { "github_handle": "alice", "cohort_id": ..., "path": ..., "provisioning": { "state": "pending" } }',
    );
    expect(res.lines).toHaveLength(3);
  });
});

describe('--json stays addressed for tools', () => {
  test('0-based JSON path and index, plus the line and the hint', async () => {
    const res = await validate([person('alice'), person('@bob')], undefined, ['--json']);
    const out = JSON.parse(res.stdout) as { errors: unknown[]; notes: unknown[] };
    expect(out.errors).toEqual([
      {
        path: 'learners[1].github_handle',
        learner: { index: 1, handle: '@bob' },
        expected: 'a GitHub user name',
        found: '"@bob"',
        hint: 'drop the @: write "bob"',
        line: handleLine(1),
        column: 7,
      },
    ]);
    expect(out.notes).toEqual([]);
  });
});
