import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './io';
import { loadRoster } from '../roster';
import { expiredInvitationAddresses } from '../gitops/watchdog-report';
import { readLearnerIndex } from '../contracts/learner-index';

export const expiredInvitationsCommand: Command = {
  summary: 'list the collaborator addresses of a cohort whose invitation expired',
  usage: `Usage: learning-rooms expired-invitations --roster roster.json --index learners.json

Prints, one per line, the Terraform address of the collaborator resource of every admitted
learner of that cohort stack whose invitation expired (progress status "invitation-expired").
The watchdog passes each as -replace=ADDRESS to terraform plan, which re-sends the invitation:
the provider itself counts an expired invitation as present and never re-invites.

Exit status: 0 listed (possibly none); 2 usage, an unreadable index or an invalid roster.`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { roster: { type: 'string' }, index: { type: 'string' } } });
    if (!values.roster || !values.index) throw new Error('--roster and --index are required');
    const addresses = expiredInvitationAddresses(
      loadRoster(resolve(io.cwd, values.roster)),
      readLearnerIndex(resolve(io.cwd, values.index)),
    );
    io.stdout(addresses.map((a) => a + '\n').join(''));
    return 0;
  },
};
