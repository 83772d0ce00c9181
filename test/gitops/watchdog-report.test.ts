import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITHUB_BODY_LIMIT } from '../../gitops/markdown';
import { stackPlanFrom } from '../../gitops/stack-plan';
import {
  expiredInvitationAddresses,
  isHealthy,
  renderWatchdogReport,
  WATCHDOG_LABEL,
  WATCHDOG_MARKER,
  watchdogFindings,
} from '../../gitops/watchdog-report';
import { Learner, serializeRoster } from '../../roster';
import { cli } from '../helpers/cli';
import { learner, roster } from '../../test-kit/rosters';
import { FIXTURES, fixturePlan, springIndex } from '../provisioning/fixtures';

const ALL = ['alice', 'bob', 'carol'];
const provisioned = (h: string, extra: Partial<Learner> = {}) =>
  learner(h, '2026-spring', { provisioning: { state: 'provisioned' }, ...extra });
const healthyRoster = () =>
  roster(
    ALL.map((h) => provisioned(h)),
    ['2026-spring'],
  );
const input = (plan: string, r = healthyRoster(), healEnabled = false) => ({
  stacks: [stackPlanFrom(fixturePlan(plan), springIndex(ALL))],
  roster: r,
  healEnabled,
  runUrl: 'https://github.com/acme/admin/actions/runs/7',
  checkedAt: '2026-10-06T06:17:00Z',
});

