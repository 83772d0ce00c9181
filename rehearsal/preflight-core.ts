/**
 * What a rehearsal needs from the machine, judged before anything starts: Terraform 1.7 or later on
 * PATH (the synthesized stacks use `removed` blocks, new in 1.7), the integrations/github provider
 * from the registry or a filesystem mirror, and the tools the workflow scripts call (bash, git,
 * jq). Pure: the checks' findings in, the operator's message out.
 */
import { GITHUB_PROVIDER } from '../contracts/stack-policy';
import { PROVIDER_MIRROR_ENV } from '../gitops/cli-config';
import { lockRequirementDocument } from '../gitops/provider-lock';

export const MIN_TERRAFORM = '1.7.0';
export const SCRIPT_TOOLS = ['bash', 'git', 'jq'] as const;

/** `terraform version -json` → its version and platform, or why not. */
export function parseTerraformVersion(stdout: string): { version: string; platform: string } | { problem: string } {
  try {
    const v = JSON.parse(stdout) as { terraform_version?: unknown; platform?: unknown };
    if (typeof v.terraform_version === 'string' && typeof v.platform === 'string')
      return { version: v.terraform_version, platform: v.platform };
  } catch {
    // not JSON: a Terraform older than 0.13 prints text
  }
  return {
    problem: `terraform version -json did not print a version (found ${JSON.stringify(stdout.trim().slice(0, 80))})`,
  };
}

/** a < b for dotted versions (a pre-release suffix is ignored). */
export function versionBelow(a: string, b: string): boolean {
  const parts = (v: string) =>
    v
      .split(/[-+]/)[0]
      .split('.')
      .map((n) => Number(n) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  }
  return false;
}

/** Terraform's name for this machine's platform, when Terraform cannot say: linux_amd64, darwin_arm64... */
export function nodePlatform(platform: string, arch: string): string {
  const os = platform === 'win32' ? 'windows' : platform;
  const cpu = arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
  return `${os}_${cpu}`;
}

/** The `path` of every `filesystem_mirror` block of a Terraform CLI configuration. */
export function filesystemMirrors(cliConfig: string): string[] {
  const out: string[] = [];
  for (const m of cliConfig.matchAll(/filesystem_mirror\s*\{([^}]*)\}/g)) {
    const path = /\bpath\s*=\s*"([^"]*)"/.exec(m[1]);
    if (path) out.push(path[1]);
  }
  return out;
}

/** Where a mirror keeps the provider for a platform, unpacked or packed (Terraform reads both). */
export function mirrorLayouts(platform: string): { unpacked: string; packed: string } {
  const base = `${GITHUB_PROVIDER.address}`;
  return {
    unpacked: `${base}/${GITHUB_PROVIDER.version}/${platform}/`,
    packed: `${base}/terraform-provider-github_${GITHUB_PROVIDER.version}_${platform}.zip`,
  };
}

export type ProviderSource = { from: 'mirror'; path: string; named: string } | { from: 'registry' };

export interface PreflightFindings {
  missingTools: string[];
  terraform:
    | { state: 'missing' }
    | { state: 'unreadable'; problem: string }
    | { state: 'found'; version: string; platform: string; path: string };
  platform: string;
  /** The mirror and what names it, when the operator gave one. */
  mirror?: { path: string; named: string; holds?: string; problem?: string };
  /** TF_CLI_CONFIG_FILE when it names a file that does not exist (said, it may be why). */
  missingCliConfig?: string;
  /** The provider lock attempt, when Terraform and the mirror (if any) were fine. */
  lock?: { ok: true } | { ok: false; output: string; timedOut?: boolean };
}

const terraformHowTo =
  'Install Terraform 1.7 or later (https://developer.hashicorp.com/terraform/install), put it on PATH, and run again.';

