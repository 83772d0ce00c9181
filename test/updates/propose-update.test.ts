/**
 * A template update proposing pull requests, against the GitHub double with the provisioning App:
 * one pull request per room with exactly the template's changed files, the default branch never
 * moved; a second run opens nothing; archived rooms are skipped; after a round the recorded
 * template_ref moves, so a later change proposes only the newer difference; a dry run writes
 * nothing; a run stops before the budget and the next one finishes the work.
 */
import { Octokit } from '@octokit/rest';
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { recordTemplateRefs } from '../../updates/record';
import { proposeUpdates, templateRefMoves, type ProposeOptions, type ProposeResult } from '../../updates/run';
import { selectUnits } from '../../updates/units';
import type { Roster } from '../../roster/types';
import { appClient, fileOn, head, OWNER, pullsOf, roster, seed, STARTER, TOKEN } from './world';

const HANDLES = ['alice', 'bob', 'carol', 'dave'];
const BINARY = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]);

function unitsOf(r: Roster) {
  const { units, problems } = selectUnits(r, {
    defaultTemplate: 'acme/other',
    defaultPattern: '{cohort}-{handle}',
    at: new Date('2026-06-01T00:00:00Z'),
  });
  expect(problems).toEqual([]);
  return units;
}

async function run(double: GitHubDouble, r: Roster, extra: Partial<ProposeOptions> = {}): Promise<ProposeResult> {
  return proposeUpdates({
    octokit: appClient(double),
    owner: OWNER,
    units: unitsOf(r),
    budget: { maxWrites: 1000 },
    ...extra,
  });
}

/** Messages of the commits on `branch` that the default branch lacks, newest first. */
function branchCommits(double: GitHubDouble, repo: string, branch: string): string[] {
  const r = double.state.repo(OWNER, repo)!;
  const out: string[] = [];
  for (let sha = r.branches.get(branch); sha && sha !== r.headSha; sha = r.commits.get(sha)!.parents[0])
    out.push(r.commits.get(sha)!.message);
  return out;
}

const outcomes = (res: ProposeResult) => Object.fromEntries(res.rooms.map((r) => [r.repository, r.outcome]));

/** The template's change of the first round: a file modified, one added, one removed, a binary, a required file. */
function changeTemplate(double: GitHubDouble) {
  double.admin('POST', '/_admin/push', {
    repo: 'acme/tmpl',
    files: {
      'src/a.py': 'a = 2\n',
      'src/new/b.py': 'b = 1\n',
      'old.txt': null,
      '.github/workflows/progress.yml': 'name: progress v2\n',
    },
    message: 'Starter: fix a, add b, drop old.txt',
  });
}

/** The admin push takes text; the binary file goes in through the operator's token. */
async function addBinary(double: GitHubDouble) {
  const octokit = new Octokit({ baseUrl: double.apiUrl, auth: TOKEN });
  await octokit.repos.createOrUpdateFileContents({
    owner: OWNER,
    repo: 'tmpl',
    path: 'assets/logo.bin',
    message: 'a binary asset',
    content: BINARY.toString('base64'),
  });
}

