/**
 * Hands-off enrolment in batches: every accepted, not yet enrolled request of the front door goes
 * into one roster change per run, not one per learner. Cohorts whose enrolment review is "auto"
 * are enrolled by one commit to main (the records App pushes it); "manual" ones go to one pull
 * request that a facilitator merges, rebuilt each run from main with every request still waiting.
 * Pure: the roster of main and the accepted requests in; the rosters to write and their texts out.
 */
import { upsertLearners, validateRoster, type Roster } from '../roster';
import type { RequestDecision } from './front-door';
import { code } from './markdown';

/** The branch of the pull request of registrations waiting for review (one, rebuilt each run). */
export const REVIEW_BRANCH = 'registrations/review';

export interface AcceptedRequest {
  /** The issue number in the front door. */
  issue: number;
  decision: Extract<RequestDecision, { kind: 'accepted' }>;
}

export interface BatchPart {
  roster: Roster;
  requests: AcceptedRequest[];
}

export interface Batch {
  /** To commit to main: the auto cohorts' requests on main's roster. */
  auto?: BatchPart;
  /** For the review branch: the manual ones on top of `auto` (what main holds once it is pushed). */
  manual?: BatchPart;
}

/**
 * Splits the requests by review and applies each part. One request per learner and cohort (the
 * caller keeps the newest issue). A roster the auto part would leave invalid is never pushed:
 * those requests join the pull request, where the checks show the facilitator what is wrong.
 */
export function planBatch(roster: Roster, accepted: readonly AcceptedRequest[]): Batch {
  const byIssue = [...accepted].sort((a, b) => a.issue - b.issue);
  let auto = byIssue.filter((r) => r.decision.review === 'auto');
  let manual = byIssue.filter((r) => r.decision.review === 'manual');
  let afterAuto = upsertLearners(
    roster,
    auto.map((r) => r.decision.patch),
  );
  if (auto.length > 0 && validateRoster(afterAuto).length > 0) {
    manual = [...auto, ...manual].sort((a, b) => a.issue - b.issue);
    auto = [];
    afterAuto = roster;
  }
  const batch: Batch = {};
  if (auto.length > 0) batch.auto = { roster: afterAuto, requests: auto };
  if (manual.length > 0)
    batch.manual = {
      roster: upsertLearners(
        afterAuto,
        manual.map((r) => r.decision.patch),
      ),
      requests: manual,
    };
  return batch;
}

const learners = (n: number) => `${n} learner${n === 1 ? '' : 's'}`;

/** `[skip ci]`: the push starts no workflow; Apply's schedule (every 30 minutes) makes the rooms. */
export function enrolCommitMessage(requests: readonly AcceptedRequest[]): string {
  return `learning-rooms: enrol ${learners(requests.length)} [skip ci]`;
}

/** The review pull request's title and description: each learner by handle, cohort, path and request. */
export function reviewPullRequest(
  requests: readonly AcceptedRequest[],
  frontDoor: string,
): { title: string; body: string } {
  const rows = requests.map(({ issue, decision: d }) => {
    const what = d.created ? 'adds' : `changes the learning path of`;
    return `- ${what} ${code(d.patch.github_handle, 60)} in ${code(d.patch.cohort_id)} on path ${code(d.patch.path)}: ${frontDoor}#${issue}`;
  });
  return {
    title: `Enrol ${learners(requests.length)} who registered (for review)`,
    body: [
      `Registrations through the front door (${frontDoor}) for cohorts whose enrolment is reviewed by a facilitator. Each learner is the author of their request there, and passed the cohort's enrolment rule.`,
      '',
      ...rows,
      '',
      'Merge to enrol them: Apply then creates their rooms, and each request is answered when its room is ready. This pull request is rebuilt from `main` at every enrolment run while requests wait, so do not edit its branch: to turn a request down, close its issue in the front door (say why in a comment there).',
      '',
    ].join('\n'),
  };
}
