/**
 * What an apply did for each learner of the applied stack: the pure core of the post-step.
 *
 * Inputs are the plan that was applied (`terraform show -json PLANFILE`), the apply's `-json`
 * stream and the stack's learner index. Facts of Terraform's stream this relies on (see
 * test/fixtures/terraform/README.md):
 * - a failed resource gives `apply_errored`, and its error `diagnostic` (joined by address) may come
 *   much later, at the end of the stream;
 * - dependents of a failed resource emit nothing: "not attempted" = planned but never started;
 * - a failed apply has no `change_summary`, so success is judged per resource, never from it;
 * - a no-op resource emits nothing, so learners without planned changes come from the plan/index.
 */
import type { FailureCause, ProvisioningOutcome } from '../roster/types';
import { compareHandles, foldHandle } from '../roster/handle';
import type { LearnerIndex, LearnerIndexEntry } from '../contracts/learner-index';
import { Attribution, LearnerAttributor } from './attribution';
import { ClassifiedFailure, classifyFailure } from './failure-cause';
import { isArchivedEntry } from '../contracts/learner-index';
import { driftedAddresses, groupByLearner, LearnerPlanAction, learnerAction } from './plan-changes';
import { accessChangesOf, accessChangeText } from './access-changes';
import {
  errorDiagnostics,
  ResourceChange,
  StreamDiagnostic,
  TerraformPlanJson,
  TerraformStream,
} from '../contracts/terraform-plan';

export interface LearnerOutcome {
  github_handle: string;
  cohort_id: string;
  repository?: string;
  outcome: ProvisioningOutcome;
  cause?: FailureCause;
  /** Short, non-secret: what was done, or what failed and GitHub's message. */
  detail: string;
}

export interface OutcomeReport {
  cohort_id: string;
  outcomes: LearnerOutcome[];
  /** Things the operator should know that did not stop the classification. */
  warnings: string[];
}

export interface OutcomeInput {
  plan: TerraformPlanJson;
  stream: TerraformStream;
  index: LearnerIndex;
}

type ResourceResult =
  | { state: 'done' }
  | { state: 'failed'; failure: ClassifiedFailure }
  | { state: 'in-progress' }
  | { state: 'not-attempted' };

const isNoOp = (actions: string[]) => actions.length === 0 || actions.every((a) => a === 'no-op' || a === 'read');

const SUCCESS: Record<Exclude<LearnerPlanAction, 'queued' | 'no-change'>, ProvisioningOutcome> = {
  provision: 'created',
  heal: 'healed',
  update: 'healed',
  archive: 'archived',
};

function verb(actions: string[]): string {
  if (actions.includes('create') && actions.includes('delete')) return 'replaced';
  if (actions.includes('create')) return 'created';
  if (actions.includes('delete')) return 'deleted';
  if (actions.includes('update')) return 'updated';
  return actions.join('+');
}

/**
 * "repository", "collaborator", "file .github/workflows/ack.yml" (when the index knows the path); a
 * course's resource names its room: "room web-101-a1-html-alice: collaborators".
 */
function resourceLabel(who: Attribution | undefined, address: string): string {
  if (!who) return address;
  const files = who.room?.addresses.files ?? who.entry?.addresses.files ?? {};
  const path = Object.keys(files).find((p) => files[p] === address);
  const what =
    who.kind === 'file'
      ? path
        ? `file ${path}`
        : `file (${address})`
      : who.kind === 'pull-request'
        ? 'feedback pull request'
        : who.kind === 'branch'
          ? 'feedback branch'
          : who.kind;
  return who.room ? `room ${who.room.repository || who.room.key}: ${what}` : what;
}

/** Only access changed: every changed resource is a course room's collaborators list updated in place, or a facilitator's access. */
function onlyAccess(changed: ResourceChange[], attributor: LearnerAttributor): boolean {
  return (
    changed.length > 0 &&
    changed.every((c) => {
      const kind = attributor.attribute(c)?.kind;
      const a = c.change.actions;
      if (kind === 'collaborators') return a.length === 1 && a[0] === 'update';
      return kind === 'facilitator' || kind === 'facilitator-team';
    })
  );
}

function joinDiagnostics(diags: StreamDiagnostic[]): ClassifiedFailure {
  const first = classifyFailure(diags[0].summary, diags[0].detail);
  if (diags.length === 1) return first;
  return { ...first, message: `${first.message} (+${diags.length - 1} more error${diags.length > 2 ? 's' : ''})` };
}

