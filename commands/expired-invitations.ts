import { resolve } from 'node:path';
import { loadRoster } from '../roster';
import { expiredInvitationAddresses } from '../gitops/watchdog-report';
import { readLearnerIndex } from '../contracts/learner-index';
import { defineCommand } from './command';
import { rosterArgument } from './common-options';

export const expiredInvitationsCommand = defineCommand({
  name: 'expired-invitations',
  summary: 'list the collaborator addresses of a cohort whose invitation expired',
  usage: ['[roster.json] --index learners.json'],
  description: `Prints, one per line, the Terraform address of the collaborator resource of every admitted
learner of that cohort stack whose invitation expired (progress status "invitation-expired").
The watchdog passes each as -replace=ADDRESS to terraform plan, which re-sends the invitation:
the provider itself counts an expired invitation as present and never re-invites.`,
  argument: rosterArgument('the roster (its progress of record)', { required: true }),
  options: { index: { type: 'string', value: 'FILE', required: true, help: "the cohort stack's learners.json" } },
  exitStatus: '0 listed (possibly none); 2 usage, an unreadable index or an invalid roster.',
  // The roster is required: the parser refuses a command line without it.
  async run({ values, file = '' }, io) {
    const addresses = expiredInvitationAddresses(
      loadRoster(resolve(io.cwd, file)),
      readLearnerIndex(resolve(io.cwd, values.index)),
    );
    io.stdout(addresses.map((a) => a + '\n').join(''));
    return 0;
  },
});
