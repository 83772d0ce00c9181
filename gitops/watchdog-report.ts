/**
 * The drift watchdog's findings as the body of its one admin issue: rooms whose plan is not
 * clean (drift, pending provisioning, archives), cohorts whose plan failed, learners the last
 * apply failed, and invitations that expired. Healthy means nothing to list: the workflow then
 * closes the issue.
 */
import type { Learner, Roster } from '../roster/types';
import { foldHandle } from '../roster/handle';
import { code, fit, GITHUB_BODY_LIMIT, Part, table, text } from './markdown';
import type { StackPlan } from './stack-plan';
import type { LearnerIndex } from '../contracts/learner-index';

export const WATCHDOG_MARKER = '<!-- learning-rooms:watchdog -->';
/** The label that finds the watchdog's issue again (created by the workflow if missing). */
export const WATCHDOG_LABEL = 'learning-rooms-watchdog';
export const WATCHDOG_TITLE = 'Learning rooms watchdog: attention needed';

export interface WatchdogInput {
  stacks: StackPlan[];
  roster: Pick<Roster, 'learners'>;
  /** Whether the operator enabled healing by apply (`LEARNING_ROOMS_HEAL` in config/gitops.json). */
  healEnabled: boolean;
  runUrl?: string;
  /** ISO time of the check. */
  checkedAt: string;
}

export interface WatchdogFindings {
  /** Learners whose room the plan would change (drift healed, provisioning pending, archive...). */
  drift: { handle: string; cohort: string; repository?: string; action: string; what: string }[];
  /** Stacks whose plan failed or is missing. */
  failedPlans: { stack: string; status: StackPlan['status'] }[];
  failedLearners: Learner[];
  expiredInvitations: Learner[];
  /** Learners waiting for admission (not a problem: the next apply admits them). */
  queued: number;
}

export function watchdogFindings(input: Pick<WatchdogInput, 'stacks' | 'roster'>): WatchdogFindings {
  const drift: WatchdogFindings['drift'] = [];
  let queued = 0;
  for (const s of input.stacks) {
    for (const l of s.learners) {
      if (l.action === 'no-change') continue;
      if (l.action === 'queued') {
        queued++;
        continue;
      }
      const what = l.resources
        .map(
          (r) =>
            `${r.address.split('.')[0].replace(/^github_repository_?/, '') || 'repository'} ${r.reason ?? r.actions.join('/')}`,
        )
        .join(', ');
      drift.push({
        handle: l.github_handle,
        cohort: l.cohort_id ?? s.cohort_id,
        repository: l.repository,
        action: l.action,
        what,
      });
    }
  }
  const byName = (a: Learner, b: Learner) =>
    a.cohort_id.localeCompare(b.cohort_id) || a.github_handle.localeCompare(b.github_handle);
  return {
    drift: drift.sort((a, b) => a.cohort.localeCompare(b.cohort) || a.handle.localeCompare(b.handle)),
    failedPlans: input.stacks.filter((s) => s.status !== 'planned').map((s) => ({ stack: s.stack, status: s.status })),
    failedLearners: input.roster.learners.filter((l) => l.provisioning.state === 'failed').sort(byName),
    expiredInvitations: input.roster.learners
      .filter((l) => l.progress?.status === 'invitation-expired' && l.provisioning.state !== 'archived')
      .sort(byName),
    queued,
  };
}

export function isHealthy(f: WatchdogFindings): boolean {
  return (
    f.drift.length === 0 &&
    f.failedPlans.length === 0 &&
    f.failedLearners.length === 0 &&
    f.expiredInvitations.length === 0
  );
}

/** Failed plans listed when the body must be shortened (each names its cohort stack). */
const FAILED_PLANS_MAX = 200;

function link(url: string | undefined, label: string): string {
  return url ? `[${label}](${url})` : label;
}

