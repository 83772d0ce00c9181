/** doctor's judgement, on snapshots built by hand: the cases the GitHub double test does not reach. */
import {
  doctorTargets,
  judgeAdminRepository,
  type AdminSnapshot,
  type Check,
  type InstallationInfo,
  type Read,
  type RulesetInfo,
} from '../../gitops/doctor-checks';
import { ADMIN_REPOSITORY, adminFiles, APPS, TEMPLATE } from './admin-world';

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const installations: InstallationInfo[] = Object.values(APPS).map((a) => ({
  id: a.installation,
  appId: a.id,
  appSlug: a.slug,
  account: 'acme',
  permissions: a.permissions,
  repositorySelection: 'selected' in a ? 'selected' : 'all',
}));
const ruleset: RulesetInfo = {
  id: 1,
  name: 'main',
  target: 'branch',
  enforcement: 'active',
  include: ['~DEFAULT_BRANCH'],
  exclude: [],
  rules: ['deletion', 'non_fast_forward', 'pull_request', 'required_status_checks'],
  bypassActors: [{ actorId: APPS.records.id, actorType: 'Integration' }],
};
const app = ['PROVISIONING_APP_ID', 'PROVISIONING_APP_INSTALLATION_ID', 'PROVISIONING_APP_PRIVATE_KEY'];
const records = ['RECORDS_APP_ID', 'RECORDS_APP_PRIVATE_KEY'];
const env = (name: string, secrets: string[]) => ({
  name,
  branchPolicy: { protectedBranches: false, customBranchPolicies: true },
  branchPolicies: ok([{ name: 'main', type: 'branch' }]),
  secrets: ok(secrets),
});

function healthy(files: Record<string, string | null> = adminFiles()): AdminSnapshot {
  return {
    repository: ADMIN_REPOSITORY,
    repo: ok({ defaultBranch: 'main' }),
    files: new Map(Object.entries(files).map(([p, t]) => [p, ok(t)])),
    environments: ok([
      env('learning-rooms-plan', app),
      env('learning-rooms-apply', [...app, ...records, 'AWS_ACCESS_KEY_ID']),
      env('learning-rooms-progress', [...app, ...records]),
      env('learning-rooms-register', ['REGISTER_APP_ID', 'REGISTER_APP_PRIVATE_KEY']),
    ]),
    repositorySecrets: ok([]),
    organizationSecrets: ok([]),
    rulesets: ok([ruleset]),
    registrationLabel: ok(true),
    templates: new Map([[TEMPLATE, ok({ isTemplate: true })]]),
    installations: new Map([['acme', ok(installations)]]),
  };
}
const fixes = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => `${c.subject}: ${c.detail}`);

test("a healthy snapshot is all ok (a backend credential in an environment is nobody's business)", () => {
  expect(fixes(judgeAdminRepository(healthy()))).toEqual([]);
});

test('what doctor reads beyond the repository: every template the settings and cohorts name, and both owners', () => {
  const files = adminFiles();
  files['roster.json'] = files['roster.json'].replace(
    '"cohort_id": "2026-spring",',
    '"cohort_id": "2026-spring",\n      "template": "other/tmpl",',
  );
  files['config/gitops.json'] = files['config/gitops.json'].replace(
    '"PROVISIONING_STUDENT_OWNER": "acme"',
    '"PROVISIONING_STUDENT_OWNER": "students"',
  );
  const targets = doctorTargets('Admins/repo', new Map(Object.entries(files).map(([p, t]) => [p, ok(t)])));
  expect(targets).toEqual({ templates: [TEMPLATE, 'other/tmpl'], owners: ['admins', 'students'] });
});

