import { buildReport, LearnerRecord, serializeReport } from '../../progress/report';
import { steadyReport } from '../../progress/steady';

const rec = (status: LearnerRecord['status'], extra: Partial<LearnerRecord> = {}): LearnerRecord => ({
  github_handle: 'ann',
  cohort_id: 'c1',
  repository: 'o/c1-ann',
  status,
  since: '2026-05-01T12:00:00Z',
  updated_at: '2026-05-01T08:00:00Z',
  challenges_closed: 0,
  challenges_total: 2,
  evidence: [],
  ignored: [],
  ...extra,
});

describe('steadyReport', () => {
  const before = buildReport('o', [rec('acknowledged')], '2026-05-04T08:00:00Z');

  it('keeps the previous time (and so the bytes) when only the clock moved, "stuck" days included', () => {
    const later = buildReport('o', [rec('acknowledged')], '2026-05-04T21:30:00Z');
    expect(later.stuck[0].days).not.toBe(before.stuck[0].days);
    expect(serializeReport(steadyReport(later, before))).toBe(serializeReport(before));
  });

  it('takes the new time when anything else changed', () => {
    const changed = buildReport('o', [rec('in-progress', { challenges_closed: 1 })], '2026-05-04T08:30:00Z');
    expect(steadyReport(changed, before).generated_at).toBe('2026-05-04T08:30:00Z');
    const fingerprint = buildReport('o', [rec('acknowledged', { fingerprint: 'new' })], '2026-05-04T08:30:00Z');
    expect(steadyReport(fingerprint, before).generated_at).toBe('2026-05-04T08:30:00Z');
  });

  it('moves once a day even when nothing changed, so idle days stay true; and without a previous report', () => {
    const tomorrow = buildReport('o', [rec('acknowledged')], '2026-05-05T00:00:00Z');
    expect(steadyReport(tomorrow, before).generated_at).toBe('2026-05-05T00:00:00Z');
    expect(steadyReport(tomorrow, undefined)).toBe(tomorrow);
  });

  it('compares with the same stuck limit the poll used', () => {
    const five = buildReport(
      'o',
      [rec('acknowledged'), rec('invited', { github_handle: 'bo' })],
      '2026-05-04T08:00:00Z',
      1,
    );
    const again = buildReport(
      'o',
      [rec('acknowledged'), rec('invited', { github_handle: 'bo' })],
      '2026-05-04T09:00:00Z',
      1,
    );
    expect(steadyReport(again, five, 1).generated_at).toBe('2026-05-04T08:00:00Z');
  });
});
