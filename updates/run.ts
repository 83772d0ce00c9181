/**
 * A round of starter-code updates: for each unit (a cohort's or an assignment's rooms) whose
 * template moved past the recorded commit, one pull request per room on its own branch, never a
 * push to a default branch. Idempotent: a room that has our pull request (open, merged or closed)
 * is skipped, a branch left without one gets it, files already as the template has them are not
 * written again. Rooms go one at a time, each only when the budget allows all of it; a run that
 * stops leaves the rest for the next one. The cores decide; this file sequences the calls.
 */
import type { GitHubOctokit } from '../shared/github-client';
import { nextRoom, roomCost, type BudgetLimits, type RateState } from './budget';
import {
  branchHead,
  createBranch,
  deleteBranch,
  deleteFile,
  filesAt,
  isRateLimited,
  openPullRequest,
  putFile,
  readBlob,
  readRoom,
  readTree,
  statusOf,
  templateHead,
} from './github';
import { commitMessage, pullRequestBody, pullRequestTitle, updateBranch } from './pull-request-text';
import { pendingWrites, proposeForRoom, type ProposedFile } from './room-plan';
import type { StarterCodeStatus } from './status';
import { diffTrees, type TemplateChange } from './template-diff';
import type { RoomTarget, UpdateUnit } from './units';

export type RoomOutcome =
  | 'opened'
  | 'would-open'
  | 'already-open'
  | 'merged'
  | 'declined'
  | 'up-to-date'
  | 'archived'
  | 'missing'
  | 'failed'
  | 'left';

/** Outcomes after which a room needs nothing more from this round. */
const DONE: ReadonlySet<RoomOutcome> = new Set([
  'opened',
  'already-open',
  'merged',
  'declined',
  'up-to-date',
  'archived',
  'missing',
]);

export interface RoomResult {
  unit: string;
  repository: string;
  learners: string[];
  outcome: RoomOutcome;
  detail?: string;
  pull_request?: { number: number; url: string };
  files?: { path: string; change: ProposedFile['action']; learner_changed?: true }[];
}

export interface UnitResult {
  unit: string;
  cohort_id: string;
  assignment_id?: string;
  status: StarterCodeStatus;
  change?: TemplateChange;
  /** Every room of the unit needs nothing more: the recorded template_ref may move to the head. */
  complete: boolean;
}

export interface ProposeResult {
  units: UnitResult[];
  rooms: RoomResult[];
  /** Why the run stopped before the end (rooms left for the next run). */
  stopped?: string;
  requests: number;
  writes: number;
}

export interface ProposeOptions {
  octokit: GitHubOctokit;
  /** Owner of the rooms. */
  owner: string;
  units: readonly UpdateUnit[];
  /** Read everything, write nothing. */
  dryRun?: boolean;
  /** Only the template lines (`--count`): no room is read. */
  countOnly?: boolean;
  /** Most pull requests opened (or, dry, that would be) this run. */
  limit?: number;
  budget: BudgetLimits;
  maxFileBytes?: number;
}

export function isDone(outcome: RoomOutcome): boolean {
  return DONE.has(outcome);
}

