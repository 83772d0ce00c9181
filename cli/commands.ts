import type { Command } from './io';

/**
 * Every subcommand of `learning-rooms`, loaded lazily so that `validate` does not pay for loading
 * cdktf and the provider bindings. One line per command; keep them sorted.
 */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  'check-plan': async () => (await import('./commands/check-plan')).checkPlanCommand,
  'import-classroom': async () => (await import('./commands/import-classroom')).importClassroomCommand,
  reconstruct: async () => (await import('./commands/reconstruct')).reconstructCommand,
  synth: async () => (await import('./commands/synth')).synthCommand,
  validate: async () => (await import('./commands/validate')).validateCommand,
};
