/**
 * Where the rooms are and how to sign in, for every command that reads or writes GitHub with the
 * provider's credentials (progress, fingerprint, expired-invitations, pending-invitations): the
 * options defined once and read by progress/settings.ts, the one credential reader.
 */
import { ENV, resolveSettings, type GitHubSettings } from '../progress/settings';
import { GITHUB_OPTIONS } from './common-options';
import type { CliIo } from './io';
import type { OptionDef } from './option-defs';

export const GITHUB_ACCESS_OPTIONS = {
  ...GITHUB_OPTIONS,
  'app-id': { type: 'string', value: 'ID', help: `GitHub App id (default: $${ENV.appId.join(' or $')})` },
  'installation-id': {
    type: 'string',
    value: 'ID',
    help: `installation id (default: $${ENV.installationId.join(' or $')})`,
  },
  'private-key-file': {
    type: 'string',
    value: 'FILE',
    help: `the App's PEM key (default: $${ENV.privateKey.join(' or $')}, the PEM text itself or a path to it)`,
  },
  token: { type: 'boolean', help: `authenticate with $${ENV.token.join(' or $')} instead of the App` },
} as const satisfies Record<string, OptionDef>;

export interface GitHubAccessValues {
  'base-url'?: string;
  owner?: string;
  'app-id'?: string;
  'installation-id'?: string;
  'private-key-file'?: string;
  token?: boolean;
}

/** The settings, or undefined after every problem was said (prefixed with the command's name). */
export function readGitHubAccess(command: string, values: GitHubAccessValues, io: CliIo): GitHubSettings | undefined {
  const { settings, errors } = resolveSettings(
    {
      baseUrl: values['base-url'],
      owner: values.owner,
      appId: values['app-id'],
      installationId: values['installation-id'],
      privateKeyFile: values['private-key-file'],
      token: values.token,
    },
    io.env,
    io.cwd,
  );
  if (!settings) io.stderr(errors.map((e) => `learning-rooms ${command}: ${e}`).join('\n') + '\n');
  return settings;
}
