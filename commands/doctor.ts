import { DEFAULT_BASE_URL, SETTINGS_ENV } from '../contracts/settings';
import { createClient } from '../shared/github-client';
import { readGitHubCredentials } from '../shared/github-credentials';
import { toolRepositoryProblem } from '../gitops/admin-repository';
import { readAdminSnapshot } from '../gitops/admin-snapshot';
import { formatChecks, judgeAdminRepository } from '../gitops/doctor-checks';
import { LOCK_FILE } from '../gitops/provider-lock';
import { defineCommand } from './command';
import { GITHUB_OPTIONS } from './common-options';

const options = {
  repo: { type: 'string', value: 'OWNER/NAME', help: 'the admin repository', required: true },
  'base-url': GITHUB_OPTIONS['base-url'],
} as const;

export const doctorCommand = defineCommand({
  name: 'doctor',
  summary:
    "check an admin repository's settings on GitHub (Apps, environments, ruleset, secrets, pins): ok or what to fix",
  usage: ['--repo OWNER/NAME [--base-url URL]'],
  description: `Reads the admin repository's settings through the API and prints one line per check, "ok" or
"FIX" with what to do: the four Apps' installations and permissions, the four environments
(five with a public front door: learning-rooms-enrol) limited to main and the secrets in each (names only; values are never read), no repository or
organization secrets, the ruleset on main (pull requests, only the records App bypasses), the
registration label, the template repository, ${LOCK_FILE}, and the pins. The rooms' owner is read
from the admin repository's config/gitops.json. Reads only: it writes nothing.`,
  options,
  environment:
    "Credentials: GITHUB_TOKEN (a token of a repository admin that may read its settings and the organization's App installations), or a GitHub App's GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE.",
  exitStatus: '0 all ok; 1 something to fix; 2 usage error or no credentials.',
  async run({ values }, io) {
    const problems: string[] = [];
    const repoProblem = toolRepositoryProblem(values.repo);
    if (repoProblem)
      problems.push(`--repo: ${repoProblem.replace('e.g. learning-rooms/learning-rooms', 'e.g. acme/workshop-admin')}`);
    const baseUrl = values['base-url'] ?? io.env[SETTINGS_ENV.baseUrl] ?? DEFAULT_BASE_URL;
    try {
      if (!/^https?:$/.test(new URL(baseUrl).protocol)) throw new Error('not http(s)');
    } catch {
      problems.push(
        `--base-url: expected an http(s) URL such as ${DEFAULT_BASE_URL}, found ${JSON.stringify(baseUrl)}`,
      );
    }
    const { credentials, errors } = readGitHubCredentials(io.env, { cwd: io.cwd });
    problems.push(...errors);
    if (problems.length > 0 || !credentials) {
      io.stderr(problems.map((p) => `learning-rooms doctor: ${p}\n`).join(''));
      return 2;
    }
    const octokit = createClient({
      baseUrl,
      auth: credentials.auth,
      userAgent: 'learning-rooms-doctor',
      warn: (m) => io.stderr(`warning: ${m}\n`),
    });
    io.stderr(`reading ${values.repo} at ${baseUrl} as ${credentials.describe}\n`);
    const checks = judgeAdminRepository(await readAdminSnapshot(octokit, values.repo));
    io.stdout(formatChecks(checks));
    const failing = checks.filter((c) => !c.ok).length;
    io.stdout(failing === 0 ? `All ${checks.length} checks ok.\n` : `${failing} of ${checks.length} checks to fix.\n`);
    return failing === 0 ? 0 : 1;
  },
});
