import { resolve } from 'node:path';
import { defineCommand } from './command';
import { outFile, rosterArgument } from './common-options';
import { loadRoster } from '../roster';
import { writeFileAtomic } from '../shared/atomic-write';
import { watchdogSnapshot } from '../gitops/watchdog-findings';
import { isHealthy, renderWatchdogReport, watchdogFindings } from '../gitops/watchdog-report';
import { readStackPlans, STACK_INPUT_OPTIONS } from './stack-inputs';

const options = {
  ...STACK_INPUT_OPTIONS,
  heal: { type: 'boolean', help: 'say that healing is enabled' },
  'run-url': { type: 'string', value: 'URL', help: 'link to the workflow run' },
  out: outFile("the issue body (within GitHub's 65,536-character limit)"),
  'full-out': outFile('the report without the size limit'),
  'findings-out': outFile('the findings as JSON (drift and failed plans), for the dashboard'),
} as const;

export const watchdogReportCommand = defineCommand({
  name: 'watchdog-report',
  summary: "render the drift watchdog's admin issue body; print healthy or unhealthy",
  usage: [
    '[roster.json] --plan plan.json --index learners.json [...] [--failed-index learners.json] [--heal] [--run-url URL] [--out FILE] [--full-out FILE] [--findings-out FILE]',
  ],
  description: `Lists rooms whose plan is not clean (drift to heal, pending provisioning, archives), cohorts whose
plan failed, learners whose last apply failed and invitations that expired (from the progress of
record in the roster). Prints "healthy" or "unhealthy" on stdout; the issue body goes to --out.
Writes only the files named by --out, --full-out and --findings-out (so it takes no --dry-run: leave them out).`,
  argument: rosterArgument('the roster (failed learners, expired invitations)', { required: true }),
  options,
  exitStatus: '0 reported (healthy or not: read stdout); 2 usage, an unreadable plan or index, or an invalid roster.',
  // The roster is required: the parser refuses a command line without it.
  async run({ values, file = '' }, io) {
    const input = {
      stacks: readStackPlans(io.cwd, values),
      roster: loadRoster(resolve(io.cwd, file)),
      healEnabled: values.heal === true,
      runUrl: values['run-url'],
      checkedAt: new Date().toISOString(),
    };
    if (values.out) writeFileAtomic(resolve(io.cwd, values.out), renderWatchdogReport(input) + '\n');
    if (values['full-out'])
      writeFileAtomic(resolve(io.cwd, values['full-out']), renderWatchdogReport(input, Number.MAX_SAFE_INTEGER) + '\n');
    const findings = watchdogFindings(input);
    if (values['findings-out'])
      writeFileAtomic(
        resolve(io.cwd, values['findings-out']),
        JSON.stringify(watchdogSnapshot(findings, input.checkedAt), null, 2) + '\n',
      );
    io.stdout(isHealthy(findings) ? 'healthy\n' : 'unhealthy\n');
    return 0;
  },
});