describe('a template update proposing pull requests', () => {
  let double: GitHubDouble;
  let base: string;
  let r: Roster;
  const defaultHeads: Record<string, string> = {};

  beforeAll(async () => {
    double = await startGitHubDouble({
      seed: seed(HANDLES, (h) =>
        h === 'carol'
          ? { ...STARTER, 'src/a.py': 'a = 1  # carol was here\n' }
          : h === 'bob'
            ? { ...STARTER, 'src/new/b.py': 'b = 1\n' }
            : STARTER,
      ),
      generateDelayMs: 1,
    });
    base = head(double, 'tmpl');
    r = roster(HANDLES, base);
    double.admin('POST', '/_admin/archive_repo', { repo: 'acme/c1-dave' });
    changeTemplate(double);
    await addBinary(double);
    for (const h of HANDLES) defaultHeads[h] = head(double, `c1-${h}`);
  });
  afterAll(() => double.stop());

  test('a dry run lists rooms and files and writes nothing', async () => {
    const since = double.requests().length;
    const res = await run(double, r, { dryRun: true });
    expect(outcomes(res)).toEqual({
      'c1-alice': 'would-open',
      'c1-bob': 'would-open',
      'c1-carol': 'would-open',
      'c1-dave': 'archived',
    });
    expect(res.rooms.find((x) => x.repository === 'c1-carol')!.files).toEqual([
      { path: 'assets/logo.bin', change: 'add' },
      { path: 'old.txt', change: 'delete' },
      { path: 'src/a.py', change: 'update', learner_changed: true },
      { path: 'src/new/b.py', change: 'add' },
    ]);
    expect(double.counters(since).contentCreating).toBe(0);
    expect(templateRefMoves(res)).toEqual([]);
    for (const h of HANDLES) expect(pullsOf(double, `c1-${h}`)).toEqual([]);
  });

  test('one pull request per room with exactly the changed files; the default branch never moves', async () => {
    const res = await run(double, r);
    const to = head(double, 'tmpl');
    const branch = `learning-rooms/starter-update-${to.slice(0, 7)}`;
    expect(outcomes(res)).toEqual({
      'c1-alice': 'opened',
      'c1-bob': 'opened',
      'c1-carol': 'opened',
      'c1-dave': 'archived',
    });
    expect(res.units[0].status).toMatchObject({ state: 'changed', from: base, to, files: 4, refused: 1, rooms: 4 });
    expect(res.units[0].change!.required).toEqual(['.github/workflows/progress.yml']);

    for (const h of ['alice', 'bob', 'carol']) {
      const repo = `c1-${h}`;
      expect(head(double, repo)).toBe(defaultHeads[h]);
      const pulls = pullsOf(double, repo);
      expect(pulls).toEqual([
        expect.objectContaining({
          state: 'open',
          head: branch,
          title: `Starter code update: acme/tmpl ${base.slice(0, 7)}..${to.slice(0, 7)}`,
        }),
      ]);
      expect(fileOn(double, repo, branch, 'src/a.py')).toBe('a = 2\n');
      expect(fileOn(double, repo, branch, 'src/new/b.py')).toBe('b = 1\n');
      expect(fileOn(double, repo, branch, 'old.txt')).toBeUndefined();
      const bin = double.state.repo(OWNER, repo)!.commits.get(double.state.repo(OWNER, repo)!.branches.get(branch)!)!;
      expect(bin.tree.get('assets/logo.bin')?.content.equals(BINARY)).toBe(true);
      // The required file stays Terraform's: the branch has the room's own copy.
      expect(fileOn(double, repo, branch, '.github/workflows/progress.yml')).toBe('name: progress\n');
      expect(fileOn(double, repo, 'main', 'src/a.py')).toBe(h === 'carol' ? 'a = 1  # carol was here\n' : 'a = 1\n');
    }
    // bob already had src/new/b.py as the template has it: not written, not listed.
    const bob = pullsOf(double, 'c1-bob')[0].body!;
    expect(bob).not.toContain('src/new/b.py');
    expect(bob).toContain('### What changes (3 files)');
    const carol = pullsOf(double, 'c1-carol')[0].body!;
    expect(carol).toContain('- `src/a.py`: updated. **You changed this file**');
    // One commit per written file on the branch, each saying what it did.
    expect(branchCommits(double, 'c1-bob', branch)).toEqual([
      'Starter code update: update src/a.py from acme/tmpl',
      'Starter code update: remove old.txt from acme/tmpl',
      'Starter code update: add assets/logo.bin from acme/tmpl',
    ]);
    expect(branchCommits(double, 'c1-alice', branch)).toHaveLength(4);
    // every room done: the round moves template_ref to the head
    expect(templateRefMoves(res)).toEqual([{ cohort_id: 'c1', sha: to }]);
  });

  test('a second run opens nothing and writes nothing', async () => {
    const since = double.requests().length;
    const res = await run(double, r);
    expect(outcomes(res)).toEqual({
      'c1-alice': 'already-open',
      'c1-bob': 'already-open',
      'c1-carol': 'already-open',
      'c1-dave': 'archived',
    });
    expect(double.counters(since).contentCreating).toBe(0);
    for (const h of ['alice', 'bob', 'carol']) expect(pullsOf(double, `c1-${h}`)).toHaveLength(1);
  });

  test('after a merged round the template_ref moves and a later change proposes only the newer difference', async () => {
    const first = await run(double, r);
    r = recordTemplateRefs(r, templateRefMoves(first));
    const round1 = head(double, 'tmpl');
    expect(r.cohorts[0].template_ref).toBe(round1);
    // alice merges her pull request (a fast-forward of main to the branch); bob closes his.
    const operator = new Octokit({ baseUrl: double.apiUrl, auth: TOKEN });
    const branch1 = `learning-rooms/starter-update-${round1.slice(0, 7)}`;
    const alice = double.state.repo(OWNER, 'c1-alice')!;
    await operator.git.updateRef({
      owner: OWNER,
      repo: 'c1-alice',
      ref: 'heads/main',
      sha: alice.branches.get(branch1)!,
    });
    double.admin('PATCH', '/_admin/issues', {
      repo: 'acme/c1-alice',
      number: pullsOf(double, 'c1-alice')[0].number,
      merged: true,
    });
    double.admin('PATCH', '/_admin/issues', {
      repo: 'acme/c1-bob',
      number: pullsOf(double, 'c1-bob')[0].number,
      state: 'closed',
    });

    double.admin('POST', '/_admin/push', { repo: 'acme/tmpl', files: { 'src/c.py': 'c = 3\n' }, message: 'add c' });
    const round2 = head(double, 'tmpl');
    const res = await run(double, r);
    expect(outcomes(res)).toEqual({
      'c1-alice': 'opened',
      'c1-bob': 'opened',
      'c1-carol': 'opened',
      'c1-dave': 'archived',
    });
    const branch2 = `learning-rooms/starter-update-${round2.slice(0, 7)}`;
    for (const h of ['alice', 'bob', 'carol']) {
      const pr = pullsOf(double, `c1-${h}`).find((p) => p.head === branch2)!;
      expect(pr.title).toBe(`Starter code update: acme/tmpl ${round1.slice(0, 7)}..${round2.slice(0, 7)}`);
      expect(pr.body).toContain('### What changes (1 file)\n\n- `src/c.py`: added\n');
    }
    // alice's main holds round 1 now; her new branch starts there
    expect(fileOn(double, 'c1-alice', branch2, 'src/a.py')).toBe('a = 2\n');
    expect(fileOn(double, 'c1-bob', branch2, 'src/a.py')).toBe('a = 1\n');
    expect(templateRefMoves(res)).toEqual([{ cohort_id: 'c1', sha: round2 }]);
  });
});

