import {
  countStatuses,
  emptyHistory,
  HISTORY_MAX_DAYS,
  parseHistory,
  recordDay,
  serializeHistory,
} from '../../progress/history';
import { buildReport, LearnerRecord } from '../../progress/report';
import type { Learner, Roster } from '../../roster/types';

const learner = (handle: string, cohort: string, path: string, extra: Partial<Learner> = {}): Learner => ({
  github_handle: handle,
  cohort_id: cohort,
  path,
  provisioning: { state: 'provisioned' },
  ...extra,
});
const record = (handle: string, cohort: string, status: LearnerRecord['status']): LearnerRecord => ({
  github_handle: handle,
  cohort_id: cohort,
  repository: `o/${cohort}-${handle}`,
  status,
  since: 'x',
  updated_at: 'x',
  challenges_closed: 0,
  challenges_total: 0,
  evidence: [],
  ignored: [],
});

function world(n: number): Roster {
  return {
    format_version: 1,
    cohorts: [{ cohort_id: 'c1' }, { cohort_id: 'c2' }],
    learners: Array.from({ length: n }, (_, i) => learner(`l${i}`, i % 2 ? 'c2' : 'c1', i % 3 ? 'web' : 'data')),
  };
}

describe('countStatuses', () => {
  it('counts per cohort, path and status; the report wins over the roster; withdrawn learners are not counted', () => {
    const roster: Roster = {
      format_version: 1,
      cohorts: [{ cohort_id: 'c1' }],
      learners: [
        learner('Ann', 'c1', 'web', { progress: { status: 'acknowledged' } }),
        learner('bob', 'c1', 'web', { progress: { status: 'complete' } }),
        learner('cy', 'c1', 'data', { provisioning: { state: 'pending' } }),
        learner('dee', 'c1', 'data', { provisioning: { state: 'archived' }, progress: { status: 'complete' } }),
      ],
    };
    const report = buildReport('o', [record('ann', 'c1', 'in-progress')], '2026-05-04T09:00:00Z');
    expect(countStatuses(roster, report)).toEqual({
      c1: { data: { unknown: 1 }, web: { 'in-progress': 1, complete: 1 } },
    });
  });
});

describe('recordDay', () => {
  const day1 = { c1: { web: { invited: 3 } } };
  const day2 = { c1: { web: { invited: 1, acknowledged: 2 } } };

  it('replaces the entry of a day already recorded: polls within a day do not grow the history', () => {
    let h = recordDay(emptyHistory(), '2026-05-01', day1);
    const once = serializeHistory(recordDay(h, '2026-05-02', day2));
    for (let poll = 0; poll < 48; poll++) h = recordDay(h, '2026-05-02', poll % 2 ? day2 : day1);
    h = recordDay(h, '2026-05-02', day2);
    expect(serializeHistory(h)).toBe(once);
    expect(h.days.map((d) => d.day)).toEqual(['2026-05-01', '2026-05-02']);
  });

  it('adds nothing for a day whose counts equal the day before, and drops a same-day entry that went back to them', () => {
    const h = recordDay(recordDay(emptyHistory(), '2026-05-01', day1), '2026-05-02', { c1: { web: { invited: 3 } } });
    expect(h.days.map((d) => d.day)).toEqual(['2026-05-01']);
    const back = recordDay(recordDay(h, '2026-05-03', day2), '2026-05-03', day1);
    expect(back.days.map((d) => d.day)).toEqual(['2026-05-01']);
  });

  it('keeps the newest days when over the bound, and its size does not depend on the number of learners', () => {
    let h = emptyHistory();
    for (let d = 0; d < 10; d++)
      h = recordDay(h, `2026-05-${String(d + 1).padStart(2, '0')}`, { c1: { web: { complete: d } } }, 4);
    expect(h.days.map((x) => x.day)).toEqual(['2026-05-07', '2026-05-08', '2026-05-09', '2026-05-10']);
    expect(HISTORY_MAX_DAYS).toBeGreaterThanOrEqual(365);
    const small = serializeHistory(recordDay(emptyHistory(), '2026-05-01', countStatuses(world(10), undefined)));
    const big = serializeHistory(recordDay(emptyHistory(), '2026-05-01', countStatuses(world(10_000), undefined)));
    // Only the digits of the counts grow (10 -> 10,000 learners: a few characters), never a line per learner.
    expect(big.length - small.length).toBeLessThan(20);
  });
});

describe('serializeHistory and parseHistory', () => {
  it('round-trips, one day per line in a fixed key order', () => {
    const h = recordDay(
      recordDay(emptyHistory(), '2026-05-01', {
        c2: { web: { complete: 1 } },
        c1: { web: { invited: 2, unknown: 1 } },
      }),
      '2026-05-02',
      { c1: { web: { complete: 3 } } },
    );
    const text = serializeHistory(h);
    expect(text.split('\n')[3]).toBe(
      '    {"day":"2026-05-01","counts":{"c1":{"web":{"unknown":1,"invited":2}},"c2":{"web":{"complete":1}}}},',
    );
    expect(parseHistory(text)).toEqual({ history: h, problems: [] });
    expect(serializeHistory(emptyHistory())).toBe('{\n  "format_version": 1,\n  "days": []\n}\n');
  });

  it('lists every problem at once, each with its place and what was expected', () => {
    const bad = JSON.stringify({
      format_version: 2,
      days: [
        { day: '2026-13-45', counts: { c1: { web: { complet: 1, invited: -1 } } } },
        'x',
        { day: '2026-05-01', counts: { c1: 3 } },
      ],
    });
    expect(parseHistory(bad).problems).toEqual([
      'format_version: expected 1, found 2',
      'days[0].day: expected a date such as "2026-05-04", found "2026-13-45"',
      'days[0].counts.c1.web.complet: expected one of the statuses unknown, room-missing, invited, invitation-expired, not-started, acknowledged, day1-complete, in-progress, complete',
      'days[0].counts.c1.web.invited: expected a whole number of learners, found -1',
      'days[1]: expected an object with "day" and "counts"',
      'days[2].counts.c1: expected an object of path -> status -> number',
    ]);
    expect(parseHistory('{').problems[0]).toMatch(/^not valid JSON/);
  });
});
