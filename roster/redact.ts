import { Roster } from './types';

/**
 * A copy safe to publish (an issue, a dashboard): handles, cohorts, paths, states and statuses
 * stay; personal data and free text written by people (names, emails, student ids, notes) go.
 */
export function redactRoster(r: Roster): Roster {
  return {
    format_version: r.format_version,
    cohorts: r.cohorts.map(({ notes: _notes, ...c }) => ({ ...c, required_files: c.required_files?.slice() })),
    learners: r.learners.map(({ name: _name, email: _email, student_id: _studentId, notes: _notes, ...l }) => ({
      ...l,
      provisioning: { ...l.provisioning },
      ...(l.progress ? { progress: { ...l.progress } } : {}),
    })),
  };
}