describe('rooms left alone', () => {
  let double: GitHubDouble;
  afterEach(() => double.stop());

  test('a room that does not exist or is archived is skipped; a declined pull request is not opened again', async () => {
    double = await startGitHubDouble({ seed: seed(['alice', 'bob']), generateDelayMs: 1 });
    const base = head(double, 'tmpl');
    const r = roster(['alice', 'bob', 'erin'], base);
    double.admin('POST', '/_admin/push', { repo: 'acme/tmpl', files: { 'src/a.py': 'a = 2\n' } });
    const first = await run(double, r);
    expect(outcomes(first)).toEqual({ 'c1-alice': 'opened', 'c1-bob': 'opened', 'c1-erin': 'missing' });
    double.admin('PATCH', '/_admin/issues', {
      repo: 'acme/c1-alice',
      number: pullsOf(double, 'c1-alice')[0].number,
      state: 'closed',
    });
    double.admin('POST', '/_admin/archive_repo', { repo: 'acme/c1-bob' });
    const again = await run(double, r);
    expect(outcomes(again)).toEqual({ 'c1-alice': 'declined', 'c1-bob': 'archived', 'c1-erin': 'missing' });
    expect(pullsOf(double, 'c1-alice')).toHaveLength(1);
  });

  test('a room whose files already match the template gets no branch and no pull request', async () => {
    double = await startGitHubDouble({
      seed: seed(['alice'], () => ({ ...STARTER, 'src/a.py': 'a = 2\n' })),
      generateDelayMs: 1,
    });
    const r = roster(['alice'], head(double, 'tmpl'));
    double.admin('POST', '/_admin/push', { repo: 'acme/tmpl', files: { 'src/a.py': 'a = 2\n' } });
    const res = await run(double, r);
    expect(outcomes(res)).toEqual({ 'c1-alice': 'up-to-date' });
    expect([...double.state.repo(OWNER, 'c1-alice')!.branches.keys()]).toEqual(['main']);
    expect(templateRefMoves(res)).toHaveLength(1);
  });

  test('a template_ref that is not a commit of the template is named, and nothing is written', async () => {
    double = await startGitHubDouble({ seed: seed(['alice']), generateDelayMs: 1 });
    double.admin('POST', '/_admin/push', { repo: 'acme/tmpl', files: { 'src/a.py': 'a = 2\n' } });
    const res = await run(double, roster(['alice'], 'f'.repeat(40)));
    expect(res.units[0].status).toMatchObject({
      state: 'unreadable',
      detail: `template_ref ${'f'.repeat(40)} is not a commit of acme/tmpl: set it in roster.json to the commit the rooms were made from`,
    });
    expect(res.rooms).toEqual([]);
  });
});

