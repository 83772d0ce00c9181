/**
 * The trust boundary of the workflows, read off the parsed YAML as an attacker with push access to
 * a branch (or a fork's pull request) would read it. The workflows are the pair an admin
 * repository runs: its callers (this release's templates, as `init` renders them) and this
 * repository's reusable workflows, which inherit the triggers (and guards) of every caller.
 *  - a job that can reach a credential (an environment or a secret) is started only in the default
 *    branch's context: push to main, schedule, workflow_run, issues, or a manual run guarded to main
 *    (the environments are also limited to main in the documented setup);
 *  - a workflow a pull request starts holds no secret, names no environment and only reads;
 *  - nothing privileged checks out, runs or downloads the pull request's code or artifacts; the
 *    only code checked out by ref is learning-rooms at the pinned commit;
 *  - no workflow token may write contents: records reach main through the records App only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CALLER_PREFIX, PIN, resolveUses, ROOT, WORKFLOWS, type WorkflowFile } from './workflow-pair';

type Obj = Record<string, unknown>;
interface Step {
  uses?: string;
  run?: string;
  with?: Obj;
  if?: string;
}
interface Job {
  uses?: string;
  if?: string;
  environment?: string | { name: string };
  permissions?: Obj | string;
  needs?: string | string[];
  steps?: Step[];
  secrets?: unknown;
}
interface Workflow {
  file: string;
  source?: WorkflowFile;
  on: Obj;
  jobs: Record<string, Job>;
}

function load(w: WorkflowFile): Workflow {
  const doc = parse(w.src) as Obj;
  let on = doc.on as unknown;
  if (typeof on === 'string') on = { [on]: null };
  else if (Array.isArray(on)) on = Object.fromEntries(on.map((t) => [t, null]));
  return { file: w.key, source: w, on: (on ?? {}) as Obj, jobs: (doc.jobs ?? {}) as Record<string, Job> };
}

const files = WORKFLOWS.map((w) => w.key);
const workflows = new Map(WORKFLOWS.map((w) => [w.key, load(w)]));
/** The workflow a job calls, in the pair. */
const callee = (w: Workflow, job: Job): string | undefined =>
  job.uses && w.source ? resolveUses(w.source, job.uses) : undefined;

const MAIN_ONLY_GUARD = "github.ref == 'refs/heads/main'";

/** A trigger as the trust rules see it; a guard on the calling job travels with it. */
interface Trigger {
  event: string;
  /** Every job from the entry workflow down to here has the main-only guard somewhere. */
  guarded: boolean;
}

function ownTriggers(w: Workflow): string[] {
  const out: string[] = [];
  for (const [event, config] of Object.entries(w.on)) {
    if (event === 'workflow_call') continue;
    if (event === 'push') {
      const branches = (config as Obj | null)?.branches as string[] | undefined;
      out.push(branches && branches.every((b) => b === 'main') ? 'push(main)' : 'push(any branch)');
    } else out.push(event);
  }
  return out;
}

/** Triggers of every workflow, reusable ones inheriting their callers' (with the callers' guards). */
function effectiveTriggers(all: ReadonlyMap<string, Workflow> = workflows): Map<string, Trigger[]> {
  const result = new Map<string, Trigger[]>();
  const visit = (file: string, inherited: Trigger[]) => {
    const list = result.get(file) ?? [];
    for (const t of inherited) if (!list.some((x) => x.event === t.event && x.guarded === t.guarded)) list.push(t);
    result.set(file, list);
    const w = all.get(file);
    if (!w) return;
    for (const job of Object.values(w.jobs)) {
      const target = callee(w, job);
      if (job.uses && !target) throw new Error(`${file}: cannot follow uses: ${job.uses}`);
      if (!target) continue;
      const guarded = (job.if ?? '').includes(MAIN_ONLY_GUARD) || guardedByNeeds(w, job);
      visit(
        target,
        inherited.map((t) => ({ event: t.event, guarded: t.guarded || guarded })),
      );
    }
  };
  for (const [file, w] of all) {
    const own = ownTriggers(w);
    if (own.length > 0)
      visit(
        file,
        own.map((event) => ({ event, guarded: false })),
      );
  }
  return result;
}

/** A job that needs a guarded job runs only when that one ran (no `always()` bypass). */
function guardedByNeeds(w: Workflow, job: Job): boolean {
  const needs = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
  if ((job.if ?? '').includes('always()')) return false;
  return needs.some((n) => {
    const dep = w.jobs[n];
    return dep !== undefined && ((dep.if ?? '').includes(MAIN_ONLY_GUARD) || guardedByNeeds(w, dep));
  });
}

const triggers = effectiveTriggers();

function credentialed(job: Job): string[] {
  const why: string[] = [];
  if (job.environment)
    why.push(`environment ${typeof job.environment === 'string' ? job.environment : job.environment.name}`);
  if (JSON.stringify(job).includes('secrets.') || job.secrets !== undefined) why.push('secrets');
  return why;
}

