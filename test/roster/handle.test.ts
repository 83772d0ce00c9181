/** GitHub logins in one place (roster/handle.ts): the rule, its copies in data, the folding and the order. */
import schema from '../../roster/roster.schema.json';
import {
  closestMatch,
  compareHandles,
  editDistance,
  explainHandle,
  foldHandle,
  HANDLE_PATTERN,
  HANDLE_PATTERN_BODY,
  isValidHandle,
  learnerKey,
  sameHandle,
  suggestHandle,
} from '../../roster';
import { parseFullName, readSettings } from '../../contracts/settings';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

describe('the login rule', () => {
  it('accepts logins and refuses what GitHub refuses', () => {
    for (const ok of ['a', 'Alice', 'a-b', 'a1-b2-c3', 'x'.repeat(39)]) expect(isValidHandle(ok)).toBe(true);
    for (const bad of ['', '-a', 'a-', 'a--b', 'a_b', 'a.b', 'x'.repeat(40), 'é'])
      expect(isValidHandle(bad)).toBe(false);
  });

  it('is the one definition: the roster schema embeds the same rule', () => {
    expect(HANDLE_PATTERN.source).toBe(`^${HANDLE_PATTERN_BODY}$`);
    expect(schema.definitions.handle.pattern).toBe(HANDLE_PATTERN.source);
    expect(schema.definitions.cohort.properties.template.pattern).toBe(
      `^${HANDLE_PATTERN_BODY}/[A-Za-z0-9._-]{1,100}$`,
    );
  });

  it('checks the rooms’ owner too (an organization login follows the same rule)', () => {
    expect(readSettings({ PROVISIONING_STUDENT_OWNER: 'acme-org' }).errors).toEqual([]);
    expect(readSettings({ PROVISIONING_STUDENT_OWNER: 'acme--org' }).errors[0]).toBe(
      'PROVISIONING_STUDENT_OWNER: expected a GitHub organization or user name, found "acme--org"',
    );
    expect(parseFullName('acme/tmpl')).toEqual({ owner: 'acme', repository: 'tmpl' });
    expect(parseFullName('-acme/tmpl')).toBeUndefined();
  });
});

describe('folding and comparing handles', () => {
  it('folds case as GitHub does, and orders by the folded handle', () => {
    expect(foldHandle('Alice')).toBe('alice');
    expect(sameHandle('Alice', 'aLICE')).toBe(true);
    expect(learnerKey('Alice', 'c1')).toBe(learnerKey('alice', 'c1'));
    expect(['bob', 'Alice', 'a-b', 'carol'].sort(compareHandles)).toEqual(['a-b', 'Alice', 'bob', 'carol']);
  });
});

describe('explaining a value that is not a login (every caller: roster, registration, Classroom import)', () => {
  it('says nothing about a login', () => {
    for (const ok of ['alice', 'A-b-1', 'x'.repeat(39)]) expect(explainHandle(ok)).toBeUndefined();
  });

  it('suggests the login only when nothing but pasting is wrong', () => {
    expect(
      [
        '@alice',
        ' alice ',
        'alice,',
        '"alice"',
        '- alice',
        '@alice; ',
        'https://github.com/alice',
        'github.com/alice/',
      ].map(suggestHandle),
    ).toEqual(Array(8).fill('alice'));
    // Guessing would invite a stranger: no login is made up from an email, a name or a broken login.
    for (const v of [
      'alice',
      'alice@example.org',
      'Alice Nguyen',
      'bad--x',
      '@bad--x',
      'https://github.com/alice/repo',
      '@',
      '',
    ])
      expect(suggestHandle(v)).toBeUndefined();
  });

  it('reads a profile link in any case and with or without scheme, www or slash', () => {
    for (const v of ['HTTP://WWW.GITHUB.COM/alice', 'https://github.com/alice#top', 'www.github.com/alice/']) {
      expect(explainHandle(v)).toBe('this is a link to a GitHub profile: write only the user name, "alice"');
    }
  });

  it("tells a tab or a control character from a person's name", () => {
    expect(explainHandle('José da Silva')).toMatch(/^this looks like a person's name/);
    expect(explainHandle('ali\tce')).toMatch(/holds only letters a-z, digits and hyphens \(found "\\t"\)/);
  });
});

describe('did you mean', () => {
  it('counts a swapped pair of letters as one edit', () => {
    expect(editDistance('spring', 'sprnig')).toBe(1);
    expect(editDistance('web', 'wbe')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('matches case and spaces exactly, a short word within one edit, a longer within two, and else nothing', () => {
    const known = ['web', 'accessibility', '2026-spring'];
    expect(closestMatch(' WEB ', known)).toBe('web');
    expect(closestMatch('wbe', known)).toBe('web');
    expect(closestMatch('wb', known)).toBe('web');
    expect(closestMatch('ux', known)).toBeUndefined();
    expect(closestMatch('acesibility', known)).toBe('accessibility');
    expect(closestMatch('2026-fall', known)).toBeUndefined();
    expect(closestMatch('web', known)).toBeUndefined();
  });
});

describe('handles are folded only here', () => {
  // Every product folder: a handle or login lower-cased by hand elsewhere is a second definition of
  // "the same learner" (issue 12), and the next one written differently splits a learner in two.
  const root = join(__dirname, '..', '..');
  const skip = new Set([
    'node_modules',
    'dist',
    'dist-bench',
    'test',
    'test-kit',
    'tools',
    'bench',
    'scripts',
    'cdktf.out',
  ]);
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? e.name.startsWith('.') || skip.has(e.name)
          ? []
          : files(join(dir, e.name))
        : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
          ? [join(dir, e.name)]
          : [],
    );

  it('no product file lower-cases a handle, login or user name except roster/handle.ts', () => {
    const byHand = /\b(handle|login|username|invitee|learner)\)?\??\.toLowerCase\(\)/;
    const offenders = files(root)
      .filter((f) => relative(root, f) !== join('roster', 'handle.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ at: `${relative(root, f)}:${i + 1}`, line }))
          .filter(({ line }) => byHand.test(line)),
      )
      .map(({ at }) => at);
    expect(offenders).toEqual([]);
    expect(files(root).some((f) => relative(root, f) === join('roster', 'handle.ts'))).toBe(true);
  });
});
