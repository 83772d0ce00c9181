/**
 * The progress workflow publishes the dashboard: the step writes both pages after the progress
 * of record, commit-back commits them (only when they changed), the page is attached to the run,
 * and the drift comes only from the watchdog's scheduled runs on main. The reusable workflows are
 * read with the admin repository's callers that run them (test/gitops/workflow-pair.ts).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { byKey, CALLER_PREFIX } from '../gitops/workflow-pair';

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const STEP = join(ROOT, '.github', 'scripts', 'progress-step.sh');

type Step = {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
  env?: Record<string, string>;
};
const progress = parse(byKey('progress.yml').src) as {
  jobs: { progress: { permissions: Record<string, string>; steps: Step[] } };
};
const steps = progress.jobs.progress.steps;

describe('progress.yml', () => {
  it('commits the history and both pages with the records, through commit-back (which commits only a change)', () => {
    const run = steps.find((s) => s.run?.includes('bash "$RUNNER_TEMP/commit-back.sh"'))!.run!;
    expect(run).toMatch(
      /roster\.json progress\.json progress\.md progress-history\.json dashboard\/index\.html dashboard\/redacted\.html \\\n\s+-- bash "\$RUNNER_TEMP\/progress-step\.sh"/,
    );
  });

  it('attaches both pages to the run, with upload-artifact pinned to the commit used everywhere else', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with).toMatchObject({ name: 'dashboard', path: 'dashboard/index.html\ndashboard/redacted.html\n' });
    expect(upload.if).toBe('always()');
    const pins = new Set(
      readdirSync(WORKFLOWS).flatMap((f) =>
        [...readFileSync(join(WORKFLOWS, f), 'utf8').matchAll(/uses: (actions\/upload-artifact@\S+ # v[\d.]+)/g)].map(
          (m) => m[1],
        ),
      ),
    );
    expect(pins.size).toBe(1);
    expect([...pins][0]).toMatch(/^actions\/upload-artifact@[0-9a-f]{40} # v4\.\d+\.\d+$/);
  });

  it("takes drift only from the watchdog's scheduled runs on main, reading with actions: read and nothing more", () => {
    expect(progress.jobs.progress.permissions).toEqual({ contents: 'read', actions: 'read' });
    // A reusable workflow's job gets no more than its caller's job grants: the caller asks for the same.
    const caller = parse(byKey(`${CALLER_PREFIX}progress.yml`).src) as {
      jobs: { progress: { uses: string; permissions: Record<string, string> } };
    };
    expect(caller.jobs.progress.uses).toMatch(/\/\.github\/workflows\/progress\.yml@[0-9a-f]{40}$/);
    expect(caller.jobs.progress.permissions).toEqual({ contents: 'read', actions: 'read' });
    const fetch = steps.find((s) => s.run?.includes('gh run download'))!;
    expect(fetch.run).toContain('--workflow watchdog.yml --event schedule --branch main');
    expect(fetch.env).toEqual({ GH_TOKEN: '${{ github.token }}' });
    expect(fetch.run).toContain('--name watchdog-report --dir "$RUNNER_TEMP/watchdog"');
    // watchdog.yml is the admin repository's Watchdog, whose report job runs watchdog-report.yml.
    expect(byKey(`${CALLER_PREFIX}watchdog.yml`).src).toMatch(
      /uses: \S+\/\.github\/workflows\/watchdog-report\.yml@[0-9a-f]{40}/,
    );
    const watchdog = byKey('watchdog-report.yml').src;
    expect(watchdog).toContain('--findings-out report/watchdog-findings.json');
    expect(watchdog).toMatch(/name: watchdog-report\n\s+path: report\n/);
  });
});

describe('progress-step.sh', () => {
  /** The pinned release's checkout, where every command runs from. */
  const TOOL_DIR = '/runner/work/admin/.learning-rooms';
  const CLI = `${TOOL_DIR}/bin/learning-rooms.js`;
  /** Runs the step with a stand-in `node` that logs its arguments and exits as told per command. */
  function step(codes: { progress: number; dashboard: number }, findings = false) {
    const dir = mkdtempSync(join(tmpdir(), 'progress-step-'));
    const bin = join(dir, 'bin');
    const runnerTemp = join(dir, 'runner-temp');
    mkdirSync(bin);
    mkdirSync(runnerTemp);
    if (findings) {
      mkdirSync(join(runnerTemp, 'watchdog'));
      writeFileSync(join(runnerTemp, 'watchdog', 'watchdog-findings.json'), '{}');
    }
    writeFileSync(
      join(bin, 'node'),
      `#!/usr/bin/env bash\necho "$*" >> "${dir}/calls"\ncase "$2" in progress) exit ${codes.progress};; dashboard) exit ${codes.dashboard};; esac\n`,
    );
    chmodSync(join(bin, 'node'), 0o755);
    const r = spawnSync('bash', [STEP], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: runnerTemp, TOOL_DIR },
    });
    const calls = existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : [];
    return {
      status: r.status,
      calls,
      partial: existsSync(join(runnerTemp, 'progress-partial')),
      dashboardFailed: existsSync(join(runnerTemp, 'dashboard-failed')),
    };
  }

  it('writes the dashboard after the progress of record, with the watchdog findings when fetched', () => {
    expect(step({ progress: 0, dashboard: 0 })).toEqual({
      status: 0,
      calls: [`${CLI} progress roster.json`, `${CLI} dashboard roster.json`],
      partial: false,
      dashboardFailed: false,
    });
    const r = step({ progress: 0, dashboard: 0 }, true);
    expect(r.calls[1].startsWith(`${CLI} dashboard roster.json --watchdog `)).toBe(true);
    expect(r.calls[1]).toMatch(/\/runner-temp\/watchdog\/watchdog-findings\.json$/);
  });

  it('unread rooms and a failed dashboard are noted for the job to fail later, never holding back the records', () => {
    expect(step({ progress: 1, dashboard: 2 })).toMatchObject({ status: 0, partial: true, dashboardFailed: true });
    expect(step({ progress: 2, dashboard: 0 })).toMatchObject({ status: 2, calls: [`${CLI} progress roster.json`] });
    const fail = steps.find((s) => s.run?.includes('dashboard-failed'))!.run!;
    expect(fail).toMatch(/if \[ -f "\$RUNNER_TEMP\/dashboard-failed" \]; then[\s\S]*exit 1/);
  });
});