/** Counts requests and keeps GitHub's last rate-limit headers, through the client's hooks. */
function meter(octokit: GitHubOctokit) {
  const m = { requests: 0, writes: 0, rate: {} as RateState };
  const read = (headers: Record<string, unknown> | undefined) => {
    const n = (k: string) => (headers?.[k] === undefined ? undefined : Number(headers[k]));
    if (n('x-ratelimit-remaining') !== undefined)
      m.rate = { remaining: n('x-ratelimit-remaining'), limit: n('x-ratelimit-limit'), reset: n('x-ratelimit-reset') };
  };
  octokit.hook.before('request', (options) => {
    m.requests++;
    // Minting the installation token is no content creation.
    if (options.method !== 'GET' && !String(options.url).startsWith('/app/')) m.writes++;
  });
  octokit.hook.after('request', (response) => read(response.headers as Record<string, unknown>));
  octokit.hook.error('request', (error) => {
    read((error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
    throw error;
  });
  return m;
}

function baseStatus(unit: UpdateUnit): StarterCodeStatus {
  return {
    cohort_id: unit.cohort_id,
    ...(unit.assignment_id ? { assignment_id: unit.assignment_id } : {}),
    template: unit.template,
    state: 'unrecorded',
    files: 0,
    refused: 0,
    rooms: unit.rooms.length,
  };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The template's change since the unit's template_ref, as a status line and the files. */
async function templateChange(
  octokit: GitHubOctokit,
  unit: UpdateUnit,
  maxFileBytes: number | undefined,
): Promise<{ status: StarterCodeStatus; change?: TemplateChange }> {
  const status = baseStatus(unit);
  if (!unit.template_ref) return { status };
  const from = unit.template_ref;
  let to: string;
  try {
    to = await templateHead(octokit, unit.template);
  } catch (err) {
    const why = statusOf(err) === 404 ? 'not found, or not visible to these credentials' : errorText(err);
    return { status: { ...status, state: 'unreadable', from, detail: `${unit.template}: ${why}` } };
  }
  if (to === from) return { status: { ...status, state: 'unchanged', from, to } };
  let before;
  try {
    before = await readTree(octokit, unit.template, from);
  } catch (err) {
    const missing = statusOf(err) === 404 || statusOf(err) === 422;
    const detail = missing
      ? `template_ref ${from} is not a commit of ${unit.template}: set it in roster.json to the commit the rooms were made from`
      : errorText(err);
    return { status: { ...status, state: 'unreadable', from, to, detail } };
  }
  const change = diffTrees(before, await readTree(octokit, unit.template, to), {
    requiredFiles: unit.required_files,
    maxFileBytes,
  });
  return {
    status: {
      ...status,
      state: change.files.length > 0 ? 'changed' : 'unchanged',
      from,
      to,
      files: change.files.length,
      refused: change.refused.length + change.required.length,
    },
    change,
  };
}

export async function proposeUpdates(options: ProposeOptions): Promise<ProposeResult> {
  const { octokit, owner } = options;
  const m = meter(octokit);
  const result: ProposeResult = { units: [], rooms: [], requests: 0, writes: 0 };
  const blobs = new Map<string, Promise<string>>();
  let proposals = 0;

  for (const unit of options.units) {
    // After a stop, no more reads: a rate limit met would only fail them.
    const { status, change } = result.stopped
      ? { status: { ...baseStatus(unit), state: 'not-read' as const }, change: undefined }
      : await templateChange(octokit, unit, options.maxFileBytes);
    const unitResult: UnitResult = {
      unit: unit.key,
      cohort_id: unit.cohort_id,
      ...(unit.assignment_id ? { assignment_id: unit.assignment_id } : {}),
      status,
      ...(change ? { change } : {}),
      complete: status.state === 'unchanged',
    };
    result.units.push(unitResult);
    if (status.state === 'not-read')
      for (const room of unit.rooms)
        result.rooms.push({ unit: unit.key, repository: room.repository, learners: room.learners, outcome: 'left' });
    if (options.countOnly || status.state !== 'changed' || !change || !status.from || !status.to) continue;

    const from = status.from;
    const to = status.to;
    const branch = updateBranch(to);
    const blob = (sha: string) => {
      const key = `${unit.template}@${sha}`;
      if (!blobs.has(key)) blobs.set(key, readBlob(octokit, unit.template, sha));
      return blobs.get(key)!; // set just above
    };

    const roomOnce = async (room: RoomTarget): Promise<RoomResult> => {
      const base = { unit: unit.key, repository: room.repository, learners: room.learners };
      const repo = room.repository;
      const state = await readRoom(octokit, owner, repo, branch);
      if (!state.exists) return { ...base, outcome: 'missing' };
      if (state.archived) return { ...base, outcome: 'archived' };
      const ours = state.pulls.find((p) => p.state === 'open') ?? state.pulls[0];
      if (ours) {
        const outcome = ours.state === 'open' ? 'already-open' : ours.state === 'merged' ? 'merged' : 'declined';
        return { ...base, outcome, pull_request: { number: ours.number, url: ours.url } };
      }
      const defaultHead = await branchHead(octokit, owner, repo, state.defaultBranch);
      if (!defaultHead) return { ...base, outcome: 'failed', detail: 'the repository has no commits yet' };
      const onDefault = await filesAt(octokit, owner, repo, defaultHead);
      const proposal = proposeForRoom(change.files, onDefault);
      const files = proposal.files.map((f) => ({
        path: f.path,
        change: f.action,
        ...(f.learnerChanged ? { learner_changed: true as const } : {}),
      }));
      if (proposal.files.length === 0) return { ...base, outcome: 'up-to-date' };
      if (options.dryRun) return { ...base, outcome: 'would-open', files };

      const existing = await branchHead(octokit, owner, repo, branch);
      if (!existing) await createBranch(octokit, owner, repo, branch, defaultHead);
      const onBranch = existing ? await filesAt(octokit, owner, repo, existing) : onDefault;
      const at = { owner, repo, branch };
      for (const w of pendingWrites(proposal, onBranch)) {
        const message = commitMessage(w.kind === 'delete' ? 'remove' : w.sha ? 'update' : 'add', w.path, unit.template);
        if (w.kind === 'delete') await deleteFile(octokit, at, { path: w.path, sha: w.sha, message });
        else await putFile(octokit, at, { path: w.path, content: await blob(w.to), sha: w.sha, message });
      }
      const opened = await openPullRequest(
        octokit,
        { ...at, base: state.defaultBranch },
        {
          title: pullRequestTitle(unit.template, from, to),
          body: pullRequestBody({ template: unit.template, from, to, branch, ...proposal }),
        },
      );
      if ('opened' in opened)
        return {
          ...base,
          outcome: 'opened',
          pull_request: { number: opened.opened.number, url: opened.opened.url },
          files,
        };
      if ('alreadyOpen' in opened) return { ...base, outcome: 'already-open' };
      // Our branch holds nothing the default branch lacks: drop it rather than leave it about.
      await deleteBranch(octokit, owner, repo, branch);
      return { ...base, outcome: 'up-to-date' };
    };

    let done = 0;
    for (const room of unit.rooms) {
      const base = { unit: unit.key, repository: room.repository, learners: room.learners };
      if (result.stopped) {
        result.rooms.push({ ...base, outcome: 'left' });
        continue;
      }
      if (options.limit !== undefined && proposals >= options.limit) {
        result.rooms.push({ ...base, outcome: 'left', detail: `the limit of ${options.limit} for this run` });
        continue;
      }
      const verdict = nextRoom(m.writes, m.rate, roomCost(change.files.length, options.dryRun), options.budget);
      if (!verdict.go) {
        result.stopped = verdict.reason;
        result.rooms.push({ ...base, outcome: 'left' });
        continue;
      }
      let r: RoomResult;
      try {
        r = await roomOnce(room);
      } catch (err) {
        if (isRateLimited(err)) {
          result.stopped = `GitHub's rate limit: ${errorText(err)}`;
          r = { ...base, outcome: 'left', detail: 'stopped by the rate limit; resumed by the next run' };
        } else r = { ...base, outcome: 'failed', detail: errorText(err) };
      }
      if (r.outcome === 'opened' || r.outcome === 'would-open') proposals++;
      if (isDone(r.outcome)) done++;
      result.rooms.push(r);
    }
    unitResult.complete = done === unit.rooms.length;
  }
  result.requests = m.requests;
  result.writes = m.writes;
  return result;
}

/** The template_ref moves a finished round allows: every room of the unit needs nothing more. */
export function templateRefMoves(result: ProposeResult): { cohort_id: string; assignment_id?: string; sha: string }[] {
  return result.units.flatMap((u) =>
    u.complete && u.status.to && u.status.to !== u.status.from
      ? [{ cohort_id: u.cohort_id, ...(u.assignment_id ? { assignment_id: u.assignment_id } : {}), sha: u.status.to }]
      : [],
  );
}