describe('watchdog findings', () => {
  test('a clean plan and a healthy roster: healthy, and the body says so', () => {
    const i = input('06-plan-nochange.json');
    expect(isHealthy(watchdogFindings(i))).toBe(true);
    const md = renderWatchdogReport(i);
    expect(md.startsWith(WATCHDOG_MARKER)).toBe(true);
    expect(md).toContain('**All healthy.**');
  });

  test('drift: bob’s room is listed with what changed out of band', () => {
    const f = watchdogFindings(input('07-plan-drift.json'));
    expect(isHealthy(f)).toBe(false);
    expect(f.drift).toEqual([
      expect.objectContaining({
        handle: 'bob',
        action: 'heal',
        what: 'collaborator deleted_out_of_band, file deleted_out_of_band',
      }),
    ]);
    const md = renderWatchdogReport(input('07-plan-drift.json'));
    expect(md).toContain('**Needs attention:** 1 room not as the roster says.');
    expect(md).toContain('| `bob` | `2026-spring` | `2026-spring-bob` | heal |');
    expect(md).toContain('Healing is **off**');
  });

  test('a failed learner and an expired invitation are listed from the roster', () => {
    const r = roster(
      [
        provisioned('alice', { progress: { status: 'invitation-expired', since: '2026-09-29T08:00:00Z' } }),
        learner('bob', '2026-spring', {
          provisioning: {
            state: 'failed',
            cause: 'name-clash',
            detail: 'name already exists on this account',
            last_run_id: '123-1',
          },
        }),
        provisioned('carol', { provisioning: { state: 'archived' }, progress: { status: 'invitation-expired' } }),
      ],
      ['2026-spring'],
    );
    const i = input('06-plan-nochange.json', r, true);
    const f = watchdogFindings(i);
    expect(f.failedLearners.map((l) => l.github_handle)).toEqual(['bob']);
    // An archived room needs no invitation.
    expect(f.expiredInvitations.map((l) => l.github_handle)).toEqual(['alice']);
    const md = renderWatchdogReport(i);
    expect(md).toContain('1 failed learner, 1 expired invitation');
    expect(md).toContain('| `bob` | `2026-spring` | name-clash | name already exists on this account | `123-1` |');
    expect(md).toContain('| `alice` | `2026-spring` | 2026-09-29T08:00:00Z |');
    expect(md).toContain('Healing is **on**');
  });

  test('a cohort whose plan failed is never reported healthy', () => {
    const i = { ...input('06-plan-nochange.json'), stacks: [stackPlanFrom(undefined, springIndex(ALL))] };
    expect(isHealthy(watchdogFindings(i))).toBe(false);
    expect(renderWatchdogReport(i)).toContain('- `cohort-2026-spring`: no plan was made');
    const errored = input('12-plan-429.errored-plan.json');
    expect(renderWatchdogReport(errored)).toContain('the plan errored (often a rate limit: re-run later)');
  });

  test('queued learners are counted but are not a problem', () => {
    const i = {
      ...input('06-plan-nochange.json'),
      stacks: [stackPlanFrom(fixturePlan('06-plan-nochange.json'), springIndex(ALL, { dave: 'budget' }))],
    };
    expect(isHealthy(watchdogFindings(i))).toBe(true);
    expect(renderWatchdogReport(i)).toContain('1 learner is queued for admission');
  });

  test('10,000 failed learners still fit one issue body, with a pointer to the run', () => {
    const many = roster(
      Array.from({ length: 10_000 }, (_, n) =>
        learner(`learner-${n}`, '2026-spring', {
          provisioning: { state: 'failed', cause: 'rate-limit', detail: 'secondary rate limit' },
        }),
      ),
      ['2026-spring'],
    );
    const md = renderWatchdogReport(input('06-plan-nochange.json', many));
    expect(md.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(md).toContain('10000 failed learners');
    expect(md).toMatch(/… and \d+ more failed learners: see \[the workflow run\]/);
  });
});

describe('expired invitations to re-send', () => {
  test('the collaborator address of each admitted learner of that cohort whose invitation expired', () => {
    const r = roster(
      [
        provisioned('Alice', { progress: { status: 'invitation-expired' } }),
        provisioned('bob', { progress: { status: 'invited' } }),
        learner('carol', '2026-autumn', { progress: { status: 'invitation-expired' } }),
      ],
      ['2026-spring', '2026-autumn'],
    );
    expect(expiredInvitationAddresses(r, springIndex(['alice', 'bob']))).toEqual([
      'github_repository_collaborator.learner-alice',
    ]);
    // Not admitted this run: no collaborator resource to replace.
    expect(expiredInvitationAddresses(r, springIndex(['bob'], { alice: 'budget' }))).toEqual([]);
  });

  test('the command prints one address a line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchdog-'));
    writeFileSync(
      join(dir, 'roster.json'),
      serializeRoster(roster([provisioned('alice', { progress: { status: 'invitation-expired' } })], ['2026-spring'])),
    );
    writeFileSync(join(dir, 'learners.json'), JSON.stringify(springIndex(['alice'])));
    const r = await cli(['expired-invitations', '--roster', 'roster.json', '--index', 'learners.json'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: 'github_repository_collaborator.learner-alice\n', stderr: '' });
  });
});

describe('watchdog-report command', () => {
  test('prints unhealthy and writes the issue body', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchdog-'));
    writeFileSync(join(dir, 'roster.json'), serializeRoster(healthyRoster()));
    writeFileSync(join(dir, 'learners.json'), JSON.stringify(springIndex(ALL)));
    const args = ['watchdog-report', '--roster', 'roster.json', '--index', 'learners.json', '--out', 'issue.md'];
    const drift = await cli([...args, '--plan', join(FIXTURES, '07-plan-drift.json')], { cwd: dir });
    expect(drift).toEqual({ code: 0, stdout: 'unhealthy\n', stderr: '' });
    expect(readFileSync(join(dir, 'issue.md'), 'utf8')).toContain('| `bob` |');
    const clean = await cli([...args, '--plan', join(FIXTURES, '06-plan-nochange.json')], { cwd: dir });
    expect(clean.stdout).toBe('healthy\n');
  });

  test('the workflow script finds the issue by the same label', () => {
    const script = readFileSync(join(__dirname, '..', '..', '.github', 'scripts', 'watchdog-issue.sh'), 'utf8');
    expect(script).toContain(`label='${WATCHDOG_LABEL}'`);
  });
});
