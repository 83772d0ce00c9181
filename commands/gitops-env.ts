import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo } from './io';
import { defineCommand } from './command';
import { outFile } from './common-options';
import { writeFileAtomic } from '../shared/atomic-write';
import { GITOPS_CONFIG_FILE, gitopsEnv, PULL_REQUEST_SETTINGS, pullRequestEnv } from '../gitops/gitops-config';

/** The settings of one file; a missing file has none (every setting has a default) when `optional`. */
function readEnv(
  io: CliIo,
  file: string,
  label: string,
  optional: boolean,
): { env: Record<string, string>; errors: string[] } {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && optional) return { env: {}, errors: [] };
    throw err;
  }
  return gitopsEnv(text, label);
}

export const gitopsEnvCommand = defineCommand({
  name: 'gitops-env',
  summary: `print the workflows' settings from ${GITOPS_CONFIG_FILE} as KEY=value lines`,
  usage: [`[--file ${GITOPS_CONFIG_FILE}] [--pull-request-file FILE --pinned-out FILE]`],
  description: `Prints each setting of the file as KEY=value, one per line, for a workflow to append to
$GITHUB_ENV. Only LEARNING_ROOMS_*, LEARNING_ROOM_* and PROVISIONING_* names are accepted, and
none that looks like a credential. No file: prints nothing (every setting has a default).`,
  options: {
    file: {
      type: 'string',
      value: 'FILE',
      help: `the settings file of the default branch (default: ${GITOPS_CONFIG_FILE}; a missing default file has no settings)`,
    },
    'pull-request-file': {
      type: 'string',
      value: 'FILE',
      help: `the settings file of a pull request being planned: it may change only ${[...PULL_REQUEST_SETTINGS].join(', ')}; every other setting keeps the value of --file (the default branch)`,
    },
    'pinned-out': outFile(
      'write the names of the settings the pull request changes that the plan does not take, one per line (for the plan comment)',
    ),
  },
  exitStatus: '0 printed; 1 a file has problems (each on stderr); 2 usage or I/O.',
  async run({ values }, io) {
    const main = readEnv(
      io,
      values.file ?? GITOPS_CONFIG_FILE,
      values.file ?? GITOPS_CONFIG_FILE,
      values.file === undefined,
    );
    const pr = values['pull-request-file']
      ? readEnv(io, values['pull-request-file'], `${GITOPS_CONFIG_FILE} of the pull request`, true)
      : undefined;
    const errors = [...main.errors, ...(pr?.errors ?? [])];
    if (errors.length > 0) {
      io.stderr(errors.map((e) => `learning-rooms gitops-env: ${e}\n`).join(''));
      return 1;
    }
    let env = main.env;
    if (pr) {
      const merged = pullRequestEnv(main.env, pr.env);
      env = merged.env;
      if (values['pinned-out'])
        writeFileAtomic(resolve(io.cwd, values['pinned-out']), merged.pinned.map((k) => `${k}\n`).join(''));
    }
    io.stdout(
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    return 0;
  },
});
