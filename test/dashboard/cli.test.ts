/** `learning-rooms dashboard` and `watchdog-report --findings-out`: files in, pages out, every bad input named at once. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardWorld } from '../../test-kit/dashboard-world';
import { parseWatchdogSnapshot, watchdogSnapshot } from '../../gitops/watchdog-findings';
import { serializeHistory } from '../../progress/history';
import { serializeReport } from '../../progress/report';
import { serializeLog } from '../../provisioning/log';
import { serializeRoster } from '../../roster';
import { cli } from '../helpers/cli';

function admin(n = 20): string {
  const w = dashboardWorld(n);
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-cli-'));
  writeFileSync(join(dir, 'roster.json'), serializeRoster(w.roster));
  writeFileSync(join(dir, 'progress.json'), serializeReport(w.report));
  writeFileSync(join(dir, 'progress-history.json'), serializeHistory(w.history));
  writeFileSync(join(dir, 'provisioning-log.json'), serializeLog(w.log));
  writeFileSync(join(dir, 'findings.json'), JSON.stringify(w.watchdog));
  return dir;
}

describe('learning-rooms dashboard', () => {
  it('writes both pages beside the roster from the records there, then leaves them alone while nothing changes', async () => {
    const dir = admin();
    const first = await cli(['dashboard', 'roster.json', '--watchdog', 'findings.json'], { cwd: dir });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^wrote .*dashboard\/index\.html \(\d+ KiB\)\nwrote .*dashboard\/redacted\.html/);
    const page = readFileSync(join(dir, 'dashboard/index.html'), 'utf8');
    expect(page).toContain('Drift the watchdog found');
    expect(page).toContain('Queued for a room'); // from the roster and the log beside it
    expect(page).toMatch(/the last apply that made rooms here made \d+/);
    const again = await cli(['dashboard', 'roster.json', '--watchdog', 'findings.json'], { cwd: dir });
    expect(again.stdout).toMatch(/^unchanged .*index\.html.*\nunchanged .*redacted\.html/);
  });

  it('takes its paths, idle days and GitHub address from options, and run links from the Actions environment', async () => {
    const dir = admin();
    const r = await cli(
      [
        'dashboard',
        'roster.json',
        '--out',
        'site/full.html',
        '--redacted-out',
        'site/shared.html',
        '--idle-days',
        '30',
        '--web-url',
        'https://ghe.example.org/',
      ],
      {
        cwd: dir,
        env: { GITHUB_SERVER_URL: 'https://ghe.example.org', GITHUB_REPOSITORY: 'org/admin' },
      },
    );
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, 'site/full.html'), 'utf8');
    expect(page).toContain('Needs help: no activity for 30 days or more (0)');
    expect(page).toContain('href="https://ghe.example.org/learner-00001"');
    // The generated world's run ids are not GitHub's: named, not linked.
    expect(page).toContain('(run run-1002)');
    expect(existsSync(join(dir, 'site/shared.html'))).toBe(true);
    expect(existsSync(join(dir, 'dashboard'))).toBe(false);
  });

  it('lists every unreadable record at once, naming file, place and what was expected, and writes nothing', async () => {
    const dir = admin();
    const report = JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8'));
    report.learners[0].last_activity = 'yesterday';
    delete report.learners[1].status;
    writeFileSync(join(dir, 'progress.json'), JSON.stringify(report));
    writeFileSync(join(dir, 'progress-history.json'), '{"format_version":1,"days":[{"day":"x","counts":{}}]}');
    writeFileSync(
      join(dir, 'findings.json'),
      '{"format_version":1,"checked_at":"now","drift":[{"handle":1}],"failed_plans":[]}',
    );
    mkdirSync(join(dir, 'idx'));
    writeFileSync(join(dir, 'idx/learners.json'), '{"format_version":1}');
    const r = await cli(
      ['dashboard', 'roster.json', '--watchdog', 'findings.json', '--index', 'idx/learners.json', '--idle-days', '3'],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('learning-rooms dashboard: '));
    expect(r.stderr).toContain(
      'progress.json: learners[0] (learner-00001).last_activity: expected an ISO 8601 time, found "yesterday"',
    );
    expect(r.stderr).toContain('progress.json: learners[1] (learner-00002).status: expected text');
    expect(r.stderr).toContain('progress-history.json: days[0].day: expected a date such as "2026-05-04", found "x"');
    expect(r.stderr).toContain('findings.json: checked_at: expected an ISO 8601 time, found "now"');
    expect(r.stderr).toContain('findings.json: drift[0].handle: expected text, found 1');
    expect(r.stderr).toMatch(/idx\/learners\.json: not a valid learner index/);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(existsSync(join(dir, 'dashboard'))).toBe(false);
  });

  it('says what to do when there is no progress report yet, and refuses bad options plainly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-cli-'));
    writeFileSync(join(dir, 'roster.json'), serializeRoster(dashboardWorld(8).roster));
    const r = await cli(['dashboard'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/progress\.json: not found; run `learning-rooms progress` first/);
    expect((await cli(['dashboard', '--idle-days', '0'], { cwd: dir })).stderr).toContain(
      '--idle-days: expected a positive whole number of days, found "0"',
    );
    expect((await cli(['dashboard', '--web-url', 'javascript:alert(1)'], { cwd: dir })).stderr).toContain(
      '--web-url: expected an http(s) address',
    );
  });
});

describe('watchdog findings as data', () => {
  it('round-trips what the admin issue lists, and nothing from the plan values', () => {
    const snap = watchdogSnapshot(
      {
        drift: [{ handle: 'ann', cohort: 'c1', repository: 'c1-ann', action: 'heal', what: 'collaborator update' }],
        failedPlans: [{ stack: 'c2', status: 'errored' }],
        failedLearners: [],
        expiredInvitations: [],
        queued: 3,
      },
      '2026-05-04T06:17:00Z',
    );
    expect(snap).toEqual({
      format_version: 1,
      checked_at: '2026-05-04T06:17:00Z',
      drift: [{ handle: 'ann', cohort: 'c1', repository: 'c1-ann', action: 'heal', what: 'collaborator update' }],
      failed_plans: [{ stack: 'c2', status: 'errored' }],
    });
    expect(parseWatchdogSnapshot(JSON.stringify(snap))).toEqual({ snapshot: snap, problems: [] });
    expect(parseWatchdogSnapshot('[]').problems).toEqual([
      'expected {"format_version": 1, "checked_at": ..., "drift": [...], "failed_plans": [...]}',
    ]);
  });
});
