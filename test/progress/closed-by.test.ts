/**
 * Closed challenges against the GitHub double: who closed one decides whether it counts. The
 * learner, an App or bot (the room's workflows) and the learner's merged pull request advance the
 * learner; a facilitator's close does not, and is listed under `ignored` with the reason.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedIssue } from '@learning-rooms/github-double';
import {
  APP_ID,
  challenges,
  INSTALLATION_ID,
  OWNER,
  PAST,
  pastPull,
  progressRoster,
  progressSeed,
  RoomSpec,
} from '../../test-kit/progress-world';
import { generateAppKeyPair, GitHubDouble, startGitHubDouble } from '@learning-rooms/github-double';
import { runProgress, RunOptions } from '../../progress/run';
import { serializeRoster } from '../../roster';

const keys = generateAppKeyPair();

/** Challenge #n, closed in the past by `by` (a login) or by the merge of pull request `pull`. */
function closed(n: number, by: { login?: string; pull?: number }): SeedIssue {
  return {
    ...challenges(1, 0, n)[0],
    state: 'closed',
    closed_at: PAST,
    ...(by.login ? { closed_by: by.login } : {}),
    ...(by.pull ? { closed_by_pull: by.pull } : {}),
  };
}

const ROOMS: RoomSpec[] = [
  // a facilitator closed the learner's only challenge: nothing counts
  { handle: 'alice', issues: [closed(1, { login: 'mentor' })] },
  // the learner (login in another case), the room's workflow, and the learner's own merged pull
  // request (which says nothing of "closes": only the closing event names it; a mentor merged it)
  {
    handle: 'bob',
    issues: [
      closed(1, { login: 'BOB' }),
      closed(2, { login: 'learning-rooms[bot]' }),
      closed(3, { login: 'mentor', pull: 4 }),
    ],
    pulls: [
      pastPull({
        number: 4,
        title: 'My work',
        body: '',
        author: 'bob',
        state: 'closed',
        merged: true,
        closed_by: 'mentor',
      }),
    ],
  },
  // a pull request of someone else closed the challenge; the learner's own close of the other counts
  {
    handle: 'carol',
    issues: [closed(1, { pull: 3 }), closed(2, { login: 'carol' })],
    pulls: [pastPull({ number: 3, title: 'Fix for you', body: '', author: 'mentor', state: 'closed', merged: true })],
  },
  // open challenges; the facilitator will close one during the test
  { handle: 'dave', issues: challenges(2) }, // GitHub does not list her as a collaborator, but she closed a challenge herself: access proven,
  // no invitations request
  { handle: 'erin', access: 'pending', issues: [closed(1, { login: 'erin' }), ...challenges(1, 0, 2)] },
];

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
    retries: 0,
    minRequestIntervalMs: 0,
    now: () => now,
  };
}

beforeEach(async () => {
  double = await startGitHubDouble({ seed: progressSeed(ROOMS, keys.publicKeyPem) });
  dir = mkdtempSync(join(tmpdir(), 'progress-closed-by-'));
  writeFileSync(join(dir, 'roster.json'), serializeRoster(progressRoster(ROOMS)));
});
afterEach(() => double.stop());

describe('who closed a challenge', () => {
  it("a facilitator does not advance the learner; the learner, a bot and the learner's merged pull request do", async () => {
    const { report } = await runProgress(options('2026-04-02T08:00:00Z'));
    const rec = (h: string) => report.learners.find((l) => l.github_handle === h)!;

    expect(rec('alice')).toMatchObject({ status: 'not-started', challenges_closed: 0, challenges_total: 1 });
    expect(rec('alice').ignored).toEqual([
      { signal: 'issue', ref: '#1', detail: 'challenge closed by @mentor, not the learner' },
    ]);

    expect(rec('bob')).toMatchObject({ status: 'complete', challenges_closed: 3, challenges_total: 3 });
    expect(rec('bob').evidence.filter((e) => e.signal === 'issue')).toEqual([
      { signal: 'issue', ref: '#1', detail: 'challenge closed by the learner' },
      { signal: 'issue', ref: '#2', detail: 'challenge closed by the automation @learning-rooms[bot]' },
      { signal: 'issue', ref: '#3', detail: "challenge closed by the learner's pull request #4" },
    ]);
    expect(rec('bob').ignored).toEqual([]);

    expect(rec('carol')).toMatchObject({ status: 'in-progress', challenges_closed: 1, challenges_total: 2 });
    expect(rec('carol').ignored).toEqual([
      { signal: 'issue', ref: '#1', detail: "challenge closed by pull request #3 of @mentor, not the learner's" },
    ]);

    expect(rec('erin')).toMatchObject({ status: 'in-progress', challenges_closed: 1 });
    expect(rec('erin').evidence).toContainEqual({ signal: 'membership', detail: 'collaborator on the room' });

    // one GraphQL query read all five rooms, closing events included; every learner is a
    // collaborator the query lists, so no invitations list is read
    expect(double.counters().byRoute).toEqual({
      'POST /app/installations/:id/access_tokens': 1,
      'POST /api/graphql': 1,
    });
  });

  it('a facilitator closing an open challenge between polls changes nothing; the learner closing it does', async () => {
    await runProgress(options('2026-04-02T08:00:00Z'));
    double.advanceClock(5_000);
    expect(
      double.admin('PATCH', '/_admin/issues', { repo: 'acme/c1-dave', number: 1, state: 'closed', closed_by: 'mentor' })
        .status,
    ).toBe(200);
    double.advanceClock(5_000);
    const second = await runProgress(options('2026-04-03T08:00:00Z'));
    expect(second.changes).toEqual([]);
    expect(second.report.learners.find((l) => l.github_handle === 'dave')!.ignored).toEqual([
      { signal: 'issue', ref: '#1', detail: 'challenge closed by @mentor, not the learner' },
    ]);

    // reopened and closed again by the learner: the last close decides
    double.admin('PATCH', '/_admin/issues', { repo: 'acme/c1-dave', number: 1, state: 'open', closed_by: 'mentor' });
    double.admin('PATCH', '/_admin/issues', { repo: 'acme/c1-dave', number: 1, state: 'closed', closed_by: 'dave' });
    double.advanceClock(5_000);
    const third = await runProgress(options('2026-04-04T08:00:00Z'));
    expect(third.changes).toEqual([{ github_handle: 'dave', cohort_id: 'c1', from: 'not-started', to: 'in-progress' }]);
  });
});
