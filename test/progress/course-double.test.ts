/**
 * Progress of a small course against the GitHub double: two individual assignments and one team
 * assignment, each room read once per poll (a team's room once for the team), per-assignment
 * records in progress.json, and a second poll of unchanged rooms that reads fingerprints only.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedRepo } from '@learning-rooms/github-double';
import { generateAppKeyPair, GitHubDouble, startGitHubDouble } from '@learning-rooms/github-double';
import {
  APP_ID,
  challenges,
  INSTALLATION_ID,
  OWNER,
  pastComment,
  progressSeed,
  RoomSpec,
} from '../../test-kit/progress-world';
import { runProgress, RunOptions } from '../../progress/run';
import { parseReport } from '../../progress/report';
import { gradebookAssignments, gradebookCsv, gradebookRows } from '../../export/gradebook';
import { readRosterFile, serializeRoster } from '../../roster';
import type { Roster } from '../../roster/types';

const keys = generateAppKeyPair();
const T1 = '2026-03-20T08:00:00Z';
const T2 = '2026-03-20T09:00:00Z';

// Rooms named as the course's default patterns name them: web-<assignment>-<handle or team>.
const ROOMS: RoomSpec[] = [
  { cohort: 'web-a1', handle: 'alice', issues: challenges(2, 2, 1, 'alice') },
  { cohort: 'web-a2', handle: 'alice', issues: [{ ...challenges(2)[0], comments: [pastComment('alice', 'ack')] }] },
  { cohort: 'web-a1', handle: 'bob', missing: true },
  { cohort: 'web-a2', handle: 'bob', issues: challenges(1) },
  { cohort: 'web-a1', handle: 'carol', access: 'pending', issues: challenges(1) },
  { cohort: 'web-a2', handle: 'carol', issues: challenges(1, 1, 1, 'carol') },
  {
    cohort: 'web-a3',
    handle: 'team-1',
    login: 'alice',
    issues: [{ ...challenges(2, 1, 1, 'bob')[0], comments: [pastComment('bob', 'ack')] }, challenges(2)[1]],
  },
  { cohort: 'web-a3', handle: 'team-2', login: 'carol', issues: challenges(1) },
];

function courseRoster(): Roster {
  const provisioned = { state: 'provisioned' as const };
  return {
    format_version: 1,
    cohorts: [
      {
        cohort_id: 'web',
        assignments: [
          { id: 'a1', opens: '2026-03-02T09:00:00Z', due: '2026-03-09T17:00:00Z' },
          { id: 'a2', opens: '2026-03-09T09:00:00Z', due: '2026-03-16T17:00:00Z' },
          {
            id: 'a3',
            opens: '2026-03-16T09:00:00Z',
            due: '2026-03-30T17:00:00Z',
            teams: [
              { name: 'team-1', members: ['alice', 'bob'] },
              { name: 'team-2', members: ['carol'] },
            ],
          },
        ],
      },
    ],
    learners: ['alice', 'bob', 'carol'].map((h) => ({
      github_handle: h,
      cohort_id: 'web',
      path: 'web',
      student_id: `s-${h}`,
      provisioning: provisioned,
    })),
  };
}

let double: GitHubDouble;
let dir: string;

function options(now: string): RunOptions {
  return {
    rosterPath: join(dir, 'roster.json'),
    reportPath: join(dir, 'progress.json'),
    owner: OWNER,
    baseUrl: double.baseUrl,
    auth: {
      kind: 'app',
      appId: String(APP_ID),
      installationId: String(INSTALLATION_ID),
      privateKey: keys.privateKeyPem,
    },
    retries: 1,
    retryAfterBaseMs: 1,
    minRequestIntervalMs: 0,
    now: () => now,
  };
}

beforeEach(async () => {
  const seed = progressSeed(ROOMS, keys.publicKeyPem);
  // team-1's room has both members as collaborators
  const team1 = (seed.repos as SeedRepo[]).find((r) => r.name === 'web-a3-team-1')!;
  team1.collaborators = [
    { login: 'alice', permission: 'push' },
    { login: 'bob', permission: 'push' },
  ];
  double = await startGitHubDouble({ seed });
  dir = mkdtempSync(join(tmpdir(), 'progress-course-'));
  writeFileSync(join(dir, 'roster.json'), serializeRoster(courseRoster()));
});
afterEach(async () => {
  await double.stop();
});

it('reads every room of a course once, records each assignment and rolls each learner up', async () => {
  const result = await runProgress(options(T1));
  const rec = (h: string) => result.report.learners.find((l) => l.github_handle === h)!;
  const statuses = (h: string) =>
    Object.fromEntries(
      Object.entries(rec(h).assignments!).map(([id, a]) => [
        id,
        `${a.status} ${a.challenges_closed}/${a.challenges_total}`,
      ]),
    );
  expect(statuses('alice')).toEqual({ a1: 'complete 2/2', a2: 'acknowledged 0/1', a3: 'in-progress 1/2' });
  expect(statuses('bob')).toEqual({ a1: 'room-missing 0/0', a2: 'not-started 0/1', a3: 'in-progress 1/2' });
  expect(statuses('carol')).toEqual({ a1: 'invited 0/1', a2: 'complete 1/1', a3: 'not-started 0/1' });
  // the team's room: bob's close counts for alice too, bob's ack only for bob
  expect(rec('bob').assignments!.a3.evidence.map((e) => e.detail)).toContain('"ack" by the learner');
  expect(rec('alice').assignments!.a3.ignored.map((e) => e.detail)).toContain(
    '"ack" by @bob, a team member: it counts for its writer only',
  );
  // the earliest unfinished assignment
  expect([rec('alice').status, rec('alice').repository]).toEqual(['acknowledged', 'acme/web-a2-alice']);
  expect([rec('bob').status, rec('bob').repository]).toEqual(['room-missing', 'acme/web-a1-bob']);
  expect([rec('carol').status, rec('carol').repository]).toEqual(['invited', 'acme/web-a1-carol']);
  const { roster } = readRosterFile(join(dir, 'roster.json'));
  expect(roster!.learners.map((l) => l.progress?.status)).toEqual(['acknowledged', 'room-missing', 'invited']);

  // 8 rooms (team-1 once for alice and bob) in one full query; invitations only for carol's a1 room
  const c = double.counters();
  expect(c.byRoute['POST /api/graphql']).toBe(1);
  expect(c.byRoute['GET /repos/:owner/:repo/invitations']).toBe(1);

  // the gradebook gets a column group per assignment
  const report = parseReport(readFileSync(join(dir, 'progress.json'), 'utf8'))!;
  const rows = gradebookRows(roster!, report).get('web')!;
  const csv = gradebookCsv(rows, 'plain', gradebookAssignments(roster!, 'web'));
  const [head, alice] = csv.replace('\uFEFF', '').split('\r\n');
  expect(
    head.endsWith(',a1 status,a1 closed,a1 k of n,a2 status,a2 closed,a2 k of n,a3 status,a3 closed,a3 k of n'),
  ).toBe(true);
  expect(alice.endsWith(',complete,2,2 of 2,acknowledged,0,0 of 1,in-progress,1,1 of 2')).toBe(true);
});

it('a second poll of unchanged rooms reads fingerprints only and keeps every record', async () => {
  const first = await runProgress(options(T1));
  const before = double.counters().byRoute['POST /api/graphql'] ?? 0;
  const second = await runProgress(options(T2));
  // one fingerprint query for the 8 rooms (the missing room included), no full read
  expect((double.counters().byRoute['POST /api/graphql'] ?? 0) - before).toBe(1);
  const strip = (r: typeof first.report) =>
    r.learners.map((l) => ({
      ...l,
      assignments: Object.fromEntries(Object.entries(l.assignments!).map(([k, a]) => [k, { ...a, updated_at: '' }])),
      updated_at: '',
    }));
  expect(strip(second.report)).toEqual(strip(first.report));
});
