/** A cohort's enrolment rule judged for one registrant: the window, the allow-list, the code (hashed, salted by the cohort). */
import {
  enrolmentCodeHash,
  enrolmentWindow,
  judgeEnrolmentRule,
  normaliseEnrolmentCode,
  openCohorts,
} from '../../gitops/enrolment';
import type { Roster } from '../../roster/types';

const at = (iso: string) => Date.parse(iso);

describe('the enrolment code', () => {
  test('case, spaces and full-width forms do not matter; the cohort salts the hash', () => {
    expect(normaliseEnrolmentCode('  Blue Ocean\t42 ')).toBe('blueocean42');
    expect(normaliseEnrolmentCode('ＢＬＵＥ')).toBe('blue');
    expect(enrolmentCodeHash('c1', 'Blue Ocean 42')).toBe(enrolmentCodeHash('c1', 'blueocean42'));
    expect(enrolmentCodeHash('c1', 'blue-ocean-42')).not.toBe(enrolmentCodeHash('c1', 'blueocean42'));
    expect(enrolmentCodeHash('c2', 'blueocean42')).not.toBe(enrolmentCodeHash('c1', 'blueocean42'));
    expect(enrolmentCodeHash('c1', 'x')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the window', () => {
  const rule = { review: 'auto' as const, opens: '2026-09-01', closes: '2026-09-30T17:00:00Z' };
  test('open between the start of opens and closes; before and after, when, in words', () => {
    expect(enrolmentWindow(rule, at('2026-08-31T23:59:59Z'))).toEqual({
      open: false,
      why: 'not-yet',
      when: 'on 1 September 2026 (UTC)',
    });
    expect(enrolmentWindow(rule, at('2026-09-01T00:00:00Z'))).toEqual({ open: true });
    expect(enrolmentWindow(rule, at('2026-09-30T16:59:59Z'))).toEqual({ open: true });
    expect(enrolmentWindow(rule, at('2026-09-30T17:00:00Z'))).toEqual({
      open: false,
      why: 'closed',
      when: 'on 30 September 2026 at 17:00 UTC',
    });
    expect(enrolmentWindow({ review: 'manual' }, 0)).toEqual({ open: true });
  });

  test('open cohorts: with a rule, inside their window', () => {
    const roster: Roster = {
      format_version: 1,
      cohorts: [
        { cohort_id: 'none' },
        { cohort_id: 'later', enrolment: { review: 'auto', opens: '2027-01-01' } },
        { cohort_id: 'now', enrolment: { review: 'manual' } },
      ],
      learners: [],
    };
    expect(openCohorts(roster, at('2026-09-15T00:00:00Z')).map((c) => c.cohort_id)).toEqual(['now']);
  });
});

describe('the allow-list and the code', () => {
  const hash = enrolmentCodeHash('c1', 'blue ocean');
  test('the allow-list compares logins case-insensitively', () => {
    expect(judgeEnrolmentRule('c1', { review: 'auto', allowed_handles: ['Bob'] }, 'bob', undefined)).toEqual([]);
    expect(judgeEnrolmentRule('c1', { review: 'auto', allowed_handles: ['Bob'] }, 'mallory', undefined)).toEqual([
      { why: 'not-allowed' },
    ]);
  });

  test('a code: missing, wrong or right; both rules apply when both are set', () => {
    const rule = { review: 'auto' as const, code_sha256: hash };
    expect(judgeEnrolmentRule('c1', rule, 'bob', undefined)).toEqual([{ why: 'code-missing' }]);
    expect(judgeEnrolmentRule('c1', rule, 'bob', '   ')).toEqual([{ why: 'code-missing' }]);
    expect(judgeEnrolmentRule('c1', rule, 'bob', 'green ocean')).toEqual([{ why: 'code-wrong' }]);
    expect(judgeEnrolmentRule('c1', rule, 'bob', 'BLUE  OCEAN')).toEqual([]);
    // The same code in another cohort's rule is wrong there: the cohort salts the hash.
    expect(judgeEnrolmentRule('c2', rule, 'bob', 'blue ocean')).toEqual([{ why: 'code-wrong' }]);
    expect(judgeEnrolmentRule('c1', { ...rule, allowed_handles: ['alice'] }, 'bob', 'nope')).toEqual([
      { why: 'not-allowed' },
      { why: 'code-wrong' },
    ]);
  });
});
