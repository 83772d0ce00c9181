/**
 * Reads an admin repository's settings through the REST API for `learning-rooms doctor`, into the
 * plain snapshot that gitops/doctor-checks.ts judges. Only reads; secrets are listed by name (the
 * API never gives values). A read that fails is kept as its status and message, so doctor can say
 * which permission the token lacks instead of stopping.
 */
import type { GitHubOctokit } from '../shared/github-client';
import { REGISTRATION_LABEL } from './admin-repository';
import {
  DOCTOR_FILES,
  doctorTargets,
  type AdminSnapshot,
  type EnvironmentInfo,
  type InstallationInfo,
  type Read,
  type RulesetInfo,
} from './doctor-checks';

/** Runs one read; with `missing`, a 404 is that value (a file or label that does not exist). */
async function read<T>(fn: () => Promise<T>, missing?: { value: T }): Promise<Read<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    if (typeof status !== 'number') throw err;
    if (status === 404 && missing) return { ok: true, value: missing.value };
    const message = String(
      (err as { response?: { data?: { message?: unknown } } }).response?.data?.message ?? (err as Error).message,
    );
    return { ok: false, status, message: message.slice(0, 200) };
  }
}

// The API's answers, as far as doctor reads them.
interface EnvironmentJson {
  name: string;
  deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
}
interface RulesetJson {
  id: number;
  name: string;
  target?: string;
  enforcement: string;
  conditions?: { ref_name?: { include?: string[]; exclude?: string[] } } | null;
  rules?: { type: string }[];
  bypass_actors?: { actor_id?: number | null; actor_type: string }[];
}
interface InstallationJson {
  id: number;
  app_id: number;
  app_slug: string;
  account: { login?: string; slug?: string } | null;
  permissions: Record<string, string>;
  repository_selection: 'all' | 'selected';
}

export async function readAdminSnapshot(octokit: GitHubOctokit, repository: string): Promise<AdminSnapshot> {
  const [owner, repo] = repository.split('/');
  const r = { owner, repo };
  const files = new Map<string, Read<string | null>>();
  for (const path of DOCTOR_FILES) {
    files.set(
      path,
      await read(
        async () => {
          const { data } = await octokit.rest.repos.getContent({ ...r, path });
          if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return null;
          return Buffer.from(data.content, 'base64').toString('utf8');
        },
        { value: null },
      ),
    );
  }
  const repoRead = await read(async () => ({ defaultBranch: (await octokit.rest.repos.get(r)).data.default_branch }));

  const environments = await read(async () => {
    const list = (await octokit.paginate('GET /repos/{owner}/{repo}/environments', {
      ...r,
      per_page: 100,
    })) as EnvironmentJson[];
    const out: EnvironmentInfo[] = [];
    for (const e of list) {
      const env = { ...r, environment_name: e.name, per_page: 100 };
      const policy = e.deployment_branch_policy ?? null;
      out.push({
        name: e.name,
        branchPolicy: policy && {
          protectedBranches: policy.protected_branches,
          customBranchPolicies: policy.custom_branch_policies,
        },
        branchPolicies:
          policy?.custom_branch_policies === true
            ? await read(async () =>
                (
                  (await octokit.paginate(
                    'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
                    env,
                  )) as { name: string; type?: string }[]
                ).map((p) => ({ name: p.name, type: p.type ?? 'branch' })),
              )
            : { ok: true, value: [] },
        secrets: await read(async () =>
          (
            (await octokit.paginate('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', env)) as {
              name: string;
            }[]
          ).map((x) => x.name),
        ),
      });
    }
    return out;
  });
  const names = (list: { name: string }[]) => list.map((x) => x.name);
  const repositorySecrets = await read(async () =>
    names(await octokit.paginate('GET /repos/{owner}/{repo}/actions/secrets', { ...r, per_page: 100 })),
  );
  const organizationSecrets = await read(async () =>
    names(await octokit.paginate('GET /repos/{owner}/{repo}/actions/organization-secrets', { ...r, per_page: 100 })),
  );
  const rulesets = await read(async () => {
    const list = (await octokit.paginate('GET /repos/{owner}/{repo}/rulesets', {
      ...r,
      includes_parents: true,
      per_page: 100,
    })) as { id: number }[];
    const out: RulesetInfo[] = [];
    for (const { id } of list) {
      // The list leaves out conditions, rules and bypass actors: read each ruleset.
      const { data } = (await octokit.request('GET /repos/{owner}/{repo}/rulesets/{ruleset_id}', {
        ...r,
        ruleset_id: id,
        includes_parents: true,
      })) as { data: RulesetJson };
      out.push({
        id: data.id,
        name: data.name,
        target: data.target,
        enforcement: data.enforcement,
        include: data.conditions?.ref_name?.include ?? [],
        exclude: data.conditions?.ref_name?.exclude ?? [],
        rules: (data.rules ?? []).map((x) => x.type),
        bypassActors: data.bypass_actors?.map((b) => ({ actorId: b.actor_id ?? null, actorType: b.actor_type })),
      });
    }
    return out;
  });
  const registrationLabel = await read(
    async () => (await octokit.rest.issues.getLabel({ ...r, name: REGISTRATION_LABEL }), true),
    { value: false },
  );

  const targets = doctorTargets(repository, files);
  const templates = new Map<string, Read<{ isTemplate: boolean } | null>>();
  for (const full of targets.templates) {
    const [o, n] = full.split('/');
    templates.set(
      full,
      await read(
        async () => ({ isTemplate: (await octokit.rest.repos.get({ owner: o, repo: n })).data.is_template === true }),
        { value: null },
      ),
    );
  }
  const installations = new Map<string, Read<InstallationInfo[]>>();
  for (const account of targets.owners) {
    installations.set(
      account,
      await read(async () =>
        (
          (await octokit.paginate('GET /orgs/{org}/installations', {
            org: account,
            per_page: 100,
          })) as InstallationJson[]
        ).map((i) => ({
          id: i.id,
          appId: i.app_id,
          appSlug: i.app_slug,
          account: i.account?.login ?? i.account?.slug ?? account,
          permissions: i.permissions,
          repositorySelection: i.repository_selection,
        })),
      ),
    );
  }
  return {
    repository,
    repo: repoRead,
    files,
    environments,
    repositorySecrets,
    organizationSecrets,
    rulesets,
    registrationLabel,
    templates,
    installations,
  };
}
