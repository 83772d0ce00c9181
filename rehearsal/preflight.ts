/**
 * The edge of the preflight: looks on PATH, asks Terraform its version, looks into the mirror, and
 * tries `terraform providers lock` for this machine's platform in a temporary folder (from the
 * mirror, or the registry with a time limit). The lock file it writes is the rehearsal's: the
 * trusted folders get it, so the operator's committed lock file is not needed.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { GITHUB_PROVIDER } from '../contracts/stack-policy';
import { mirrorPathProblem, PROVIDER_MIRROR_ENV, terraformCliConfig } from '../gitops/cli-config';
import { checkLockFile, LOCK_FILE, lockCommandArgs, lockRequirementDocument } from '../gitops/provider-lock';
import {
  filesystemMirrors,
  mirrorLayouts,
  nodePlatform,
  parseTerraformVersion,
  preflightProblems,
  SCRIPT_TOOLS,
  versionBelow,
  MIN_TERRAFORM,
  type PreflightFindings,
  type ProviderSource,
} from './preflight-core';
import { Processes } from './processes';

export interface PreflightResult {
  problems: string[];
  terraform?: { version: string; platform: string; path: string };
  provider?: ProviderSource;
  /** The lock file's text, for this machine's platform. */
  lockText?: string;
}

/** The first executable `name` on PATH. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      if (statSync(file).isFile()) {
        accessSync(file, constants.X_OK);
        return file;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What the mirror holds of the github provider, for the message when it lacks this platform. */
function mirrorContents(root: string): string {
  const dir = join(root, GITHUB_PROVIDER.address);
  if (!existsSync(dir)) return `nothing under ${GITHUB_PROVIDER.address}/`;
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory())
      for (const platform of readdirSync(p).sort()) found.push(`${GITHUB_PROVIDER.address}/${name}/${platform}/`);
    else found.push(`${GITHUB_PROVIDER.address}/${name}`);
  }
  return found.length > 0 ? found.join(', ') : `an empty ${GITHUB_PROVIDER.address}/`;
}

function mirrorHolds(root: string, platform: string): boolean {
  const { unpacked, packed } = mirrorLayouts(platform);
  try {
    if (readdirSync(join(root, unpacked)).some((f) => f.startsWith('terraform-provider-github'))) return true;
  } catch {
    // no unpacked layout
  }
  return existsSync(join(root, packed));
}

/** Everything Terraform reads of its own besides what a step sets: the operator's TF_* and credentials stay out. */
export function lockEnv(env: NodeJS.ProcessEnv, cliConfig: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!/^TF_/.test(k) && !/^GITHUB_/.test(k)) out[k] = v;
  return { ...out, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
}

export async function preflight(
  env: NodeJS.ProcessEnv,
  cwd: string,
  lockTimeoutMs: number,
  processes = new Processes(),
): Promise<PreflightResult> {
  const missingTools = SCRIPT_TOOLS.filter((t) => !findOnPath(t, env.PATH));
  const findings: PreflightFindings = {
    missingTools,
    terraform: { state: 'missing' },
    platform: nodePlatform(process.platform, process.arch),
  };
  const tfPath = findOnPath('terraform', env.PATH);
  if (tfPath) {
    const r = await processes.run(tfPath, ['version', '-json'], {
      cwd,
      env: lockEnv(env, '/dev/null'),
      timeoutMs: 20_000,
    });
    const parsed = parseTerraformVersion(r.stdout);
    if ('problem' in parsed) findings.terraform = { state: 'unreadable', problem: parsed.problem };
    else {
      findings.terraform = { state: 'found', ...parsed, path: tfPath };
      findings.platform = parsed.platform;
    }
  }

  let mirror: { path: string; named: string } | undefined;
  const given = env[PROVIDER_MIRROR_ENV]?.trim();
  if (given) mirror = { path: resolve(cwd, given), named: PROVIDER_MIRROR_ENV };
  else if (env.TF_CLI_CONFIG_FILE) {
    const file = resolve(cwd, env.TF_CLI_CONFIG_FILE);
    if (!existsSync(file)) findings.missingCliConfig = file;
    else {
      const paths = filesystemMirrors(readFileSync(file, 'utf8')).map((p) => resolve(cwd, p));
      const path = paths.find((p) => mirrorHolds(p, findings.platform)) ?? paths[0];
      if (path) mirror = { path, named: `TF_CLI_CONFIG_FILE (${file})` };
    }
  }
  if (mirror) {
    const pathProblem = mirrorPathProblem(mirror.path);
    findings.mirror = { ...mirror };
    if (pathProblem) findings.mirror.problem = pathProblem.replace(`${PROVIDER_MIRROR_ENV}: `, '');
    else if (!existsSync(mirror.path)) findings.mirror.problem = `the folder ${mirror.path} does not exist`;
    else if (!mirrorHolds(mirror.path, findings.platform)) {
      findings.mirror.problem = `the mirror does not hold it`;
      findings.mirror.holds = mirrorContents(mirror.path);
    }
  }

  const tf = findings.terraform;
  const terraformOk = tf.state === 'found' && !versionBelow(tf.version, MIN_TERRAFORM);
  let lockText: string | undefined;
  if (terraformOk && tfPath && !findings.mirror?.problem) {
    const work = mkdtempSync(join(tmpdir(), 'learning-rooms-rehearse-lock-'));
    writeFileSync(join(work, 'versions.tf.json'), JSON.stringify(lockRequirementDocument(), null, 2) + '\n');
    // Terraform reads only this configuration: the registry, or the mirror, for the github provider alone.
    writeFileSync(`${work}.tfrc`, terraformCliConfig(mirror?.path));
    try {
      const r = await processes.run(tfPath, [...lockCommandArgs([findings.platform], mirror?.path), '-no-color'], {
        cwd: work,
        env: lockEnv(env, `${work}.tfrc`),
        timeoutMs: lockTimeoutMs,
      });
      if (r.code !== 0) findings.lock = { ok: false, output: `${r.stderr}\n${r.stdout}`, timedOut: r.timedOut };
      else {
        const text = readFileSync(join(work, LOCK_FILE), 'utf8');
        const problems = checkLockFile(text, join(work, LOCK_FILE));
        if (problems.length > 0) findings.lock = { ok: false, output: problems.join('\n') };
        else {
          findings.lock = { ok: true };
          lockText = text;
        }
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(`${work}.tfrc`, { force: true });
    }
  }
  const problems = preflightProblems(findings);
  if (problems.length > 0 || tf.state !== 'found' || !tfPath) return { problems };
  return {
    problems,
    terraform: { version: tf.version, platform: tf.platform, path: tfPath },
    provider: mirror ? { from: 'mirror', ...mirror } : { from: 'registry' },
    lockText,
  };
}
