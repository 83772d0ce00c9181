/**
 * A class whose rooms were made from a template, for the GitHub double: org acme, template
 * acme/tmpl, one room per learner holding the template's files (as GitHub's generate leaves it),
 * and the provisioning App (Contents, Pull requests and Workflows: write) that proposes updates.
 */
import { createClient, type GitHubOctokit } from '../../shared/github-client';
import type { Roster } from '../../roster/types';
import { generateAppKeyPair, type GitHubDouble } from '@learning-rooms/github-double';

export const OWNER = 'acme';
export const TEMPLATE = 'acme/tmpl';
export const TOKEN = 'dummy-token-not-a-secret';
export const APP = { id: 31, installation: 310 };
export const KEYS = generateAppKeyPair();

export const STARTER: Record<string, string> = {
  'README.md': '# Starter\n',
  'src/a.py': 'a = 1\n',
  'old.txt': 'to be removed\n',
  '.github/workflows/progress.yml': 'name: progress\n',
};

export function seed(handles: string[], roomFiles: (handle: string) => Record<string, string> = () => STARTER) {
  return {
    orgs: [{ login: OWNER, members: ['operator'] }],
    autoUsers: true,
    tokens: [{ token: TOKEN, login: 'operator' }],
    app: {
      id: APP.id,
      slug: 'lr-provisioning',
      publicKey: KEYS.publicKeyPem,
      installations: [
        {
          id: APP.installation,
          account: OWNER,
          permissions: {
            administration: 'write',
            contents: 'write',
            pull_requests: 'write',
            workflows: 'write',
            metadata: 'read',
          },
        },
      ],
    },
    repos: [
      { owner: OWNER, name: 'tmpl', is_template: true, files: STARTER },
      ...handles.map((h) => ({
        owner: OWNER,
        name: `c1-${h}`,
        visibility: 'private',
        files: roomFiles(h),
        collaborators: [{ login: h, permission: 'push' }],
      })),
    ],
  };
}

export function roster(handles: string[], templateRef?: string): Roster {
  return {
    format_version: 1,
    cohorts: [
      {
        cohort_id: 'c1',
        template: TEMPLATE,
        ...(templateRef ? { template_ref: templateRef } : {}),
        required_files: ['.github/workflows/progress.yml'],
      },
    ],
    learners: handles.map((h) => ({
      github_handle: h,
      cohort_id: 'c1',
      path: 'web',
      provisioning: { state: 'provisioned' as const },
    })),
  };
}

/** The App's client, as the command makes it (no pacing against the double). */
export function appClient(double: GitHubDouble): GitHubOctokit {
  return createClient({
    baseUrl: double.baseUrl,
    auth: {
      kind: 'app',
      appId: String(APP.id),
      installationId: String(APP.installation),
      privateKey: KEYS.privateKeyPem,
    },
    minRequestIntervalMs: 0,
    minNotificationIntervalMs: 0,
    retries: 0,
  });
}

export const head = (double: GitHubDouble, repo: string) => double.state.repo(OWNER, repo)!.headSha!;

/** A file's text on a branch (or commit) of a room, or undefined. */
export function fileOn(double: GitHubDouble, repo: string, branch: string, path: string): string | undefined {
  const r = double.state.repo(OWNER, repo)!;
  const sha = r.branches.get(branch) ?? branch;
  return r.commits.get(sha)?.tree.get(path)?.content.toString('utf8');
}

/** The pull requests of a room, as GitHub lists them. */
export function pullsOf(double: GitHubDouble, repo: string) {
  return double.state
    .repo(OWNER, repo)!
    .issues.filter((i) => i.pull)
    .map((i) => ({ number: i.number, state: i.state, title: i.title, body: i.body, head: i.pull!.headRef }));
}
