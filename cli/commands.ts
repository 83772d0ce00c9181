import type { Command } from './io';

/**
 * Every subcommand of `learning-rooms`, loaded lazily so that `validate` does not pay for loading
 * cdktf and the provider bindings. One line per command; keep them sorted.
 */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate')).validateCommand,
};
