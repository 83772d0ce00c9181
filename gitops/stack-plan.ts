/**
 * What the plan comment and the watchdog report know about one cohort stack's plan: the
 * per-learner changes (from `learnerPlanChanges`) and the raw resource changes, with nothing
 * else from the plan JSON. The plan's `configuration` section can hold a provider token
 * verbatim (see the recorded fixtures), and resource values hold file contents, so neither is
 * ever carried into rendered Markdown: only addresses, actions and Terraform's reasons are.
 */
import { LearnerPlanChange, learnerPlanChanges } from '../provisioning/plan-changes';
import type { ResourceChange, TerraformPlanJson } from '../contracts/terraform-plan';
import type { LearnerIndex } from '../contracts/learner-index';
import { foldHandle } from '../roster/handle';
import { accessChangesOf } from '../provisioning/access-changes';
import { COURSE_RESOURCE_TYPES, parseCourseRoomAddress } from '../contracts/room-addresses';

export type LearnerAction = LearnerPlanChange['action'];

/** One resource that the plan would change, or that drifted outside Terraform. */
export interface ResourceLine {
  address: string;
  actions: string[];
  reason?: string;
}

export interface StackPlan {
  /** Folder name under cdktf.out/stacks/. */
  stack: string;
  cohort_id: string;
  /**
   * planned: a complete plan; errored: Terraform wrote a plan file but the plan failed
   * (`errored: true`, e.g. a 429); missing: no plan at all (init or plan failed before writing one).
   */
  status: 'planned' | 'errored' | 'missing';
  learners: LearnerPlanChange[];
  /** Resource changes other than no-op, in plan order. */
  changes: ResourceLine[];
  /** `resource_drift`: objects changed outside Terraform since the last apply. */
  drift: ResourceLine[];
  /** Learner handle (lower case) -> why they were not admitted this run. */
  queuedReasons: Record<string, string>;
  /** A course's access changes in this plan (docs/course.md): who gains, loses or changes access to which room. */
  access?: AccessLine[];
  /** A course's stack: what its index says about the days ahead and the end of course. */
  course?: CourseOutlook;
  /** Learners (lower case) whose rooms this plan archives only because the course ended: said by the end-of-course block. */
  endOfCourseLearners?: string[];
}

/** One person's access to one room changing in this plan. */
export interface AccessLine {
  assignment?: string;
  team?: string;
  repository?: string;
  username: string;
  /** Absent: added. */
  from?: string;
  /** Absent: removed. */
  to?: string;
}

/** A coming cutoff of this stack's rooms: who drops from push to pull, and when. */
export interface CutoffLine {
  assignment: string;
  /** ISO 8601. */
  at: string;
  learners: string[];
}

export interface CourseOutlook {
  /** The instant the stack was synthesized for. */
  at: string;
  /** Cutoffs after `at` and at most 7 days later, from the index's members and their cutoffs. */
  upcoming: CutoffLine[];
  endOfCourse?: { at: string; mode: string; reached: boolean; allow_mass_change: boolean };
  /** What this plan does at the end of course: rooms handed over (members made admin), made public, archived. */
  handedOver: number;
  published: number;
  archived: number;
}

const WEEK_MS = 7 * 86_400_000;

/** The access changes of a plan, labelled with the course room each belongs to. */
function accessLines(plan: TerraformPlanJson, index: LearnerIndex | undefined): AccessLine[] {
  const rooms = new Map((index?.course?.rooms ?? []).map((r) => [r.addresses.collaborators, r]));
  const out: AccessLine[] = [];
  for (const rc of plan.resource_changes) {
    for (const c of accessChangesOf(rc)) {
      const room = rooms.get(rc.address);
      const parsed = parseCourseRoomAddress(rc.address);
      out.push({
        ...(room?.assignment || parsed?.assignment ? { assignment: room?.assignment ?? parsed?.assignment } : {}),
        ...(room?.team ? { team: room.team } : {}),
        ...(c.repository || room?.repository ? { repository: c.repository ?? room?.repository } : {}),
        username: c.username,
        ...(c.from !== undefined ? { from: c.from } : {}),
        ...(c.to !== undefined ? { to: c.to } : {}),
      });
    }
  }
  return out;
}

