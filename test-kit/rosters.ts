import { Learner, Roster } from '../roster';

export function learner(handle: string, cohort = 'c1', extra: Partial<Learner> = {}): Learner {
  return { github_handle: handle, cohort_id: cohort, path: 'web', provisioning: { state: 'pending' }, ...extra };
}

export function roster(learners: Learner[], cohorts = ['c1']): Roster {
  return { format_version: 1, cohorts: cohorts.map((cohort_id) => ({ cohort_id })), learners };
}

const STATES = ['pending', 'provisioned', 'failed', 'archived'] as const;

/** A valid roster of n learners over `cohorts` cohorts, deterministic. */
export function generatedRoster(n: number, cohorts = 10): Roster {
  const ids = Array.from({ length: cohorts }, (_, i) => `cohort-${i}`);
  const learners: Learner[] = [];
  for (let i = 0; i < n; i++) {
    const state = STATES[i % STATES.length];
    learners.push({
      github_handle: `learner-${i}`,
      cohort_id: ids[i % cohorts],
      path: i % 2 ? 'web' : 'screen-readers',
      name: `Learner ${i}`,
      email: `learner${i}@example.org`,
      provisioning:
        state === 'pending'
          ? { state }
          : {
              state,
              last_outcome: state === 'failed' ? 'failed' : 'created',
              last_run_id: 'run-1',
              updated_at: '2026-09-28T12:00:00Z',
              ...(state === 'failed' ? { cause: 'rate-limit' as const } : { provisioned_at: '2026-09-28T12:00:00Z' }),
            },
    });
  }
  return {
    format_version: 1,
    cohorts: ids.map((cohort_id) => ({ cohort_id, required_files: ['.github/workflows/progress.yml'] })),
    learners,
  };
}
