import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineCommand } from './command';
import { outDir, rosterArgument } from './common-options';
import { MIN_TERRAFORM } from '../rehearsal/preflight-core';
import { rehearse, toolRoot } from '../rehearsal/run';
import { TEMPLATE_FILES, type TemplateFiles } from '../rehearsal/seed';

/** The bundled example, when the folder the command runs in has no roster of its own. */
const EXAMPLE = join(toolRoot(), 'examples', 'roster.example.json');

export const rehearseCommand = defineCommand({
  name: 'rehearse',
  summary:
    'the whole loop on this machine: the GitHub double, real Terraform, the workflows’ steps (--simulate: learners, drift, heal)',
  usage: [
    '[roster.json] [--simulate] [--keep] [--out-dir DIR] [--template-files present|absent]',
    'course.json --at ISO [--at ISO ...] [--simulate] [--keep] [--out-dir DIR] [--template-files present|absent]',
  ],
  description: `Rehearses go-live without a GitHub App: starts the GitHub double (tools/github-double) on
127.0.0.1, seeded from the roster (its owner, each cohort's template, every learner as a user) with
a throwaway App key pair and two installations holding exactly the permissions docs/gitops.md asks
of the provisioning App and the read-only App. Then it runs the admin repository's workflows as
GitHub would, with their own commands and scripts in their order and the environment a runner
gives each step: Apply (synth, then per stack gitops-env, prepare-stack, restore-state.sh, terraform
init, terraform-plan.sh, check-plan, terraform apply, record-stack.sh through commit-back.sh into a
local admin repository), then Progress (progress and the dashboard).

With --simulate the learners play between the Apply and Progress: all but one accept their
invitation (the last one's expires), they write ack and close some challenges, and one room loses a
required file. Then the Watchdog runs: the fingerprint, a plan of the stacks that differ, its
report, and the heal (an apply re-sending the expired invitation); a last Progress writes the
facilitator's report.

A course (docs/course.md, "Rehearse a course") is rehearsed at instants: with --at T1 --at T2 ...
(or --at T1,T2,...), in order, at each instant the Plan workflow (synth, a plan of every stack, and
plan-comment: the comment is printed and kept in plan-comments/) and then the Apply it describes,
every step with LEARNING_ROOMS_AT=<instant> (synth, propose-update and everything that plans a
course at an instant); after the last, Progress. The same double and admin repository go through
every instant, so opening, cutoff and end of course follow each other as on GitHub. With
--simulate the learners play in the course's rooms after the last Apply (a team's members
together: any member's closes count for the team, ack and day1-complete for their writer), then
Progress, the Watchdog (its heal withdraws the expired invitation, expired-invitations --withdraw,
so the plan invites again) and a last Progress, at the last instant.

It prints, per learner, what was recorded, the status and the requests made for the room, and
writes everything to --out-dir (README.txt there says what each file is). The double is stopped
at the end, on a failure and on Ctrl-C, unless --keep.

Before anything starts it checks Terraform ${MIN_TERRAFORM.replace(/\.0$/, '')} or later on PATH, the
integrations/github provider (from the registry, or a filesystem mirror named by
LEARNING_ROOMS_PROVIDER_MIRROR or TF_CLI_CONFIG_FILE) and bash, git and jq, and says what is
missing and how to provide it.`,
  argument: rosterArgument(
    "the roster to rehearse (default: roster.json here, else the bundled examples/roster.example.json); its folder's config/gitops.json and required-files/ are used when present",
    { default: (io) => (existsSync(resolve(io.cwd, 'roster.json')) ? 'roster.json' : EXAMPLE) },
  ),
  options: {
    simulate: {
      type: 'boolean',
      help: 'play the learners, drift and an expired invitation, then the watchdog and its heal',
    },
    at: {
      type: 'string',
      multiple: true,
      value: 'ISO',
      help: 'rehearse a course at this instant (repeatable, or comma-separated, in order): at each, the plan comment, then the Apply',
    },
    keep: { type: 'boolean', help: 'leave the double running at the end (its URL is printed); stop it with Ctrl-C' },
    'out-dir': outDir('where everything goes: a new or empty folder (default: rehearsals/<time>)'),
    'template-files': {
      type: 'string',
      value: 'present|absent',
      help: "whether the templates already hold the cohorts' required files (default: absent)",
    },
  },
  environment: `LEARNING_ROOMS_PROVIDER_MIRROR (a filesystem mirror holding the provider) or TF_CLI_CONFIG_FILE
(a CLI configuration with a filesystem_mirror block); otherwise the provider comes from the registry.
Credentials and this project's settings in the environment are not passed on: the rehearsal makes
its own, and its settings are the roster folder's config/gitops.json with the rehearsal's pacing.`,
  exitStatus: `0 every step passed; 1 a step failed (the summary says which, rehearsal.log has its output) or the
roster or its settings have problems (all listed); 2 usage, or this machine lacks Terraform, the
provider or a tool (nothing was started); 130 interrupted (Ctrl-C).`,
  usageProblems: ({ values }) => [
    ...(values['template-files'] !== undefined &&
    !(TEMPLATE_FILES as readonly string[]).includes(values['template-files'])
      ? [`--template-files: expected present or absent, found "${values['template-files']}"`]
      : []),
    ...instantProblems(instants(values.at)),
  ],
  async run({ values, file }, io) {
    const stamp = new Date()
      .toISOString()
      .replace(/[:.]/g, '-')
      .replace(/-\d+Z$/, 'Z');
    const roster = resolve(io.cwd, file ?? EXAMPLE);
    if (roster === EXAMPLE) io.stdout(`No roster.json here: rehearsing the bundled example, ${EXAMPLE}\n`);
    return rehearse({
      roster,
      outDir: resolve(io.cwd, values['out-dir'] ?? join('rehearsals', stamp)),
      simulate: values.simulate === true,
      at: instants(values.at),
      keep: values.keep === true,
      templateFiles: (values['template-files'] as TemplateFiles | undefined) ?? 'absent',
      env: io.env,
      cwd: io.cwd,
      stdout: io.stdout,
      stderr: io.stderr,
      lockTimeoutMs: 60_000,
    });
  },
});

/** The instants of --at, repeated or comma-separated. */
export function instants(at: readonly string[] | undefined): string[] {
  return (at ?? []).flatMap((a) => a.split(',')).map((a) => a.trim());
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Each instant an ISO 8601 time, later than the one before. */
export function instantProblems(at: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [i, a] of at.entries()) {
    if (!ISO.test(a) || Number.isNaN(Date.parse(a)))
      problems.push(`--at: expected an ISO 8601 time such as 2026-03-10T17:30:00Z, found "${a}"`);
    else if (i > 0 && ISO.test(at[i - 1]) && Date.parse(a) <= Date.parse(at[i - 1]))
      problems.push(`--at: the instants go forward in time: ${a} is not after ${at[i - 1]}`);
  }
  return problems;
}
