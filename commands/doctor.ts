import { parseArgs } from 'node:util';
import type { Command } from './io';
import { DEFAULT_BASE_URL, SETTINGS_ENV } from '../contracts/settings';
import { createClient } from '../shared/github-client';
import { readGitHubCredentials } from '../shared/github-credentials';
import { toolRepositoryProblem } from '../gitops/admin-repository';
import { readAdminSnapshot } from '../gitops/admin-snapshot';
import { formatChecks, judgeAdminRepository } from '../gitops/doctor-checks';
import { LOCK_FILE } from '../gitops/provider-lock';

export const doctorCommand: Command = {
  summary: 'check an admin repository\'s settings on GitHub (Apps, environments, ruleset, secrets, pins): ok or what to fix',
  usage: `Usage: learning-rooms doctor --repo OWNER/NAME [--base-url URL]

Reads the admin repository's settings through the API and prints one line per check, "ok" or
"FIX" with what to do: the four Apps' installations and permissions, the four environments
limited to main and the secrets in each (names only; values are never read), no repository or
organization secrets, the ruleset on main (pull requests, only the records App bypasses), the
registration label, the template repository, ${LOCK_FILE}, and the pins.

  --repo OWNER/NAME   the admin repository
  --base-url URL      GitHub API (default: $${SETTINGS_ENV.baseUrl}, else ${DEFAULT_BASE_URL})

Credentials: GITHUB_TOKEN (a token of a repository admin that may read its settings and the
organization's App installations), or a GitHub App's GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID
and GITHUB_APP_PEM_FILE.
Exit status: 0 all ok; 1 something to fix; 2 usage or no credentials.`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { repo: { type: 'string' }, 'base-url': { type: 'string' } } });
    const problems: string[] = [];
    if (!values.repo) problems.push('--repo: expected OWNER/NAME of the admin repository');
    else {
      const p = toolRepositoryProblem(values.repo);
      if (p) problems.push(`--repo: ${p.replace('e.g. learning-rooms/learning-rooms', 'e.g. acme/workshop-admin')}`);
    }
    const baseUrl = values['base-url'] ?? io.env[SETTINGS_ENV.baseUrl] ?? DEFAULT_BASE_URL;
    try {
      if (!/^https?:$/.test(new URL(baseUrl).protocol)) throw new Error('not http(s)');
    } catch {
      problems.push(`--base-url: expected an http(s) URL such as ${DEFAULT_BASE_URL}, found ${JSON.stringify(baseUrl)}`);
    }
    const { credentials, errors } = readGitHubCredentials(io.env, { cwd: io.cwd });
    problems.push(...errors);
    if (problems.length > 0 || !credentials || !values.repo) {
      io.stderr(problems.map((p) => `learning-rooms doctor: ${p}\n`).join(''));
      return 2;
    }
    const octokit = createClient({ baseUrl, auth: credentials.auth, userAgent: 'learning-rooms-doctor', warn: (m) => io.stderr(`warning: ${m}\n`) });
    io.stderr(`reading ${values.repo} at ${baseUrl} as ${credentials.describe}\n`);
    const checks = judgeAdminRepository(await readAdminSnapshot(octokit, values.repo));
    io.stdout(formatChecks(checks));
    const failing = checks.filter((c) => !c.ok).length;
    io.stdout(failing === 0 ? `All ${checks.length} checks ok.\n` : `${failing} of ${checks.length} checks to fix.\n`);
    return failing === 0 ? 0 : 1;
  },
};
