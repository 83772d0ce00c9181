import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineCommand } from './command';
import { GITHUB_ACCESS_OPTIONS, readGitHubAccess } from './github-access';
import { DRY_RUN } from './common-options';
import { createClient, GitHubOctokit } from '../shared/github-client';
import { parsePlanJson } from '../contracts/terraform-plan';
import { InvitationsApi, invitationUpdates, setPendingInvitations } from '../provisioning/pending-invitations';

type InvitationPermission = 'read' | 'write' | 'maintain' | 'triage' | 'admin';

/** The two REST calls of the step, through the project's one client. */
function invitationsApi(octokit: GitHubOctokit): InvitationsApi {
  return {
    list: async (owner, repo) =>
      (await octokit.paginate(octokit.rest.repos.listInvitations, { owner, repo, per_page: 100 })).map((i) => ({
        id: i.id,
        invitee: i.invitee?.login ?? '',
        permissions: i.permissions,
      })),
    update: async (owner, repo, id, permissions) => {
      await octokit.rest.repos.updateInvitation({
        owner,
        repo,
        invitation_id: id,
        permissions: permissions as InvitationPermission,
      });
    },
  };
}

const options = {
  plan: {
    type: 'string',
    value: 'FILE',
    required: true,
    help: '`terraform show -json tfplan` of the stack about to be applied',
  },
  ...GITHUB_ACCESS_OPTIONS,
  'dry-run': { ...DRY_RUN, help: 'read the invitations, say which would change, change none' },
} as const;

export const pendingInvitationsCommand = defineCommand({
  name: 'pending-invitations',
  summary: "before applying a course's plan: set the pending invitations it changes to GitHub's documented names",
  usage: ['--plan plan.json [options]'],
  description: `Between terraform plan and terraform apply of a course's stack (docs/course.md): for every
member whose permission the plan changes in place (a cutoff: push -> pull; an extension; a
hand-over: admin) and whose invitation is still pending, sets the invitation to the documented
permission (read, write, maintain, triage, admin) through the REST API, so the provider finds it
already right and sends nothing: it would send the old names (pull, push), which GitHub's description
of "Update a repository invitation" does not list. Accepted collaborators are left to the apply.
Credentials: the provisioning App's (administration: write), as Terraform's.`,
  options,
  exitStatus:
    '0 done (possibly nothing to change); 1 an invitation could not be read or changed; 2 usage or an unreadable plan.',
  async run({ values }, io) {
    const { plan, problems: unreadable } = parsePlanJson(
      readFileSync(resolve(io.cwd, values.plan), 'utf8'),
      values.plan,
    );
    if (unreadable.length > 0) {
      io.stderr(unreadable.map((p) => p.message).join('\n') + '\n');
      return 2;
    }
    const updates = invitationUpdates(plan);
    if (updates.length === 0) {
      io.stdout("pending-invitations: the plan changes no member's permission\n");
      return 0;
    }
    const settings = readGitHubAccess('pending-invitations', values, io);
    if (!settings) return 2;
    const octokit = createClient({
      baseUrl: settings.baseUrl,
      auth: settings.auth,
      userAgent: 'learning-rooms-pending-invitations',
      warn: (m) => io.stderr(`warning: ${m}\n`),
    });
    const report = await setPendingInvitations(invitationsApi(octokit), settings.owner, updates, values['dry-run']);
    for (const u of report.updated)
      io.stdout(
        `${values['dry-run'] ? 'would set' : 'set'} the pending invitation of ${u.username} to ${settings.owner}/${u.repository} from ${u.from} to ${u.to}\n`,
      );
    io.stdout(
      `pending-invitations: ${updates.length} permission change(s) in the plan; ${report.updated.length} pending invitation(s) ${values['dry-run'] ? 'to set' : 'set'}; ${report.accepted} accepted (the apply changes them)\n`,
    );
    for (const p of report.problems) io.stderr(`error: ${p}\n`);
    return report.problems.length > 0 ? 1 : 0;
  },
});
