/**
 * The reconstruction rule against the GitHub double: provision the synthesized rooms as an apply
 * would (same REST calls), lose the state, reconstruct as the GitHub App, and check that the import
 * entries cover every existing resource of every configured learner and nothing else; then that
 * synthesis turns them into import blocks for exactly those resources.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { GitHubDouble, startGitHubDouble } from '@learning-rooms/github-double';
import type { ImportsFile } from '../../contracts/import-entries';
import { Roster, serializeRoster } from '../../roster';
import { LearnerIndex } from '../../contracts/learner-index';
import { cli } from '../helpers/cli';
import { learner } from '../../test-kit/rosters';

const OWNER = 'acme';
const PROGRESS = '.github/workflows/progress.yml';
const RULES = 'docs/rules.md';
const APP_ID = 4242;
const INSTALLATION_ID = 77;
const TOKEN = 'operator-token-not-a-secret';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});

function theRoster(): Roster {
  return {
    format_version: 1,
    cohorts: [
      { cohort_id: 'spring', required_files: [PROGRESS, RULES] },
      { cohort_id: 'autumn', repository_pattern: 'au26-{handle}', required_files: [PROGRESS] },
    ],
    learners: [
      learner('alice', 'spring'),
      learner('Bob', 'spring'),
      learner('carol', 'spring', { repository: 'a11y-intro-Carol' }),
      learner('dev', 'spring', { provisioning: { state: 'archived' } }),
      learner('erin', 'spring'),
      learner('fay', 'autumn'),
      learner('gil', 'autumn'),
      learner('hana', 'autumn'),
    ],
  };
}

let double: GitHubDouble;
let cwd: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  double = await startGitHubDouble({
    port: 0,
    generateDelayMs: 0,
    appPublicKeyPem: keys.publicKey,
    seed: {
      orgs: [{ login: OWNER, members: ['operator'] }],
      autoUsers: true,
      tokens: [{ token: TOKEN, login: 'operator' }],
      app: {
        id: APP_ID,
        installations: [
          {
            id: INSTALLATION_ID,
            account: OWNER,
            permissions: { administration: 'write', contents: 'write', issues: 'write', metadata: 'read' },
          },
        ],
      },
      repos: [
        {
          owner: OWNER,
          name: 'tmpl',
          is_template: true,
          visibility: 'private',
          files: { 'README.md': '# Learning room\n' },
        },
        { owner: OWNER, name: 'website', files: { 'index.html': '<h1>hi</h1>\n' } },
        // Enough other repositories that the owner's listing takes two pages of 100.
        ...Array.from({ length: 120 }, (_, i) => ({ owner: OWNER, name: `site-${i}` })),
      ],
    },
  });
  cwd = mkdtempSync(join(tmpdir(), 'reconstruct-double-'));
  mkdirSync(join(cwd, 'required-files', '.github', 'workflows'), { recursive: true });
  mkdirSync(join(cwd, 'required-files', 'docs'), { recursive: true });
  writeFileSync(join(cwd, 'required-files', PROGRESS), 'name: progress\non: [issues]\njobs: {}\n');
  writeFileSync(join(cwd, 'required-files', RULES), '# Rules\n');
  writeFileSync(join(cwd, 'roster.json'), serializeRoster(theRoster()));
  env = {
    PROVISIONING_STUDENT_OWNER: OWNER,
    LEARNING_ROOM_TEMPLATE_REPO: `${OWNER}/tmpl`,
    GITHUB_BASE_URL: double.baseUrl,
    GITHUB_APP_ID: String(APP_ID),
    GITHUB_APP_INSTALLATION_ID: String(INSTALLATION_ID),
    // The provider's convention: the PEM text in one line, "\n" for each line break.
    GITHUB_APP_PEM_FILE: keys.privateKey.replace(/\n/g, '\\n'),
  };
});

afterAll(async () => {
  await double?.stop();
});

function index(cohort: string): LearnerIndex {
  return JSON.parse(readFileSync(join(cwd, 'cdktf.out', 'stacks', cohort, 'learners.json'), 'utf8')) as LearnerIndex;
}

/** What an apply does for one room: generate from the template, invite the learner, write the required files. */
async function provision(octokit: Octokit, repository: string, handle: string, files: string[]): Promise<void> {
  await octokit.request('POST /repos/{template_owner}/{template_repo}/generate', {
    template_owner: OWNER,
    template_repo: 'tmpl',
    owner: OWNER,
    name: repository,
    private: true,
  });
  await octokit.rest.repos.addCollaborator({ owner: OWNER, repo: repository, username: handle, permission: 'push' });
  for (const path of files) {
    const content = readFileSync(join(cwd, 'required-files', path)).toString('base64');
    await octokit.rest.repos.createOrUpdateFileContents({
      owner: OWNER,
      repo: repository,
      path,
      message: `Add ${path}`,
      content,
    });
  }
}

/** Ground truth, read from the double's own model (not through the API the code under test uses). */
function existingAddresses(idx: LearnerIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of idx.learners.filter((x) => x.admitted)) {
    const repo = double.state.repo(OWNER, l.repository);
    if (!repo) continue;
    out.set(l.addresses.repository, l.repository);
    const h = l.github_handle.toLowerCase();
    if (repo.collaborators.has(h) || repo.invitations.some((i) => i.invitee.login.toLowerCase() === h))
      out.set(l.addresses.collaborator, `${l.repository}:${l.github_handle}`);
    for (const [path, address] of Object.entries(l.addresses.files))
      if (repo.files.has(path)) out.set(address, `${l.repository}/${path}`);
  }
  return out;
}

