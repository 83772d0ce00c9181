import type { Command } from '../commands/io';

/**
 * Every subcommand of `learning-rooms`, loaded lazily so that `validate` does not pay for loading
 * cdktf and the provider bindings. One line per command; keep them sorted.
 */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  'changed-stacks': async () => (await import('../commands/changed-stacks')).changedStacksCommand,
  'check-plan': async () => (await import('../commands/check-plan')).checkPlanCommand,
  dashboard: async () => (await import('../commands/dashboard')).dashboardCommand,
  doctor: async () => (await import('../commands/doctor')).doctorCommand,
  enrol: async () => (await import('../commands/enrol')).enrolCommand,
  'enrol-request': async () => (await import('../commands/enrol-request')).enrolRequestCommand,
  'enrolment-code': async () => (await import('../commands/enrolment-code')).enrolmentCodeCommand,
  'expired-invitations': async () => (await import('../commands/expired-invitations')).expiredInvitationsCommand,
  export: async () => (await import('../commands/export')).exportCommand,
  fingerprint: async () => (await import('../commands/fingerprint')).fingerprintCommand,
  'gitops-env': async () => (await import('../commands/gitops-env')).gitopsEnvCommand,
  'import-class-list': async () => (await import('../commands/import-class-list')).importClassListCommand,
  'import-classroom': async () => (await import('../commands/import-classroom')).importClassroomCommand,
  init: async () => (await import('../commands/init')).initCommand,
  'lock-providers': async () => (await import('../commands/lock-providers')).lockProvidersCommand,
  'migrate-shards': async () => (await import('../commands/migrate-shards')).migrateShardsCommand,
  'pending-invitations': async () => (await import('../commands/pending-invitations')).pendingInvitationsCommand,
  'plan-comment': async () => (await import('../commands/plan-comment')).planCommentCommand,
  'prepare-stack': async () => (await import('../commands/prepare-stack')).prepareStackCommand,
  'pull-request-data': async () => (await import('../commands/pull-request-data')).pullRequestDataCommand,
  progress: async () => (await import('../commands/progress')).progressCommand,
  'propose-update': async () => (await import('../commands/propose-update')).proposeUpdateCommand,
  reconstruct: async () => (await import('../commands/reconstruct')).reconstructCommand,
  record: async () => (await import('../commands/record')).recordCommand,
  register: async () => (await import('../commands/register')).registerCommand,
  rehearse: async () => (await import('../commands/rehearse')).rehearseCommand,
  synth: async () => (await import('../commands/synth')).synthCommand,
  upgrade: async () => (await import('../commands/upgrade')).upgradeCommand,
  validate: async () => (await import('../commands/validate')).validateCommand,
  'verify-log': async () => (await import('../commands/verify-log')).verifyLogCommand,
  'watchdog-report': async () => (await import('../commands/watchdog-report')).watchdogReportCommand,
};