function writes(job: Job): string[] {
  const p = job.permissions;
  if (p === 'write-all') return ['write-all'];
  if (typeof p !== 'object' || p === null) return [];
  return Object.entries(p)
    .filter(([, v]) => v === 'write')
    .map(([k]) => k);
}

// repository_dispatch runs the default branch's workflow, and only a holder of contents: write on
// the repository can send one (the front door's registration App).
const DEFAULT_BRANCH_CONTEXTS = new Set(['push(main)', 'schedule', 'workflow_run', 'issues', 'repository_dispatch']);

/** Every job of `w` that reaches a credential or write access from a context another ref controls. */
function violations(w: Workflow, ts: Trigger[]): string[] {
  const out: string[] = [];
  for (const [name, job] of Object.entries(w.jobs)) {
    const needsTrust = [...credentialed(job), ...writes(job).map((p) => `${p}: write`)];
    if (needsTrust.length === 0 || job.uses) continue;
    const jobGuard = (job.if ?? '').includes(MAIN_ONLY_GUARD) || guardedByNeeds(w, job);
    for (const t of ts) {
      const ok = DEFAULT_BRANCH_CONTEXTS.has(t.event) || (t.event === 'workflow_dispatch' && (t.guarded || jobGuard));
      if (!ok) out.push(`${w.file}:${name} reaches ${needsTrust.join(', ')} when started by ${t.event}`);
    }
  }
  return out;
}

