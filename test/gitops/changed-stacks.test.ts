/**
 * Plans scoped to what changed: changed-stacks never leaves out a stack whose synthesized
 * configuration changed (new stacks included), never plans one that did not, says why for each,
 * and in apply mode adds the stacks with work of their own. Real syntheses of random roster edits.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Roster } from '../../roster';
import { serializeRoster } from '../../roster';
import { readSettings } from '../../contracts/settings';
import { synthesize } from '../../synthesis/synthesize';
import {
  changedStacks,
  configDigest,
  estimateStack,
  parseScopeDocument,
  stackWork,
  wallMinutes,
  withWork,
} from '../../gitops/stack-scope';
import { renderScope } from '../../gitops/scope-report';
import { renderPlanComment } from '../../gitops/plan-comment';
import { learner, roster } from '../../test-kit/rosters';
import { cli } from '../helpers/cli';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(): string {
  const d = mkdtempSync(join(tmpdir(), 'lr-scope-'));
  dirs.push(d);
  mkdirSync(join(d, 'required-files'));
  writeFileSync(join(d, 'required-files', 'a.yml'), 'run: echo ${{ github.actor }}\n');
  writeFileSync(join(d, 'required-files', 'b.yml'), 'b\n');
  return d;
}

const ENV = {
  LEARNING_ROOMS_SHARD_SIZE: '4',
  LEARNING_ROOMS_ADMISSION_BUDGET: '100',
  LEARNING_ROOMS_ALLOW_MASS_ARCHIVE: 'true',
};

function synth(dir: string, out: string, r: Roster): void {
  const { settings, errors } = readSettings({ ...ENV, LEARNING_ROOMS_OUTDIR: out });
  if (!settings) throw new Error(errors.join('\n'));
  const outcome = synthesize({ roster: r, settings, cwd: dir, knownRooms: new Map() });
  if (outcome.errors.length) throw new Error(outcome.errors.join('\n'));
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>)
      .filter(([k]) => k !== '//')
      .map(([k, x]) => [k, strip(x)]),
  );
}

function random(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Learners spread over shards by their recorded shard, as after earlier applies. */
function base(): Roster {
  const r = roster(
    Array.from({ length: 14 }, (_, i) =>
      learner(`l${i}`, i < 10 ? 'c1' : 'c2', {
        provisioning: {
          state: 'provisioned',
          provisioned_at: '2026-01-01T00:00:00Z',
          shard: i < 10 ? Math.floor(i / 4) : 0,
        },
      }),
    ),
    ['c1', 'c2'],
  );
  r.cohorts.forEach((c) => (c.required_files = ['a.yml']));
  return r;
}

const EDITS: ((r: Roster, rnd: () => number) => void)[] = [
  (r) => void r.learners.push(learner(`new${r.learners.length}`, 'c1')),
  (r, rnd) => {
    const l = r.learners[Math.floor(rnd() * r.learners.length)];
    l.provisioning = { ...l.provisioning, state: 'archived' };
  },
  (r) => (r.cohorts[1].required_files = ['a.yml', 'b.yml']),
  (r) => (r.cohorts[0].template = 'learning-rooms-example/another-template'),
  (r, rnd) => r.learners.reverse() && rnd(),
  () => undefined,
];

