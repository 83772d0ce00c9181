/**
 * An admin repository set up as the operator's first hour sets it up, for the GitHub double: the
 * files `init` writes (plus a lock file), the four Apps installed with their permissions, the four
 * environments limited to main with their secrets, the ruleset on main, the registration label and
 * the template repository. Tests then break one thing at a time.
 */
import { readFileSync } from 'node:fs';
import { readRelease } from '../../commands/release';
import { scaffoldAdminRepository } from '../../gitops/scaffold';
import { LOCK_FIXTURE } from './stack-fixtures';
import { PIN } from './workflow-pair';

export const OWNER = 'acme';
export const ADMIN_REPOSITORY = `${OWNER}/workshop-admin`;
export const TEMPLATE = `${OWNER}/learning-room-template`;
export const COHORT = '2026-spring';
export const OPERATOR_TOKEN = 'operator-token-not-a-secret';

/** App ids and their installations on acme. */
export const APPS = {
  readOnly: {
    id: 11,
    installation: 110,
    slug: 'lr-read-only',
    permissions: { administration: 'read', contents: 'read', issues: 'read', pull_requests: 'read', metadata: 'read' },
  },
  provisioning: {
    id: 12,
    installation: 120,
    slug: 'lr-provisioning',
    permissions: {
      administration: 'write',
      contents: 'write',
      pull_requests: 'write',
      workflows: 'write',
      metadata: 'read',
    },
  },
  records: {
    id: 13,
    installation: 130,
    slug: 'lr-records',
    permissions: { contents: 'write', metadata: 'read' },
    selected: true,
  },
  registration: {
    id: 14,
    installation: 140,
    slug: 'lr-registration',
    permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
    selected: true,
  },
} as const;

/** The admin repository's files as `init` writes them (and the lock file the operator adds). */
export function adminFiles(withLock = true): Record<string, string> {
  const { files, problems } = scaffoldAdminRepository(readRelease(), {
    pin: PIN,
    owner: OWNER,
    template: TEMPLATE,
    cohort: COHORT,
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const out = Object.fromEntries([...files].map(([p, c]) => [p, c.toString()]));
  if (withLock) out['.terraform.lock.hcl'] = readFileSync(LOCK_FIXTURE, 'utf8');
  return out;
}

const main = { protected_branches: false, custom_branch_policies: true };
const app = ['PROVISIONING_APP_ID', 'PROVISIONING_APP_INSTALLATION_ID', 'PROVISIONING_APP_PRIVATE_KEY'];
const records = ['RECORDS_APP_ID', 'RECORDS_APP_PRIVATE_KEY'];

/** The settings the first hour ends with (environments, secrets, ruleset), as /_admin/repo_settings takes them. */
export function healthySettings() {
  return {
    environments: [
      { name: 'learning-rooms-plan', deployment_branch_policy: main, branch_policies: ['main'], secrets: app },
      {
        name: 'learning-rooms-apply',
        deployment_branch_policy: main,
        branch_policies: ['main'],
        secrets: [...app, ...records],
      },
      {
        name: 'learning-rooms-progress',
        deployment_branch_policy: main,
        branch_policies: ['main'],
        secrets: [...app, ...records],
      },
      {
        name: 'learning-rooms-register',
        deployment_branch_policy: main,
        branch_policies: ['main'],
        secrets: ['REGISTER_APP_ID', 'REGISTER_APP_PRIVATE_KEY'],
      },
    ],
    secrets: [] as string[],
    rulesets: [
      {
        name: 'main',
        target: 'branch' as const,
        enforcement: 'active' as const,
        conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
        rules: [
          { type: 'deletion' },
          { type: 'non_fast_forward' },
          {
            type: 'pull_request',
            parameters: {
              dismiss_stale_reviews_on_push: false,
              require_code_owner_review: false,
              require_last_push_approval: false,
              required_approving_review_count: 0,
              required_review_thread_resolution: false,
            },
          },
          {
            type: 'required_status_checks',
            parameters: {
              required_status_checks: [{ context: 'checks / Validate and synthesize (no credentials)' }],
              strict_required_status_checks_policy: false,
            },
          },
        ],
        bypass_actors: [
          { actor_id: APPS.records.id, actor_type: 'Integration' as const, bypass_mode: 'always' as const },
        ],
      },
    ],
  };
}

/** The double's seed for that world; `files` are the admin repository's. */
export function adminWorldSeed(files: Record<string, string> = adminFiles()): Record<string, unknown> {
  const [owner, name] = ADMIN_REPOSITORY.split('/');
  return {
    orgs: [{ login: OWNER, members: ['operator'] }],
    users: ['operator'],
    tokens: [{ token: OPERATOR_TOKEN, login: 'operator' }],
    apps: Object.values(APPS).map((a) => ({
      id: a.id,
      slug: a.slug,
      installations: [
        {
          id: a.installation,
          account: OWNER,
          permissions: a.permissions,
          repository_selection: 'selected' in a ? 'selected' : 'all',
        },
      ],
    })),
    repos: [
      { owner, name, visibility: 'private', files, labels: ['registration'], ...healthySettings() },
      { owner: OWNER, name: TEMPLATE.split('/')[1], is_template: true, files: { 'README.md': '# A learning room\n' } },
    ],
  };
}
