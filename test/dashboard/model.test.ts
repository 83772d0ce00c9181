/** The facilitator's three questions as data: who needs me, who needs help, how each cohort is doing. */
import { buildDashboard, DashboardSources, sharedSources, trends } from '../../dashboard/model';
import { ARCHIVED_ROOM_DETAIL } from '../../progress/derive';
import { emptyHistory, recordDay } from '../../progress/history';
import { buildReport, LearnerRecord } from '../../progress/report';
import { chainRecords, GENESIS_HASH, LogRecord } from '../../provisioning/log';
import type { Learner, Roster } from '../../roster/types';

const NOW = '2026-05-10T12:00:00Z';
const PROVISIONED_AT = '2026-04-20T09:00:00Z';

const learner = (handle: string, extra: Partial<Learner> = {}, cohort = 'c1'): Learner => ({
  github_handle: handle,
  cohort_id: cohort,
  path: 'web',
  provisioning: { state: 'provisioned', last_outcome: 'created', provisioned_at: PROVISIONED_AT },
  ...extra,
});
const record = (
  handle: string,
  status: LearnerRecord['status'],
  extra: Partial<LearnerRecord> = {},
  cohort = 'c1',
): LearnerRecord => ({
  github_handle: handle,
  cohort_id: cohort,
  repository: `acme/${cohort}-${handle}`,
  status,
  since: NOW,
  updated_at: NOW,
  challenges_closed: 0,
  challenges_total: 4,
  evidence: [],
  ignored: [],
  ...extra,
});
const roster = (learners: Learner[], cohorts = ['c1']): Roster => ({
  format_version: 1,
  cohorts: cohorts.map((cohort_id) => ({ cohort_id })),
  learners,
});
const sources = (
  learners: Learner[],
  records: LearnerRecord[],
  extra: Partial<DashboardSources> = {},
): DashboardSources => ({
  roster: roster(learners, [...new Set(learners.map((l) => l.cohort_id))]),
  report: buildReport('acme', records, NOW),
  ...extra,
});

describe('needs help: the learner’s', () => {
  it('counts idle days from the last real signal, not from when a status was first seen', () => {
    // First poll: every `since` is NOW, yet ann last wrote 9 days ago and bo yesterday.
    const d = buildDashboard(
      sources(
        [learner('ann'), learner('bo')],
        [
          record('ann', 'acknowledged', { last_activity: '2026-05-01T10:00:00Z' }),
          record('bo', 'in-progress', { last_activity: '2026-05-09T20:00:00Z' }),
        ],
      ),
    );
    expect(d.help.map((h) => [h.row.handle, h.idleDays, h.reason])).toEqual([['ann', 9, 'last activity 2026-05-01']]);
    expect(d.groups[0].rows.find((r) => r.handle === 'bo')).toMatchObject({
      idleDays: 0,
      lastActivity: '2026-05-09T20:00:00Z',
    });
  });

  it('without any signal, from the room’s creation; an invitation not accepted is said so; the threshold is configurable', () => {
    const s = sources([learner('ann'), learner('bo')], [record('ann', 'not-started'), record('bo', 'invited')]);
    expect(buildDashboard(s).help.map((h) => [h.row.handle, h.idleDays, h.reason])).toEqual([
      ['ann', 20, 'no activity since the room was made (2026-04-20)'],
      ['bo', 20, 'has not accepted the invitation (room made 2026-04-20)'],
    ]);
    expect(buildDashboard({ ...s, idleDays: 21 }).help).toEqual([]);
  });

  it('never lists withdrawn, complete, waiting or operator-blocked learners, longest idle first', () => {
    const old = { last_activity: '2026-04-21T00:00:00Z' };
    const d = buildDashboard(
      sources(
        [
          learner('gone', { provisioning: { state: 'archived', provisioned_at: PROVISIONED_AT } }),
          learner('done'),
          learner('wait', { provisioning: { state: 'pending' } }),
          learner('expired'),
          learner('slow'),
          learner('slower'),
        ],
        [
          record('gone', 'acknowledged', old),
          record('done', 'complete', old),
          record('expired', 'invitation-expired'),
          record('slow', 'in-progress', { last_activity: '2026-05-05T00:00:00Z' }),
          record('slower', 'day1-complete', old),
        ],
      ),
    );
    expect(d.help.map((h) => h.row.handle)).toEqual(['slower', 'slow']);
    expect(d.withdrawn.map((r) => r.handle)).toEqual(['gone']);
    expect(d.groups.flatMap((g) => g.rows.map((r) => r.handle))).not.toContain('gone');
  });
});

