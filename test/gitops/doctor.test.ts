/**
 * `learning-rooms doctor` against the GitHub double: an admin repository set up as the first hour
 * says to is all ok; each misconfiguration, made out of band, is named on its own FIX line (and
 * nothing else is), with what to do.
 */
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { cli } from '../helpers/cli';
import {
  ADMIN_REPOSITORY,
  adminFiles,
  adminWorldSeed,
  APPS,
  healthySettings,
  OPERATOR_TOKEN,
  TEMPLATE,
} from './admin-world';
import { PIN } from './workflow-pair';

let double: GitHubDouble;
beforeAll(async () => {
  double = await startGitHubDouble({ seed: adminWorldSeed() });
});
afterAll(() => double.stop());
beforeEach(() => double.admin('POST', '/_admin/reset', {}));

const doctor = (token = OPERATOR_TOKEN, ...more: string[]) =>
  cli(['doctor', '--repo', ADMIN_REPOSITORY, ...more], { env: { GITHUB_TOKEN: token, GITHUB_BASE_URL: double.url } });
/** `subject: detail` of every FIX line. */
const fixes = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('FIX'))
    .map((l) => l.slice(5));

async function rest(method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${double.url}/api/v3${path}`, {
    method,
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status;
}
function settings(patch: Record<string, unknown>): void {
  const r = double.admin('POST', '/_admin/repo_settings', { repo: ADMIN_REPOSITORY, ...patch });
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
}
const environments = healthySettings().environments;

test('the first hour done: every check ok, exit 0, and no secret value is ever asked for', async () => {
  const since = double.requests().length;
  const r = await doctor();
  expect(r.stderr).toContain(`reading ${ADMIN_REPOSITORY}`);
  expect(fixes(r.stdout)).toEqual([]);
  expect(r.code).toBe(0);
  const subjects = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('ok'))
    .map((l) => l.slice(5).split(':')[0]);
  expect(subjects).toEqual([
    'repository',
    'workflows',
    'pins',
    'settings',
    'roster',
    'provisioning App',
    'read-only App',
    'records App',
    'registration App',
    'ruleset on main',
    'environment learning-rooms-plan',
    'secrets of learning-rooms-plan',
    'environment learning-rooms-apply',
    'secrets of learning-rooms-apply',
    'environment learning-rooms-progress',
    'secrets of learning-rooms-progress',
    'environment learning-rooms-register',
    'secrets of learning-rooms-register',
    'repository secrets',
    'organization secrets',
    'label registration',
    `template ${TEMPLATE}`,
    'lock file',
  ]);
  expect(r.stdout).toContain(
    `ok   records App: ${APPS.records.slug} (installation ${APPS.records.installation}) on acme`,
  );
  // Only lists: never a request for one secret (the API has no values, but doctor never asks).
  const paths = double
    .requests()
    .slice(since)
    .map((q) => q.path);
  expect(paths.filter((p) => /\/secrets\/[^/]+$/.test(p))).toEqual([]);
  expect(paths.some((p) => p.endsWith('/environments/learning-rooms-apply/secrets'))).toBe(true);
});

const cases: [string, () => Promise<void> | void, RegExp][] = [
  [
    'a missing permission (the provisioning App without Workflows: write)',
    () =>
      void double.admin('PATCH', '/_admin/installations', {
        id: APPS.provisioning.installation,
        permissions: { administration: 'write', contents: 'write', pull_requests: 'write', metadata: 'read' },
      }),
    /^provisioning App: lr-provisioning \(installation 120\) lacks workflows: write: change the App's permissions/,
  ],
  [
    'the read-only App given a write permission',
    () =>
      void double.admin('PATCH', '/_admin/installations', {
        id: APPS.readOnly.installation,
        permissions: { ...APPS.readOnly.permissions, contents: 'write' },
      }),
    /^read-only App: lr-read-only \(installation 110\) may write contents, but only reads/,
  ],
  [
    'an environment open to every branch',
    () =>
      settings({
        environments: environments.map((e) =>
          e.name === 'learning-rooms-apply' ? { ...e, deployment_branch_policy: null } : e,
        ),
      }),
    /^environment learning-rooms-apply: any branch may use it \(and its secrets\): choose Deployment branches and tags → Selected branches and tags with the one rule main$/,
  ],
  [
    'an environment open to protected branches rather than main',
    () =>
      settings({
        environments: environments.map((e) =>
          e.name === 'learning-rooms-plan'
            ? { ...e, deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } }
            : e,
        ),
      }),
    /^environment learning-rooms-plan: open to every protected branch, not main only/,
  ],
  [
    'an environment open to another branch as well as main',
    () =>
      settings({
        environments: environments.map((e) =>
          e.name === 'learning-rooms-register' ? { ...e, branch_policies: ['main', 'release/*'] } : e,
        ),
      }),
    /^environment learning-rooms-register: also open to branch release\/\*: delete those rules, keep only main$/,
  ],
  [
    'a missing environment',
    () => settings({ environments: environments.filter((e) => e.name !== 'learning-rooms-progress') }),
    /^environment learning-rooms-progress: missing: Settings → Environments → New environment/,
  ],
  [
    'a secret missing from an environment, another where no job reads it',
    () =>
      settings({
        environments: environments.map((e) =>
          e.name === 'learning-rooms-plan'
            ? { ...e, secrets: ['PROVISIONING_APP_ID', 'PROVISIONING_APP_INSTALLATION_ID', 'RECORDS_APP_PRIVATE_KEY'] }
            : e,
        ),
      }),
    /^secrets of learning-rooms-plan: add PROVISIONING_APP_PRIVATE_KEY; delete RECORDS_APP_PRIVATE_KEY, which no job of this environment reads$/,
  ],
  [
    'the records App installed on every repository of the organization',
    () =>
      void double.admin('PATCH', '/_admin/installations', {
        id: APPS.records.installation,
        repository_selection: 'all',
      }),
    /^records App: lr-records \(installation 130\) is installed on every repository of the account, not on the admin repository only/,
  ],
  [
    'no ruleset',
    () => settings({ rulesets: [] }),
    /^ruleset on main: no active branch ruleset applies to main: Settings → Rules → Rulesets/,
  ],
  [
    'a ruleset that lets repository admins bypass it',
    () =>
      settings({
        rulesets: healthySettings().rulesets.map((r) => ({
          ...r,
          bypass_actors: [
            ...r.bypass_actors,
            { actor_id: 5, actor_type: 'RepositoryRole' as never, bypass_mode: 'always' as const },
          ],
        })),
      }),
    /^ruleset on main: remove RepositoryRole 5 from the bypass list: only the records App may push to main without a pull request$/,
  ],
  [
    'a ruleset without the pull request rule',
    () =>
      settings({
        rulesets: healthySettings().rulesets.map((r) => ({
          ...r,
          rules: r.rules.filter((x) => x.type !== 'pull_request'),
        })),
      }),
    /^ruleset on main: enable Require a pull request before merging$/,
  ],
  [
    'a template that is not a template',
    async () => expect(await rest('PATCH', `/repos/${TEMPLATE}`, { is_template: false })).toBe(200),
    /^template acme\/learning-room-template: is not a template repository, so no room can be made from it/,
  ],
  [
    'a repository-level secret',
    () => settings({ secrets: ['PROVISIONING_APP_PRIVATE_KEY'] }),
    /^repository secrets: PROVISIONING_APP_PRIVATE_KEY at repository level, readable by a workflow on any branch/,
  ],
  [
    'the registration label deleted',
    async () => expect(await rest('DELETE', `/repos/${ADMIN_REPOSITORY}/labels/registration`)).toBe(204),
    /^label registration: missing/,
  ],
  [
    'a missing lock file',
    () => void double.admin('POST', '/_admin/delete_file', { repo: ADMIN_REPOSITORY, path: '.terraform.lock.hcl' }),
    /^lock file: no \.terraform\.lock\.hcl: no plan or apply can run without it; .*node bin\/learning-rooms\.js lock-providers --out PATH\/TO\/workshop-admin\/\.terraform\.lock\.hcl --run, then commit it$/,
  ],
  [
    'a pin mismatch (a caller moved by hand to another commit)',
    () => {
      const plan = adminFiles()['.github/workflows/plan.yml'].replace(
        /tool-ref: [0-9a-f]{40}/,
        `tool-ref: ${'b'.repeat(40)}`,
      );
      double.admin('POST', '/_admin/write_file', {
        repo: ADMIN_REPOSITORY,
        path: '.github/workflows/plan.yml',
        content: plan,
      });
    },
    new RegExp(
      `^pins: \\.github/workflows/plan\\.yml, line \\d+: tool-ref is ${'b'.repeat(40)}, the manifest's tool_ref ${PIN.ref}; learning-rooms upgrade`,
    ),
  ],
];