describe('the trust boundary of the workflows', () => {
  test('the analysis sees every workflow and the reusable ones through their callers', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(
      triggers
        .get('plan-stacks.yml')
        ?.map((t) => t.event)
        .sort(),
    ).toEqual(['schedule', 'workflow_dispatch', 'workflow_run']);
    expect(
      triggers
        .get('apply-stacks.yml')
        ?.map((t) => t.event)
        .sort(),
    ).toEqual(['push(main)', 'schedule', 'workflow_dispatch']);
    expect(triggers.get('register.yml')?.map((t) => t.event)).toEqual(['issues', 'repository_dispatch']);
    expect(triggers.get('enrol-request.yml')?.map((t) => t.event)).toEqual(['issues', 'repository_dispatch']);
    expect(triggers.get('front-door.yml')?.map((t) => t.event)).toEqual(['issues']);
    expect(
      triggers
        .get('enrol.yml')
        ?.map((t) => `${t.event}${t.guarded ? ' (guarded)' : ''}`)
        .sort(),
    ).toEqual(['schedule (guarded)', 'workflow_dispatch (guarded)']);
    // Every reusable workflow is reached from a caller; none has a trigger of its own.
    for (const w of WORKFLOWS.filter((x) => x.side === 'reusable')) {
      expect({
        file: w.key,
        reached: (triggers.get(w.key) ?? []).length > 0,
        own: ownTriggers(workflows.get(w.key)!),
      }).toEqual({ file: w.key, reached: true, own: [] });
    }
  });

  const jobsOf = [...workflows.values()].flatMap((w) =>
    Object.entries(w.jobs).map(([name, job]) => ({ w, name, job })),
  );

  test.each(files)('%s: credentials and write access only in the default branch’s context', (file) => {
    expect(violations(workflows.get(file)!, triggers.get(file) ?? [])).toEqual([]);
  });

  test('no workflow token writes contents: the records go through the records App', () => {
    for (const { w, name, job } of jobsOf)
      expect({
        job: `${w.file}:${name}`,
        writes: writes(job).filter((p) => p === 'contents' || p === 'write-all'),
      }).toEqual({ job: `${w.file}:${name}`, writes: [] });
  });

  test('every environment is one of the six documented, all limited to main in the setup', () => {
    const named = new Set(jobsOf.map(({ job }) => job.environment).filter((e): e is string => typeof e === 'string'));
    expect([...named].sort()).toEqual([
      'learning-rooms-apply',
      'learning-rooms-enrol',
      'learning-rooms-front-door',
      'learning-rooms-plan',
      'learning-rooms-progress',
      'learning-rooms-register',
    ]);
    const docs = readFileSync(join(ROOT, 'docs', 'gitops.md'), 'utf8');
    for (const e of named) expect(docs).toContain(`\`${e}\``);
  });

  test('a workflow a pull request starts holds no secret, no environment, and only reads', () => {
    const started = [...triggers]
      .filter(([, ts]) => ts.some((t) => t.event.startsWith('pull_request')))
      .map(([f]) => f)
      .sort();
    expect(started).toEqual([`${CALLER_PREFIX}pull-request.yml`, 'pull-request.yml']);
    for (const f of started) {
      const w = workflows.get(f)!;
      expect(JSON.stringify(w.jobs)).not.toContain('secrets.');
      for (const [name, job] of Object.entries(w.jobs)) {
        // A call stays among the workflows checked here (it inherits the pull_request trigger).
        const calls = job.uses === undefined || started.includes(callee(w, job) ?? '');
        expect({ name, environment: job.environment, writes: writes(job), calls, secrets: job.secrets }).toEqual({
          name,
          environment: undefined,
          writes: [],
          calls: true,
          secrets: undefined,
        });
      }
    }
  });

  test('the privileged plan takes the pull request’s data, never its code or its artifacts', () => {
    const privileged = [...triggers]
      .filter(([, ts]) => ts.some((t) => t.event === 'workflow_run'))
      .map(([f]) => f)
      .sort();
    expect(privileged).toEqual([
      `${CALLER_PREFIX}plan.yml`,
      'plan-comment.yml',
      'plan-pull-request.yml',
      'plan-stacks.yml',
      'synth.yml',
    ]);
    for (const f of privileged) {
      for (const [name, job] of Object.entries(workflows.get(f)!.jobs)) {
        for (const step of job.steps ?? []) {
          const where = `${f}:${name}`;
          if (step.uses?.startsWith('actions/checkout@')) {
            // The default branch (no ref: a ref would be an expression the event controls), or the
            // pinned release of learning-rooms at the commit the caller on main names.
            const tool = step.with?.repository === '${{ inputs.tool-repository }}';
            expect({ where, ref: step.with?.ref, repository: step.with?.repository }).toEqual(
              tool
                ? { where, ref: '${{ inputs.tool-ref }}', repository: '${{ inputs.tool-repository }}' }
                : { where, ref: undefined, repository: undefined },
            );
          }
          if (step.uses?.startsWith('actions/download-artifact@')) {
            // Artifacts of this run only (made by main's code); never the untrusted run's.
            expect({ where, runId: step.with?.['run-id'], token: step.with?.['github-token'] }).toEqual({
              where,
              runId: undefined,
              token: undefined,
            });
          }
          const script = step.run ?? '';
          expect({
            where,
            checksOutPullRequest: /git\s+(checkout|switch|worktree|reset|merge|pull)\b[^\n]*(pull|head)/.test(script),
          }).toEqual({ where, checksOutPullRequest: false });
        }
      }
    }
    // The data is read as blobs by main's code, regular files only.
    expect(workflows.get('plan-pull-request.yml')!.source!.src).toContain(
      'bin/learning-rooms.js" pull-request-data --commit "$HEAD_SHA"',
    );
  });

  test('the privileged plan is started by the unprivileged checks, only for pull requests', () => {
    const plan = workflows.get(`${CALLER_PREFIX}plan.yml`)!;
    expect(plan.on).toEqual({ workflow_run: { workflows: ['Pull request checks'], types: ['completed'] } });
    // workflow_run names the caller (the workflow of the admin repository), not the reusable one.
    expect(parse(workflows.get(`${CALLER_PREFIX}pull-request.yml`)!.source!.src).name).toBe('Pull request checks');
    expect(plan.jobs['pull-request'].if).toBe("github.event.workflow_run.event == 'pull_request'");
    expect(workflows.get('plan-pull-request.yml')!.jobs['pull-request'].if).toBe(
      "github.event.workflow_run.event == 'pull_request'",
    );
  });

  test('the analysis is live: it catches a credentialed job that a pull request or an unguarded dispatch starts', () => {
    const cases = [
      ['pull_request', '', 1],
      ['pull_request_target', MAIN_ONLY_GUARD, 1],
      ['push', '', 1],
      ['workflow_dispatch', '', 1],
      ['workflow_dispatch', MAIN_ONLY_GUARD, 0],
      ['schedule', '', 0],
    ] as const;
    for (const [on, guard, expected] of cases) {
      const w: Workflow = {
        file: 'x.yml',
        on: { [on]: null },
        jobs: { j: { environment: 'learning-rooms-apply', if: guard } },
      };
      const found = violations(
        w,
        ownTriggers(w).map((event) => ({ event, guarded: false })),
      );
      expect({ on, guard, found: found.length }).toEqual({ on, guard, found: expected });
    }
    // Through a caller: a pull_request caller of a credentialed reusable workflow of the pinned commit is caught.
    const caller: WorkflowFile = {
      key: `${CALLER_PREFIX}x.yml`,
      path: 'x.yml',
      side: 'caller',
      src: `on: pull_request\njobs:\n  c:\n    uses: ${PIN.repository}/.github/workflows/apply-stacks.yml@${PIN.ref}\n`,
    };
    const pair = new Map([
      [caller.key, load(caller)],
      ['apply-stacks.yml', workflows.get('apply-stacks.yml')!],
    ]);
    const inherited = effectiveTriggers(pair).get('apply-stacks.yml') ?? [];
    expect(violations(pair.get('apply-stacks.yml')!, inherited)).toEqual([
      'apply-stacks.yml:apply reaches environment learning-rooms-apply, secrets when started by pull_request',
    ]);
    // Write access without a credential counts too.
    const w: Workflow = {
      file: 'y.yml',
      on: { workflow_dispatch: null },
      jobs: { j: { permissions: { issues: 'write' } } },
    };
    expect(violations(w, [{ event: 'workflow_dispatch', guarded: false }])).toEqual([
      'y.yml:j reaches issues: write when started by workflow_dispatch',
    ]);
  });
});
