/**
 * npm run bench:synth — synthesis of 1,000 / 5,000 / 10,000 learners over 10 cohorts, two required
 * files each, every learner in the configuration (explicit budget = n), through the same code as
 * `npm run synth`: roster read and validated from a file, cdktf app (a LearningRoom construct per
 * learner), cdk.tf.json and learners.json. Goal (issue 12): 10,000 in under 20 s on 2 cores, and
 * t(10k) < 12 x t(1k). Then a course (issue 16, docs/course.md): 1,000 learners x 5 assignments (four
 * individual, two of them with the feedback pull request, and one in teams of 4), every room open
 * and in the configuration, planned at an instant past two cutoffs: 4,250 rooms.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRosterFile, serializeRoster } from '../roster';
import { readSettings } from '../contracts/settings';
import { generatedRoster } from '../test-kit/rosters';
import { courseRoster, teamsOf } from '../test-kit/course';
import type { Roster } from '../roster/types';
import { measure, Measurement, printTable } from './measure';

const ROOT = join(__dirname, '..', '..');
const COURSE = process.argv[2] === 'course';
const size = COURSE ? 1000 : Number(process.argv[2]);

/** The course of the benchmark: 1,000 learners, four individual assignments and one in teams of 4. */
function benchCourse(n: number): Roster {
  const handles = Array.from({ length: n }, (_, i) => `learner-${i}`);
  return courseRoster({
    handles,
    assignments: (base) => {
      const [a1, a2, team] = base;
      return [
        a1,
        a2,
        { ...a1, id: 'a4-js', title: 'Scripts that help' },
        { ...a2, id: 'a5-review', title: 'Review', feedback_pull_request: true },
        { ...team, teams: teamsOf(handles, 4) },
      ];
    },
  });
}

if (Number.isFinite(size) && size > 0) {
  const dir = mkdtempSync(join(tmpdir(), 'lr-bench-synth-'));
  try {
    cpSync(join(ROOT, 'required-files'), join(dir, 'required-files'), { recursive: true });
    const r = COURSE ? benchCourse(size) : generatedRoster(size, 10);
    if (!COURSE)
      for (const c of r.cohorts) c.required_files = ['.github/workflows/progress.yml', '.github/workflows/ack.yml'];
    writeFileSync(join(dir, 'roster.json'), serializeRoster(r));
    const rows: Measurement[] = [];
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    // Loading cdktf and the provider bindings is a fixed cost of every run; shown on its own line.
    const { result: mod, m: load } = measure(
      `${size}: load synthesis modules`,
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a timed, first load of the module: an import would load it before the clock starts
      () => require('../synthesis/synthesize') as typeof import('../synthesis/synthesize'),
    );
    rows.push(load);
    const { result: read, m: parse } = measure(`${size}: read + validate roster`, () =>
      readRosterFile(join(dir, 'roster.json')),
    );
    rows.push(parse);
    // The course's instant: every assignment open, the first two cutoffs passed.
    const { settings } = readSettings({
      LEARNING_ROOMS_ADMISSION_BUDGET: String(size * 5),
      ...(COURSE ? { LEARNING_ROOMS_AT: '2026-03-20T12:00:00Z' } : {}),
    });
    if (!read.roster || !settings) throw new Error('bench setup is invalid');
    const roster = read.roster;
    const { result: outcome, m: synth } = measure(`${size}: plan + synthesize + write`, () =>
      mod.synthesize({ roster, settings, cwd: dir }),
    );
    rows.push(synth);
    if (outcome.errors.length) throw new Error(outcome.errors.join('\n'));
    const total = Number(process.hrtime.bigint() - start) / 1e6;
    rows.push({ label: `${size}: total`, ms: total, peakRssMiB: process.resourceUsage().maxRSS / 1024 });
    // CPU time (user + system) as well: on a shared machine wall time mostly measures the neighbours.
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const rooms = outcome.plan.stacks.reduce((n, c) => n + c.rooms.length + (c.course?.rooms.length ?? 0), 0);
    process.stdout.write(JSON.stringify({ rows, rooms, total, cpuMs }) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const all: Measurement[] = [];
  const totals = new Map<number, number>();
  const cpus = new Map<number, number>();
  for (const n of [1000, 5000, 10000]) {
    // One process per size, so that the peak memory figure belongs to that size alone.
    const out = execFileSync(process.execPath, [__filename, String(n)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const { rows, rooms, total, cpuMs } = JSON.parse(out) as {
      rows: Measurement[];
      rooms: number;
      total: number;
      cpuMs: number;
    };
    all.push(...rows);
    totals.set(n, total);
    cpus.set(n, cpuMs);
    console.log(`${n} learners: ${rooms} rooms in the configuration; total CPU ${(cpuMs / 1000).toFixed(2)} s`);
  }
  // The course, in its own process too.
  const course = JSON.parse(
    execFileSync(process.execPath, [__filename, 'course'], { encoding: 'utf8', maxBuffer: 1 << 24 }),
  ) as { rows: Measurement[]; rooms: number; total: number; cpuMs: number };
  all.push(...course.rows.map((r) => ({ ...r, label: r.label.replace(/^1000:/, 'course 1000 x 5:') })));
  console.log(
    `course, 1000 learners x 5 assignments: ${course.rooms} rooms in the configuration; total CPU ${(course.cpuMs / 1000).toFixed(2)} s`,
  );
  printTable(all);
  const t1 = totals.get(1000) ?? NaN;
  const t10 = totals.get(10000) ?? NaN;
  console.log(
    `t(10k) = ${(t10 / 1000).toFixed(2)} s (goal < 20 s); t(10k) / t(1k) = ${(t10 / t1).toFixed(1)} (goal < 12)`,
  );
  const c1 = cpus.get(1000) ?? NaN;
  const c10 = cpus.get(10000) ?? NaN;
  console.log(
    `CPU: ${(c10 / 1000).toFixed(2)} s at 10k, ratio ${(c10 / c1).toFixed(1)}; load average now ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
  );
}