test.each(cases)('names %s, and nothing else', async (_name, breakIt, expected) => {
  await breakIt();
  const r = await doctor();
  const found = fixes(r.stdout);
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(expected);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/1 of \d+ checks to fix\.\n$/);
});

test('a token that may not read a setting: the line says which permission to give', async () => {
  // A fine-grained token with repository reads but no Environments or Secrets permission.
  double.admin('POST', '/_admin/reset', {});
  const limited = 'limited-token';
  const seed = adminWorldSeed();
  await double.stop();
  double = await startGitHubDouble({
    seed: {
      ...seed,
      tokens: [
        ...(seed.tokens as object[]),
        {
          token: limited,
          login: 'operator',
          permissions: { metadata: 'read', contents: 'read', actions: 'read', organization_administration: 'read' },
        },
      ],
    },
  });
  const r = await doctor(limited);
  expect(fixes(r.stdout)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /^secrets of learning-rooms-plan: cannot read it \(HTTP 403: Resource not accessible by integration\); run doctor with a token that has Environments: read$/,
      ),
      expect.stringMatching(/^repository secrets: cannot read it \(HTTP 403.*Secrets: read$/),
      expect.stringMatching(/^ruleset on main: its bypass list is hidden from this token/),
    ]),
  );
  expect(r.code).toBe(1);
});

test('usage: every problem at once, exit 2, before any request', async () => {
  const r = await cli(['doctor', '--repo', 'not a repo', '--base-url', 'ftp://x'], { env: {} });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    '--repo: expected owner/name of a GitHub repository (e.g. acme/workshop-admin), found "not a repo"',
  );
  expect(r.stderr).toContain('--base-url: expected an http(s) URL');
  expect(r.stderr).toContain('no GitHub credentials: set GITHUB_APP_ID');
});