/** Learners whose only archived rooms in this plan are archived by the end of course. */
function endOfCourseLearners(plan: TerraformPlanJson, index: LearnerIndex | undefined): string[] {
  const rooms = index?.course?.rooms ?? [];
  if (!index?.course?.end_of_course?.reached) return [];
  const byRepository = new Map(rooms.map((r) => [r.addresses.repository, r]));
  const ended = new Set<string>();
  const otherwise = new Set<string>();
  for (const rc of plan.resource_changes) {
    if (rc.type !== COURSE_RESOURCE_TYPES.repository || !rc.change.actions.includes('delete')) continue;
    const room = byRepository.get(rc.address);
    const into = room?.archived && room.queued_reason === 'end-of-course' ? ended : otherwise;
    for (const m of room?.members ?? []) into.add(foldHandle(m.github_handle));
  }
  return [...ended].filter((h) => !otherwise.has(h));
}

/** From a course's index: the cutoffs of the next 7 days, and the end of course. */
function courseOutlook(
  plan: TerraformPlanJson | undefined,
  index: LearnerIndex | undefined,
): CourseOutlook | undefined {
  const course = index?.course;
  if (!course) return undefined;
  const from = Date.parse(course.at);
  const byKey = new Map<string, CutoffLine>();
  for (const r of course.rooms) {
    if (r.archived) continue;
    for (const m of r.members) {
      const t = m.cutoff === undefined ? NaN : Date.parse(m.cutoff);
      if (!(t > from && t <= from + WEEK_MS) || m.permission !== 'push') continue;
      const key = `${r.assignment}\u0000${t}`;
      const line = byKey.get(key) ?? { assignment: r.assignment, at: new Date(t).toISOString(), learners: [] };
      if (!line.learners.includes(m.github_handle)) line.learners.push(m.github_handle);
      byKey.set(key, line);
    }
  }
  let handedOver = 0;
  let published = 0;
  let archived = 0;
  const ended = new Set(
    course.rooms.filter((r) => r.archived && r.queued_reason === 'end-of-course').map((r) => r.addresses.repository),
  );
  for (const rc of plan?.resource_changes ?? []) {
    const a = rc.change.actions;
    if (rc.type === COURSE_RESOURCE_TYPES.collaborators && accessChangesOf(rc).some((c) => c.to === 'admin'))
      handedOver++;
    if (
      rc.type === COURSE_RESOURCE_TYPES.repository &&
      a.includes('update') &&
      rc.change.after?.visibility === 'public' &&
      rc.change.before?.visibility !== 'public'
    )
      published++;
    if (rc.type === COURSE_RESOURCE_TYPES.repository && a.includes('delete') && ended.has(rc.address)) archived++;
  }
  return {
    at: course.at,
    upcoming: [...byKey.values()].sort(
      (x, y) => Date.parse(x.at) - Date.parse(y.at) || x.assignment.localeCompare(y.assignment),
    ),
    ...(course.end_of_course ? { endOfCourse: { ...course.end_of_course } } : {}),
    handedOver,
    published,
    archived,
  };
}

function lines(list: ResourceChange[]): ResourceLine[] {
  const out: ResourceLine[] = [];
  for (const rc of list) {
    const actions = rc.change.actions;
    if (actions.every((x) => x === 'no-op' || x === 'read')) continue;
    out.push(
      rc.action_reason ? { address: rc.address, actions, reason: rc.action_reason } : { address: rc.address, actions },
    );
  }
  return out;
}

/**
 * One cohort's plan (undefined when no plan could be made) with its learner index. Without an
 * index (a plan looked at on its own), learners are attributed from the addresses and the planned
 * values, and the stack is named by `name`.
 */
export function stackPlanFrom(
  plan: TerraformPlanJson | undefined,
  index: LearnerIndex | undefined,
  name = 'stack',
): StackPlan {
  const queuedReasons: Record<string, string> = {};
  for (const l of index?.learners ?? []) {
    if (!l.admitted) queuedReasons[foldHandle(l.github_handle)] = l.queued_reason ?? 'not admitted this run';
  }
  const outlook = courseOutlook(plan, index);
  const base = {
    stack: index?.stack ?? name,
    cohort_id: index?.cohort_id ?? name,
    queuedReasons,
    ...(outlook ? { course: outlook } : {}),
  };
  if (!plan) return { ...base, status: 'missing', learners: [], changes: [], drift: [], access: [] };
  const ended = endOfCourseLearners(plan, index);
  return {
    ...base,
    status: plan.errored || !plan.complete ? 'errored' : 'planned',
    learners: learnerPlanChanges(plan, index),
    changes: lines(plan.resource_changes),
    drift: lines(plan.resource_drift),
    access: accessLines(plan, index),
    ...(ended.length > 0 ? { endOfCourseLearners: ended } : {}),
  };
}