describe('reconstruct against the GitHub double', () => {
  it('imports every existing resource of every configured learner and nothing else; synthesis places every import', async () => {
    // 1. Synthesize and apply (as the provider would) every room of both cohorts.
    const synth = await cli(['synth', 'roster.json'], { cwd, env });
    expect(synth.stderr).toBe('');
    const operator = new Octokit({
      baseUrl: double.apiUrl,
      auth: TOKEN,
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    const cohorts = theRoster().cohorts;
    for (const c of cohorts) {
      for (const l of index(c.cohort_id).learners.filter((x) => x.admitted)) {
        // erin: the apply stopped before her room (it never existed)
        if (l.github_handle === 'erin') continue;
        await provision(operator, l.repository, l.github_handle, c.required_files ?? []);
      }
    }
    // 2. Life goes on: alice accepts her invitation, a file of Bob's room and gil's collaborator are
    //    removed out of band; the withdrawn learner's old room, a room-shaped repository of nobody.
    double.admin('POST', '/_admin/accept_invites', { repo: `${OWNER}/spring-alice`, login: 'alice' });
    double.admin('POST', '/_admin/delete_file', { repo: `${OWNER}/spring-bob`, path: RULES });
    double.admin('POST', '/_admin/remove_collaborator', { repo: `${OWNER}/au26-gil`, login: 'gil' });
    await operator.request('POST /orgs/{org}/repos', { org: OWNER, name: 'spring-dev' });
    await operator.request('POST /orgs/{org}/repos', { org: OWNER, name: 'spring-zoe' });

    // 3. The state is lost: there is none in cwd. Reconstruct, as the App.
    const before = double.requests().length;
    const res = await cli(['reconstruct', '--roster', 'roster.json', '--out-dir', 'imports'], { cwd, env });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);

    for (const c of cohorts) {
      const file = JSON.parse(readFileSync(join(cwd, 'imports', `${c.cohort_id}.json`), 'utf8')) as ImportsFile;
      const expected = existingAddresses(index(c.cohort_id));
      expect(new Map(file.imports.map((e) => [e.address, e.id]))).toEqual(expected);
      expect(file.imports).toHaveLength(expected.size);
    }
    // Spot checks of the ground truth itself, so the comparison above cannot pass vacuously.
    const spring = JSON.parse(readFileSync(join(cwd, 'imports', 'spring.json'), 'utf8')) as ImportsFile;
    const outcome = Object.fromEntries(spring.learners.map((l) => [l.github_handle, l.outcome]));
    expect(outcome).toEqual({
      alice: 'adopted',
      Bob: 'partly-adopted',
      carol: 'adopted',
      dev: 'archived',
      erin: 'to-create',
    });
    expect(spring.imports.map((e) => e.id)).toContain('a11y-intro-Carol:carol');
    expect(res.stdout).toMatch(
      /1 repository of acme looks like learning rooms but match no learner \(not imported\):\n {2}spring-zoe/,
    );
    expect(res.stdout).toMatch(/122 other repositories of acme ignored/);

    // Nothing secret reaches the report or the entries.
    const written = cohorts.map((c) => readFileSync(join(cwd, 'imports', `${c.cohort_id}.json`), 'utf8')).join('');
    for (const secret of [TOKEN, keys.privateKey.split('\n')[1]]) expect(res.stdout + written).not.toContain(secret);

    // 4. Requests: one token mint, two pages of listing, then per matched learner 1 (invitations)
    //    + 1 (collaborators, only when not invited) + 1 per required file.
    const log = double.requests(before);
    const perLearner = {
      alice: 1 + 1 + 2,
      Bob: 1 + 0 + 2,
      carol: 1 + 0 + 2,
      fay: 1 + 0 + 1,
      gil: 1 + 1 + 1,
      hana: 1 + 0 + 1,
    };
    expect(log.filter((r) => r.route === 'POST /app/installations/:id/access_tokens')).toHaveLength(1);
    expect(log.filter((r) => r.route === 'GET /orgs/:org/repos')).toHaveLength(2);
    expect(log).toHaveLength(3 + Object.values(perLearner).reduce((a, b) => a + b, 0));
    expect(log.every((r) => r.method === 'GET' || r.route === 'POST /app/installations/:id/access_tokens')).toBe(true);

    // 5. Synthesis with the entries: one import block per entry, each at a configured resource.
    const again = await cli(['synth', 'roster.json', '--imports', 'imports'], { cwd, env });
    expect(again.stderr).toBe('');
    for (const c of cohorts) {
      const tf = JSON.parse(readFileSync(join(cwd, 'cdktf.out', 'stacks', c.cohort_id, 'cdk.tf.json'), 'utf8'));
      const file = JSON.parse(readFileSync(join(cwd, 'imports', `${c.cohort_id}.json`), 'utf8')) as ImportsFile;
      expect(tf.import).toEqual(file.imports.map((e) => ({ to: e.address, id: e.id })));
      for (const b of tf.import as { to: string }[]) {
        const [type, name] = b.to.split('.');
        expect(tf.resource[type][name]).toBeDefined();
      }
    }
  });
});