describe('the rate budget: stop cleanly, resume next run', () => {
  let double: GitHubDouble;
  afterEach(() => double.stop());
  const five = ['alice', 'bob', 'carol', 'dave', 'erin'];

  test('the run stops before its share of content creation is spent; the next run finishes', async () => {
    double = await startGitHubDouble({ seed: seed(five), generateDelayMs: 1 });
    const r = roster(five, head(double, 'tmpl'));
    double.admin('POST', '/_admin/push', { repo: 'acme/tmpl', files: { 'src/a.py': 'a = 2\n', 'src/b.py': 'b\n' } });
    // each room: the branch, 2 files, the pull request = 4 writes
    const first = await run(double, r, { budget: { maxWrites: 9 } });
    expect(Object.values(outcomes(first))).toEqual(['opened', 'opened', 'left', 'left', 'left']);
    expect(first.stopped).toMatch(/content-creation limit is spent \(8 of 9 writes\)/);
    expect(first.writes).toBeLessThanOrEqual(9);
    expect(templateRefMoves(first)).toEqual([]);
    const second = await run(double, r);
    expect(Object.values(outcomes(second))).toEqual(['already-open', 'already-open', 'opened', 'opened', 'opened']);
    expect(templateRefMoves(second)).toHaveLength(1);
  });

  test('after a stop, the next cohorts are not read at all: their rooms are left for the next run', async () => {
    double = await startGitHubDouble({ seed: seed(['alice', 'bob', 'carol']), generateDelayMs: 1 });
    const base = roster(['alice', 'bob'], head(double, 'tmpl'));
    const r: Roster = {
      ...base,
      cohorts: [...base.cohorts, { ...base.cohorts[0], cohort_id: 'c2', repository_pattern: 'c1-{handle}' }],
      learners: [...base.learners, { ...base.learners[0], github_handle: 'carol', cohort_id: 'c2' }],
    };
    double.admin('POST', '/_admin/push', { repo: 'acme/tmpl', files: { 'src/a.py': 'a = 2\n' } });
    const since = double.requests().length;
    const res = await run(double, r, { budget: { maxWrites: 3 } });
    expect(outcomes(res)).toEqual({ 'c1-alice': 'opened', 'c1-bob': 'left', 'c1-carol': 'left' });
    expect(res.units.map((u) => u.status.state)).toEqual(['changed', 'not-read']);
    expect(double.requests(since).filter((q) => q.path.includes('/repos/acme/tmpl/git/trees/'))).toHaveLength(2);
  });

  test('the run stops before the installation’s hourly requests run out, never meeting the limit', async () => {
    double = await startGitHubDouble({ seed: seed(five), generateDelayMs: 1, limits: { primary: 40 } });
    const r = roster(five, head(double, 'tmpl'));
    double.admin('POST', '/_admin/push', { repo: 'acme/tmpl', files: { 'src/a.py': 'a = 2\n' } });
    const since = double.requests().length;
    const first = await run(double, r, { budget: { maxWrites: 1000, reserve: 10 } });
    expect(first.stopped).toMatch(
      /hourly request budget is nearly spent \(\d+ left, 10 kept for the other workflows\)/,
    );
    const left = first.rooms.filter((x) => x.outcome === 'left').length;
    expect(left).toBeGreaterThan(0);
    expect(first.rooms.filter((x) => x.outcome === 'opened').length).toBeGreaterThan(0);
    expect(double.requests(since).filter((q) => q.status === 403)).toEqual([]);
    // the next hour
    double.setLimits({ primary: 5000 });
    const second = await run(double, r);
    expect(second.rooms.filter((x) => x.outcome === 'opened')).toHaveLength(left);
    expect(templateRefMoves(second)).toHaveLength(1);
  });

  test('a rate limit met half-way through a room stops the run; the next run gives that branch its pull request', async () => {
    double = await startGitHubDouble({ seed: seed(['alice', 'bob']), generateDelayMs: 1 });
    const r = roster(['alice', 'bob'], head(double, 'tmpl'));
    double.admin('POST', '/_admin/push', { repo: 'acme/tmpl', files: { 'src/a.py': 'a = 2\n' } });
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    double.setFaults([
      {
        method: 'POST',
        path_re: '^/api/v3/repos/acme/c1-alice/pulls$',
        status: 403,
        headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset },
        body: { message: 'API rate limit exceeded for installation ID 310.' },
        times: 1,
      },
    ]);
    const first = await run(double, r);
    expect(outcomes(first)).toEqual({ 'c1-alice': 'left', 'c1-bob': 'left' });
    expect(first.stopped).toMatch(/^GitHub's rate limit/);
    const branch = `learning-rooms/starter-update-${head(double, 'tmpl').slice(0, 7)}`;
    expect(fileOn(double, 'c1-alice', branch, 'src/a.py')).toBe('a = 2\n');
    expect(pullsOf(double, 'c1-alice')).toEqual([]);

    const since = double.requests().length;
    const second = await run(double, r);
    expect(outcomes(second)).toEqual({ 'c1-alice': 'opened', 'c1-bob': 'opened' });
    // alice: no file written again, only the pull request
    const aliceWrites = double
      .requests(since)
      .filter((q) => q.contentCreating && q.repo === 'acme/c1-alice')
      .map((q) => q.route);
    expect(aliceWrites).toEqual(['POST /repos/:owner/:repo/pulls']);
  });
});
