/**
 * The watchdog's fingerprint against the GitHub double: a world that matches the synthesized
 * configuration shows no difference (one GraphQL request for a dozen rooms); each kind of drift the
 * watchdog heals is found, in the right stack, and only the stacks with drift are planned.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubDouble, startGitHubDouble, validateGithubQuery } from '@learning-rooms/github-double';
import { serializeRoster } from '../../roster';
import type { Roster } from '../../roster';
import { readSettings } from '../../contracts/settings';
import { synthesize } from '../../synthesis/synthesize';
import { learner, roster } from '../../test-kit/rosters';
import { roomStateQuery } from '../../gitops/drift-queries';
import { compareRoom, ExpectedRoom, gitBlobId } from '../../gitops/drift-fingerprint';
import { REPORT_FORMAT_VERSION } from '../../progress/report';
import { cli } from '../helpers/cli';

const OWNER = 'acme';
const TOKEN = 'dummy-token-not-a-secret';
const FILES: Record<string, string> = {
  '.github/workflows/ack.yml': 'on: issue_comment\nrun: echo ${{ github.actor }} %{x}\n',
  'notes.md': '# Notes\n',
};
/** Learners still invited, not yet collaborators. */
const INVITED = new Set(['l3', 'l7', 'l11']);

let dir: string;
let double: GitHubDouble;

