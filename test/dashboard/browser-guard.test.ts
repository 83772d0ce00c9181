/**
 * Without Chromium the browser tests must not pass silently: under CI (or with
 * LEARNING_ROOMS_REQUIRE_BROWSER=1) they fail and say what is missing; elsewhere they are skipped
 * with the same words. Runs jest on browser-large.test.ts with the browser pointed elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function jestWithout(env: Record<string, string>) {
  const r = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--ci', '--runTestsByPath', 'test/dashboard/browser-large.test.ts'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LEARNING_ROOMS_CHROMIUM: '/nonexistent/chromium',
        ...env,
      },
    },
  );
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('the browser tests without a browser', () => {
  it('fail under CI, naming the missing Chromium and how to install it', () => {
    const ci = jestWithout({ CI: '1' });
    expect(ci.status).toBe(1);
    expect(ci.output).toContain('Chromium not found at /nonexistent/chromium');
    expect(ci.output).toContain('apt-get install -y chromium');
    expect(jestWithout({ LEARNING_ROOMS_REQUIRE_BROWSER: '1' }).status).toBe(1);
  });

  it('are skipped elsewhere, saying why', () => {
    const local = jestWithout({});
    expect(local.status).toBe(0);
    expect(local.output).toMatch(/skipped "the 3,000-learner dashboard in Chromium": Chromium not found/);
    expect(local.output).toMatch(/Tests:\s+1 skipped/);
  });
});
