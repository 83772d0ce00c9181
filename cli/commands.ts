import type { Command } from './io';

/**
 * Every subcommand of `learning-rooms`, loaded lazily so that `validate` does not pay for loading
 * cdktf and the provider bindings. One line per command; keep them sorted.
 */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  record: async () => (await import('./commands/record')).recordCommand,
  validate: async () => (await import('./commands/validate')).validateCommand,
  'verify-log': async () => (await import('./commands/verify-log')).verifyLogCommand,
};