describe('needs action: the operator’s', () => {
  it('expired invitations, failed applies with cause, missing rooms, unexpected archives and unread rooms, in that order', () => {
    const d = buildDashboard(
      sources(
        [
          learner('zed'),
          learner('fay', {
            provisioning: {
              state: 'failed',
              cause: 'permission',
              detail: 'Resource not accessible by integration',
              last_run_id: 'r9',
              updated_at: '2026-05-09T00:00:00Z',
            },
          }),
          learner('mia'),
          learner('arc'),
          learner('err'),
          learner('old', { provisioning: { state: 'archived' } }),
        ],
        [
          record('zed', 'invitation-expired', { since: '2026-05-08T00:00:00Z' }),
          record('mia', 'room-missing'),
          record('arc', 'acknowledged', { evidence: [{ signal: 'room', detail: ARCHIVED_ROOM_DETAIL }] }),
          record('err', 'in-progress', { error: { cause: 'rate-limit', message: 'API rate limit exceeded', at: NOW } }),
          record('old', 'room-missing', { evidence: [{ signal: 'room', detail: ARCHIVED_ROOM_DETAIL }] }),
        ],
      ),
    );
    expect(d.action.map((a) => [a.kind, a.handle])).toEqual([
      ['invitation-expired', 'zed'],
      ['apply-failed', 'fay'],
      ['room-missing', 'mia'],
      ['room-archived', 'arc'],
      ['not-read', 'err'],
    ]);
    expect(d.action[0]).toMatchObject({ when: '2026-05-08T00:00:00Z', repository: 'acme/c1-zed' });
    expect(d.action[1]).toMatchObject({
      detail: 'permission: Resource not accessible by integration',
      run: 'r9',
      when: '2026-05-09T00:00:00Z',
    });
    expect(d.action[4].detail).toBe('rate-limit: API rate limit exceeded; the status shown is the previous one');
    // A learner in the operator's list is not also in the learner's.
    expect(d.help).toEqual([]);
    expect(
      d.groups[0].rows
        .filter((r) => r.attention === 'action')
        .map((r) => r.handle)
        .sort(),
    ).toEqual(['arc', 'err', 'fay', 'mia', 'zed']);
  });

  it('queued learners with their expected apply: from the current plan, else from how many rooms the last apply made', () => {
    const pending = (h: string): Learner =>
      learner(h, {
        provisioning: { state: 'pending', last_outcome: 'queued', detail: 'queued: the admission budget is spent' },
      });
    const learners = [
      learner('made1'),
      learner('made2'),
      learner('f', { provisioning: { state: 'failed', cause: 'rate-limit' } }),
      pending('q1'),
      pending('q2'),
      pending('q3'),
      pending('q4'),
    ];
    const log: LogRecord[] = [
      {
        run_id: 'r1',
        commit: 'c',
        time: '2026-04-01T00:00:00Z',
        cohort: 'c1',
        learner: 'old',
        outcome: 'created',
        detail: '',
      },
      {
        run_id: 'r2',
        commit: 'c',
        time: '2026-04-20T00:00:00Z',
        cohort: 'c1',
        learner: 'made1',
        outcome: 'created',
        detail: '',
      },
      {
        // the same run's shard 1 of the cohort (scale, issue 13): its rooms count with the run's
        run_id: 'r2/c1.shard-1',
        commit: 'c',
        time: '2026-04-20T00:00:00Z',
        cohort: 'c1',
        learner: 'made2',
        outcome: 'created',
        detail: '',
      },
      {
        run_id: 'r2',
        commit: 'c',
        time: '2026-04-20T00:00:00Z',
        cohort: 'c1',
        learner: 'q1',
        outcome: 'queued',
        detail: '',
      },
    ];
    const s = sources(learners, [], { log: chainRecords(log, GENESIS_HASH) });
    const expected = (d: ReturnType<typeof buildDashboard>) =>
      Object.fromEntries(d.action.filter((a) => a.kind === 'queued').map((a) => [a.handle, a.expected]));
    // The failed learner is first in the queue (synthesis admits failed before pending); two rooms per apply.
    expect(expected(buildDashboard(s))).toEqual({
      q1: "the next apply (position 2 of 5 in the cohort's queue; the last apply that made rooms here made 2)",
      q2: "in about 2 applies (position 3 of 5 in the cohort's queue; the last apply that made rooms here made 2)",
      q3: "in about 2 applies (position 4 of 5 in the cohort's queue; the last apply that made rooms here made 2)",
      q4: "in about 3 applies (position 5 of 5 in the cohort's queue; the last apply that made rooms here made 2)",
    });
    const index = {
      format_version: 1 as const,
      cohort_id: 'c1',
      stack: 'c1',
      owner: 'acme',
      learners: [
        {
          github_handle: 'q3',
          cohort_id: 'c1',
          repository: 'c1-q3',
          admitted: true,
          addresses: { repository: 'a', collaborator: 'b', files: {} },
        },
      ],
    };
    const withPlan = buildDashboard({ ...s, indexes: [index] });
    expect(expected(withPlan).q3).toBe('the next apply (admitted in the current plan)');
    // A learner the plan queued with its forecast (scale, issue 13): the plan's run and time, not the estimate.
    const queued = (handle: string, queue: { position: number; run?: number; expected_at?: string }) => ({
      github_handle: handle,
      cohort_id: 'c1',
      repository: `c1-${handle}`,
      admitted: false,
      queued_reason: 'queued: the admission budget is spent',
      queue,
      addresses: { repository: 'a', collaborator: 'b', files: {} },
    });
    const forecast = buildDashboard({
      ...s,
      indexes: [
        {
          ...index,
          learners: [
            queued('q1', { position: 1, run: 1, expected_at: '2026-04-20T10:37:00.000Z' }),
            queued('q2', { position: 2, run: 3 }),
            queued('q4', { position: 3 }),
          ],
        },
      ],
    });
    expect(expected(forecast)).toMatchObject({
      q1: 'the next apply at about 2026-04-20 10:37 UTC (position 1 in the admission queue of the current plan)',
      q2: 'in about 3 applies (position 2 in the admission queue of the current plan)',
      q4: "in about 3 applies (position 5 of 5 in the cohort's queue; the last apply that made rooms here made 2)",
    });
    expect(withPlan.action.find((a) => a.handle === 'q3')).toMatchObject({ repository: 'acme/c1-q3' });
    expect(expected(buildDashboard(sources(learners, []))).q1).toBe(
      "when the admission budget allows (position 2 of 5 in the cohort's queue; no apply has made rooms in this cohort yet)",
    );
  });

  it("lists the watchdog's drift and failed plans, dated by day so a check that finds the same changes nothing", () => {
    const watchdog = {
      format_version: 1 as const,
      checked_at: '2026-05-10T06:17:33.123Z',
      drift: [{ handle: 'ann', cohort: 'c1', repository: 'c1-ann', action: 'heal', what: 'collaborator update' }],
      failed_plans: [{ stack: 'c2', status: 'errored' }],
    };
    const d = buildDashboard(
      sources([learner('ann')], [record('ann', 'in-progress', { last_activity: NOW })], { watchdog }),
    );
    expect(d.action).toEqual([
      {
        kind: 'drift',
        cohort: 'c1',
        handle: 'ann',
        repository: 'acme/c1-ann',
        detail: 'heal: collaborator update',
        when: '2026-05-10',
      },
      {
        kind: 'plan-failed',
        cohort: 'c2',
        detail: 'the plan errored (often a rate limit: it is retried on the next run)',
        when: '2026-05-10',
      },
    ]);
    expect(d.watchdogCheckedAt).toBe('2026-05-10');
    const later = buildDashboard(
      sources([learner('ann')], [record('ann', 'in-progress', { last_activity: NOW })], {
        watchdog: { ...watchdog, checked_at: '2026-05-10T12:17:00Z' },
      }),
    );
    expect(later).toEqual(d);
  });
});

