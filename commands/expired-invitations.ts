import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadRoster } from '../roster';
import { expiredInvitationAddresses } from '../gitops/watchdog-report';
import { readLearnerIndex } from '../contracts/learner-index';
import { createClient, GitHubOctokit } from '../shared/github-client';
import {
  courseRoomsWithExpired,
  ExpiredInvitationsApi,
  FingerprintFinding,
  roomsToCheck,
  withdrawExpiredInvitations,
} from '../provisioning/expired-course-invitations';
import { defineCommand } from './command';
import { GITHUB_ACCESS_OPTIONS, readGitHubAccess } from './github-access';
import { DRY_RUN, rosterArgument } from './common-options';

/** The two REST calls of --withdraw, through the project's one client. */
function expiredInvitationsApi(octokit: GitHubOctokit): ExpiredInvitationsApi {
  return {
    list: async (owner, repo) =>
      (await octokit.paginate(octokit.rest.repos.listInvitations, { owner, repo, per_page: 100 })).map((i) => ({
        id: i.id,
        invitee: i.invitee?.login ?? '',
        expired: i.expired === true,
      })),
    remove: async (owner, repo, id) => {
      await octokit.rest.repos.deleteInvitation({ owner, repo, invitation_id: id });
    },
  };
}

/** The fingerprint's findings (its --out file); none when the file is missing (the fingerprint did not run). */
function readFindings(path: string): FingerprintFinding[] {
  if (!existsSync(path)) return [];
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { findings?: unknown };
  if (!Array.isArray(raw.findings)) throw new Error(`${path}: expected the fingerprint's findings (its --out file)`);
  return (raw.findings as Partial<FingerprintFinding>[]).filter(
    (f): f is FingerprintFinding =>
      typeof f.stack === 'string' && typeof f.repository === 'string' && typeof f.kind === 'string',
  );
}

const options = {
  index: { type: 'string', value: 'FILE', required: true, help: "the cohort stack's learners.json" },
  fingerprint: {
    type: 'string',
    value: 'FILE',
    help: "the watchdog fingerprint's findings (its --out scope.json): a course room it found with an expired invitation counts (ignored when missing)",
  },
  count: {
    type: 'boolean',
    help: "print one number instead: the learners' collaborators to replace plus the course rooms known to hold an expired invitation",
  },
  withdraw: {
    type: 'boolean',
    help: "in a course's stack, first delete every expired invitation of a person a room's list names, so the plan invites them again (REST, the provisioning App's credentials)",
  },
  ...GITHUB_ACCESS_OPTIONS,
  'dry-run': { ...DRY_RUN, help: 'with --withdraw: read the invitations, say which would be withdrawn, delete none' },
} as const;

export const expiredInvitationsCommand = defineCommand({
  name: 'expired-invitations',
  summary: 'list the collaborator addresses of a cohort whose invitation expired; withdraw those of a course',
  usage: ['[roster.json] --index learners.json [--withdraw] [--count [--fingerprint scope.json]]'],
  description: `Prints, one per line, the Terraform address of the collaborator resource of every admitted
learner of that cohort stack whose invitation expired (progress status "invitation-expired").
The watchdog passes each as -replace=ADDRESS to terraform plan, which re-sends the invitation:
the provider itself counts an expired invitation as present and never re-invites.
A course's rooms have one collaborators list each, which -replace would empty and fill again (every
accepted learner invited anew): with --withdraw, before the plan, every expired invitation of a
person a course room's list names is deleted through the REST API (one list per room, one DELETE per
expired invitation), so the plan adds that person back and the apply sends their one invitation
(docs/course.md). Messages go to stderr; stdout stays the addresses.
--count prints one number, for the watchdog's choice of stacks to heal: those addresses plus the
course rooms known to hold an expired invitation (progress of record, or --fingerprint's findings).`,
  argument: rosterArgument('the roster (its progress of record)', { required: true }),
  options,
  exitStatus:
    '0 listed (possibly none); 1 with --withdraw, an invitation could not be read or withdrawn; 2 usage, an unreadable index or an invalid roster.',
  // The roster is required: the parser refuses a command line without it.
  async run({ values, file = '' }, io) {
    const roster = loadRoster(resolve(io.cwd, file));
    const index = readLearnerIndex(resolve(io.cwd, values.index));
    const addresses = expiredInvitationAddresses(roster, index);
    if (values.count) {
      let findings: FingerprintFinding[];
      try {
        findings = values.fingerprint ? readFindings(resolve(io.cwd, values.fingerprint)) : [];
      } catch (err) {
        io.stderr(`learning-rooms expired-invitations: ${(err as Error).message}\n`);
        return 2;
      }
      io.stdout(`${addresses.length + courseRoomsWithExpired(roster, index, findings).length}\n`);
      return 0;
    }
    let code = 0;
    const rooms = values.withdraw ? roomsToCheck(index) : [];
    if (rooms.length > 0) {
      const settings = readGitHubAccess('expired-invitations', values, io);
      if (!settings) return 2;
      const octokit = createClient({
        baseUrl: settings.baseUrl,
        auth: settings.auth,
        userAgent: 'learning-rooms-expired-invitations',
        warn: (m) => io.stderr(`warning: ${m}\n`),
      });
      const dry = values['dry-run'] === true;
      const report = await withdrawExpiredInvitations(expiredInvitationsApi(octokit), settings.owner, rooms, dry);
      for (const w of report.withdrawn)
        io.stderr(
          `${dry ? 'would withdraw' : 'withdrew'} the expired invitation of ${w.username} to ${settings.owner}/${w.repository} (the plan invites them again)\n`,
        );
      io.stderr(
        `expired-invitations: ${report.rooms} of ${rooms.length} course room(s) read; ${report.withdrawn.length} expired invitation(s) ${dry ? 'to withdraw' : 'withdrawn'}\n`,
      );
      for (const p of report.problems) io.stderr(`error: ${p}\n`);
      if (report.problems.length > 0) code = 1;
    }
    io.stdout(addresses.map((a) => a + '\n').join(''));
    return code;
  },
});
