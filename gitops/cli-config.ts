/**
 * The Terraform CLI configuration (TF_CLI_CONFIG_FILE) that every workflow run of Terraform uses.
 * Without a `provider_installation` block, Terraform also installs providers from implicit local
 * folders, among them `terraform.d/plugins` in the working directory: a folder a pull request can
 * ship. With an explicit block, only the named method is used, and only for the github provider.
 */
import { isAbsolute } from 'node:path';
import { GITHUB_PROVIDER } from '../contracts/stack-policy';

/** A folder laid out as a Terraform filesystem mirror (the operator's rehearsal, an air-gapped runner). */
export const PROVIDER_MIRROR_ENV = 'LEARNING_ROOMS_PROVIDER_MIRROR';

/**
 * A path goes into an HCL quoted string: refuse what would need escaping or could be read as a
 * template, rather than escape it.
 */
export function mirrorPathProblem(path: string): string | undefined {
  if (!isAbsolute(path))
    return `${PROVIDER_MIRROR_ENV}: expected an absolute folder path, found ${JSON.stringify(path)}`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern finds
  if (/["\\$%\u0000-\u001f\u007f]/.test(path))
    return `${PROVIDER_MIRROR_ENV}: the path may not contain quotes, backslashes, "$", "%" or control characters`;
  return undefined;
}

/** The file's text: `mirror` (already checked with mirrorPathProblem) or the registry. */
export function terraformCliConfig(mirror?: string): string {
  const include = `["${GITHUB_PROVIDER.address}"]`;
  const method = mirror
    ? `  filesystem_mirror {\n    path    = "${mirror}"\n    include = ${include}\n  }\n`
    : `  direct {\n    include = ${include}\n  }\n`;
  return [
    '# Written by learning-rooms prepare-stack. An explicit provider_installation: no implicit local',
    '# plugin folders (terraform.d/plugins and the like), only the github provider, no plugin cache.',
    'disable_checkpoint = true',
    '',
    'provider_installation {',
    method + '}',
    '',
  ].join('\n');
}