export function renderWatchdogReport(input: WatchdogInput, limit = GITHUB_BODY_LIMIT): string {
  const f = watchdogFindings(input);
  const fullReport = `${link(input.runUrl, 'the workflow run')} (artifact \`watchdog-report\`)`;
  const more = (what: string) => (k: number) => `\n… and ${k} more ${what}: see ${fullReport}.`;
  const parts: Part[] = [WATCHDOG_MARKER, '## Learning rooms watchdog', ''];
  const summary = [
    f.drift.length && `${f.drift.length} room${f.drift.length === 1 ? '' : 's'} not as the roster says`,
    f.failedPlans.length && `${f.failedPlans.length} cohort plan${f.failedPlans.length === 1 ? '' : 's'} failed`,
    f.failedLearners.length && `${f.failedLearners.length} failed learner${f.failedLearners.length === 1 ? '' : 's'}`,
    f.expiredInvitations.length &&
      `${f.expiredInvitations.length} expired invitation${f.expiredInvitations.length === 1 ? '' : 's'}`,
  ].filter(Boolean);
  parts.push(
    isHealthy(f)
      ? '**All healthy.** Nothing drifted, no learner failed, no invitation expired.'
      : `**Needs attention:** ${summary.join(', ')}.`,
    '',
    `Checked ${input.checkedAt} (${link(input.runUrl, 'workflow run')}). ` +
      (input.healEnabled
        ? 'Healing is **on**: the watchdog applies the plan and re-sends expired invitations for the cohorts listed here.'
        : 'Healing is **off**: set `"LEARNING_ROOMS_HEAL": true` in `config/gitops.json` to let the watchdog apply, or run the **Watchdog** workflow by hand with **heal** ticked.'),
    '',
  );
  if (f.queued > 0)
    parts.push(
      `${f.queued} learner${f.queued === 1 ? ' is' : 's are'} queued for admission (the next apply admits them).`,
      '',
    );

  if (f.failedPlans.length > 0) {
    parts.push('### Plans that failed', '');
    parts.push({
      head: [],
      rows: f.failedPlans.map(
        (p) =>
          `- ${code(p.stack)}: ${p.status === 'errored' ? 'the plan errored (often a rate limit: re-run later)' : 'no plan was made (see the job log: init, backend or credentials)'}`,
      ),
      more: more('failed cohort plans'),
      // Leaves room for the rooms and learners below when thousands of plans failed at once.
      max: FAILED_PLANS_MAX,
    });
    parts.push('');
  }
  if (f.drift.length > 0) {
    parts.push('### Rooms that differ from the roster', '');
    parts.push({
      head: table(['learner', 'cohort', 'repository', 'change', 'what'], []),
      rows: f.drift.map(
        (d) =>
          `| ${code(d.handle)} | ${code(d.cohort)} | ${d.repository ? code(d.repository) : ''} | ${d.action === 'archive' ? '**archive**' : d.action} | ${text(d.what, 300)} |`,
      ),
      more: more('rooms'),
    });
    parts.push('');
  }
  if (f.failedLearners.length > 0) {
    parts.push('### Failed learners', '');
    parts.push({
      head: table(['learner', 'cohort', 'cause', 'detail', 'last run'], []),
      rows: f.failedLearners.map(
        (l) =>
          `| ${code(l.github_handle)} | ${code(l.cohort_id)} | ${l.provisioning.cause ?? ''} | ${text(l.provisioning.detail ?? '', 300)} | ${l.provisioning.last_run_id ? code(l.provisioning.last_run_id) : ''} |`,
      ),
      more: more('failed learners'),
    });
    parts.push('');
  }
  if (f.expiredInvitations.length > 0) {
    parts.push(
      '### Expired invitations',
      '',
      'GitHub invitations expire after 7 days and the Terraform provider never re-invites on its own. ' +
        (input.healEnabled
          ? "The watchdog re-sends these: it replaces a learner's collaborator resource, and in a course's rooms deletes the expired invitation so the next apply invites the learner again."
          : 'Heal (or `terraform apply -replace=<collaborator address>`; in a course, `learning-rooms expired-invitations --withdraw` before the plan) re-sends them.'),
      '',
    );
    parts.push({
      head: table(['learner', 'cohort', 'expired since'], []),
      rows: f.expiredInvitations.map(
        (l) => `| ${code(l.github_handle)} | ${code(l.cohort_id)} | ${l.progress?.since ?? ''} |`,
      ),
      more: more('expired invitations'),
    });
    parts.push('');
  }
  parts.push(
    '<sub>This issue is kept up to date by the watchdog workflow and closed when everything is healthy.</sub>',
  );
  return fit(parts, limit, `… cut here: the report is too long for an issue; the full report is in ${fullReport}.`);
}

/**
 * The collaborator addresses of one stack whose invitation expired: `terraform plan
 * -replace=<address>` re-sends them (the provider counts an expired invitation as present).
 */
export function expiredInvitationAddresses(roster: Pick<Roster, 'learners'>, index: LearnerIndex): string[] {
  const expired = new Set(
    roster.learners
      .filter(
        (l) =>
          l.progress?.status === 'invitation-expired' &&
          l.provisioning.state !== 'archived' &&
          l.cohort_id === index.cohort_id,
      )
      .map((l) => foldHandle(l.github_handle)),
  );
  // A course's learners have no collaborator of their own (docs/course.md): nothing to re-send there.
  return index.learners
    .filter((e) => e.admitted && e.addresses.collaborator !== '' && expired.has(foldHandle(e.github_handle)))
    .map((e) => e.addresses.collaborator);
}
