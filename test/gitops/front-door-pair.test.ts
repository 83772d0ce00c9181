/**
 * The public front door and the admin repository, tested as a pair against the GitHub double: a
 * learner opens a request in the public repository; the front door's workflow step
 * (.github/scripts/front-door-dispatch.sh) hands it over with repository_dispatch; the admin
 * side's workflow step (`learning-rooms enrol-request`, with the dispatch's payload) reads the
 * issue from the API and answers on it; the scheduled `learning-rooms enrol` enrols the accepted
 * ones together and keeps every answer up to date until the room is ready and the request closed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { collaboratorAddress, repositoryAddress } from '../../contracts/room-addresses';
import { writeLearnerIndex, type LearnerIndexEntry } from '../../contracts/learner-index';
import { enrolmentCodeHash } from '../../gitops/enrolment';
import { FRONT_DOOR_FIELDS } from '../../gitops/front-door';
import { parseRoster, serializeRoster, type Roster } from '../../roster';
import { cli } from '../helpers/cli';
import { learner } from '../../test-kit/rosters';
import { SCRIPTS } from './workflow-pair';

const OWNER = 'acme';
const ADMIN = `${OWNER}/workshop-admin`;
const FRONT_DOOR = `${OWNER}/register`;
const CODE = 'blue ocean forty two';
const NOW = '2026-09-15T10:32:00Z';
const TOKENS = {
  /** The registration App on the admin repository, as the front door's workflow mints it: contents only. */
  dispatch: 'dispatch-token',
  /** The registration App on the front door: issues. */
  frontDoor: 'front-door-token',
  /** The registration App on the admin repository: contents and pull requests (the review branch). */
  registration: 'registration-token',
  /** The records App: contents (main). */
  records: 'records-token',
};
const LEARNERS = Array.from({ length: 20 }, (_, i) => `learner-${i + 1}`);

function roster(): Roster {
  return {
    format_version: 1,
    cohorts: [
      {
        cohort_id: '2026-spring',
        title: 'Spring 2026',
        enrolment: {
          review: 'auto',
          opens: '2026-09-01',
          closes: '2026-09-30',
          code_sha256: enrolmentCodeHash('2026-spring', CODE),
        },
      },
      { cohort_id: '2026-autumn', enrolment: { review: 'manual', allowed_handles: ['dave', ...LEARNERS] } },
    ],
    learners: [
      learner('carol', '2026-spring', {
        provisioning: { state: 'archived', last_outcome: 'archived', updated_at: '2026-09-12T09:30:00Z' },
      }),
    ],
  };
}

let double: GitHubDouble;
beforeEach(async () => {
  double = await startGitHubDouble({
    // Twenty requests in a test are a few hundred writes in seconds: GitHub's pace is not the subject here.
    limits: { secondaryPerMinute: 100_000, secondaryPerHour: 100_000 },
    seed: {
      orgs: [{ login: OWNER, members: ['operator'] }],
      users: ['operator', 'bob', 'carol', 'dave', 'mallory', ...LEARNERS],
      tokens: [
        { token: TOKENS.dispatch, login: 'lr-registration[bot]', permissions: { contents: 'write' } },
        { token: TOKENS.frontDoor, login: 'lr-registration[bot]', permissions: { issues: 'write' } },
        {
          token: TOKENS.registration,
          login: 'lr-registration[bot]',
          permissions: { contents: 'write', pull_requests: 'write' },
        },
        { token: TOKENS.records, login: 'lr-records[bot]', permissions: { contents: 'write' } },
      ],
      repos: [
        {
          owner: OWNER,
          name: 'workshop-admin',
          visibility: 'private',
          files: { 'roster.json': serializeRoster(roster()) },
        },
        {
          owner: OWNER,
          name: 'register',
          visibility: 'public',
          labels: ['registration'],
          files: { 'README.md': '# Register\n' },
        },
      ],
    },
  });
});
afterEach(() => double.stop());

const repoOf = (full: string) => double.state.repo(...(full.split('/') as [string, string]))!;
const issueOf = (n: number) => double.state.findIssue(repoOf(FRONT_DOOR), n)!;

function form(answers: { cohort?: string; path?: string; code?: string }): string {
  const v = { cohort_id: answers.cohort, path: answers.path, code: answers.code } as Record<string, string | undefined>;
  return Object.entries(FRONT_DOOR_FIELDS)
    .map(([k, label]) => `### ${label}\n\n${v[k] ?? '_No response_'}`)
    .join('\n\n');
}

