import { PROVISIONING_STATES, Roster } from './types';

/** Learners per cohort and provisioning state, in one line: `2 cohorts, 8 learners: 2026-spring 5 (3 provisioned, 1 pending, 1 failed); ...` */
export function summarizeRoster(r: Roster): string {
  const parts: string[] = [];
  for (const c of r.cohorts) {
    const members = r.learners.filter((l) => l.cohort_id === c.cohort_id);
    const states = PROVISIONING_STATES.map(
      (s) => [s, members.filter((l) => l.provisioning.state === s).length] as const,
    )
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`);
    parts.push(`${c.cohort_id} ${members.length}${states.length ? ` (${states.join(', ')})` : ''}`);
  }
  const cohorts = `${r.cohorts.length} cohort${r.cohorts.length === 1 ? '' : 's'}`;
  const learners = `${r.learners.length} learner${r.learners.length === 1 ? '' : 's'}`;
  return `${cohorts}, ${learners}${parts.length ? `: ${parts.join('; ')}` : ''}`;
}
