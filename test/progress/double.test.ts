/**
 * The progress job against the GitHub double: App authentication, batched GraphQL, pagination,
 * invitations, the adversarial signals of the issue, and failures that must not lose anyone.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APP_ID,
  challenges,
  INSTALLATION_ID,
  OWNER,
  pastComment,
  pastPull,
  progressRoster,
  progressSeed,
  RoomSpec,
  TOKEN,
} from '../../test-kit/progress-world';
import { generateAppKeyPair, GitHubDouble, startGitHubDouble } from '@learning-rooms/github-double';
import { runProgress, RunOptions } from '../../progress/run';
import { cli } from '../helpers/cli';
import { findLearner, readRosterFile, serializeRoster } from '../../roster';
import type { ProgressStatus } from '../../roster/types';

const keys = generateAppKeyPair();
const T1 = '2026-04-02T08:00:00Z';
const T2 = '2026-04-03T08:00:00Z';
const T3 = '2026-04-04T08:00:00Z';

const comment = pastComment;
const ROOMS: RoomSpec[] = [
  // ack written by a facilitator never advances the learner
  {
    handle: 'alice',
    issues: [{ ...challenges(1)[0], comments: [comment('mentor', 'ack'), comment('mentor', 'day1-complete')] }],
  },
  // near misses
  {
    handle: 'bob',
    issues: [{ ...challenges(1)[0], comments: [comment('bob', 'acknowledged'), comment('bob', 'ack!')] }],
  },
  // "closes #1" closed without merging; her own ack counts
  {
    handle: 'carol',
    issues: [{ ...challenges(1)[0], comments: [comment('carol', '  ACK ')] }],
    pulls: [
      pastPull({
        number: 2,
        title: 'My work',
        body: 'closes #1',
        author: 'carol',
        state: 'closed',
        merged: false,
        closes: [1],
      }),
    ],
  },
  // a closing keyword naming another repository's issue; day1-complete by the learner
  {
    handle: 'dave',
    issues: [{ ...challenges(1)[0], comments: [comment('dave', 'day1-complete')] }],
    pulls: [
      pastPull({
        number: 2,
        title: 'Fix',
        body: 'Fixes ACME/c1-frank#1',
        author: 'dave',
        state: 'closed',
        merged: true,
        closes: ['acme/c1-frank#1'],
      }),
    ],
  },
  // handle spelt differently in the roster; a merged pull request closes one of two challenges
  {
    handle: 'ERIN',
    login: 'erin',
    issues: challenges(2),
    pulls: [pastPull({ number: 3, title: 'Resolves #2', body: '', author: 'Erin', state: 'closed', merged: true })],
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
      k === 0
        ? {
            ...i,
            comments: [
              ...Array.from({ length: 119 }, (_, j) => comment('mentor', `note ${j}`)),
              comment('kim', 'day1-complete'),
            ],
          }
        : i,
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
    auth: {
      kind: 'app',
      appId: String(APP_ID),
      installationId: String(INSTALLATION_ID),
      privateKey: keys.privateKeyPem,
    },
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
    expect(rec('alice').ignored.map((e) => e.detail)).toEqual([
      '"ack" by @mentor, not the learner',
      '"day1-complete" by @mentor, not the learner',
    ]);
    expect(rec('bob').ignored).toHaveLength(2);
    expect(rec('carol').ignored).toEqual([
      { signal: 'pull-request', ref: '#2', detail: 'claims to close #1 but was closed without merging' },
    ]);
    expect(rec('dave').ignored).toEqual([
      { signal: 'pull-request', ref: '#2', detail: 'closes ACME/c1-frank#1, an issue of another repository' },
    ]);
    expect(rec('ERIN')).toMatchObject({ challenges_closed: 1, challenges_total: 2, repository: 'acme/c1-erin' });
    expect(rec('judy').evidence[0].detail).toBe('the learning room is archived (read-only)');
    expect(rec('kim')).toMatchObject({ challenges_closed: 149, challenges_total: 150 });
    expect(rec('kim').evidence.some((e) => e.detail === '"day1-complete" by the learner')).toBe(true);
    expect(rec('hank').evidence).toEqual([
      expect.objectContaining({ signal: 'membership', detail: expect.stringMatching(/^invitation expired/) }),
    ]);

    // the token was minted as the App, the rooms were read with GraphQL, invitations only where needed
    const c = double.counters();
    expect(c.byRoute['POST /app/installations/:id/access_tokens']).toBe(1);
    // two batches of rooms (10 + 1), kim's second page of issues, kim's second page of comments on #1
    expect(c.byRoute['POST /api/graphql']).toBe(4);
    // only learners GraphQL does not list as collaborators and who wrote nothing of their own: gina, hank
    expect(c.byRoute['GET /repos/:owner/:repo/invitations']).toBe(2);
    expect(c.total).toBe(7);
    expect(findLearner(readRosterFile(join(dir, 'roster.json')).roster!, 'erin', 'c1')!.progress).toEqual({
      status: 'in-progress',
      since: T1,
      updated_at: T1,
      challenges_closed: 1,
      challenges_total: 2,
    });
    const md = readFileSync(join(dir, 'progress.md'), 'utf8');
    expect(md).toContain('| invitation-expired | 1 |');
    expect(md).toContain('## Stuck longest');
  });

  it('a poll where nothing changed reads fingerprints only; a change re-reads only that room', async () => {
    await runProgress(options());
    const rosterText = readFileSync(join(dir, 'roster.json'), 'utf8');
    let seq = double.requests().at(-1)!.seq;
    const second = await runProgress(options({ now: () => T2 }));
    expect(second.rosterWritten).toBe(false);
    expect(readFileSync(join(dir, 'roster.json'), 'utf8')).toBe(rosterText);
    const quiet = double.counters(seq);
    // token, one fingerprint query for the 11 rooms, invitations of the two learners still invited
    expect(quiet.byRoute).toEqual({
      'POST /app/installations/:id/access_tokens': 1,
      'POST /api/graphql': 1,
      'GET /repos/:owner/:repo/invitations': 2,
    });
    expect(second.report.learners.every((l) => l.updated_at === T1 && !l.error)).toBe(true);

    double.advanceClock(5_000); // a new updatedAt, as a later comment on GitHub has
    expect(
      double.admin('POST', '/_admin/comments', { repo: 'acme/c1-alice', number: 1, author: 'Alice', body: 'ack' })
        .status,
    ).toBe(201);
    seq = double.requests().at(-1)!.seq;
    const third = await runProgress(options({ now: () => T3 }));
    expect(double.counters(seq).byRoute['POST /api/graphql']).toBe(2); // fingerprints + alice's room
    expect(third.changes).toEqual([
      { github_handle: 'alice', cohort_id: 'c1', from: 'not-started', to: 'acknowledged' },
    ]);
    const roster = readRosterFile(join(dir, 'roster.json')).roster!;
    expect(findLearner(roster, 'alice', 'c1')!.progress).toMatchObject({
      status: 'acknowledged',
      since: T3,
      updated_at: T3,
    });
    expect(findLearner(roster, 'frank', 'c1')!.progress).toMatchObject({
      status: 'complete',
      since: T1,
      updated_at: T1,
    });

    // alice's room changed within the second of that read: no fingerprint is kept for it, so a second
    // change with the very same updatedAt (and the same number of issues) is not missed
    expect(third.report.learners.find((l) => l.github_handle === 'alice')!.fingerprint).toBeUndefined();
    double.admin('POST', '/_admin/comments', {
      repo: 'acme/c1-alice',
      number: 1,
      author: 'alice',
      body: 'day1-complete',
    });
    const fourth = await runProgress(options({ now: () => '2026-04-05T08:00:00Z' }));
    expect(fourth.changes).toEqual([
      { github_handle: 'alice', cohort_id: 'c1', from: 'acknowledged', to: 'day1-complete' },
    ]);
  });

  it("one room's error keeps that learner's previous status while the others advance", async () => {
    await runProgress(options());
    double.advanceClock(5_000);
    double.admin('POST', '/_admin/comments', {
      repo: 'acme/c1-carol',
      number: 1,
      author: 'carol',
      body: 'day1-complete',
    });
    double.admin('POST', '/_admin/comments', { repo: 'acme/c1-bob', number: 1, author: 'bob', body: 'ack' });
    double.admin('POST', '/_admin/comments', { repo: 'acme/c1-hank', number: 1, author: 'mentor', body: 'reminder' });
    double.setFaults([
      {
        method: 'POST',
        path_re: '/api/graphql$',
        req_body_re: '"c1-bob"',
        status: 502,
        body: { message: 'Bad Gateway' },
      },
      { method: 'GET', path_re: '/repos/acme/c1-hank/invitations', status: 500, body: { message: 'Server Error' } },
    ]);
    const result = await runProgress(options({ now: () => T2 }));
    const rec = (h: string) => result.report.learners.find((l) => l.github_handle === h)!;
    expect(statuses()).toEqual({ ...EXPECTED, carol: 'day1-complete' });
    expect(rec('bob')).toMatchObject({ status: 'not-started', error: { cause: 'network-or-server', at: T2 } });
    expect(rec('hank')).toMatchObject({
      status: 'invitation-expired',
      error: { cause: 'network-or-server', message: 'Server Error' },
    });
    expect(rec('carol').error).toBeUndefined();
    expect(result.report.errors).toBe(2);
    expect(readFileSync(join(dir, 'progress.md'), 'utf8')).toContain('| @bob | c1 | acme/c1-bob | network-or-server |');

    // the fault gone, the next poll reads both again (an errored record is never "unchanged")
    double.setFaults([]);
    const healed = await runProgress(options({ now: () => T3 }));
    expect(healed.report.errors).toBe(0);
    expect(statuses()).toEqual({ ...EXPECTED, carol: 'day1-complete', bob: 'acknowledged' });
  });

  it('a rate limit that cannot be waited out stops the poll and loses nobody', async () => {
    await runProgress(options());
    const before = readFileSync(join(dir, 'roster.json'), 'utf8');
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    double.setFaults([
      {
        method: 'POST',
        path_re: '/api/graphql$',
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        body: { message: 'API rate limit exceeded' },
      },
    ]);
    const seq = double.requests().at(-1)!.seq;
    const result = await runProgress(options({ now: () => T2, full: true, maxRateLimitWaitSeconds: 5 }));
    expect(double.counters(seq).byRoute['POST /api/graphql']).toBe(1); // no hammering after the limit
    expect(result.report.errors).toBe(11);
    expect(result.report.learners.every((l) => l.error?.cause === 'rate-limit')).toBe(true);
    expect(readFileSync(join(dir, 'roster.json'), 'utf8')).toBe(before);
    expect(statuses()).toEqual(EXPECTED);
  });

  it('a GitHub failing room after room stops the poll after five rooms and loses nobody', async () => {
    await runProgress(options());
    double.setFaults([{ method: 'POST', path_re: '/api/graphql$', status: 502, body: { message: 'Bad Gateway' } }]);
    const seq = double.requests().at(-1)!.seq;
    const result = await runProgress(options({ now: () => T2, full: true }));
    // the batch of ten, then five rooms alone, each tried twice (retries: 1); then nothing more
    expect(double.counters(seq).byRoute['POST /api/graphql']).toBe(12);
    expect(result.report.errors).toBe(11);
    expect(result.report.learners.find((l) => l.github_handle === 'kim')!.error!.message).toMatch(
      /stopped: 5 rooms failed in a row/,
    );
    expect(statuses()).toEqual(EXPECTED);
  });

  it('learning-rooms progress runs as the App from the environment and never prints the key or token', async () => {
    writeFileSync(join(dir, 'app.pem'), keys.privateKeyPem);
    const env = {
      GITHUB_APP_ID: String(APP_ID),
      GITHUB_APP_INSTALLATION_ID: String(INSTALLATION_ID),
      GITHUB_APP_PEM_FILE: 'app.pem',
    };
    const args = ['progress', 'roster.json', '--base-url', double.baseUrl, '--owner', OWNER, '--request-interval', '0'];
    const run = await cli(args, { cwd: dir, env });
    expect(run.stderr).toContain(`as GitHub App ${APP_ID}, installation ${INSTALLATION_ID}`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '11 learners: room-missing 1, invited 1, invitation-expired 1, not-started 2, acknowledged 2, day1-complete 1, in-progress 2, complete 1',
    );
    expect(statuses()).toEqual(EXPECTED);
    const tokens = [...double.state.mintedTokens.keys()];
    expect(tokens.length).toBe(1);
    for (const secret of [...tokens, 'PRIVATE KEY', keys.privateKeyPem.split('\n')[1]]) {
      expect(run.stdout + run.stderr).not.toContain(secret);
      expect(
        readFileSync(join(dir, 'progress.json'), 'utf8') + readFileSync(join(dir, 'progress.md'), 'utf8'),
      ).not.toContain(secret);
    }

    double.setFaults([
      { method: 'GET', path_re: '/repos/acme/c1-gina/invitations', status: 404, body: { message: 'Not Found' } },
    ]); // 404: not retried
    const partial = await cli([...args, '--cohort', 'c1'], { cwd: dir, env });
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain('not read: @gina (c1) acme/c1-gina: not-found: Not Found; kept invited');
    double.setFaults([]);
    const byToken = await cli([...args, '--token', '--full'], { cwd: dir, env: { ...env, GITHUB_TOKEN: TOKEN } });
    expect(byToken).toMatchObject({ code: 0 });
    expect(byToken.stderr).toContain('as token from GITHUB_TOKEN');
    expect(byToken.stdout + byToken.stderr).not.toContain(TOKEN);
    expect(statuses()).toEqual(EXPECTED);
    const bad = await cli([...args, '--cohort', 'nope'], { cwd: dir, env });
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain('cohort "nope" is not in the roster (cohorts: c1)');
  });
});