describe('how each cohort is doing', () => {
  it('counts per cohort (withdrawn apart), share complete, and how many need action or help', () => {
    const d = buildDashboard(
      sources(
        [
          learner('a'),
          learner('b'),
          learner('c'),
          learner('w', { provisioning: { state: 'archived' } }),
          learner('x', {}, 'c2'),
        ],
        [
          record('a', 'complete'),
          record('b', 'invitation-expired'),
          record('c', 'acknowledged', { last_activity: '2026-05-01T00:00:00Z' }),
          record('x', 'complete', {}, 'c2'),
        ],
      ),
    );
    expect(
      d.cohorts.map((c) => [c.cohort, c.learners, c.counts.complete, c.percentComplete, c.action, c.help, c.withdrawn]),
    ).toEqual([
      ['c1', 3, 1, 33, 1, 1, 1],
      ['c2', 1, 1, 100, 0, 0, 0],
    ]);
  });

  it('groups everyone by cohort (roster order) and path (sorted), learners A to Z', () => {
    const ls = [learner('Zoe', { path: 'web' }), learner('amy', { path: 'data' }), learner('Bob', { path: 'web' })];
    const d = buildDashboard(sources(ls, []));
    expect(d.groups.map((g) => [g.cohort, g.path, g.rows.map((r) => r.handle)])).toEqual([
      ['c1', 'data', ['amy']],
      ['c1', 'web', ['Bob', 'Zoe']],
    ]);
    expect(d.groups[1].rows[0]).toMatchObject({ status: 'unknown', provisioning: 'created', total: 0 });
  });
});