const cases: [string, (s: AdminSnapshot) => AdminSnapshot, RegExp[]][] = [
  [
    'the default branch is not main',
    (s) => ({ ...s, repo: ok({ defaultBranch: 'master' }) }),
    [
      /^repository: the default branch is master; the workflows and environments expect main/,
      // ~DEFAULT_BRANCH is master then: main is not protected.
      /^ruleset on main: no active branch ruleset applies to main/,
    ],
  ],
  [
    'no manifest',
    (s) => ({ ...s, files: new Map([...s.files, ['.learning-rooms.json', ok(null)]]) }),
    [/^pins: no \.learning-rooms\.json: this is not a repository made by learning-rooms init/],
  ],
  [
    'a broken manifest',
    (s) => ({
      ...s,
      files: new Map([
        ...s.files,
        [
          '.learning-rooms.json',
          ok('{"format_version":1,"tool_repository":"a/b","tool_ref":"main","version":"0.1.0"}'),
        ],
      ]),
    }),
    [/^pins: \.learning-rooms\.json: tool_ref: expected a full commit SHA/],
  ],
  [
    'a caller missing',
    (s) => ({ ...s, files: new Map([...s.files, ['.github/workflows/register.yml', ok(null)]]) }),
    [/^workflows: register\.yml missing from \.github\/workflows: learning-rooms upgrade --templates writes them$/],
  ],
  [
    'a lock file for another provider version',
    (s) => ({
      ...s,
      files: new Map([
        ...s.files,
        [
          '.terraform.lock.hcl',
          ok(
            'provider "registry.terraform.io/integrations/github" {\n  version = "6.0.0"\n  hashes = ["h1:RkZKXtpMaPyfqckz+IZBZX4ZqFfGIva+P7ngeH8K1kU="]\n}\n',
          ),
        ],
      ]),
    }),
    [/^lock file: \.terraform\.lock\.hcl, line 1: expected version = "6\.9\.0"/],
  ],
  [
    'settings a workflow would refuse',
    (s) => ({ ...s, files: new Map([...s.files, ['config/gitops.json', ok('{"NODE_OPTIONS": "--require x"}')]]) }),
    [/^settings: config\/gitops\.json: "NODE_OPTIONS": expected a setting named LEARNING_ROOMS_\*/],
  ],
  [
    'an invalid roster',
    (s) => ({
      ...s,
      files: new Map([...s.files, ['roster.json', ok('{"format_version":1,"cohorts":[],"learners":[{}]}')]]),
    }),
    [/^roster: \d+ problem\(s\), first: roster\.json: /],
  ],
  [
    'a disabled ruleset, which protects nothing',
    (s) => ({ ...s, rulesets: ok([{ ...ruleset, enforcement: 'disabled' }]) }),
    [/^ruleset on main: no active branch ruleset applies to main/],
  ],
  [
    'a ruleset that excludes main',
    (s) => ({ ...s, rulesets: ok([{ ...ruleset, include: ['~ALL'], exclude: ['refs/heads/main'] }]) }),
    [/^ruleset on main: no active branch ruleset/],
  ],
  [
    'a bypass list this token may not see',
    (s) => ({ ...s, rulesets: ok([{ ...ruleset, bypassActors: undefined }]) }),
    [/^ruleset on main: its bypass list is hidden from this token \(run doctor as a repository admin\)$/],
  ],
  [
    'no bypass at all',
    (s) => ({ ...s, rulesets: ok([{ ...ruleset, bypassActors: [] }]) }),
    [/^ruleset on main: add the records App to the bypass list \(mode Always\)/],
  ],
  [
    'installations that cannot be listed (a user account)',
    (s) => ({ ...s, installations: new Map([['acme', { ok: false, status: 404, message: 'Not Found' }]]) }),
    [
      /^App installations on acme: cannot read it \(HTTP 404: Not Found\); run doctor with a token that has Administration: read on that organization \(the API lists the installations of organizations only; check a user account by hand\)$/,
    ],
  ],
  [
    'only the read-only App on the owner: the provisioning App is missing, not the read-only one misread',
    (s) => ({
      ...s,
      installations: new Map([['acme', ok(installations.filter((i) => i.appId !== APPS.provisioning.id))]]),
    }),
    [
      /^provisioning App: no App installed on acme could be it: create a GitHub App with Administration, Contents, Pull requests and Workflows: write and install it on acme$/,
    ],
  ],
  [
    'no registration App',
    (s) => ({
      ...s,
      installations: new Map([['acme', ok(installations.filter((i) => i.appId !== APPS.registration.id))]]),
    }),
    [
      /^registration App: no App installed on acme could be it: create a GitHub App with Contents and Pull requests: write and install it on the admin repository acme\/workshop-admin only$/,
    ],
  ],
  [
    'environments the token may not list',
    (s) => ({ ...s, environments: { ok: false, status: 403, message: 'Resource not accessible by integration' } }),
    [
      /^environments: cannot read it \(HTTP 403: Resource not accessible by integration\); run doctor with a token that has Actions: read/,
    ],
  ],
  [
    'an organization secret the repository can read',
    (s) => ({ ...s, organizationSecrets: ok(['DEPLOY_KEY']) }),
    [/^organization secrets: DEPLOY_KEY at organization level, readable by a workflow on any branch/],
  ],
  [
    'a template that does not exist',
    (s) => ({ ...s, templates: new Map([[TEMPLATE, ok(null)]]) }),
    [/^template acme\/learning-room-template: does not exist, or the token cannot see it/],
  ],
];

