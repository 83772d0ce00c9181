/** A cohort's enrolment rule in the roster: its shape, its dates, each problem named; kept in place; its code hash never published. */
import { formatRosterError, parseRoster, redactRoster, serializeRoster, validateRoster } from '../../roster';
import { describeMoment, enrolmentMoment } from '../../roster/enrolment';
import type { Roster } from '../../roster/types';

const doc = (enrolment: unknown): unknown => ({
  format_version: 1,
  cohorts: [{ cohort_id: 'c1', enrolment }],
  learners: [],
});
const HASH = 'a'.repeat(64);
const lines = (enrolment: unknown) => validateRoster(doc(enrolment)).map((e) => formatRosterError(e));

describe('cohorts[].enrolment', () => {
  test('a full rule is valid, serialized in canonical order after starts_on, and round-trips', () => {
    const rule = {
      code_sha256: HASH,
      allowed_handles: ['Alice', 'bob'],
      closes: '2026-09-30',
      opens: '2026-09-01T09:00:00+02:00',
      review: 'auto',
    };
    expect(validateRoster(doc(rule))).toEqual([]);
    const text = serializeRoster(parseRoster(JSON.stringify(doc(rule))).roster!);
    expect(text).toContain(
      '"enrolment": {\n        "review": "auto",\n        "opens": "2026-09-01T09:00:00+02:00",\n        "closes": "2026-09-30",\n        "allowed_handles": [',
    );
    expect(parseRoster(text).roster!.cohorts[0].enrolment).toEqual(rule);
  });

  test('every problem at once, each naming the cohort, the field and what to write', () => {
    const found = lines({
      review: 'sometimes',
      opens: '2026-09-10',
      closes: '2026-09-01',
      allowed_handles: ['@bob', 'alice', 'Alice'],
      code_sha256: 'SECRET',
      extra: 1,
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'cohort 1, enrolment.review: expected one of "auto", "manual"; found "sometimes"',
        'cohort 1, enrolment.closes: expected a time after "opens" (2026-09-10); found "2026-09-01"; enrolment would never be open: swap the two, or correct one',
        'cohort 1, enrolment.allowed_handles[0]: expected a GitHub user name; found "@bob"; drop the @: write "bob"',
        'cohort 1, enrolment.allowed_handles[2]: expected each GitHub user name once; found "Alice"; item 2 is already "alice" (GitHub user names ignore upper and lower case): remove one',
        expect.stringMatching(
          /^cohort 1, enrolment\.code_sha256: expected 64 lower-case hex digits, as `learning-rooms enrolment-code` prints them \(never the code itself\); found "SECRET"/,
        ),
        expect.stringMatching(
          /^cohort 1, enrolment\.extra: expected only known fields \(review, opens, closes, allowed_handles, code_sha256\); found unknown field "extra"/,
        ),
      ]),
    );
    expect(found).toHaveLength(6);
  });

  test('review is required; a date must exist; a time needs its zone', () => {
    expect(lines({})).toEqual(['cohort 1, enrolment.review: expected the required field "review"; found nothing']);
    expect(lines({ review: 'manual', opens: '2026-02-30' })).toEqual([
      'cohort 1, enrolment.opens: expected a date that exists in the calendar; found "2026-02-30"',
    ]);
    expect(lines({ review: 'manual', closes: '2026-09-30T17:00:00' })).toEqual([
      expect.stringMatching(
        /^cohort 1, enrolment\.closes: expected a date such as "2026-09-01" \(UTC\) or a date and time with its zone/,
      ),
    ]);
  });

  test('redaction keeps the rule but drops the code hash (a short code is found from it)', () => {
    const r = parseRoster(JSON.stringify(doc({ review: 'auto', allowed_handles: ['bob'], code_sha256: HASH })))
      .roster as Roster;
    expect(redactRoster(r).cohorts[0].enrolment).toEqual({ review: 'auto', allowed_handles: ['bob'] });
    expect(r.cohorts[0].enrolment?.code_sha256).toBe(HASH);
  });
});

describe('enrolment dates', () => {
  test('a date alone is the whole UTC day: open from its start, closed after its end', () => {
    expect(enrolmentMoment('2026-09-01', 'start')).toEqual({ at: Date.parse('2026-09-01T00:00:00Z'), dateOnly: true });
    expect(enrolmentMoment('2026-09-30', 'end')).toEqual({ at: Date.parse('2026-10-01T00:00:00Z'), dateOnly: true });
    expect(enrolmentMoment('2026-09-01T09:00:00+02:00', 'end')).toEqual({
      at: Date.parse('2026-09-01T07:00:00Z'),
      dateOnly: false,
    });
    expect(enrolmentMoment('2026-13-01', 'start')).toBeUndefined();
  });

  test('said for people, in UTC', () => {
    expect(describeMoment('2026-09-01', 'start')).toBe('on 1 September 2026 (UTC)');
    expect(describeMoment('2026-09-30', 'end')).toBe('at the end of 30 September 2026 (UTC)');
    expect(describeMoment('2026-09-01T09:00:00+02:00', 'start')).toBe('on 1 September 2026 at 07:00 UTC');
  });
});