/** A learner opens a request in the front door, signed in as themselves. */
function open(author: string, answers: { cohort?: string; path?: string; code?: string }): number {
  return (
    double.admin('POST', '/_admin/issues', {
      repo: FRONT_DOOR,
      title: 'Registration request',
      body: form(answers),
      author,
      labels: ['registration'],
    }).body as { number: number }
  ).number;
}

/** The front door's workflow step: the hand-over, as it runs in the public repository (asynchronously: the double answers in this process). */
async function handOver(issue: number): Promise<{ repository: string; issue_number: number }> {
  const r = await new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
    execFile(
      'bash',
      [join(SCRIPTS, 'front-door-dispatch.sh')],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          GH_TOKEN: TOKENS.dispatch,
          ADMIN_REPOSITORY: ADMIN,
          GITHUB_REPOSITORY: FRONT_DOOR,
          ISSUE_NUMBER: String(issue),
          GITHUB_API_URL: double.apiUrl,
        },
      },
      (err, stdout, stderr) =>
        done({ status: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
  expect(r).toEqual({ status: 0, stderr: '', stdout: `front-door: request #${issue} handed to ${ADMIN}\n` });
  const event = repoOf(ADMIN).dispatches.at(-1)!;
  // Only where the request is: no body, no login, nothing the admin side would have to trust.
  expect(event).toMatchObject({
    event_type: 'learning-rooms-registration',
    client_payload: { repository: FRONT_DOOR, issue_number: issue },
    sender: 'lr-registration[bot]',
  });
  expect(Object.keys(event.client_payload).sort()).toEqual(['issue_number', 'repository']);
  return event.client_payload as { repository: string; issue_number: number };
}

const settings = (): NodeJS.ProcessEnv => ({
  LEARNING_ROOMS_FRONT_DOOR_REPOSITORY: FRONT_DOOR,
  PROVISIONING_STUDENT_OWNER: OWNER,
  GITHUB_BASE_URL: double.url,
});

/** The admin side's workflow step on the dispatch: a checkout of main, then the command. */
async function answer(payload: { repository: string; issue_number: number }, now = NOW) {
  const checkout = mkdtempSync(join(tmpdir(), 'lr-admin-'));
  writeFileSync(join(checkout, 'roster.json'), mainRoster().text);
  return cli(
    [
      'enrol-request',
      'roster.json',
      '--repository',
      payload.repository,
      '--issue',
      String(payload.issue_number),
      '--now',
      now,
      '--request-interval',
      '0',
    ],
    {
      cwd: checkout,
      env: { ...settings(), FRONT_DOOR_TOKEN: TOKENS.frontDoor },
    },
  );
}

/** The scheduled Enrol workflow's step. */
async function enrol(now = NOW, ...more: string[]) {
  const r = await cli(['enrol', '--repository', ADMIN, '--now', now, '--request-interval', '0', ...more], {
    env: {
      ...settings(),
      FRONT_DOOR_TOKEN: TOKENS.frontDoor,
      REGISTRATION_TOKEN: TOKENS.registration,
      RECORDS_TOKEN: TOKENS.records,
    },
  });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r;
}

/** A request, handed over and answered, as the two workflows do it. */
async function register(
  author: string,
  answers: { cohort?: string; path?: string; code?: string },
  now = NOW,
): Promise<number> {
  const n = open(author, answers);
  const r = await answer(await handOver(n), now);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return n;
}

/** The one comment on a request: there is never a second. */
function comment(n: number): string {
  const ours = issueOf(n).comments.filter((c) => c.body.startsWith('<!-- learning-rooms:front-door'));
  expect(ours).toHaveLength(1);
  expect(ours[0].author.login).toBe('lr-registration[bot]');
  return ours[0].body;
}

function mainRoster(): { text: string; roster: Roster } {
  const repo = repoOf(ADMIN);
  const text = repo.files.get('roster.json')!.content.toString('utf8');
  return { text, roster: parseRoster(text).roster! };
}
const commitsOnMain = () => {
  const repo = repoOf(ADMIN);
  const out: string[] = [];
  for (let sha: string | undefined = repo.headSha ?? undefined; sha; sha = repo.commits.get(sha)?.parents[0])
    out.push(repo.commits.get(sha)!.message);
  return out;
};

describe('one request, handed over and answered', () => {
  test('from its author, with the right code, in the window: accepted, enrolled by the next group', async () => {
    const n = await register('bob', {
      cohort: '2026-spring',
      path: 'web',
      code: 'Blue Ocean Forty-Two'.replace(/-/g, ' '),
    });
    expect(comment(n)).toContain('Thank you, your registration is accepted.');
    expect(comment(n)).toContain('You will be enrolled with the next group of learners, at about 10:45 UTC.');
    // Answering changes nothing in the roster: the scheduled Enrol enrols.
    expect(mainRoster().roster.learners.map((l) => l.github_handle)).toEqual(['carol']);
    expect(issueOf(n).state).toBe('open');
  });

  test('a wrong code', async () => {
    const n = await register('bob', { cohort: '2026-spring', path: 'web', code: 'green ocean' });
    expect(comment(n)).toContain(
      "- **Enrolment code**: this is not the code for `2026-spring`. Copy it again from your facilitator's message",
    );
    expect(comment(n)).not.toMatch(/green ocean/);
  });

  test('after the closing date, and before the opening date', async () => {
    const late = await register('bob', { cohort: '2026-spring', path: 'web', code: CODE }, '2026-10-01T08:00:00Z');
    expect(comment(late)).toContain(
      '- **Cohort**: registration for `2026-spring` closed at the end of 30 September 2026 (UTC). If you still need a place, please ask your facilitator.',
    );
    const early = await register('dave', { cohort: '2026-spring', path: 'web', code: CODE }, '2026-08-20T08:00:00Z');
    expect(comment(early)).toContain(
      'registration for `2026-spring` opens on 1 September 2026 (UTC). We check this request again by ourselves once it opens',
    );
  });

  test('an unknown cohort: the open ones listed', async () => {
    const n = await register('bob', { cohort: '2026 spring', path: 'web' });
    expect(comment(n)).toContain(
      "- **Cohort**: there is no cohort called `2026 spring`. Check the spelling in your facilitator's message. Did you mean `2026-spring`? Cohorts open for registration now: `2026-spring` (Spring 2026), `2026-autumn`.",
    );
  });

  test('an archived (withdrawn) learner', async () => {
    const n = await register('carol', { cohort: '2026-spring', path: 'web', code: CODE });
    expect(comment(n)).toContain(
      'you were withdrawn from the cohort `2026-spring` and your learning room was archived',
    );
    expect(comment(n)).not.toMatch(/edit your request/);
  });

  test('a handle not on the allow-list', async () => {
    const n = await register('mallory', { cohort: '2026-autumn', path: 'web' });
    expect(comment(n)).toContain(
      '- **Your account**: `mallory` is not on the list of people who may register for `2026-autumn`.',
    );
  });

  test('only the configured front door is answered; a request that is gone or closed gets nothing', async () => {
    const n = open('bob', { cohort: '2026-spring', path: 'web', code: CODE });
    const other = await answer({ repository: `${OWNER}/elsewhere`, issue_number: n });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      '--repository: "acme/elsewhere" is not the front door (LEARNING_ROOMS_FRONT_DOOR_REPOSITORY is acme/register); refused',
    );
    double.admin('PATCH', '/_admin/issues', { repo: FRONT_DOOR, number: n, state: 'closed' });
    expect((await answer({ repository: FRONT_DOOR, issue_number: n })).stdout).toBe(
      `${FRONT_DOOR}#${n}: not an open registration request; nothing to answer\n`,
    );
    expect(issueOf(n).comments).toEqual([]);
  });
});

