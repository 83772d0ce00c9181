/**
 * The end of a rehearsal: the records copied to the top of the output folder, the per-learner
 * table printed, the request counts and the README that says what each file is.
 */
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../gitops/provider-lock';
import { readRosterFile, type Roster } from '../roster';
import type { RoomCounters } from './double';
import { learnerRows, learnerTable, readme, type FolderEntry, type LearnerRoom, type LogOutcome } from './report';
import type { LearnerPlay } from './simulation';

export interface PhaseCount {
  phase: string;
  since: number;
  total: number;
  byRepo: RoomCounters['byRepo'];
}

export interface OutputInput {
  outDir: string;
  rosterFile: string;
  /** The admin repository's work tree, where the records are. */
  admin: string;
  /** The roster as given, if the admin repository's cannot be read. */
  roster: Roster;
  rooms: LearnerRoom[];
  log: LogOutcome[];
  runIds: string[];
  plays?: LearnerPlay[];
  progressRead: boolean;
  phaseCounts: PhaseCount[];
  all: RoomCounters;
  ok: boolean;
  say(text: string): void;
}

/** The records, the per-learner table, the request counts and the README, into the output folder. */
export function writeOutput(input: OutputInput): void {
  const { say, ok } = input;
  const o = { outDir: input.outDir, roster: input.rosterFile };
  const copied: FolderEntry[] = [];
  for (const [f, what] of [
    ['roster.json', 'the roster after recording (provisioning states) and progress (statuses)'],
    ['provisioning-log.json', 'the provisioning log: one entry per learner per apply, hash-chained'],
    ['progress.json', "every learner's status with its evidence"],
    ['progress.md', 'the progress report for facilitators'],
    ['progress-history.json', 'counts per status per day'],
    ['dashboard', "the facilitator's dashboard: index.html, and redacted.html to share"],
  ] as const) {
    const from = join(input.admin, f);
    if (!existsSync(from)) continue;
    cpSync(from, join(o.outDir, f), { recursive: true });
    copied.push({ path: statSync(from).isDirectory() ? `${f}/` : f, what });
  }
  const roster = readRosterFile(join(input.admin, 'roster.json')).roster ?? input.roster;
  const all = input.all;
  const rows = learnerRows({
    roster,
    rooms: input.rooms,
    log: input.log,
    runIds: new Set(input.runIds),
    plays: input.plays,
    progressRead: input.progressRead,
    applyRequests: input.phaseCounts[0]?.byRepo ?? {},
    allRequests: all.byRepo,
  });
  writeFileSync(
    join(o.outDir, 'requests.json'),
    JSON.stringify(
      {
        total: all.total,
        phases: input.phaseCounts,
        learners: rows.map((r) => ({ learner: r.handle, cohort: r.cohort, room: r.room, requests: r.requests })),
      },
      null,
      2,
    ) + '\n',
  );
  say(`\n${learnerTable(rows)}`);
  const perRoom = Object.values(all.byRepo).reduce((n, x) => n + x.total, 0);
  say(
    `Requests to the double: ${all.total} in all, ${perRoom} of them for a room (the table's counts; requests per phase in requests.json), the rest GraphQL reads and App tokens.\n`,
  );
  const phases = readdirSync(o.outDir)
    .filter((d) => /^\d+-/.test(d))
    .sort();
  const entries: FolderEntry[] = [
    { path: 'README.txt', what: 'this file' },
    { path: 'summary.txt', what: 'what the rehearsal printed' },
    {
      path: 'rehearsal.log',
      what: 'every command of every step, where it ran, its exit status and its output (never an environment: it holds the key)',
    },
    ...copied,
    {
      path: 'requests.json',
      what: "the double's request counts: in all, per phase, per room (byRepo is owner/room)",
    },
    ...(input.plays
      ? [
          {
            path: 'learners-played.json',
            what: 'what each learner did (--simulate) and the admin API calls that did it',
          },
        ]
      : []),
    {
      path: LOCK_FILE,
      what: 'the provider lock file the rehearsal made with terraform providers lock (also committed in admin/)',
    },
    {
      path: 'app/app.pem',
      what: "the throwaway App's private key (PKCS#1, mode 0600): it only ever opened this double",
    },
    {
      path: 'app/app.pub.pem, app/seed.json',
      what: 'its public key, and the world the double started with (from the roster)',
    },
    {
      path: 'admin/',
      what: 'the admin repository (git): roster, config/gitops.json with the rehearsal settings, state/; `git -C admin log origin/main` shows each record commit',
    },
    {
      path: 'admin.git/',
      what: "its remote, standing in for GitHub's copy: the records are pushed there by commit-back.sh",
    },
    ...phases.map((p) => ({ path: `${p}/`, what: phaseWhat(p) })),
    {
      path: '<n>-apply/apply/<stack>/run/<stack>/',
      what: 'the trusted folder Terraform ran in: plan.json (terraform show -json), plan.stream.jsonl, apply.jsonl, exitcode',
    },
    {
      path: '<n>-*/<job>[/<stack>]/',
      what: "each job's RUNNER_TEMP: its $GITHUB_ENV, $GITHUB_OUTPUT, step summary, records/summary.md (the apply's summary)",
    },
  ];
  writeFileSync(
    join(o.outDir, 'README.txt'),
    readme(entries, [
      `Roster: ${o.roster}`,
      `Result: ${ok ? 'every step passed' : 'a step failed: see summary.txt and rehearsal.log'}`,
      "The steps are the workflows' own (rehearsal/workflow-steps.ts in learning-rooms), run with the",
      'environment a runner gives them; GITHUB_BASE_URL points at the double, and config/gitops.json adds',
      'the rehearsal settings: pacing of 10 ms, every learner admitted, the git backend, healing on.',
    ]),
  );
}

function phaseWhat(folder: string): string {
  if (folder.endsWith('-apply'))
    return "the Apply: synth/ (the synth job: state-input, synth-out/ = the artifact), apply/<stack>/ (each stack's apply job)";
  if (folder.endsWith('-watchdog'))
    return 'the Watchdog: synth/, fingerprint/, check/<stack>/ (refreshing plans), report/ (the admin issue text, findings), heal/<stack>/';
  return 'the Progress job: progress/';
}
