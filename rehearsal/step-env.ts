/**
 * The environment each rehearsed step gets, as a runner gives it in the workflows: the machine's own
 * environment without anything that could change what runs (credentials, this project's settings,
 * Terraform's and git's own variables), the job's variables (TOOL_DIR, RUNNER_TEMP, STACK...), what
 * earlier steps appended to $GITHUB_ENV, and the App's credentials only for a step the workflow
 * hands them to.
 */
/** The machine's variables a runner would not have: credentials, settings, Terraform's, git's, Actions'. */
const DROPPED =
  /^(GITHUB_|GH_|RUNNER_|TF_|GIT_|LEARNING_ROOMS?_|PROVISIONING_|RECORDS_|REGISTER_|AWS_|GOOGLE_|ARM_|PG_CONN_STR$|ACTIONS_|CI$)/;

/** The operator's own way to name a mirror: kept, prepare-stack reads it. */
const KEPT = new Set(['LEARNING_ROOMS_PROVIDER_MIRROR']);

export function machineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && (KEPT.has(k) || !DROPPED.test(k))) out[k] = v;
  return out;
}

export interface AppCredentials {
  appId: number;
  installationId: number;
  /** The PEM text, as the workflows' secret holds it. */
  privateKeyPem: string;
}

export interface JobEnv {
  toolDir: string;
  workspace: string;
  runnerTemp: string;
  githubEnvFile: string;
  githubOutputFile: string;
  stepSummaryFile: string;
  sha: string;
  serverUrl: string;
  /** The rehearsal's GITHUB_BASE_URL: the double (the one variable a real runner does not set). */
  baseUrl: string;
  stack?: string;
  stackDir?: string;
  /** An empty git configuration: the operator's (signing, hooks, ...) must not change the records' commits. */
  gitConfig: string;
  /**
   * The instant of a course's step (rehearse --at), as LEARNING_ROOMS_AT: the rehearsal's clock for
   * synth, propose-update and everything else that plans a course at an instant (a real runner has
   * none: there it is the run's start).
   */
  at?: string;
}

/** A job's variables, before any step ran. */
export function jobEnv(machine: NodeJS.ProcessEnv, job: JobEnv): NodeJS.ProcessEnv {
  return {
    ...machine,
    TOOL_DIR: job.toolDir,
    GITHUB_WORKSPACE: job.workspace,
    RUNNER_TEMP: job.runnerTemp,
    GITHUB_ENV: job.githubEnvFile,
    GITHUB_OUTPUT: job.githubOutputFile,
    GITHUB_STEP_SUMMARY: job.stepSummaryFile,
    GITHUB_SHA: job.sha,
    GITHUB_SERVER_URL: job.serverUrl,
    GITHUB_REPOSITORY: 'rehearsal/admin',
    GITHUB_BASE_URL: job.baseUrl,
    GIT_CONFIG_GLOBAL: job.gitConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    CHECKPOINT_DISABLE: '1',
    ...(job.at ? { LEARNING_ROOMS_AT: job.at } : {}),
    ...(job.stack ? { STACK: job.stack, STACK_DIR: job.stackDir ?? '', TF_IN_AUTOMATION: '1' } : {}),
  };
}

/** `KEY=value` lines of a $GITHUB_ENV file (the simple form our steps write). */
export function parseGithubEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

/** The step's environment: the job's, what earlier steps appended, the step's own, and the App's credentials when given. */
export function stepEnv(
  job: NodeJS.ProcessEnv,
  appended: Record<string, string>,
  own: Record<string, string>,
  credentials?: AppCredentials,
): NodeJS.ProcessEnv {
  return {
    ...job,
    ...appended,
    ...own,
    ...(credentials
      ? {
          GITHUB_APP_ID: String(credentials.appId),
          GITHUB_APP_INSTALLATION_ID: String(credentials.installationId),
          GITHUB_APP_PEM_FILE: credentials.privateKeyPem,
        }
      : {}),
  };
}