function theRoster(): Roster {
  const r = roster(
    Array.from({ length: 12 }, (_, i) =>
      learner(`l${i}`, 'c1', {
        provisioning: { state: 'provisioned', provisioned_at: '2026-09-01T00:00:00Z', shard: Math.floor(i / 5) },
      }),
    ),
    ['c1'],
  );
  r.cohorts[0].required_files = Object.keys(FILES);
  return r;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lr-fingerprint-'));
  for (const [p, t] of Object.entries(FILES)) {
    mkdirSync(join(dir, 'required-files', p, '..'), { recursive: true });
    writeFileSync(join(dir, 'required-files', p), t);
  }
  const r = theRoster();
  writeFileSync(join(dir, 'roster.json'), serializeRoster(r));
  const { settings } = readSettings({ PROVISIONING_STUDENT_OWNER: OWNER, LEARNING_ROOMS_SHARD_SIZE: '5' });
  const outcome = synthesize({ roster: r, settings: settings!, cwd: dir, knownRooms: new Map() });
  expect(outcome.errors).toEqual([]);
  // The world as the configuration says it should be.
  const repos = r.learners.map((l) => ({
    owner: OWNER,
    name: `c1-${l.github_handle}`,
    visibility: 'private',
    files: FILES,
    ...(INVITED.has(l.github_handle)
      ? { invitations: [{ login: l.github_handle, permission: 'push' }] }
      : { collaborators: [{ login: l.github_handle, permission: 'push' }] }),
  }));
  double = await startGitHubDouble({
    seed: {
      orgs: [{ login: OWNER, members: ['operator'] }],
      autoUsers: true,
      tokens: [{ token: TOKEN, login: 'operator' }],
      repos,
    },
  });
});
afterEach(async () => {
  await double.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function fingerprint(extra: string[] = []) {
  const seq = double.requests().at(-1)?.seq ?? 0;
  const res = await cli(
    ['fingerprint', '--synth', 'cdktf.out', '--token', '--request-interval', '0', '--out', 'scope.json', ...extra],
    {
      cwd: dir,
      env: { GITHUB_TOKEN: TOKEN, GITHUB_BASE_URL: double.baseUrl, PROVISIONING_STUDENT_OWNER: OWNER },
    },
  );
  expect(res.stderr).not.toContain(TOKEN);
  const scope = JSON.parse(readFileSync(join(dir, 'scope.json'), 'utf8'));
  return { res, stacks: JSON.parse(res.stdout) as string[], scope, counters: double.counters(seq) };
}

test('an untouched world: no difference, one GraphQL request, REST only for the three invited learners', async () => {
  const { res, stacks, scope, counters } = await fingerprint();
  expect(res.code).toBe(0);
  expect(stacks).toEqual([]);
  expect(scope.findings).toEqual([]);
  expect(scope.left_out.map((l: { stack: string }) => l.stack)).toEqual(['c1', 'c1.shard-1', 'c1.shard-2']);
  expect(scope.left_out[0].reason).toBe('every room matches the configuration (fingerprint of 5 rooms read)');
  expect(counters.byRoute['POST /api/graphql']).toBe(1);
  expect(counters.byRoute['GET /repos/:owner/:repo/invitations']).toBe(3);
});

test('with a fresh progress.json the invitations come from it: no REST request at all', async () => {
  const learners = [...INVITED].map((h) => ({ github_handle: h, cohort_id: 'c1', membership: 'invitation-pending' }));
  writeFileSync(
    join(dir, 'progress.json'),
    JSON.stringify({ format_version: REPORT_FORMAT_VERSION, generated_at: new Date().toISOString(), learners }),
  );
  const { stacks, counters } = await fingerprint();
  expect(stacks).toEqual([]);
  expect(counters.total).toBe(1);
});

test('each kind of drift the watchdog heals is found, and only the stacks holding it are planned', async () => {
  const a = (path: string, body: unknown) => double.admin('POST', path, body);
  a('/_admin/delete_file', { repo: `${OWNER}/c1-l0`, path: 'notes.md' });
  a('/_admin/write_file', { repo: `${OWNER}/c1-l1`, path: '.github/workflows/ack.yml', content: 'on: push\n' });
  a('/_admin/remove_collaborator', { repo: `${OWNER}/c1-l2`, login: 'l2' });
  a('/_admin/remove_collaborator', { repo: `${OWNER}/c1-l3`, login: 'l3' }); // the invitation is gone
  a('/_admin/expire_invitation', { repo: `${OWNER}/c1-l11`, login: 'l11' });
  a('/_admin/archive_repo', { repo: `${OWNER}/c1-l10` });
  // stack c1.shard-1 stays untouched
  const { stacks, scope } = await fingerprint();
  expect(stacks).toEqual(['c1', 'c1.shard-2']);
  const found = scope.findings.map((f: { handle: string; kind: string; detail: string }) => [
    f.handle,
    f.kind,
    f.detail,
  ]);
  expect(found).toEqual([
    ['l0', 'file-deleted', 'notes.md deleted'],
    ['l1', 'file-changed', '.github/workflows/ack.yml changed'],
    ['l2', 'collaborator', 'the learner is neither a collaborator nor invited (removed outside Terraform)'],
    ['l3', 'collaborator', 'the learner is neither a collaborator nor invited (removed outside Terraform)'],
    ['l10', 'archived', 'archived outside Terraform'],
    ['l11', 'invitation-expired', 'the invitation expired'],
  ]);
  expect(scope.stacks[0].reasons[0]).toBe('l0: notes.md deleted');
  expect(scope.left_out).toEqual([
    { stack: 'c1.shard-1', reason: 'every room matches the configuration (fingerprint of 5 rooms read)' },
  ]);
});

test('a room made public, with issues switched off, or deleted is found', async () => {
  const patch = (repo: string, body: unknown) =>
    fetch(`${double.apiUrl}/repos/${OWNER}/${repo}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await patch('c1-l5', { visibility: 'public' })).status).toBe(200);
  expect((await patch('c1-l6', { has_issues: false })).status).toBe(200);
  double.admin('POST', '/_admin/delete_repo', { repo: `${OWNER}/c1-l8` });
  const { stacks, scope } = await fingerprint();
  expect(stacks).toEqual(['c1.shard-1']);
  expect(scope.findings.map((f: { handle: string; kind: string }) => [f.handle, f.kind])).toEqual([
    ['l5', 'visibility'],
    ['l6', 'issues'],
    ['l8', 'missing'],
  ]);
});

describe('the query and the comparison', () => {
  const room: ExpectedRoom = {
    stack: 's',
    cohort_id: 'c',
    handle: 'Al',
    repository: 'c-al',
    state: 'configured',
    provisioned: true,
    visibility: 'PRIVATE',
    hasIssues: true,
    permission: 'WRITE',
    files: [{ path: 'a.yml', oid: gitBlobId('x') }],
  };

  it("is valid against GitHub's published schema, many rooms under aliases", () => {
    const q = roomStateQuery(OWNER, [
      room,
      { ...room, handle: 'Bo', repository: 'c-bo' },
      { ...room, state: 'archiving', files: [] },
    ]);
    expect(validateGithubQuery(q.query)).toEqual([]);
    expect(q.variables).toMatchObject({ n0: 'c-al', h0: 'Al', e0_0: 'HEAD:a.yml', n1: 'c-bo', n2: 'c-al' });
  });

  it('a pending invitation is not drift; a different permission is', () => {
    const base = {
      exists: true,
      archived: false,
      visibility: 'PRIVATE',
      hasIssues: true,
      files: { 'a.yml': gitBlobId('x') },
    };
    expect(compareRoom(room, { ...base, permission: null, invitation: 'pending' })).toEqual([]);
    expect(compareRoom(room, { ...base, permission: 'READ' }).map((f) => f.detail)).toEqual([
      'permission READ instead of WRITE',
    ]);
    expect(compareRoom({ ...room, provisioned: false }, { exists: false, files: {} }).map((f) => f.kind)).toEqual([
      'not-created',
    ]);
    expect(compareRoom({ ...room, state: 'archiving' }, { ...base, archived: false }).map((f) => f.kind)).toEqual([
      'not-archived',
    ]);
    expect(
      compareRoom(room, { exists: false, files: {}, error: 'network-or-server: down' }).map((f) => f.kind),
    ).toEqual(['unread']);
  });

  it('expects the blob of the file as Terraform writes it (escapes resolved)', () => {
    expect(gitBlobId('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});
