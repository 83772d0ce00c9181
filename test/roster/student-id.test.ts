/** The optional student id a gradebook export matches on: validated, kept in place, never published. */
import { parseRoster, redactRoster, serializeRoster, validateRoster } from '../../roster';
import type { Roster } from '../../roster/types';

const roster = (studentId: unknown): unknown => ({
  format_version: 1,
  cohorts: [{ cohort_id: 'c1' }],
  learners: [
    {
      github_handle: 'ann',
      cohort_id: 'c1',
      path: 'web',
      name: 'Ann',
      email: 'ann@example.org',
      student_id: studentId,
      provisioning: { state: 'pending' },
    },
  ],
});

describe('learners[].student_id', () => {
  it('is accepted, serialized after email in canonical order, and round-trips', () => {
    expect(validateRoster(roster('S-00042'))).toEqual([]);
    const r = parseRoster(JSON.stringify(roster('S-00042'))).roster;
    const text = serializeRoster(r!);
    expect(text.indexOf('"email"')).toBeLessThan(text.indexOf('"student_id"'));
    expect(text.indexOf('"student_id"')).toBeLessThan(text.indexOf('"provisioning"'));
    expect(parseRoster(text).roster!.learners[0].student_id).toBe('S-00042');
  });

  it('is refused empty, too long, not text or with a control character, naming the learner and what was expected', () => {
    for (const bad of ['', 'x'.repeat(101), 42, 'S1\u0007']) {
      const errors = validateRoster(roster(bad));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ path: 'learners[0].student_id', learner: { index: 0, handle: 'ann' } });
      expect(errors[0].expected).toMatch(
        typeof bad === 'number' ? /text in double quotes/ : /student id: 1 to 100 characters, no control characters/,
      );
    }
  });

  it('is personal data: redaction drops it with the name and email', () => {
    const r = parseRoster(JSON.stringify(roster('S-00042'))).roster as Roster;
    const learner = redactRoster(r).learners[0];
    expect(learner).not.toHaveProperty('student_id');
    expect(learner).not.toHaveProperty('email');
    expect(learner).toMatchObject({ github_handle: 'ann', path: 'web' });
  });
});
