import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../../cli/io';
import { GITOPS_CONFIG_FILE, gitopsEnv } from '../gitops-config';

export const gitopsEnvCommand: Command = {
  summary: `print the workflows' settings from ${GITOPS_CONFIG_FILE} as KEY=value lines`,
  usage: `Usage: learning-rooms gitops-env [--file ${GITOPS_CONFIG_FILE}]

Prints each setting of the file as KEY=value, one per line, for a workflow to append to
$GITHUB_ENV. Only LEARNING_ROOMS_*, LEARNING_ROOM_* and PROVISIONING_* names are accepted, and
none that looks like a credential. No file: prints nothing (every setting has a default).

Exit status: 0 printed; 1 the file has problems (each on stderr); 2 usage or I/O.`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { file: { type: 'string' } } });
    const file = resolve(io.cwd, values.file ?? GITOPS_CONFIG_FILE);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && values.file === undefined) return 0;
      throw err;
    }
    const { env, errors } = gitopsEnv(text, values.file ?? GITOPS_CONFIG_FILE);
    if (errors.length > 0) {
      io.stderr(errors.map((e) => `learning-rooms gitops-env: ${e}\n`).join(''));
      return 1;
    }
    io.stdout(Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
    return 0;
  },
};
