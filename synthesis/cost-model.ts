/**
 * What a Terraform process costs GitHub and how long it takes: requests, writes and
 * content-creating writes per learning room, from what the integrations/github provider (6.9.0)
 * sends (measured with real Terraform against the GitHub double; docs/scale.md, "The cost model"),
 * and the time those requests take at a given pacing. One module, so that the shard size, the
 * admission budget, the rate budget, the plan comment's estimates and `npm run bench:scale` all
 * count the same way. Pure.
 *
 * Per room: one repository from a template, the learner as collaborator, K required files.
 * c is 1 while the learner's invitation is pending and 2 once accepted (the provider reads the
 * invitations list, then the collaborators list when the learner is not among the invitations).
 */

export const INVITATION_PENDING = 1;
export const INVITATION_ACCEPTED = 2;

export interface Cost {
  requests: number;
  /** POST/PATCH/PUT/DELETE: paced by write_delay_ms. */
  writes: number;
  /** The writes GitHub counts as content creation: the repository, the invitation, each file commit. */
  contentCreation: number;
}

export const NO_COST: Cost = { requests: 0, writes: 0, contentCreation: 0 };

export function addCosts(...costs: Cost[]): Cost {
  return costs.reduce(
    (a, b) => ({
      requests: a.requests + b.requests,
      writes: a.writes + b.writes,
      contentCreation: a.contentCreation + b.contentCreation,
    }),
    NO_COST,
  );
}

export function timesCost(cost: Cost, n: number): Cost {
  return { requests: cost.requests * n, writes: cost.writes * n, contentCreation: cost.contentCreation * n };
}

/** Each Terraform walk configures the provider: GET /orgs/{owner} (the token mint is the App's, not the installation's). */
export const CONFIGURE: Cost = { requests: 1, writes: 0, contentCreation: 0 };

/** Refresh of one room: repository, vulnerability alerts, invitations (+ collaborators), per file its contents and its commit. */
export function refreshCost(files: number, invitation = INVITATION_ACCEPTED): Cost {
  return { requests: 2 + invitation + 2 * files, writes: 0, contentCreation: 0 };
}

/**
 * First apply of one room: generate, vulnerability alerts, two settings updates, the invitation,
 * one commit per file (5 + K writes), and the reads around them (7 + c + 4K requests in all).
 */
export function firstApplyCost(files: number, invitation = INVITATION_PENDING): Cost {
  return { requests: 7 + invitation + 4 * files, writes: 5 + files, contentCreation: contentCreationPerRoom(files) };
}

/** GitHub's content creation per new room: the repository, the invitation, one commit per file. */
export function contentCreationPerRoom(files: number): number {
  return 2 + files;
}

/** Apply of a saved plan that re-creates one deleted file (or re-invites one learner): one write and its reads. */
export const HEAL_ONE_RESOURCE: Cost = { requests: 4, writes: 1, contentCreation: 1 };

export interface Pacing {
  readDelayMs: number;
  writeDelayMs: number;
  /** GitHub's answer time per request, on top of the provider's sleeps (an assumption: docs/scale.md). */
  latencyMs: number;
}

/** Assumed time GitHub takes to answer one request from a hosted runner; the provider's delay comes on top. */
export const ASSUMED_LATENCY_MS = 250;

/** Seconds a serialized provider process needs for `cost` (it sleeps after every request). */
export function costSeconds(cost: Cost, pacing: Pacing): number {
  const reads = cost.requests - cost.writes;
  return (
    (cost.writes * (pacing.writeDelayMs + pacing.latencyMs) + reads * (pacing.readDelayMs + pacing.latencyMs)) / 1000
  );
}

/** A plan that refreshes `rooms` rooms (one Terraform process). */
export function refreshPlanCost(rooms: number, files: number): Cost {
  return addCosts(CONFIGURE, timesCost(refreshCost(files), rooms));
}

/** A plan that does not refresh (`-refresh=false`): only the provider's configure call, whatever the size. */
export const SCOPED_PLAN_COST: Cost = CONFIGURE;

/** `terraform apply PLANFILE` creating `rooms` new rooms (one Terraform process). */
export function applyNewRoomsCost(rooms: number, files: number): Cost {
  return addCosts(CONFIGURE, timesCost(firstApplyCost(files), rooms));
}

/** Terraform's installation token lives one hour (minted once per process, never refreshed: provider issue 977). */
export const TOKEN_LIFETIME_MINUTES = 60;
/** What one shard's plan and apply together may take at most: well inside the token's hour. */
export const PROCESS_TIME_LIMIT_MINUTES = 45;

export interface ShardWorstCase {
  /** Refresh of every room of a full shard. */
  refreshSeconds: number;
  /** First apply of the rooms one run may admit into the shard. */
  applySeconds: number;
  seconds: number;
  requests: number;
}

/**
 * A shard's worst run: the plan refreshes all `shardSize` rooms, then the apply creates the most new
 * rooms one run can admit into it. Counted as if plan and apply were one process (they are two, each
 * minting its own token): the margin covers a slow GitHub.
 */
export function shardWorstCase(
  shardSize: number,
  newRoomsPerRun: number,
  files: number,
  pacing: Pacing,
): ShardWorstCase {
  const refresh = refreshPlanCost(shardSize, files);
  const apply = applyNewRoomsCost(Math.min(shardSize, newRoomsPerRun), files);
  const refreshSeconds = costSeconds(refresh, pacing);
  const applySeconds = costSeconds(apply, pacing);
  return {
    refreshSeconds,
    applySeconds,
    seconds: refreshSeconds + applySeconds,
    requests: refresh.requests + apply.requests,
  };
}

/** The largest shard size up to `cap` whose worst case fits the limit; 0 when not even one room fits. */
export function largestFittingShard(
  cap: number,
  newRoomsPerRun: number,
  files: number,
  pacing: Pacing,
  limitMinutes = PROCESS_TIME_LIMIT_MINUTES,
): number {
  let lo = 0;
  let hi = cap;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (shardWorstCase(mid, newRoomsPerRun, files, pacing).seconds <= limitMinutes * 60) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A course's room (docs/course.md) counted in required files, so every figure above applies to it:
 * its one `github_repository_collaborators` lists collaborators (direct, outside), invitations and
 * teams, 4 reads a refresh where the learner's collaborator costs 2: one file's worth (a file costs 2
 * reads); the feedback branch and pull request read once each: one more. Their first apply (the
 * branch's source read, create and read; the pull request's create and read; the collaborators'
 * lists, a PUT per person and the read back) is within the same equivalence.
 */
export function courseRoomFiles(files: number, feedback: boolean): number {
  return files + 1 + (feedback ? 1 : 0);
}

/**
 * GitHub's content creation for one new course room: the repository, an invitation (or addition)
 * per person (the learner or each team member, each facilitator) and one for a facilitators' team,
 * each file commit, and with feedback the branch and the pull request. Every such write is counted,
 * an organisation member's direct addition included: the budget errs on the safe side.
 */
export function contentCreationPerCourseRoom(opts: {
  files: number;
  people: number;
  team: boolean;
  feedback: boolean;
}): number {
  return 1 + opts.people + (opts.team ? 1 : 0) + opts.files + (opts.feedback ? 2 : 0);
}