describe('changed-stacks', () => {
  it.each([1, 2, 3, 4, 5, 6])('plans exactly the stacks whose configuration changed (seed %i)', async (seed) => {
    const rnd = random(seed * 48271);
    const dir = workspace();
    const before = base();
    const after: Roster = JSON.parse(JSON.stringify(before));
    for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) EDITS[Math.floor(rnd() * EDITS.length)](after, rnd);
    synth(dir, 'base-out', before);
    synth(dir, 'head-out', after);
    writeFileSync(join(dir, 'roster.json'), serializeRoster(after));
    const res = await cli(['changed-stacks', '--base', 'base-out', '--head', 'head-out', '--out', 'scope.json'], {
      cwd: dir,
    });
    expect(res.code).toBe(0);
    const planned: string[] = JSON.parse(res.stdout);
    const config = (out: string, s: string) => {
      try {
        return strip(JSON.parse(readFileSync(join(dir, out, 'stacks', s, 'cdk.tf.json'), 'utf8')));
      } catch {
        return undefined;
      }
    };
    const doc = parseScopeDocument(readFileSync(join(dir, 'scope.json'), 'utf8'), 'scope.json');
    const all = [...doc.stacks.map((s) => s.stack), ...doc.left_out.map((s) => s.stack)];
    const expected = all.filter((s) => JSON.stringify(config('base-out', s)) !== JSON.stringify(config('head-out', s)));
    expect(planned.sort()).toEqual(expected.sort());
    for (const s of doc.stacks) expect(s.reasons.length).toBeGreaterThan(0);
    for (const l of doc.left_out) expect(l.reason).toBe('configuration unchanged by this pull request');
  });

  it('plans a new shard stack when a learner is added to a full shard, and only that one', async () => {
    const dir = workspace();
    const before = base();
    const after: Roster = JSON.parse(JSON.stringify(before));
    after.learners.push(learner('newcomer', 'c1'));
    synth(dir, 'b', before);
    synth(dir, 'h', after);
    const res = await cli(['changed-stacks', '--base', 'b', '--head', 'h'], { cwd: dir });
    // c1 holds 10 rooms in shards of 4: 4, 4, 2; the newcomer takes the free seat of shard 2
    expect(JSON.parse(res.stdout)).toEqual(['c1.shard-2']);
  });

  it('without a base plans everything; removed stacks are named', () => {
    const head = new Map([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(changedStacks(undefined, head, 'x').plan.map((p) => p.stack)).toEqual(['a', 'b']);
    expect(
      changedStacks(
        new Map([
          ['a', '1'],
          ['gone', '3'],
        ]),
        head,
        'unchanged',
      ),
    ).toEqual({
      plan: [{ stack: 'b', reasons: ['new stack'] }],
      leftOut: [{ stack: 'a', reason: 'unchanged' }],
      removed: ['gone'],
    });
  });

  it('ignores only cdktf\'s "//" metadata', () => {
    const doc = {
      '//': { metadata: { stackName: 'x' } },
      resource: { github_repository: { r: { '//': { path: 'a' }, name: 'n' } } },
    };
    const moved = {
      '//': { metadata: { stackName: 'y' } },
      resource: { github_repository: { r: { '//': { path: 'b' }, name: 'n' } } },
    };
    expect(configDigest(JSON.stringify(doc))).toBe(configDigest(JSON.stringify(moved)));
    const renamed = JSON.parse(JSON.stringify(doc));
    renamed.resource.github_repository.r.name = 'm';
    expect(configDigest(JSON.stringify(doc))).not.toBe(configDigest(JSON.stringify(renamed)));
  });
});

describe('apply scope: the stacks with work of their own', () => {
  const r = roster([
    learner('done', 'c1', { provisioning: { state: 'provisioned' }, progress: { status: 'invitation-expired' } }),
    learner('fresh', 'c1'),
    learner('broke', 'c1', { provisioning: { state: 'failed', cause: 'rate-limit' } }),
  ]);
  const entry = (h: string, admitted = true) => ({
    github_handle: h,
    cohort_id: 'c1',
    repository: `c1-${h}`,
    admitted,
    addresses: { repository: '', collaborator: '', files: {} },
  });

  it('names new rooms, failed learners and expired invitations; queued learners are no work yet', () => {
    expect(stackWork({ learners: [entry('done'), entry('fresh'), entry('broke')] }, r)).toEqual([
      '1 new room to create',
      '1 failed learner to retry',
      '1 expired invitation to re-send',
    ]);
    expect(stackWork({ learners: [entry('fresh', false)] }, r)).toEqual([]);
  });

  it('adds them to the changed stacks', () => {
    const scope = withWork(
      {
        plan: [{ stack: 'a', reasons: ['configuration changed'] }],
        leftOut: [
          { stack: 'b', reason: 'same' },
          { stack: 'c', reason: 'same' },
        ],
        removed: [],
      },
      new Map([
        ['b', ['2 new rooms to create']],
        ['a', ['x']],
      ]),
    );
    expect(scope.plan).toEqual([
      { stack: 'a', reasons: ['configuration changed', 'x'] },
      { stack: 'b', reasons: ['2 new rooms to create'] },
    ]);
    expect(scope.leftOut).toEqual([{ stack: 'c', reason: 'same' }]);
  });
});

describe('estimates before the run', () => {
  const shape = { stack: 's', rooms: 100, newRooms: 1, files: 2, imports: 0, readDelayMs: 1000, writeDelayMs: 1000 };
  it('a plan without refresh costs one request whatever the size; with refresh, 2 + c + 2K per existing room', () => {
    expect(estimateStack(shape, 'scoped-plan').requests).toBe(1);
    expect(estimateStack(shape, 'refresh-plan').requests).toBe(1 + 99 * 8);
    expect(estimateStack(shape, 'apply').requests).toBe(1 + 99 * 8 + 1 + 16);
    expect(estimateStack(shape, 'refresh-plan').minutes).toBeCloseTo(((1 + 99 * 8) * 1.25) / 60, 5);
  });

  it('spreads processes over the parallel slots, longest first', () => {
    expect(wallMinutes([10, 5, 5, 4], 2)).toBe(14);
    expect(wallMinutes([6, 5, 4, 3], 2)).toBe(9);
    expect(wallMinutes([3], 4)).toBe(3);
  });

  it('renders the scope for the comment: mode, estimate, why, what was left out', () => {
    const md = renderScope({
      format_version: 1,
      mode: 'scoped-plan',
      stacks: [{ stack: 'c1.shard-9', reasons: ['configuration changed'], requests: 1, minutes: 0 }],
      left_out: Array.from({ length: 25 }, (_, i) => ({
        stack: `c1.shard-${i}`,
        reason: 'configuration unchanged by this pull request',
      })),
      removed: [],
      total: { processes: 1, requests: 1, minutes: 0, parallel: 4, wall_minutes: 0 },
      admission: '1 of 1 new room this run',
    }).join('\n');
    expect(md).toContain('### Scope: 1 of 26 stacks planned');
    expect(md).toContain('`terraform plan -refresh=false`');
    expect(md).toContain("Drift is the watchdog's job");
    expect(md).toContain('Estimate before the run: **1 request**');
    expect(md).toMatch(/Left out \(25\): `c1\.shard-0`, .* and 5 more: configuration unchanged by this pull request\./);
    expect(md).toContain('**Admission:** 1 of 1 new room this run.');
  });
});

describe('the plan comment with a scope', () => {
  it('says nothing needed a plan when no stack changed, and names what was left out', () => {
    const md = renderPlanComment({
      stacks: [],
      scope: {
        format_version: 1,
        mode: 'scoped-plan',
        stacks: [],
        left_out: [{ stack: 'c1', reason: 'configuration unchanged by this pull request' }],
        removed: [],
        total: { processes: 0, requests: 0, minutes: 0, parallel: 4, wall_minutes: 0 },
        admission: '0 of 1 new room this run; 1 next run at about 10:37 UTC: @zed',
      },
    });
    expect(md).toContain("No stack's configuration changes: nothing to plan.");
    expect(md).toContain('Left out (1): `c1`: configuration unchanged by this pull request.');
    // the queue is named without mentioning anyone
    expect(md).toContain('@\u200bzed');
    expect(md).not.toMatch(/@zed/);
  });
});

test("the plan comment names a shard stack by its own name, a cohort's first stack by the cohort", () => {
  const stack = (name: string) => ({
    stack: name,
    cohort_id: 'c1',
    status: 'planned' as const,
    learners: [],
    changes: [],
    drift: [],
    queuedReasons: {},
  });
  const md = renderPlanComment({ stacks: [stack('c1'), stack('c1.shard-2')] });
  expect(md).toMatch(/^\| `c1` \| 0 /m);
  expect(md).toMatch(/^\| `c1\.shard-2` \| 0 /m);
});
