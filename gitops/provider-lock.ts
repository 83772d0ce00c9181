/**
 * The dependency lock file (`.terraform.lock.hcl`) that the trusted stack folder gets from the
 * trusted checkout: with `terraform init -lockfile=readonly`, Terraform installs the github provider
 * only if the package matches one of these hashes, wherever it comes from (registry or mirror).
 * The operator creates it once (`learning-rooms lock-providers`); the project ships none, because
 * hashes must come from the registry, never be typed in.
 */
import { GITHUB_PROVIDER } from '../contracts/stack-policy';

export const LOCK_FILE = '.terraform.lock.hcl';

/** The platforms the lock file covers: the runner's, and the operator's machines for local runs. */
export const LOCK_PLATFORMS = ['linux_amd64', 'darwin_arm64', 'darwin_amd64', 'windows_amd64'] as const;

/** h1: a base64 SHA-256 of the unpacked package; zh: the hex SHA-256 of the registry's zip. */
const HASH = /^(?:h1:[A-Za-z0-9+/]{43}=|zh:[0-9a-f]{64})$/;

/** The configuration `terraform providers lock` runs in: only the pinned provider requirement. */
export function lockRequirementDocument(): {
  terraform: { required_providers: { github: { source: string; version: string } } };
} {
  return {
    terraform: { required_providers: { github: { source: GITHUB_PROVIDER.source, version: GITHUB_PROVIDER.version } } },
  };
}

export function lockCommandArgs(platforms: readonly string[], fsMirror?: string): string[] {
  return [
    'providers',
    'lock',
    ...(fsMirror ? [`-fs-mirror=${fsMirror}`] : []),
    ...platforms.map((p) => `-platform=${p}`),
  ];
}

export const LOCK_HOW_TO = `create it once with \`learning-rooms lock-providers --out ${LOCK_FILE}\` (it runs terraform providers lock for ${GITHUB_PROVIDER.address} ${GITHUB_PROVIDER.version}) and commit it`;

/**
 * Every problem with a lock file's text: it must hold exactly one provider block, for the pinned
 * github provider at the pinned version, with at least one hash, and nothing else.
 */
export function checkLockFile(text: string, source = LOCK_FILE): string[] {
  const problems: string[] = [];
  const at = (line: number, why: string) => problems.push(`${source}, line ${line}: ${why}`);
  const blocks: { address: string; line: number; version?: string; hashes: string[] }[] = [];
  let block: (typeof blocks)[number] | undefined;
  let inHashes = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) return;
    let m: RegExpExecArray | null;
    if (inHashes && block) {
      if (line === ']') inHashes = false;
      else if ((m = /^"([^"\\]*)",?$/.exec(line))) {
        if (HASH.test(m[1])) block.hashes.push(m[1]);
        else at(n, `expected a package hash "h1:..." or "zh:...", found ${JSON.stringify(m[1])}`);
      } else at(n, 'expected a quoted hash or "]"');
      return;
    }
    if (!block) {
      if ((m = /^provider\s+"([^"\\]+)"\s*\{$/.exec(line))) {
        block = { address: m[1], line: n, hashes: [] };
        blocks.push(block);
      } else at(n, `expected a provider block, found ${JSON.stringify(line.slice(0, 60))}`);
      return;
    }
    if (line === '}') block = undefined;
    else if ((m = /^version\s*=\s*"([^"\\]*)"$/.exec(line))) block.version = m[1];
    else if (/^constraints\s*=\s*"[^"\\]*"$/.test(line)) {
      // Informational: Terraform rewrites it from the configuration.
    } else if ((m = /^hashes\s*=\s*\[(.*)$/.exec(line))) {
      const rest = m[1].trim();
      if (rest === '') inHashes = true;
      else if (rest === ']') {
        // an empty list; reported below
      } else {
        const inline = /^((?:"[^"\\]*"\s*,?\s*)*)\]$/.exec(rest);
        if (!inline) at(n, 'expected the hashes as a list of quoted strings');
        else
          for (const h of inline[1].match(/"[^"\\]*"/g) ?? []) {
            const v = h.slice(1, -1);
            if (HASH.test(v)) block.hashes.push(v);
            else at(n, `expected a package hash "h1:..." or "zh:...", found ${JSON.stringify(v)}`);
          }
      }
    } else
      at(
        n,
        `expected version, constraints or hashes inside the provider block, found ${JSON.stringify(line.slice(0, 60))}`,
      );
  });
  if (block || inHashes) at(lines.length, 'the provider block is not closed');
  for (const b of blocks) {
    if (b.address !== GITHUB_PROVIDER.address)
      at(b.line, `provider "${b.address}": only ${GITHUB_PROVIDER.address} may be locked`);
    else {
      if (b.version !== GITHUB_PROVIDER.version)
        at(
          b.line,
          `expected version = "${GITHUB_PROVIDER.version}" (the pinned version), found ${b.version === undefined ? 'none' : `"${b.version}"`}`,
        );
      if (b.hashes.length === 0)
        at(b.line, 'expected at least one hash: without one Terraform would accept any package');
    }
  }
  const github = blocks.filter((b) => b.address === GITHUB_PROVIDER.address);
  if (github.length === 0) problems.push(`${source}: no provider "${GITHUB_PROVIDER.address}" block; ${LOCK_HOW_TO}`);
  if (github.length > 1)
    problems.push(
      `${source}: the provider "${GITHUB_PROVIDER.address}" block appears ${github.length} times; expected once`,
    );
  return problems;
}
