import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineCommand } from './command';
import { GITHUB_ACCESS_OPTIONS, readGitHubAccess } from './github-access';
import { outFile, rosterArgument } from './common-options';
import { loadRoster } from '../roster';
import { parseReport } from '../progress/report';
import { createClient } from '../shared/github-client';
import { writeFileAtomic } from '../shared/atomic-write';
import { code, text } from '../gitops/markdown';
import { compareRoom, driftScope, ExpectedRoom, expectedRooms, Finding } from '../gitops/drift-fingerprint';
import { DriftReader, invitationsFromProgress } from '../gitops/drift-reader';
import { estimateStack, scopeDocument, StackEstimate } from '../gitops/stack-scope';
import { renderScope } from '../gitops/scope-report';
import { WORKFLOW_LIMITS } from '../synthesis/rate-budget';
import { readSynthesizedStacks, stackShape } from './changed-stacks';
import { learnerKey } from '../roster/handle';

const FINDINGS_SHOWN = 200;

/** The findings as a Markdown table (values from outside in code spans). */
export function findingsMarkdown(
  findings: readonly Finding[],
  roomsRead: number,
  requests: { graphql: number; rest: number },
): string[] {
  const head = [
    '## Fingerprint of every room',
    '',
    `${roomsRead} room${roomsRead === 1 ? '' : 's'} read with ${requests.graphql} GraphQL and ${requests.rest} REST request${requests.rest === 1 ? '' : 's'}: ${findings.length === 0 ? 'every room matches its configuration.' : `${findings.length} difference${findings.length === 1 ? '' : 's'}.`}`,
    '',
  ];
  if (findings.length === 0) return head;
  const rows = findings
    .slice(0, FINDINGS_SHOWN)
    .map((f) => `| ${code(f.stack)} | ${code(f.handle)} | ${code(f.repository)} | ${text(f.detail, 200)} |`);
  const more = findings.length > FINDINGS_SHOWN ? [`| … and ${findings.length - FINDINGS_SHOWN} more | | | |`] : [];
  return [...head, '| stack | learner | repository | difference |', '|---|---|---|---|', ...rows, ...more, ''];
}

const WHOLE = /^\d+$/;

const options = {
  synth: {
    type: 'string',
    value: 'DIR',
    required: true,
    help: 'the synthesis (a folder with stacks/<stack>/cdk.tf.json and learners.json)',
  },
  progress: {
    type: 'string',
    value: 'FILE',
    help: 'progress.json of the progress job (default: progress.json when present)',
  },
  'progress-max-age': {
    type: 'string',
    value: 'MIN',
    help: 'how old progress.json may be to be trusted for invitations, in minutes (default 90)',
  },
  out: outFile('the scope (stacks to plan and why, the rest and why, the estimate) and the findings, JSON'),
  'report-out': outFile('the findings and the scope as Markdown'),
  'summary-out': outFile('also append the same Markdown to FILE (default: $GITHUB_STEP_SUMMARY when set)'),
  ...GITHUB_ACCESS_OPTIONS,
  'request-interval': {
    type: 'string',
    value: 'MS',
    help: "spacing of GraphQL requests (default 1000, GitHub's advice against secondary rate limits; 0 for a local double)",
  },
} as const;

