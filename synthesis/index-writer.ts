/**
 * Builds the learner index (the format of contracts/learner-index.ts) of a cohort's plan: every
 * learner of the cohort with the repository name and resource addresses, whether the learner is in
 * this run's configuration and, if not, why.
 */
import {
  collaboratorAddress,
  courseCollaboratorsAddress,
  courseFileAddress,
  courseRepositoryAddress,
  facilitatorAddress,
  facilitatorTeamAddress,
  fileAddress,
  feedbackBranchAddress,
  feedbackPullRequestAddress,
  repositoryAddress,
} from '../contracts/room-addresses';
import { foldHandle } from '../roster/handle';
import type { CohortPlan, QueuedLearner } from './cohort-plan';
import type { CourseIndex, IndexedRoom, LearnerIndex, LearnerIndexEntry } from '../contracts/learner-index';
import type { CoursePlan } from './course-plan';

function entry(
  plan: CohortPlan,
  handle: string,
  repository: string,
  admitted: boolean,
  reason?: string,
  archived = false,
  queue?: QueuedLearner['queue'],
): LearnerIndexEntry {
  const files: Record<string, string> = {};
  for (const f of plan.requiredFiles) files[f] = fileAddress(handle, f);
  const facilitators: Record<string, string> = {};
  for (const p of plan.facilitators?.people ?? [])
    facilitators[foldHandle(p.username)] = facilitatorAddress(handle, p.username);
  return {
    github_handle: handle,
    cohort_id: plan.cohort_id,
    repository,
    admitted,
    ...(reason !== undefined ? { queued_reason: reason } : {}),
    ...(archived ? { archived: true } : {}),
    ...(queue ? { queue } : {}),
    addresses: {
      repository: repositoryAddress(handle),
      collaborator: collaboratorAddress(handle),
      files,
      ...(plan.facilitators?.people.length ? { facilitators } : {}),
      ...(plan.facilitators?.team ? { facilitator_team: facilitatorTeamAddress(handle) } : {}),
    },
  };
}

/** A course's room addresses: every resource its construct makes (constructs/assignment-room.ts). */
function roomAddresses(key: string, files: readonly string[], feedback: boolean): IndexedRoom['addresses'] {
  const byPath: Record<string, string> = {};
  for (const f of files) byPath[f] = courseFileAddress(key, f);
  return {
    repository: courseRepositoryAddress(key),
    collaborators: courseCollaboratorsAddress(key),
    files: byPath,
    ...(feedback ? { branch: feedbackBranchAddress(key), pull_request: feedbackPullRequestAddress(key) } : {}),
  };
}

/** A course's index: the instant, the assignments, and every room of the stack with its members and addresses. */
function courseIndex(course: CoursePlan): CourseIndex {
  const byId = new Map(course.assignments.map((a) => [a.id, a]));
  const rooms: IndexedRoom[] = [];
  for (const r of course.rooms)
    rooms.push({
      key: r.key,
      assignment: r.assignment,
      ...(r.team ? { team: r.team } : {}),
      repository: r.repository,
      members: r.members.map((m) => ({ ...m })),
      admitted: true,
      ...(r.status === 'new' ? { new: true } : {}),
      ...(r.pending ? { pending: [...r.pending] } : {}),
      addresses: roomAddresses(r.key, r.requiredFiles, r.feedback),
    });
  for (const q of course.queued)
    rooms.push({
      key: q.key,
      assignment: q.assignment,
      ...(q.team ? { team: q.team } : {}),
      repository: q.repository,
      members: q.members.map((m) => ({ ...m })),
      admitted: false,
      queued_reason: q.reason,
      queue: q.queue,
      addresses: roomAddresses(q.key, [], byId.get(q.assignment)?.feedback_pull_request === true),
    });
  for (const a of course.archived)
    rooms.push({
      key: a.key,
      assignment: a.assignment,
      ...(a.team ? { team: a.team } : {}),
      repository: a.repository ?? '',
      members: a.members.map((github_handle) => ({ github_handle, permission: 'pull' })),
      admitted: false,
      queued_reason: a.why,
      archived: true,
      ...(a.inState ? { in_state: true } : {}),
      addresses: roomAddresses(a.key, [], false),
    });
  return {
    at: course.at ?? '',
    assignments: course.assignments,
    ...(course.facilitators ? { facilitators: course.facilitators } : {}),
    ...(course.endOfCourse ? { end_of_course: course.endOfCourse } : {}),
    rooms,
  };
}

export function buildLearnerIndex(plan: CohortPlan): LearnerIndex {
  if (plan.course) {
    const course = plan.course;
    const learners: LearnerIndexEntry[] = course.learners.map((l) => ({
      github_handle: l.github_handle,
      cohort_id: plan.cohort_id,
      repository: '',
      admitted: l.admitted,
      ...(l.queued_reason !== undefined ? { queued_reason: l.queued_reason } : {}),
      ...(l.archived ? { archived: true } : {}),
      ...(l.queue ? { queue: l.queue } : {}),
      addresses: { repository: '', collaborator: '', files: {} },
    }));
    return {
      format_version: 1,
      cohort_id: plan.cohort_id,
      stack: plan.stack,
      owner: plan.owner,
      learners,
      course: courseIndex(course),
    };
  }
  const learners: LearnerIndexEntry[] = [];
  for (const r of plan.rooms) learners.push(entry(plan, r.github_handle, r.repository, true));
  for (const q of plan.queued)
    learners.push(entry(plan, q.github_handle, q.repository, false, q.reason, false, q.queue));
  for (const a of plan.archived) {
    if (!a.repository) continue;
    const reason =
      a.why === 'withdrawn'
        ? 'provisioning.state is "archived"; the room is archived, its files and the collaborator stay'
        : 'no longer in the roster; the room is archived, its files and the collaborator stay';
    learners.push(entry(plan, a.github_handle, a.repository, false, reason, true));
  }
  return { format_version: 1, cohort_id: plan.cohort_id, stack: plan.stack, owner: plan.owner, learners };
}
