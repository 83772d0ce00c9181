/**
 * `npm run bench:record`: the post-step on an apply of 10,000 learners (override with
 * BENCH_LEARNERS). The plan and the apply stream are generated from the recorded fixtures' real
 * messages (alice's 4 resources in 01-plan-create.json / 02-apply-create.jsonl), re-addressed for
 * each learner in our address scheme; 1% of the learners fail as carol did (a 422 on generate,
 * dependents never attempted, the error diagnostic at the end of the stream).
 * Each step runs in its own process so that its peak RSS is its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeRoster } from '../roster';
import type { Learner, Roster } from '../roster/types';
import { recordRun } from '../provisioning/record';
import { verifyLogFile } from '../provisioning/verify-log';
import {
  collaboratorAddress,
  fileAddress,
  learnerResourceName,
  fileResourceName,
  repositoryAddress,
} from '../contracts/room-addresses';
import type { LearnerIndex } from '../contracts/learner-index';
import { measure, Measurement, printTable } from './measure';

const N = Number(process.env.BENCH_LEARNERS ?? 10000);
const FIX = join(__dirname, '..', '..', 'test', 'fixtures', 'terraform');
const COHORT = 'bench';
const FILES = ['.github/workflows/progress.yml', '.github/workflows/ack.yml'];
// cdktf resource names of alice's resources in the fixtures -> the kind they stand for
const ALICE = {
  repository: 'learner-alice_repository_0740594A',
  collaborator: 'learner-alice_collaborator_A14935AC',
  progress: 'learner-alice_workflow-progress_E96160CA',
  ack: 'learner-alice_workflow-ack_43D06ED6',
};

function readdress(text: string, h: string): string {
  return text
    .split(`github_repository.${ALICE.repository}`)
    .join(repositoryAddress(h))
    .split(`github_repository_collaborator.${ALICE.collaborator}`)
    .join(collaboratorAddress(h))
    .split(`github_repository_file.${ALICE.progress}`)
    .join(fileAddress(h, FILES[0]))
    .split(`github_repository_file.${ALICE.ack}`)
    .join(fileAddress(h, FILES[1]))
    .split(ALICE.repository)
    .join(learnerResourceName(h))
    .split(ALICE.collaborator)
    .join(learnerResourceName(h))
    .split(ALICE.progress)
    .join(fileResourceName(h, FILES[0]))
    .split(ALICE.ack)
    .join(fileResourceName(h, FILES[1]))
    .split('2026-spring-alice')
    .join(`${COHORT}-${h}`)
    .split(':alice')
    .join(`:${h}`)
    .split('"alice"')
    .join(`"${h}"`);
}

function generate(dir: string) {
  const plan = JSON.parse(readFileSync(join(FIX, '01-plan-create.json'), 'utf8')) as {
    resource_changes: { address: string }[];
  };
  const templates = plan.resource_changes
    .filter((c) => c.address.includes('learner-alice_'))
    .map((c) => JSON.stringify(c));
  const stream = readFileSync(join(FIX, '02-apply-create.jsonl'), 'utf8').trimEnd().split('\n');
  const head = stream.slice(0, 2);
  const planned = stream.filter((l) => l.includes('"planned_change"') && l.includes('learner-alice_'));
  const hooks = stream.filter((l) => l.includes('learner-alice_') && !l.includes('"planned_change"'));
  const carolRepo = (l: string) => l.includes('learner-carol_repository_81D3B336');
  const failStart = stream.filter((l) => carolRepo(l) && l.includes('"apply_start"'));
  const failErr = stream.filter((l) => carolRepo(l) && l.includes('"apply_errored"'));
  const failDiag = stream.filter((l) => carolRepo(l) && l.includes('"diagnostic"'));
  const asAlice = (l: string) =>
    l
      .split('learner-carol_repository_81D3B336')
      .join(ALICE.repository)
      .split('2026-spring-carol')
      .join('2026-spring-alice');

  const handles = Array.from({ length: N }, (_, i) => `learner${i}`);
  const fails = (i: number) => i % 100 === 42;
  const changes: string[] = [];
  const out: string[] = [...head];
  const body: string[] = [];
  const tail: string[] = [];
  handles.forEach((h, i) => {
    for (const t of templates) changes.push(readdress(t, h));
    for (const l of planned) out.push(readdress(l, h));
    if (fails(i)) {
      body.push(...[...failStart, ...failErr].map((l) => readdress(asAlice(l), h)));
      tail.push(...failDiag.map((l) => readdress(asAlice(l), h)));
    } else body.push(...hooks.map((l) => readdress(l, h)));
  });
  out.push(...body, ...tail);
  if (tail.length === 0) out.push(stream[stream.length - 1]);
  writeFileSync(
    join(dir, 'plan.json'),
    `{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[${changes.join(',')}],"applyable":true,"complete":true,"errored":false}\n`,
  );
  writeFileSync(join(dir, 'apply.jsonl'), out.join('\n') + '\n');
  const index: LearnerIndex = {
    format_version: 1,
    cohort_id: COHORT,
    stack: `cohort-${COHORT}`,
    owner: 'acme',
    learners: handles.map((h) => ({
      github_handle: h,
      cohort_id: COHORT,
      repository: `${COHORT}-${h}`,
      admitted: true,
      addresses: {
        repository: repositoryAddress(h),
        collaborator: collaboratorAddress(h),
        files: Object.fromEntries(FILES.map((f) => [f, fileAddress(h, f)])),
      },
    })),
  };
  writeFileSync(join(dir, 'learners.json'), JSON.stringify(index));
  const learners: Learner[] = handles.map((h) => ({
    github_handle: h,
    cohort_id: COHORT,
    path: 'web',
    provisioning: { state: 'pending' },
  }));
  const roster: Roster = { format_version: 1, cohorts: [{ cohort_id: COHORT }], learners };
  writeFileSync(join(dir, 'roster.json'), serializeRoster(roster));
}

const opts = (dir: string, runId: string) => ({
  planPath: join(dir, 'plan.json'),
  applyPath: join(dir, 'apply.jsonl'),
  indexPath: join(dir, 'learners.json'),
  rosterPath: join(dir, 'roster.json'),
  logPath: join(dir, 'provisioning-log.json'),
  runId,
  commit: 'bench',
});

/** One step in this process (a child): its figures are then its own, peak memory included. */
function step(name: string, dir: string): void {
  let m: Measurement;
  let note = '';
  if (name === 'verify') {
    const v = measure(`verify-log (${2 * N} entries)`, () =>
      verifyLogFile(join(dir, 'provisioning-log.json'), { rosterPath: join(dir, 'roster.json') }),
    );
    if (v.result.findings.length > 0) throw new Error(`verify-log found problems: ${v.result.findings[0].message}`);
    m = v.m;
  } else {
    const label =
      {
        first: 'record (empty log)',
        again: 'record again, same run (idempotent)',
        second: `record run 2 on a ${N}-entry log`,
      }[name] ?? name;
    const r = measure(label, () => recordRun(opts(dir, name === 'second' ? 'run-2' : 'run-1')));
    m = r.m;
    const counts = new Map<string, number>();
    for (const e of r.result.log.runEntries) counts.set(e.outcome, (counts.get(e.outcome) ?? 0) + 1);
    note = [...counts].map(([k, v]) => `${k} ${v}`).join(', ');
  }
  process.stdout.write(JSON.stringify({ m, note }));
}

function main(): void {
  if (process.argv[2] === '--step') return step(process.argv[3], process.argv[4]);
  const dir = mkdtempSync(join(tmpdir(), 'bench-record-'));
  const rows: Measurement[] = [];
  try {
    rows.push(measure(`generate ${N} learners`, () => generate(dir)).m);
    const mib = (f: string) => (statSync(join(dir, f)).size / 2 ** 20).toFixed(1);
    console.log(
      `${N} learners: plan ${mib('plan.json')} MiB, apply stream ${mib('apply.jsonl')} MiB, roster ${mib('roster.json')} MiB`,
    );
    for (const name of ['first', 'again', 'second', 'verify']) {
      const out = execFileSync(process.execPath, [__filename, '--step', name, dir], {
        encoding: 'utf8',
        env: process.env,
        maxBuffer: 1 << 20,
      });
      const { m, note } = JSON.parse(out) as { m: Measurement; note: string };
      rows.push(m);
      if (note) console.log(`${m.label}: ${note}`);
    }
    console.log(`log ${mib('provisioning-log.json')} MiB`);
    printTable(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