export const fingerprintCommand = defineCommand({
  name: 'fingerprint',
  summary:
    "the watchdog's cheap look: every room's fingerprint in batched GraphQL, and the stacks that differ from their configuration",
  usage: ['[roster.json] --synth DIR [options]'],
  description: `Reads every room of the synthesized stacks in batched GraphQL (50 rooms a request): archived,
visibility, issues, the learner as a direct collaborator and the blob id of each required file on
the default branch; compares it with what each stack's configuration says, and prints (one line of
JSON) the stacks where something differs: only those need a refreshing Terraform plan. A learner
GraphQL does not list as a collaborator is looked up in progress.json (when at most
--progress-max-age minutes old) or, failing that, in the REST invitations list.
Writes only the files named by --out, --report-out and --summary-out (so it takes no --dry-run).`,
  argument: rosterArgument(
    'the roster: a missing room the roster calls provisioned is drift, one it does not is a room still to create',
    { default: 'roster.json' },
  ),
  options,
  exitStatus: '0 read (differences or not); 1 no room could be read; 2 usage, settings or input error.',
  usageProblems: ({ values }) => {
    const maxAge = values['progress-max-age'];
    const interval = values['request-interval'];
    return [
      ...(maxAge !== undefined && !(maxAge.trim() !== '' && Number.isFinite(Number(maxAge)) && Number(maxAge) >= 0)
        ? [`--progress-max-age: expected minutes, found "${maxAge}"`]
        : []),
      ...(interval !== undefined && !WHOLE.test(interval)
        ? [`--request-interval: expected milliseconds (a whole number), found "${interval}"`]
        : []),
    ];
  },
  async run({ values, file = 'roster.json' }, io) {
    const maxAge = Number(values['progress-max-age'] ?? '90');
    const interval = values['request-interval'];
    const at = (p: string) => resolve(io.cwd, p);
    const settings = readGitHubAccess('fingerprint', values, io);
    if (!settings) return 2;
    const roster = loadRoster(at(file));
    const provisioned = new Set(
      roster.learners
        .filter((l) => l.provisioning.state === 'provisioned' || l.provisioning.provisioned_at !== undefined)
        .map((l) => learnerKey(l.github_handle, l.cohort_id)),
    );
    const progressPath = values.progress ?? (existsSync(at('progress.json')) ? 'progress.json' : undefined);
    const report = progressPath ? parseReport(readFileSync(at(progressPath), 'utf8')) : undefined;

    const stacks = readSynthesizedStacks(at(values.synth));
    const expected: ExpectedRoom[] = [];
    for (const s of stacks.values()) {
      if (!s.index) continue;
      const cohort = s.index.cohort_id;
      expected.push(...expectedRooms(s.config, s.index, (h) => provisioned.has(learnerKey(h, cohort))));
    }

    const octokit = createClient({
      baseUrl: settings.baseUrl,
      auth: settings.auth,
      userAgent: 'learning-rooms-fingerprint',
      minRequestIntervalMs: interval === undefined ? undefined : Number(interval),
      warn: (m) => io.stderr(`warning: ${m}\n`),
    });
    const requests = { graphql: 0, rest: 0 };
    octokit.hook.before('request', (req) => {
      if (/\/graphql$/.test(req.url)) requests.graphql++;
      else requests.rest++;
    });
    io.stderr(`reading ${expected.length} rooms of ${settings.owner} at ${settings.baseUrl} as ${settings.describe}\n`);
    const reader = new DriftReader(octokit, settings.owner, invitationsFromProgress(report, new Date(), maxAge));
    const observed = await reader.read(expected);
    const findings = expected.flatMap((e) =>
      compareRoom(e, observed.get(e) ?? { exists: false, files: {}, error: 'not read' }),
    );
    const roomsRead = new Map<string, number>();
    for (const e of expected) roomsRead.set(e.stack, (roomsRead.get(e.stack) ?? 0) + 1);

    const scope = driftScope([...stacks.keys()], findings, roomsRead);
    const estimates = new Map<string, StackEstimate>();
    for (const p of scope.plan) {
      const s = stacks.get(p.stack);
      if (s)
        estimates.set(
          p.stack,
          estimateStack(
            stackShape(s, (h, c) => provisioned.has(`${c}\u0000${h.toLowerCase()}`)),
            'refresh-plan',
          ),
        );
    }
    const doc = scopeDocument(scope, 'refresh-plan', estimates, WORKFLOW_LIMITS.refreshPlanMaxParallel);
    const markdown =
      [...findingsMarkdown(findings, expected.length, requests), ...renderScope(doc, '##')].join('\n') + '\n';
    if (values.out) writeFileAtomic(at(values.out), JSON.stringify({ ...doc, findings, requests }, null, 2) + '\n');
    if (values['report-out']) writeFileAtomic(at(values['report-out']), markdown);
    const summary = values['summary-out'] ?? io.env.GITHUB_STEP_SUMMARY;
    if (summary) appendFileSync(at(summary), markdown);
    io.stdout(JSON.stringify(doc.stacks.map((s) => s.stack)) + '\n');
    io.stderr(
      `${expected.length} rooms read with ${requests.graphql} GraphQL and ${requests.rest} REST requests: ${findings.length} difference(s); ${doc.stacks.length} of ${stacks.size} stacks to plan\n`,
    );
    const unread = findings.filter((f) => f.kind === 'unread').length;
    return expected.length > 0 && unread === expected.length ? 1 : 0;
  },
});
