import { Cohort, Roster } from './types';

/**
 * A copy safe to publish (an issue, a dashboard): handles, cohorts, paths, states and statuses
 * stay; personal data and free text written by people (names, emails, student ids, notes) go, and
 * so does a cohort's enrolment code hash.
 */
export function redactRoster(r: Roster): Roster {
  return {
    format_version: r.format_version,
    // The enrolment code's hash goes too: a short code is quickly found from its hash.
    cohorts: r.cohorts.map(({ notes: _notes, enrolment, ...c }) => {
      const out: Cohort = { ...c, required_files: c.required_files?.slice() };
      if (enrolment) {
        const { code_sha256: _code, ...rule } = enrolment;
        out.enrolment = { ...rule, ...(rule.allowed_handles ? { allowed_handles: rule.allowed_handles.slice() } : {}) };
      }
      return out;
    }),
    learners: r.learners.map(({ name: _name, email: _email, student_id: _studentId, notes: _notes, ...l }) => ({
      ...l,
      provisioning: { ...l.provisioning },
      ...(l.progress ? { progress: { ...l.progress } } : {}),
    })),
  };
}
