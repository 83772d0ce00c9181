/**
 * The progress step (progress, then dashboard) run twice against the GitHub double with nothing
 * changed in between: every file it writes keeps its bytes, so git (and the workflow's commit-back)
 * sees no change and makes no commit. A learner's comment then changes the records and the page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APP_ID,
  challenges,
  INSTALLATION_ID,
  OWNER,
  PAST,
  pastComment,
  progressRoster,
  progressSeed,
  RoomSpec,
} from '../../test-kit/progress-world';
import { generateAppKeyPair, GitHubDouble, startGitHubDouble } from '@learning-rooms/github-double';
import { runProgress } from '../../progress/run';
import { serializeRoster } from '../../roster';
import { cli } from '../helpers/cli';

const keys = generateAppKeyPair();
const ROOMS: RoomSpec[] = [
  {
    handle: 'alice',
    issues: [{ ...challenges(2, 1, 1, 'alice')[0], comments: [pastComment('alice', 'ack')] }, challenges(2)[1]],
  },
  { handle: 'bob', issues: challenges(2) },
  { handle: 'carol', access: 'expired', issues: challenges(2) },
];
const FILES = [
  'roster.json',
  'progress.json',
  'progress.md',
  'progress-history.json',
  'dashboard/index.html',
  'dashboard/redacted.html',
];

let double: GitHubDouble;
let dir: string;

beforeAll(async () => {
  double = await startGitHubDouble({ seed: progressSeed(ROOMS, keys.publicKeyPem) });
  dir = mkdtempSync(join(tmpdir(), 'no-churn-'));
  writeFileSync(join(dir, 'roster.json'), serializeRoster(progressRoster(ROOMS)));
});
afterAll(async () => {
  await double.stop();
});

async function progressStep(now: string): Promise<string> {
  await runProgress({
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
    minRequestIntervalMs: 0,
    now: () => now,
  });
  const r = await cli(['dashboard', 'roster.json'], { cwd: dir });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  return r.stdout;
}

const bytes = () => Object.fromEntries(FILES.map((f) => [f, readFileSync(join(dir, f))]));
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });

describe('the progress step writes nothing new when nothing changed', () => {
  it('two polls 30 minutes apart: every file byte for byte the same, nothing for git to commit; a comment changes them', async () => {
    await progressStep('2026-05-04T08:00:00Z');
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'first poll');
    const first = bytes();
    const mtimes = FILES.map((f) => statSync(join(dir, f)).mtimeMs);

    const out = await progressStep('2026-05-04T08:30:00Z');
    expect(out).toMatch(/^unchanged .*index\.html/m);
    for (const f of FILES) expect({ f, same: bytes()[f].equals(first[f]) }).toEqual({ f, same: true });
    expect(FILES.map((f) => statSync(join(dir, f)).mtimeMs)).toEqual(mtimes);
    expect(git('status', '--porcelain')).toBe('');

    // The learner's own signal times, not the poll's: alice's ack and close were seeded in the past.
    const report = JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8'));
    const alice = report.learners.find((l: { github_handle: string }) => l.github_handle === 'alice');
    expect(alice.last_activity).toBe(PAST);

    double.advanceClock(5_000);
    expect(
      double.admin('POST', '/_admin/comments', { repo: 'acme/c1-bob', number: 1, author: 'bob', body: 'ack' }).status,
    ).toBe(201);
    await progressStep('2026-05-04T09:00:00Z');
    const changed = git('status', '--porcelain')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3))
      .sort();
    expect(changed).toEqual([
      'dashboard/index.html',
      'dashboard/redacted.html',
      'progress-history.json',
      'progress.json',
      'progress.md',
      'roster.json',
    ]);
    const history = JSON.parse(readFileSync(join(dir, 'progress-history.json'), 'utf8'));
    expect(history.days).toHaveLength(1); // the same day: its entry was replaced, not added
    expect(history.days[0].counts.c1.web).toEqual({ 'invitation-expired': 1, acknowledged: 1, 'in-progress': 1 });
  });
});