describe('over time', () => {
  it('completion per cohort and path on the days counts changed, carried to today', () => {
    let h = recordDay(emptyHistory(), '2026-05-01', { c1: { web: { 'in-progress': 4 }, data: { invited: 2 } } });
    h = recordDay(h, '2026-05-03', { c1: { web: { 'in-progress': 3, complete: 1 }, data: { invited: 2 } } });
    const t = trends(
      h,
      { c1: { web: { 'in-progress': 2, complete: 2 }, data: { complete: 2 } } },
      '2026-05-06T10:00:00Z',
      new Map([['c1', 'Spring']]),
    );
    expect(t).toEqual([
      {
        cohort: 'c1',
        title: 'Spring',
        days: ['2026-05-01', '2026-05-03', '2026-05-06'],
        paths: [
          {
            path: 'data',
            points: [
              { day: '2026-05-01', complete: 0, learners: 2 },
              { day: '2026-05-03', complete: 0, learners: 2 },
              { day: '2026-05-06', complete: 2, learners: 2 },
            ],
          },
          {
            path: 'web',
            points: [
              { day: '2026-05-01', complete: 0, learners: 4 },
              { day: '2026-05-03', complete: 1, learners: 4 },
              { day: '2026-05-06', complete: 2, learners: 4 },
            ],
          },
        ],
      },
    ]);
    // Unchanged today: the last recorded day is carried to today so the line reaches it.
    const same = trends(
      h,
      { c1: { web: { 'in-progress': 3, complete: 1 }, data: { invited: 2 } } },
      '2026-05-06T10:00:00Z',
      new Map(),
    );
    expect(same[0].days).toEqual(['2026-05-01', '2026-05-03', '2026-05-06']);
    expect(same[0].paths[1].points.at(-1)).toEqual({ day: '2026-05-06', complete: 1, learners: 4 });
  });
});

describe('sharedSources', () => {
  it('reduces the records before anything is built: no names, emails, ids, evidence, activity, rooms, log or drift', () => {
    const s = sources(
      [learner('ann', { name: 'Ann Example', email: 'ann@example.org', student_id: 'S1', notes: 'private' })],
      [
        record('ann', 'in-progress', {
          last_activity: NOW,
          evidence: [{ signal: 'comment', detail: '"ack" by the learner' }],
        }),
      ],
      { watchdog: { format_version: 1, checked_at: NOW, drift: [], failed_plans: [] } },
    );
    const shared = sharedSources(s);
    const text = JSON.stringify(shared);
    for (const secret of ['Ann Example', 'ann@example.org', '"S1"', 'private', '"ack"', 'acme/c1-ann', 'last_activity'])
      expect(text).not.toContain(secret);
    expect(shared.report.learners[0]).toMatchObject({
      github_handle: 'ann',
      status: 'in-progress',
      challenges_closed: 0,
      challenges_total: 4,
    });
  });
});
