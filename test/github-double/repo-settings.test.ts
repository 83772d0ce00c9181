/**
 * An admin repository's settings in the double (what `learning-rooms doctor` reads): environments
 * and branch policies, secrets by name, rulesets, every App's installations on an organization;
 * the permissions each read needs; the admin API that sets up a misconfiguration.
 */
import { generateAppKeyPair, signAppJwt, startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, admin, call } from './helpers';

const keys = generateAppKeyPair();

describe('repository settings and App installations', () => {
  let double: GitHubDouble;
  beforeEach(async () => {
    double = await startGitHubDouble({
      seed: {
        ...acmeSeed({
          tokens: [
            { token: 'full', login: 'operator' },
            { token: 'reader', login: 'operator', permissions: { metadata: 'read', actions: 'read' } },
          ],
          app: {
            id: 7,
            publicKey: keys.publicKeyPem,
            installations: [{ id: 70, account: 'acme', permissions: { metadata: 'read' } }],
          },
          apps: [
            {
              id: 8,
              slug: 'records',
              installations: [
                { id: 80, account: 'acme', permissions: { contents: 'write' }, repository_selection: 'selected' },
              ],
            },
          ],
          repos: [
            { owner: 'acme', name: 'admin', visibility: 'public' },
            { owner: 'acme', name: 'tmpl', is_template: true },
          ],
        }),
        orgs: [
          {
            login: 'acme',
            members: ['operator'],
            secrets: [
              { name: 'EVERYWHERE' },
              { name: 'PRIVATE_ONLY', visibility: 'private' },
              { name: 'PICKED', visibility: 'selected', repositories: ['acme/admin'] },
            ],
          },
        ],
      },
    });
  });
  afterEach(() => double.stop());

  test('the admin API sets environments, secrets and rulesets; the API lists them, secrets by name only', async () => {
    const set = await admin(double, 'POST', '/_admin/repo_settings', {
      repo: 'acme/admin',
      environments: [
        {
          name: 'learning-rooms-plan',
          deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
          branch_policies: ['main'],
          secrets: ['PROVISIONING_APP_ID'],
        },
      ],
      secrets: ['OOPS'],
      rulesets: [
        {
          name: 'main',
          conditions: { ref_name: { include: ['~DEFAULT_BRANCH'] } },
          rules: [{ type: 'deletion' }],
          bypass_actors: [{ actor_id: 8, actor_type: 'Integration' }],
        },
      ],
    });
    expect(set.body).toEqual({ repo: 'acme/admin', environments: 1, secrets: 1, rulesets: 1 });
    const envs = await call(double, 'GET', '/api/v3/repos/acme/admin/environments', { token: 'full' });
    expect(
      envs.body.environments.map((e: { name: string; deployment_branch_policy: unknown }) => [
        e.name,
        e.deployment_branch_policy,
      ]),
    ).toEqual([['learning-rooms-plan', { protected_branches: false, custom_branch_policies: true }]]);
    const policies = await call(
      double,
      'GET',
      '/api/v3/repos/acme/admin/environments/learning-rooms-plan/deployment-branch-policies',
      { token: 'full' },
    );
    expect(policies.body.branch_policies.map((p: { name: string; type: string }) => `${p.type} ${p.name}`)).toEqual([
      'branch main',
    ]);
    const secrets = await call(double, 'GET', '/api/v3/repos/acme/admin/environments/learning-rooms-plan/secrets', {
      token: 'full',
    });
    expect(secrets.body.secrets.map((x: { name: string }) => Object.keys(x).sort())).toEqual([
      ['created_at', 'name', 'updated_at'],
    ]);
    expect(
      (await call(double, 'GET', '/api/v3/repos/acme/admin/actions/secrets', { token: 'full' })).body.secrets.map(
        (x: { name: string }) => x.name,
      ),
    ).toEqual(['OOPS']);
    // Only the parts given are replaced.
    await admin(double, 'POST', '/_admin/repo_settings', { repo: 'acme/admin', secrets: [] });
    expect(
      (await call(double, 'GET', '/api/v3/repos/acme/admin/actions/secrets', { token: 'full' })).body.total_count,
    ).toBe(0);
    expect(
      (await call(double, 'GET', '/api/v3/repos/acme/admin/environments', { token: 'full' })).body.total_count,
    ).toBe(1);
  });

  test('organization secrets reach a repository by their visibility', async () => {
    const names = async (repo: string) =>
      (
        await call(double, 'GET', `/api/v3/repos/acme/${repo}/actions/organization-secrets`, { token: 'full' })
      ).body.secrets.map((x: { name: string }) => x.name);
    expect(await names('admin')).toEqual(['EVERYWHERE', 'PICKED']); // public: no private-only secret
    expect(await names('tmpl')).toEqual(['EVERYWHERE', 'PRIVATE_ONLY']); // private, not selected
  });

  test('each read needs its permission, and the bypass list shows only to those who may edit the ruleset', async () => {
    await admin(double, 'POST', '/_admin/repo_settings', {
      repo: 'acme/admin',
      environments: [{ name: 'e', secrets: ['S'] }],
      rulesets: [{ name: 'r', bypass_actors: [{ actor_id: 8, actor_type: 'Integration' }] }],
    });
    expect((await call(double, 'GET', '/api/v3/repos/acme/admin/environments', { token: 'reader' })).status).toBe(200);
    const denied = await call(double, 'GET', '/api/v3/repos/acme/admin/environments/e/secrets', { token: 'reader' });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-accepted-github-permissions')).toBe('environments=read');
    expect(
      (await call(double, 'GET', '/api/v3/repos/acme/admin/actions/secrets', { token: 'reader' })).headers.get(
        'x-accepted-github-permissions',
      ),
    ).toBe('secrets=read');
    expect(
      (await call(double, 'GET', '/api/v3/orgs/acme/installations', { token: 'reader' })).headers.get(
        'x-accepted-github-permissions',
      ),
    ).toBe('organization_administration=read');
    const id = (await call(double, 'GET', '/api/v3/repos/acme/admin/rulesets', { token: 'reader' })).body[0].id;
    expect(
      (await call(double, 'GET', `/api/v3/repos/acme/admin/rulesets/${id}`, { token: 'reader' })).body.bypass_actors,
    ).toBeUndefined();
    expect(
      (await call(double, 'GET', `/api/v3/repos/acme/admin/rulesets/${id}`, { token: 'full' })).body.bypass_actors,
    ).toEqual([{ actor_id: 8, actor_type: 'Integration', bypass_mode: 'always' }]);
  });

  test("an organization lists every App's installations; a user account has none to list; an App mints tokens for its own only", async () => {
    const list = await call(double, 'GET', '/api/v3/orgs/acme/installations', { token: 'full' });
    expect(
      list.body.installations.map(
        (i: { id: number; app_id: number; app_slug: string; repository_selection: string }) => [
          i.id,
          i.app_id,
          i.app_slug,
          i.repository_selection,
        ],
      ),
    ).toEqual([
      [70, 7, 'learning-rooms-double', 'all'],
      [80, 8, 'records', 'selected'],
    ]);
    expect((await call(double, 'GET', '/api/v3/orgs/alice/installations', { token: 'full' })).status).toBe(404);
    const jwt = signAppJwt({ appId: 7, privateKeyPem: keys.privateKeyPem });
    expect((await call(double, 'POST', '/api/v3/app/installations/70/access_tokens', { token: jwt })).status).toBe(201);
    expect((await call(double, 'POST', '/api/v3/app/installations/80/access_tokens', { token: jwt })).status).toBe(404);
    expect(
      (await call(double, 'GET', '/api/v3/app/installations', { token: jwt })).body.map((i: { id: number }) => i.id),
    ).toEqual([70]);
  });

  test('the admin API changes an installation and refuses bad input, naming the field', async () => {
    const changed = await admin(double, 'PATCH', '/_admin/installations', {
      id: 80,
      permissions: { contents: 'read' },
      repository_selection: 'all',
    });
    expect(changed.body).toEqual({ id: 80, permissions: { contents: 'read' }, repository_selection: 'all' });
    const list = await call(double, 'GET', '/api/v3/orgs/acme/installations', { token: 'full' });
    expect(list.body.installations[1]).toMatchObject({
      permissions: { contents: 'read' },
      repository_selection: 'all',
    });
    expect(
      (await admin(double, 'PATCH', '/_admin/installations', { id: 80, permissions: { contents: 'all' } })).body
        .message,
    ).toContain('wrong: contents');
    expect((await admin(double, 'PATCH', '/_admin/installations', { id: 99 })).status).toBe(404);
    const bad = await admin(double, 'POST', '/_admin/repo_settings', {
      repo: 'acme/admin',
      environments: [{ name: 'e', deployment_branch_policy: { protected_branches: 'yes' } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/environments\.0\.deployment_branch_policy/);
    expect((await admin(double, 'POST', '/_admin/repo_settings', { repo: 'acme/nope' })).status).toBe(404);
  });
});