export function classifyOutcomes({ plan, stream, index }: OutcomeInput): OutcomeReport {
  const warnings: string[] = [];
  const attributor = new LearnerAttributor(index, plan);
  const drifted = driftedAddresses(plan);
  const groups = groupByLearner(plan, attributor);
  const planned = new Map(plan.resource_changes.map((c) => [c.address, c]));

  for (const address of stream.resources.keys()) {
    if (!planned.has(address)) {
      warnings.push(`the apply stream mentions ${address}, which is not in the plan: was this plan the one applied?`);
    }
  }
  for (const p of stream.problems) warnings.push(p.message);

  // Error diagnostics: joined to resources by address; those without one concern the whole run.
  const errorsByAddress = new Map<string, StreamDiagnostic[]>();
  const runErrors: StreamDiagnostic[] = [];
  const learnerErrors = new Map<string, { who: Attribution; diags: StreamDiagnostic[] }>();
  for (const d of errorDiagnostics(stream)) {
    if (!d.address) {
      runErrors.push(d);
      continue;
    }
    errorsByAddress.set(d.address, [...(errorsByAddress.get(d.address) ?? []), d]);
    const change = planned.get(d.address);
    if (change && !isNoOp(change.change.actions)) continue; // judged with the resource itself
    // An error on a resource the plan left alone (or does not list) still belongs to its learner.
    const who = change ? attributor.attribute(change) : attributor.attributeAddress(d.address);
    if (who) {
      const known = learnerErrors.get(who.key);
      if (known) known.diags.push(d);
      else learnerErrors.set(who.key, { who, diags: [d] });
    } else runErrors.push(d);
  }
  const runFailure = runErrors.length > 0 ? joinDiagnostics(runErrors) : undefined;

  const resultOf = (c: ResourceChange): ResourceResult => {
    const t = stream.resources.get(c.address);
    const diags = errorsByAddress.get(c.address);
    if (t?.completed && !diags) return { state: 'done' };
    // "forget" (a removed block with destroy = false) only edits the state: Terraform emits no
    // apply hooks for it, so no news is good news.
    if (!diags && c.change.actions.every((a) => a === 'forget')) return { state: 'done' };
    if (diags) return { state: 'failed', failure: joinDiagnostics(diags) };
    if (t?.errored) {
      return {
        state: 'failed',
        failure: {
          cause: 'other',
          message:
            'Terraform reported the resource as errored, but its error message is not in the apply stream (truncated?)',
        },
      };
    }
    if (t?.started) return { state: 'in-progress' };
    return { state: 'not-attempted' };
  };

  const cohortOf = (entry: LearnerIndexEntry | undefined) => entry?.cohort_id ?? index.cohort_id;
  const outcomes: LearnerOutcome[] = [];
  const seen = new Set<string>();

  for (const [key, g] of groups) {
    seen.add(key);
    const who = g.attribution;
    const base = {
      github_handle: who.handle,
      cohort_id: cohortOf(who.entry),
      ...(who.repository ? { repository: who.repository } : {}),
    };
    const action = learnerAction(g.changes, attributor, drifted);
    const changed = g.changes.filter((c) => !isNoOp(c.change.actions));
    const results = changed.map((c) => ({
      change: c,
      label: resourceLabel(attributor.attribute(c), c.address),
      result: resultOf(c),
    }));
    const ownErrors = learnerErrors.get(key)?.diags;

    const failed = results.filter((r) => r.result.state === 'failed');
    const unfinished = results.filter((r) => r.result.state === 'in-progress' || r.result.state === 'not-attempted');
    if (failed.length > 0 || unfinished.length > 0 || ownErrors) {
      outcomes.push({ ...base, outcome: 'failed', ...failureOf(failed, unfinished, ownErrors, runFailure, results) });
      continue;
    }
    if (action === 'no-change') {
      const adopted = g.changes.some((c) => c.importing);
      outcomes.push({
        ...base,
        outcome: 'already-exists',
        detail: adopted ? 'existing repository adopted (imported into Terraform)' : 'nothing to change',
      });
      continue;
    }
    if (action === 'queued') continue; // learnerAction never returns it (queued learners have no changes)
    if ((action === 'update' || action === 'heal') && onlyAccess(changed, attributor)) {
      outcomes.push({ ...base, outcome: 'access-changed', detail: accessDetail(results) });
      continue;
    }
    outcomes.push({ ...base, outcome: SUCCESS[action], detail: successDetail(action, results, drifted, plan) });
  }

  for (const entry of index.learners) {
    const key = foldHandle(entry.github_handle);
    if (seen.has(key)) continue;
    seen.add(key);
    const base = { github_handle: entry.github_handle, cohort_id: entry.cohort_id, repository: entry.repository };
    const own = learnerErrors.get(key)?.diags;
    if (own) {
      const f = joinDiagnostics(own);
      outcomes.push({ ...base, outcome: 'failed', cause: f.cause, detail: f.message });
    } else if (isArchivedEntry(entry)) {
      // Out of the configuration on purpose and nothing left to do: the room was archived earlier.
      outcomes.push({ ...base, outcome: 'archived', detail: `already archived (${entry.queued_reason})` });
    } else if (!entry.admitted) {
      outcomes.push({ ...base, outcome: 'queued', detail: entry.queued_reason ?? 'not admitted this run' });
    } else if (plan.errored || !plan.complete) {
      outcomes.push({
        ...base,
        outcome: 'failed',
        cause: runFailure?.cause ?? 'other',
        detail: runFailure
          ? `not planned: ${runFailure.message}`
          : 'not planned: the plan errored before the resources of this learner were refreshed',
      });
    } else {
      warnings.push(`${entry.github_handle}: admitted in the learner index but none of their resources is in the plan`);
      outcomes.push({
        ...base,
        outcome: 'failed',
        cause: 'other',
        detail: 'none of the resources of this learner is in the applied plan',
      });
    }
  }
  // Errors on resources of a learner that neither the plan nor the index lists (removed learners).
  for (const [key, { who, diags }] of learnerErrors) {
    if (seen.has(key)) continue;
    const f = joinDiagnostics(diags);
    outcomes.push({
      github_handle: who.handle,
      cohort_id: cohortOf(who.entry),
      outcome: 'failed',
      cause: f.cause,
      detail: f.message,
    });
  }
  outcomes.sort((a, b) => compareHandles(a.github_handle, b.github_handle));
  return { cohort_id: index.cohort_id, outcomes, warnings };
}

