/**
 * The progress job against the GitHub double: App authentication, batched GraphQL, pagination,
 * invitations, the adversarial signals of the issue, and failures that must not lose anyone.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_ID, challenges, INSTALLATION_ID, OWNER, progressRoster, progressSeed, RoomSpec } from '../../bench/progress-world';
import { generateAppKeyPair, GitHubDouble, startGitHubDouble } from '../../github-double';
import { runProgress, RunOptions } from '../../progress/run';
import { findLearner, readRosterFile, serializeRoster } from '../../roster';
import type { ProgressStatus } from '../../roster/types';

const keys = generateAppKeyPair();
const T1 = '2026-04-02T08:00:00Z';


const comment = (author: string, body: string) => ({ author, body });
const ROOMS: RoomSpec[] = [
  // ack written by a facilitator never advances the learner
  { handle: 'alice', issues: [{ ...challenges(1)[0], comments: [comment('mentor', 'ack'), comment('mentor', 'day1-complete')] }] },
  // near misses
  { handle: 'bob', issues: [{ ...challenges(1)[0], comments: [comment('bob', 'acknowledged'), comment('bob', 'ack!')] }] },
  // "closes #1" closed without merging; her own ack counts
  {
    handle: 'carol',
    issues: [{ ...challenges(1)[0], comments: [comment('carol', '  ACK ')] }],
    pulls: [{ number: 2, title: 'My work', body: 'closes #1', author: 'carol', state: 'closed', merged: false, closes: [1] }],
  },
  // a closing keyword naming another repository's issue; day1-complete by the learner
  {
    handle: 'dave',
    issues: [{ ...challenges(1)[0], comments: [comment('dave', 'day1-complete')] }],
    pulls: [{ number: 2, title: 'Fix', body: 'Fixes acme/c1-frank#1', author: 'dave', state: 'closed', merged: true }],
  },
  // handle spelt differently in the roster; a merged pull request closes one of two challenges
  {
    handle: 'ERIN',
    login: 'erin',
    issues: challenges(2),
    pulls: [{ number: 3, title: 'Resolves #2', body: '', author: 'Erin', state: 'closed', merged: true }],
  },
  { handle: 'frank', issues: challenges(3, 3) },
  { handle: 'gina', access: 'pending', issues: challenges(2) },
  { handle: 'hank', access: 'expired', issues: challenges(2) },
  { handle: 'ivan', missing: true },
  { handle: 'judy', archived: true, issues: [{ ...challenges(1)[0], comments: [comment('judy', 'ack')] }] },
  // a big room: 150 challenges (pages of 50 then 100), 149 closed; 120 comments on #1, the learner's last
  {
    handle: 'kim',
    issues: challenges(150, 149, 1).map((i, k) =>
      k === 0 ? { ...i, comments: [...Array.from({ length: 119 }, (_, j) => comment('mentor', `note ${j}`)), comment('kim', 'day1-complete')] } : i,
    ),
  },
];

const EXPECTED: Record<string, ProgressStatus> = {
  alice: 'not-started',
  bob: 'not-started',
  carol: 'acknowledged',
  dave: 'day1-complete',
  ERIN: 'in-progress',
  frank: 'complete',
  gina: 'invited',
  hank: 'invitation-expired',
  ivan: 'room-missing',
  judy: 'acknowledged',
  kim: 'in-progress',
};

let double: GitHubDouble;
let dir: string;

function options(extra: Partial<RunOptions> = {}): RunOptions {
  return {
    rosterPath: join(dir, 'roster.json'),
    reportPath: join(dir, 'progress.json'),
    owner: OWNER,
    baseUrl: double.baseUrl,
    auth: { kind: 'app', appId: String(APP_ID), installationId: String(INSTALLATION_ID), privateKey: keys.privateKeyPem },
    retries: 1,
    retryAfterBaseMs: 1,
    minRequestIntervalMs: 0,
    now: () => T1,
    ...extra,
  };
}

function statuses(path = join(dir, 'roster.json')): Record<string, ProgressStatus | undefined> {
  const { roster } = readRosterFile(path);
  return Object.fromEntries(roster!.learners.map((l) => [l.github_handle, l.progress?.status]));
}

beforeEach(async () => {
  double = await startGitHubDouble({ seed: progressSeed(ROOMS, keys.publicKeyPem) });
  dir = mkdtempSync(join(tmpdir(), 'progress-double-'));
  writeFileSync(join(dir, 'roster.json'), serializeRoster(progressRoster(ROOMS)));
});
afterEach(async () => {
  await double.stop();
});

describe('progress against the GitHub double', () => {
  it('derives every status from the seeded signals, with evidence, as the GitHub App', async () => {
    const result = await runProgress(options());
    expect(statuses()).toEqual(EXPECTED);
    const rec = (h: string) => result.report.learners.find((l) => l.github_handle === h)!;
    expect(rec('alice').ignored.map((e) => e.detail)).toEqual(['"ack" by @mentor, not the learner', '"day1-complete" by @mentor, not the learner']);
    expect(rec('bob').ignored).toHaveLength(2);
    expect(rec('carol').ignored).toEqual([{ signal: 'pull-request', ref: '#2', detail: 'claims to close #1 but was closed without merging' }]);
    expect(rec('dave').ignored).toEqual([{ signal: 'pull-request', ref: '#2', detail: 'closing keyword names acme/c1-frank#1, another repository' }]);
    expect(rec('ERIN')).toMatchObject({ challenges_closed: 1, challenges_total: 2, repository: 'acme/c1-erin' });
    expect(rec('judy').evidence[0].detail).toBe('the learning room is archived (read-only)');
    expect(rec('kim')).toMatchObject({ challenges_closed: 149, challenges_total: 150 });
    expect(rec('kim').evidence.some((e) => e.detail === '"day1-complete" by the learner')).toBe(true);
    expect(rec('hank').evidence).toEqual([expect.objectContaining({ signal: 'membership', detail: expect.stringMatching(/^invitation expired/) })]);

    // the token was minted as the App, the rooms were read with GraphQL, invitations only where needed
    const c = double.counters();
    expect(c.byRoute['POST /app/installations/:id/access_tokens']).toBe(1);
    // two batches of rooms (10 + 1), kim's second page of issues, kim's second page of comments on #1
    expect(c.byRoute['POST /api/graphql']).toBe(4);
    // only learners who wrote nothing of their own: alice, frank, gina, hank
    expect(c.byRoute['GET /repos/:owner/:repo/invitations']).toBe(4);
    expect(c.total).toBe(9);
    expect(findLearner(readRosterFile(join(dir, 'roster.json')).roster!, 'erin', 'c1')!.progress).toEqual({
      status: 'in-progress', since: T1, updated_at: T1, challenges_closed: 1, challenges_total: 2,
    });
    const md = readFileSync(join(dir, 'progress.md'), 'utf8');
    expect(md).toContain('| invitation-expired | 1 |');
    expect(md).toContain('## Stuck longest');
  });
});
