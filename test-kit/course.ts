/**
 * Course rosters for tests and benchmarks (docs/course.md): a cohort with individual assignments, a
 * group assignment whose teams the teacher set, facilitators and an end of course.
 */
import type { Assignment, Cohort, EndOfCourse, Learner, Roster } from '../roster/types';

export const PROGRESS = '.github/workflows/progress.yml';
export const ACK = '.github/workflows/ack.yml';

/** The course's calendar: the first assignment opens on 2 March 2026, a cutoff a week after each due date. */
export const T = {
  before: '2026-03-01T08:00:00Z',
  a1Opens: '2026-03-02T09:00:00Z',
  a1Due: '2026-03-09T17:00:00Z',
  a1Cutoff: '2026-03-10T17:00:00Z',
  a2Opens: '2026-03-09T09:00:00Z',
  a2Due: '2026-03-16T17:00:00Z',
  a2Cutoff: '2026-03-17T17:00:00Z',
  teamOpens: '2026-03-16T09:00:00Z',
  teamDue: '2026-03-30T17:00:00Z',
  teamCutoff: '2026-03-31T17:00:00Z',
  end: '2026-04-03T17:00:00Z',
} as const;

export function courseLearner(handle: string, cohort = 'web-101', extra: Partial<Learner> = {}): Learner {
  return { github_handle: handle, cohort_id: cohort, path: 'web', provisioning: { state: 'pending' }, ...extra };
}

/** Teams of `size` over the handles, in order: team-1, team-2, ... */
export function teamsOf(handles: readonly string[], size: number): { name: string; members: string[] }[] {
  const teams: { name: string; members: string[] }[] = [];
  for (let i = 0; i < handles.length; i += size)
    teams.push({ name: `team-${teams.length + 1}`, members: handles.slice(i, i + size) });
  return teams;
}

export interface CourseOptions {
  cohort?: string;
  learners?: number;
  /** Handles to use instead of l1..ln. */
  handles?: string[];
  facilitators?: Cohort['facilitators'];
  endOfCourse?: EndOfCourse;
  /** Change the assignments before the roster is made. */
  assignments?: (a: Assignment[]) => Assignment[];
  teamSize?: number;
}

/**
 * The reference course: two individual assignments (the second with a feedback pull request) and one
 * group assignment in teams of 4, the facilitators by handle; `learners` learners l1..ln.
 */
export function courseRoster(opts: CourseOptions = {}): Roster {
  const cohort = opts.cohort ?? 'web-101';
  const handles = opts.handles ?? Array.from({ length: opts.learners ?? 8 }, (_, i) => `l${i + 1}`);
  const base: Assignment[] = [
    {
      id: 'a1-html',
      title: 'Accessible HTML',
      opens: T.a1Opens,
      due: T.a1Due,
      cutoff: T.a1Cutoff,
      required_files: [PROGRESS],
    },
    {
      id: 'a2-css',
      title: 'CSS that adapts',
      opens: T.a2Opens,
      due: T.a2Due,
      cutoff: T.a2Cutoff,
      required_files: [PROGRESS, ACK],
      feedback_pull_request: true,
    },
    {
      id: 'a3-project',
      title: 'Team project',
      opens: T.teamOpens,
      due: T.teamDue,
      cutoff: T.teamCutoff,
      required_files: [PROGRESS],
      teams: teamsOf(handles, opts.teamSize ?? 4),
    },
  ];
  const c: Cohort = {
    cohort_id: cohort,
    template: 'acme-school/web-101-template',
    assignments: opts.assignments ? opts.assignments(base) : base,
    facilitators: opts.facilitators ?? { handles: ['tina-ta', 'sam-teacher'] },
    ...(opts.endOfCourse ? { end_of_course: opts.endOfCourse } : {}),
  };
  return { format_version: 1, cohorts: [c], learners: handles.map((h) => courseLearner(h, cohort)) };
}
