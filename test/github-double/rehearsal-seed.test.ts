import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateAppKeyPair,
  parseSeed,
  signAppJwt,
  startGitHubDouble,
  type GitHubDouble,
} from '@learning-rooms/github-double';
import { cli } from '../helpers/cli';
import { call } from './helpers';

/**
 * `tools/github-double/seed.rehearsal.json` is the world the reviewers' rehearsal runs against: every
 * owner, template and learner the stacks synthesized from the example roster name must exist there
 * (else the provider's generate or collaborator PUT gets a 404), and the App installation must be
 * allowed every write those stacks make.
 */

const ROOT = join(__dirname, '..', '..');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed Terraform JSON, probed by key

describe('the rehearsal seed matches the stacks synthesized from the example roster', () => {
  const keys = generateAppKeyPair();
  let dir: string;
  let double: GitHubDouble;
  let stacks: Json[];
  let token: string;

  beforeAll(async () => {
    const seed = JSON.parse(readFileSync(require.resolve('@learning-rooms/github-double/seed.rehearsal.json'), 'utf8'));
    expect(parseSeed(seed).errors).toEqual([]);
    double = await startGitHubDouble({
      seed: { ...seed, app: { ...seed.app, publicKey: keys.publicKeyPem } },
      generateDelayMs: 1,
    });
    dir = mkdtempSync(join(tmpdir(), 'lr-rehearsal-'));
    cpSync(join(ROOT, 'required-files'), join(dir, 'required-files'), { recursive: true });
    mkdirSync(join(dir, 'examples'));
    cpSync(join(ROOT, 'examples', 'roster.example.json'), join(dir, 'examples', 'roster.example.json'));
    const res = await cli(['synth', 'examples/roster.example.json'], {
      cwd: dir,
      env: { GITHUB_BASE_URL: double.baseUrl },
    });
    expect(res.code).toBe(0);
    const out = join(dir, 'cdktf.out', 'stacks');
    stacks = readdirSync(out).map((c) => JSON.parse(readFileSync(join(out, c, 'cdk.tf.json'), 'utf8')));
    // the provider's App path: JWT as apps.go signs it, then the installation token
    const jwt = signAppJwt({ appId: seed.app.id, privateKeyPem: keys.privateKeyPem });
    const minted = await call(
      double,
      'POST',
      `/api/v3/app/installations/${seed.app.installations[0].id}/access_tokens`,
      { token: jwt },
    );
    expect(minted.status).toBe(201);
    token = minted.body.token;
  });
  afterAll(async () => {
    await double.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('owner, templates and learners exist, reachable by the installation', async () => {
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      const provider = stack.provider.github[0];
      expect(provider.base_url).toBe(double.baseUrl);
      expect((await call(double, 'GET', `/api/v3/orgs/${provider.owner}`, { token })).status).toBe(200);
      for (const repo of Object.values(stack.resource.github_repository as Record<string, Json>)) {
        const t = await call(double, 'GET', `/api/v3/repos/${repo.template.owner}/${repo.template.repository}`, {
          token,
        });
        expect({
          template: `${repo.template.owner}/${repo.template.repository}`,
          status: t.status,
          is_template: t.body.is_template,
        }).toEqual({
          template: `${repo.template.owner}/${repo.template.repository}`,
          status: 200,
          is_template: true,
        });
      }
      for (const c of Object.values(stack.resource.github_repository_collaborator as Record<string, Json>)) {
        expect({
          user: c.username,
          status: (await call(double, 'GET', `/api/v3/users/${c.username}`, { token })).status,
        }).toEqual({ user: c.username, status: 200 });
      }
    }
  });

  test('the installation may make every write of a first apply: generate, settings, collaborator, each required file', async () => {
    const stack = stacks[0];
    const [repo] = Object.values(stack.resource.github_repository as Record<string, Json>);
    const owner = stack.provider.github[0].owner;
    const gen = await call(
      double,
      'POST',
      `/api/v3/repos/${repo.template.owner}/${repo.template.repository}/generate`,
      { token, body: { name: repo.name, owner, description: '', include_all_branches: false, private: true } },
    );
    expect(gen.status).toBe(201);
    await double.state.repo(owner, repo.name)!.ready;
    expect(
      (await call(double, 'DELETE', `/api/v3/repos/${owner}/${repo.name}/vulnerability-alerts`, { token })).status,
    ).toBe(204);
    expect(
      (
        await call(double, 'PATCH', `/api/v3/repos/${owner}/${repo.name}`, {
          token,
          body: { has_issues: repo.has_issues, visibility: repo.visibility },
        })
      ).status,
    ).toBe(200);
    const collaborator = Object.values(stack.resource.github_repository_collaborator as Record<string, Json>).find(
      (c) => c.repository.includes(Object.keys(stack.resource.github_repository)[0]),
    )!;
    expect(
      (
        await call(double, 'PUT', `/api/v3/repos/${owner}/${repo.name}/collaborators/${collaborator.username}`, {
          token,
          body: { permission: collaborator.permission },
        })
      ).status,
    ).toBe(201);
    const files = Object.values(stack.resource.github_repository_file as Record<string, Json>).filter(
      (f) => f.repository === collaborator.repository,
    );
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const put = await call(double, 'PUT', `/api/v3/repos/${owner}/${repo.name}/contents/${f.file}`, {
        token,
        body: { message: `Add ${f.file}`, content: Buffer.from(f.content).toString('base64') },
      });
      expect({ file: f.file, status: put.status }).toEqual({ file: f.file, status: 201 });
    }
  });
});
