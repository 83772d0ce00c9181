/**
 * The roster's record of which template commit the rooms hold (`template_ref`, per cohort, or per
 * assignment through the one adapter): set once by `propose-update --record-current`, then moved
 * to the template's head when a round of updates has reached every room. Pure: roster in, roster out.
 */
import type { Roster } from '../roster/types';
import { withAssignmentTemplateRef } from './assignments';

export interface TemplateRefMove {
  cohort_id: string;
  assignment_id?: string;
  sha: string;
}

export function recordTemplateRefs(roster: Roster, moves: readonly TemplateRefMove[]): Roster {
  if (moves.length === 0) return roster;
  return {
    ...roster,
    cohorts: roster.cohorts.map((c) => {
      let out = c;
      for (const m of moves.filter((x) => x.cohort_id === c.cohort_id)) {
        out = m.assignment_id
          ? withAssignmentTemplateRef(out, m.assignment_id, m.sha)
          : { ...out, template_ref: m.sha };
      }
      return out;
    }),
  };
}
