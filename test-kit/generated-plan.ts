/** A generated plan (`terraform show -json` shape) and learner index, for tests and benchmarks. */
import { collaboratorAddress, fileAddress, repositoryAddress } from '../contracts/room-addresses';
import type { LearnerIndex } from '../contracts/learner-index';

/** The required files of the recorded Terraform fixtures (test/fixtures/terraform), which generated plans follow. */
export const REQUIRED_FILES = ['.github/workflows/progress.yml', '.github/workflows/ack.yml'];

/** The provider token a plan's configuration carries verbatim; it must never reach a rendering. */
export const PLAN_TOKEN = 'dummy-token-not-a-secret';

/** A plan and index of the real shapes for n learners, half new and the rest archived or healed. */
export function generated(n: number): { plan: string; index: LearnerIndex } {
  const changes: unknown[] = [];
  const drift: unknown[] = [];
  const learners: LearnerIndex['learners'] = [];
  for (let i = 0; i < n; i++) {
    const h = `learner-${i}`;
    const repo = `2026-autumn-${h}`;
    const kind = i % 10 === 0 ? 'archive' : i % 10 === 1 ? 'heal' : 'provision';
    const files = Object.fromEntries(REQUIRED_FILES.map((p) => [p, fileAddress(h, p)]));
    learners.push({
      github_handle: h,
      cohort_id: '2026-autumn',
      repository: repo,
      admitted: kind !== 'archive',
      addresses: { repository: repositoryAddress(h), collaborator: collaboratorAddress(h), files },
    });
    const rc = (address: string, type: string, actions: string[], after: unknown, reason?: string) => ({
      address,
      mode: 'managed',
      type,
      name: address.split('.')[1],
      provider_name: 'registry.terraform.io/integrations/github',
      change: {
        actions,
        before: actions[0] === 'create' ? null : after,
        after: actions[0] === 'delete' ? null : after,
      },
      ...(reason ? { action_reason: reason } : {}),
    });
    const all = [repositoryAddress(h), collaboratorAddress(h), ...Object.values(files)];
    if (kind === 'archive') {
      changes.push(
        rc(
          all[0],
          'github_repository',
          ['delete'],
          { name: repo, archive_on_destroy: true },
          'delete_because_no_resource_config',
        ),
      );
      for (const a of all.slice(1))
        changes.push(rc(a, a.split('.')[0], ['delete'], { repository: repo }, 'delete_because_no_resource_config'));
    } else if (kind === 'heal') {
      changes.push(rc(all[0], 'github_repository', ['no-op'], { name: repo }));
      changes.push(rc(all[1], 'github_repository_collaborator', ['create'], { repository: repo, username: h }));
      drift.push(rc(all[1], 'github_repository_collaborator', ['delete'], { repository: repo, username: h }));
    } else {
      changes.push(rc(all[0], 'github_repository', ['create'], { name: repo }));
      for (const a of all.slice(1))
        changes.push(rc(a, a.split('.')[0], ['create'], { repository: repo, content: 'name: ack' }));
    }
  }
  const plan = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: changes,
    resource_drift: drift,
    configuration: { provider_config: { github: { expressions: { token: { constant_value: PLAN_TOKEN } } } } },
    applyable: true,
    complete: true,
    errored: false,
  };
  return {
    plan: JSON.stringify(plan),
    index: { format_version: 1, cohort_id: '2026-autumn', stack: '2026-autumn', owner: 'acme', learners },
  };
}