test.each(cases)('%s: named, with what to do', (_name, change, expected) => {
  const found = fixes(judgeAdminRepository(change(healthy())));
  expect(found).toHaveLength(expected.length);
  expected.forEach((re, i) => expect(found[i]).toMatch(re));
});

test('actions-bot mode wants the token in plan and apply instead of the App', () => {
  const files = adminFiles();
  files['config/gitops.json'] = files['config/gitops.json'].replace('"github-app"', '"actions-bot"');
  expect(fixes(judgeAdminRepository(healthy(files)))).toEqual([
    'secrets of learning-rooms-plan: add PROVISIONING_TOKEN; delete PROVISIONING_APP_ID, PROVISIONING_APP_INSTALLATION_ID, PROVISIONING_APP_PRIVATE_KEY, which no job of this environment reads',
    'secrets of learning-rooms-apply: add PROVISIONING_TOKEN; delete PROVISIONING_APP_ID, PROVISIONING_APP_INSTALLATION_ID, PROVISIONING_APP_PRIVATE_KEY, which no job of this environment reads',
  ]);
});

describe('with a public front door', () => {
  const frontDoorFiles = () => {
    const files = adminFiles();
    files['config/gitops.json'] = files['config/gitops.json'].replace(
      '"LEARNING_ROOMS_HEAL": false',
      '"LEARNING_ROOMS_HEAL": false,\n  "LEARNING_ROOMS_FRONT_DOOR_REPOSITORY": "acme/register"',
    );
    return files;
  };

  test('wants the Enrol workflow, its environment with both Apps, and the registration App able to answer requests', () => {
    const found = fixes(judgeAdminRepository(healthy(frontDoorFiles())));
    expect(found).toEqual([
      'workflows: enrol.yml missing from .github/workflows: learning-rooms upgrade --templates writes them',
      expect.stringMatching(
        /^registration App: lr-registration \(installation 140\) lacks issues: write \(to answer the requests in the front door acme\/register; install it there too\)/,
      ),
      expect.stringMatching(
        /^environment learning-rooms-enrol: missing: Settings → Environments → New environment "learning-rooms-enrol"/,
      ),
    ]);
  });

  test('all ok once set up', () => {
    const files = {
      ...frontDoorFiles(),
      '.github/workflows/enrol.yml': adminFiles()['.github/workflows/register.yml'].replace(
        /register\.yml@/g,
        'enrol.yml@',
      ),
    };
    const s = healthy(files);
    const withIssues = installations.map((i) =>
      i.appId === APPS.registration.id ? { ...i, permissions: { ...i.permissions, issues: 'write' } } : i,
    );
    const done: AdminSnapshot = {
      ...s,
      installations: new Map([['acme', ok(withIssues)]]),
      environments: ok([
        ...(s.environments.ok ? s.environments.value : []),
        env('learning-rooms-enrol', ['REGISTER_APP_ID', 'REGISTER_APP_PRIVATE_KEY', ...records]),
      ]),
    };
    expect(fixes(judgeAdminRepository(done))).toEqual([]);
  });
});