describe('hands-off enrolment', () => {
  test('twenty at once (auto review) are enrolled in one commit to main, each told their place in the queue', async () => {
    const issues: number[] = [];
    for (const l of LEARNERS) issues.push(await register(l, { cohort: '2026-spring', path: 'web', code: CODE }));
    const before = commitsOnMain().length;
    const r = await enrol();
    expect(commitsOnMain().length).toBe(before + 1);
    expect(commitsOnMain()[0]).toBe('learning-rooms: enrol 20 learners [skip ci]');
    expect(r.stdout).toMatch(
      /^acme\/register: 20 open requests \(20 enrolled\)\n {2}enrolled 20 \(auto review\) in [0-9a-f]{12}: #1 #2 /,
    );
    const enrolled = mainRoster().roster.learners.filter(
      (l) => l.cohort_id === '2026-spring' && l.provisioning.state === 'pending',
    );
    expect(enrolled.map((l) => l.github_handle)).toEqual(LEARNERS);
    expect(comment(issues[2])).toContain('You are enrolled in `2026-spring` (learning path `web`).');
    expect(comment(issues[2])).toContain('you are number 3 of 20 waiting for a room in this cohort.');
    // The next run finds nothing to enrol, and writes nothing.
    const again = await enrol();
    expect(commitsOnMain().length).toBe(before + 1);
    expect(again.stdout).toBe('acme/register: 20 open requests (20 enrolled)\n');
  });

  test('twenty at once (reviewed by a facilitator) go to one pull request, rebuilt from main, not one per learner', async () => {
    for (const l of LEARNERS) await register(l, { cohort: '2026-autumn', path: 'data' });
    const r = await enrol();
    const pulls = repoOf(ADMIN).issues.filter((i) => i.pull);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      title: 'Enrol 20 learners who registered (for review)',
      state: 'open',
      author: { login: 'lr-registration[bot]' },
      pull: { headRef: 'registrations/review', baseRef: 'main' },
    });
    expect(pulls[0].body).toContain('- adds `learner-20` in `2026-autumn` on path `data`: acme/register#20');
    expect(r.stdout).toContain('20 waiting for review: ');
    const branch = repoOf(ADMIN).branches.get('registrations/review')!;
    const onBranch = parseRoster(
      repoOf(ADMIN).commits.get(branch)!.tree.get('roster.json')!.content.toString('utf8'),
    ).roster!;
    expect(onBranch.learners.filter((l) => l.cohort_id === '2026-autumn')).toHaveLength(20);
    expect(mainRoster().roster.learners).toHaveLength(1);
    expect(comment(1)).toContain('A facilitator approves registrations for this cohort, in groups.');
    // Unchanged requests: the pull request and its branch are left as they are.
    await enrol();
    expect(repoOf(ADMIN).branches.get('registrations/review')).toBe(branch);
    expect(repoOf(ADMIN).issues.filter((i) => i.pull)).toHaveLength(1);
    // The facilitator turns every request down (closes them): the pull request closes too.
    for (let n = 1; n <= 20; n++)
      double.admin('PATCH', '/_admin/issues', { repo: FRONT_DOOR, number: n, state: 'closed', closed_by: 'operator' });
    expect((await enrol()).stdout).toMatch(/closed \S+\/workshop-admin\/pull\/1: nothing waits for review\n$/);
    expect(pulls[0].state).toBe('closed');
    expect(pulls[0].body).toMatch(/^No registration waits for review any more/);
  });

  test('an edit after acceptance is judged again, in the same comment; an edit that changes nothing keeps the place', async () => {
    const n = await register('bob', { cohort: '2026-spring', path: 'web', code: CODE });
    const first = comment(n);
    double.admin('PATCH', '/_admin/issues', {
      repo: FRONT_DOOR,
      number: n,
      body: `${form({ cohort: '2026-spring', path: 'web', code: CODE })}\n\nThanks!`,
    });
    await answer(await handOver(n), '2026-10-02T08:00:00Z');
    // Accepted before the close, with the same answers: still accepted after it, since the same time.
    expect(comment(n).split('\n')[0]).toBe(first.split('\n')[0]);
    expect(comment(n)).toContain('Thank you, your registration is accepted.');
    double.admin('PATCH', '/_admin/issues', {
      repo: FRONT_DOOR,
      number: n,
      body: form({ cohort: '2026-spring', path: 'data', code: CODE }),
    });
    await answer(await handOver(n), '2026-10-02T08:00:00Z');
    expect(comment(n)).toContain('closed at the end of 30 September 2026 (UTC)');
    double.admin('PATCH', '/_admin/issues', {
      repo: FRONT_DOOR,
      number: n,
      body: form({ cohort: '2026-spring', path: 'data', code: CODE }),
    });
    await answer(await handOver(n));
    expect(comment(n)).toContain('- **Learning path**: `data`');
  });

  test('the room ready: the comment gives the room and the invitation, and the request is closed', async () => {
    const n = await register('bob', { cohort: '2026-spring', path: 'web', code: CODE });
    await enrol();
    expect(comment(n)).toContain(
      'you are number 1 of 1 waiting for a room in this cohort. Rooms are created in groups',
    );
    // The learner index synthesis wrote (contracts/learner-index.ts) knows the queue: the place in
    // the one queue of every cohort, and the expected time.
    const index = join(mkdtempSync(join(tmpdir(), 'lr-index-')), 'learners.json');
    const waiting: LearnerIndexEntry = {
      github_handle: 'Bob',
      cohort_id: '2026-spring',
      repository: '2026-spring-Bob',
      admitted: false,
      queued_reason: 'queued: the admission budget is spent for this run; a later run provisions it',
      queue: { position: 2, run: 1, expected_at: '2026-09-15T11:30:00Z' },
      addresses: { repository: repositoryAddress('Bob'), collaborator: collaboratorAddress('Bob'), files: {} },
    };
    const other = { ...waiting, github_handle: 'zed', queue: { position: 1, run: 1 } };
    writeLearnerIndex(dirname(index), {
      format_version: 1,
      cohort_id: '2026-spring',
      stack: '2026-spring',
      owner: 'acme',
      learners: [other, waiting],
    });
    await enrol(NOW, '--index', index);
    expect(comment(n)).toContain(
      'you are number 2 of 2 in the queue for learning rooms, and it is expected at about 11:30 UTC.',
    );
    // Not a learner index (the old flat queue_position): named, and nothing read or written.
    writeFileSync(index, JSON.stringify({ learners: [{ github_handle: 'Bob', queue_position: 1 }] }));
    const before = comment(n);
    const bad = await cli(['enrol', '--repository', ADMIN, '--now', NOW, '--index', index], {
      env: {
        ...settings(),
        FRONT_DOOR_TOKEN: TOKENS.frontDoor,
        REGISTRATION_TOKEN: TOKENS.registration,
        RECORDS_TOKEN: TOKENS.records,
      },
    });
    expect({ code: bad.code, first: bad.stderr.split('\n')[0] }).toEqual({
      code: 2,
      first: `learning-rooms enrol: --index ${index}: ${index}: not a valid learner index:`,
    });
    expect(bad.stderr.match(/^learning-rooms enrol:/gm)).toHaveLength(1);
    expect(comment(n)).toBe(before);
    // Apply made the room and recorded it on main (what the post-step commits).
    const { roster: r } = mainRoster();
    const done = {
      ...r,
      learners: r.learners.map((l) =>
        l.github_handle === 'bob'
          ? {
              ...l,
              provisioning: {
                state: 'provisioned' as const,
                last_outcome: 'created' as const,
                provisioned_at: '2026-09-15T11:00:00Z',
              },
            }
          : l,
      ),
    };
    double.admin('POST', '/_admin/write_file', { repo: ADMIN, path: 'roster.json', content: serializeRoster(done) });
    const r2 = await enrol();
    expect(r2.stdout).toContain(`#${n}: ready, closed`);
    const base = double.url.replace(/\/$/, '');
    expect(comment(n)).toContain(`Your learning room is ready: ${base}/acme/2026-spring-bob`);
    expect(comment(n)).toContain(
      `accept the invitation while signed in to GitHub as \`bob\`: ${base}/acme/2026-spring-bob/invitations`,
    );
    expect(comment(n)).toContain('The invitation expires after 7 days');
    expect({ state: issueOf(n).state, reason: issueOf(n).stateReason }).toEqual({
      state: 'closed',
      reason: 'completed',
    });
  });

  test('a request the learner replaced by a newer one is closed; a refused request not yet open is accepted once it opens', async () => {
    const old = open('dave', { cohort: '2026-spring', path: 'web', code: CODE });
    const early = await register('mallory', { cohort: '2026-spring', path: 'web', code: CODE }, '2026-08-31T12:00:00Z');
    const newer = open('dave', { cohort: '2026-spring', path: 'data', code: CODE });
    await enrol();
    expect(comment(old)).toBe(
      `<!-- learning-rooms:front-door state=refused -->\nYou opened a newer request for this cohort, #${newer}; we follow that one, so this one is closed. Nothing else to do here.`,
    );
    expect({ state: issueOf(old).state, reason: issueOf(old).stateReason }).toEqual({
      state: 'closed',
      reason: 'not_planned',
    });
    expect(
      mainRoster()
        .roster.learners.map((l) => `${l.github_handle}:${l.path}`)
        .sort(),
    ).toEqual(['carol:web', 'dave:data', 'mallory:web']);
    expect(comment(early)).toContain('You are enrolled in `2026-spring`');
  });
});