/** Terraform's error, without its box drawing: the first lines that say what went wrong. */
export function terraformError(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.replace(/^[│╷╵]\s?/, '').trim())
    .filter((l) => l !== '');
  const at = lines.findIndex((l) => l.startsWith('Error:'));
  return (at >= 0 ? lines.slice(at, at + 8) : lines.slice(0, 8)).join(' ').slice(0, 600);
}

function mirrorHowTo(platform: string): string[] {
  const doc = JSON.stringify(lockRequirementDocument());
  return [
    `    Either let this machine reach registry.terraform.io, or fetch the provider on a machine that can:`,
    `      mkdir github-provider && cd github-provider`,
    `      echo '${doc}' > versions.tf.json`,
    `      terraform providers mirror -platform=${platform} ./mirror`,
    `    copy that mirror folder to this machine, and run again with ${PROVIDER_MIRROR_ENV}=/absolute/path/to/mirror`,
    `    (or with TF_CLI_CONFIG_FILE naming a CLI configuration whose provider_installation has a`,
    `    filesystem_mirror block with that path).`,
  ];
}

/** Every problem, each with what to do; empty when the rehearsal can run. */
export function preflightProblems(f: PreflightFindings): string[] {
  const problems: string[] = [];
  const provider = `the ${GITHUB_PROVIDER.source} provider ${GITHUB_PROVIDER.version} for ${f.platform}`;
  if (f.missingTools.length > 0)
    problems.push(
      `${f.missingTools.join(', ')}: not on PATH. The workflow scripts the rehearsal runs call ${SCRIPT_TOOLS.join(', ')}; install ${f.missingTools.length === 1 ? 'it' : 'them'} and run again.`,
    );
  const tf = f.terraform;
  const terraformOk = tf.state === 'found' && !versionBelow(tf.version, MIN_TERRAFORM);
  if (tf.state === 'missing') problems.push(`Terraform: not on PATH. ${terraformHowTo}`);
  else if (tf.state === 'unreadable') problems.push(`Terraform: ${tf.problem}. ${terraformHowTo}`);
  else if (versionBelow(tf.version, MIN_TERRAFORM))
    problems.push(
      `Terraform ${tf.version} is on PATH (${tf.path}); the rehearsal needs ${MIN_TERRAFORM.replace(/\.0$/, '')} or later (the stacks use removed blocks). ${terraformHowTo}`,
    );
  if (f.mirror?.problem) {
    problems.push(
      [
        `${provider}: ${f.mirror.problem}`,
        `    ${f.mirror.named} names the mirror ${f.mirror.path}; it must hold ${mirrorLayouts(f.platform).unpacked} (unpacked) or ${mirrorLayouts(f.platform).packed}${f.mirror.holds ? `; it holds ${f.mirror.holds}` : ''}.`,
        ...mirrorHowTo(f.platform),
      ].join('\n'),
    );
  } else if (f.lock && !f.lock.ok) {
    const where = f.mirror ? `the mirror ${f.mirror.path} (${f.mirror.named})` : 'the Terraform registry';
    problems.push(
      [
        `${provider}: terraform providers lock could not take it from ${where}${f.lock.timedOut ? ' (no answer before the time limit)' : ''}: ${terraformError(f.lock.output)}`,
        ...(f.missingCliConfig
          ? [
              `    (TF_CLI_CONFIG_FILE names ${f.missingCliConfig}, which does not exist: no mirror is configured there.)`,
            ]
          : []),
        ...mirrorHowTo(f.platform),
      ].join('\n'),
    );
  } else if (!f.lock && !terraformOk) {
    problems.push(
      `${provider}: not checked, because Terraform is needed to check it. The rehearsal also needs it from registry.terraform.io or a filesystem mirror (${PROVIDER_MIRROR_ENV}).`,
    );
  }
  return problems;
}

export function preflightMessage(problems: readonly string[]): string {
  return [
    'learning-rooms rehearse: this machine cannot rehearse yet; nothing was started.',
    ...problems.map((p) => `  - ${p}`),
    '',
  ].join('\n');
}