type Labelled = { change: ResourceChange; label: string; result: ResourceResult };

function failureOf(
  failed: Labelled[],
  unfinished: Labelled[],
  ownErrors: StreamDiagnostic[] | undefined,
  runFailure: ClassifiedFailure | undefined,
  all: Labelled[],
): { cause: FailureCause; detail: string } {
  const done = all.filter((r) => r.result.state === 'done').map((r) => `${r.label} ${verb(r.change.change.actions)}`);
  const doneNote = done.length > 0 ? ` (done before it: ${done.join(', ')})` : '';
  // The repository's own error comes first: its dependents were not attempted because of it.
  const primary = failed.find((r) => r.label === 'repository') ?? failed[0];
  if (primary && primary.result.state === 'failed') {
    const notAttempted = unfinished.filter((r) => r.result.state === 'not-attempted').length;
    const others = failed.length - 1;
    const extra = [
      others > 0 ? `${others} more resource${others > 1 ? 's' : ''} failed` : '',
      notAttempted > 0 ? `${notAttempted} dependent${notAttempted > 1 ? 's' : ''} not attempted` : '',
    ].filter((s) => s);
    return {
      cause: primary.result.failure.cause,
      detail: `${primary.label}: ${primary.result.failure.message}${extra.length ? `; ${extra.join(', ')}` : ''}${doneNote}`,
    };
  }
  if (ownErrors) {
    const f = joinDiagnostics(ownErrors);
    return { cause: f.cause, detail: f.message };
  }
  const inProgress = unfinished.find((r) => r.result.state === 'in-progress');
  if (inProgress) {
    return {
      cause: runFailure?.cause ?? 'other',
      detail: `${inProgress.label}: still in progress when the apply stream ended${runFailure ? `: ${runFailure.message}` : ' (apply cancelled or killed?)'}${doneNote}`,
    };
  }
  const labels = unfinished.map((r) => r.label).join(', ');
  return {
    cause: runFailure?.cause ?? 'other',
    detail: runFailure
      ? `not attempted (${labels}): ${runFailure.message}${doneNote}`
      : `not attempted (${labels}): the apply stream ends before these resources started (apply cancelled or killed?)${doneNote}`,
  };
}

/** "room web-101-a1-html-alice: alice push → pull; room ...: tina-ta removed" (every person of the room, so a team's log entry says it all). */
function accessDetail(results: Labelled[]): string {
  const parts = results.map((r) => {
    const changes = accessChangesOf(r.change);
    if (changes.length === 0) return `${r.label} ${verb(r.change.change.actions)}`;
    return `${r.label.replace(/: collaborators$/, '')}: ${changes.map(accessChangeText).join(', ')}`;
  });
  return `access changed: ${parts.join('; ')}`;
}

function successDetail(
  action: LearnerPlanAction,
  results: Labelled[],
  drifted: Map<string, string[]>,
  plan: TerraformPlanJson,
): string {
  if (action === 'provision') return `room created (${results.length} resource${results.length === 1 ? '' : 's'})`;
  if (action === 'archive') {
    // A course's learner may have several rooms archived at once (the end of course): each is named.
    const repos = results.filter(
      (r) =>
        (r.label === 'repository' || r.label.endsWith(': repository')) && r.change.change.actions.includes('delete'),
    );
    const texts = repos.map((repo) => {
      const prior = plan.prior_state.get(repo.change.address);
      const archiveOnDestroy = repo.change.change.before?.archive_on_destroy ?? prior?.archive_on_destroy;
      const how =
        archiveOnDestroy === true
          ? 'repository archived'
          : archiveOnDestroy === false
            ? 'repository DELETED (archive_on_destroy is off)'
            : 'repository removed';
      const reason =
        repo.change.action_reason === 'delete_because_no_resource_config' ? ': no longer in the configuration' : '';
      const room = repo.label === 'repository' ? '' : `${repo.label.replace(/: repository$/, '')}: `;
      return `${room}${how}${reason}`;
    });
    return texts.length > 0 ? texts.join('; ') : 'repository removed';
  }
  const parts = results.map((r) => {
    const d = drifted.get(r.change.address);
    const why = d ? (d.includes('delete') ? ' (deleted out of band)' : ' (changed out of band)') : '';
    return `${r.label} ${verb(r.change.change.actions)}${why}`;
  });
  return `${action === 'heal' ? 'restored' : 'updated'}: ${parts.join(', ')}`;
}
