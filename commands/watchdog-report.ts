import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './io';
import { loadRoster } from '../roster';
import { writeFileAtomic } from '../shared/atomic-write';
import { watchdogSnapshot } from '../gitops/watchdog-findings';
import { isHealthy, renderWatchdogReport, watchdogFindings } from '../gitops/watchdog-report';
import { readStackPlans, STACK_INPUT_OPTIONS, STACK_INPUT_USAGE } from './stack-inputs';

export const watchdogReportCommand: Command = {
  summary: "render the drift watchdog's admin issue body; print healthy or unhealthy",
  usage: `Usage: learning-rooms watchdog-report --roster roster.json --plan plan.json --index learners.json [...]
                                      [--failed-index learners.json] [--heal] [--run-url URL]
                                      [--out FILE] [--full-out FILE] [--findings-out FILE]

Lists rooms whose plan is not clean (drift to heal, pending provisioning, archives), cohorts whose
plan failed, learners whose last apply failed and invitations that expired (from the progress of
record in the roster). Prints "healthy" or "unhealthy" on stdout; the issue body goes to --out.

${STACK_INPUT_USAGE}
  --roster FILE        the roster (failed learners, expired invitations)
  --heal               say that healing is enabled
  --run-url URL        link to the workflow run
  --out FILE           the issue body (within GitHub's 65,536-character limit)
  --full-out FILE      the report without the size limit
  --findings-out FILE  the findings as JSON (drift and failed plans), for the dashboard

Exit status: 0 reported (healthy or not: read stdout); 2 usage, an unreadable plan or index, or an
invalid roster.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        ...STACK_INPUT_OPTIONS,
        roster: { type: 'string' },
        heal: { type: 'boolean' },
        'run-url': { type: 'string' },
        out: { type: 'string' },
        'full-out': { type: 'string' },
        'findings-out': { type: 'string' },
      },
    });
    if (!values.roster) throw new Error('--roster is required');
    const input = {
      stacks: readStackPlans(io.cwd, values),
      roster: loadRoster(resolve(io.cwd, values.roster)),
      healEnabled: values.heal === true,
      runUrl: values['run-url'],
      checkedAt: new Date().toISOString(),
    };
    if (values.out) writeFileAtomic(resolve(io.cwd, values.out), renderWatchdogReport(input) + '\n');
    if (values['full-out']) writeFileAtomic(resolve(io.cwd, values['full-out']), renderWatchdogReport(input, Number.MAX_SAFE_INTEGER) + '\n');
    const findings = watchdogFindings(input);
    if (values['findings-out']) writeFileAtomic(resolve(io.cwd, values['findings-out']), JSON.stringify(watchdogSnapshot(findings, input.checkedAt), null, 2) + '\n');
    io.stdout(isHealthy(findings) ? 'healthy\n' : 'unhealthy\n');
    return 0;
  },
};
