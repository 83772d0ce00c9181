/** GitHub logins in one place (roster/handle.ts): the rule, its copies in data, the folding and the order. */
import schema from '../../roster/roster.schema.json';
import {
  compareHandles,
  foldHandle,
  HANDLE_PATTERN,
  HANDLE_PATTERN_BODY,
  isValidHandle,
  learnerKey,
  sameHandle,
} from '../../roster';
import { parseFullName, readSettings } from '../../contracts/settings';

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
