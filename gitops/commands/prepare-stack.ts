import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../../cli/io';
import { writeFileAtomic } from '../../shared/atomic-write';
import { BACKEND_OVERRIDE_FILE, backendOverride, checkStackConfig, parseBackendChoice } from '../stack-prep';

function parseConfig(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: expected the synthesized Terraform JSON; ${(err as Error).message}`);
  }
}

export const prepareStackCommand: Command = {
  summary: 'check a synthesized stack and write its state backend override before terraform init',
  usage: `Usage: learning-rooms prepare-stack --dir cdktf.out/stacks/<stack> [--state-dir DIR] [--backend-only]

Checks that the stack's cdk.tf.json holds only GitHub resources and data sources (no other
provider, module or provisioner: a plan runs with the App's credentials), then writes
${BACKEND_OVERRIDE_FILE} beside it with the backend chosen by the environment:

  LEARNING_ROOMS_BACKEND         git (default), s3, gcs, azurerm, pg or http
  LEARNING_ROOMS_BACKEND_CONFIG  JSON object of the backend's non-secret settings; credentials
                                 come from the backend's own environment variables

  --dir DIR        the stack folder (its name is the stack name)
  --state-dir DIR  where the git backend keeps <stack>.tfstate (default: ./state)
  --backend-only   the folder holds no configuration yet (to pull state before synthesis):
                   write only the backend override, named after the folder

Exit status: 0 ready; 1 the configuration holds something not allowed, or the backend settings
are wrong (each problem on stderr); 2 usage or I/O.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { dir: { type: 'string' }, 'state-dir': { type: 'string' }, 'backend-only': { type: 'boolean' } },
    });
    if (!values.dir) throw new Error('--dir is required');
    const dir = resolve(io.cwd, values.dir);
    const stack = basename(dir);
    const problems = values['backend-only']
      ? []
      : checkStackConfig(parseConfig(join(dir, 'cdk.tf.json'))).map((p) => `${stack}: ${p}`);
    const { choice, errors } = parseBackendChoice(io.env.LEARNING_ROOMS_BACKEND, io.env.LEARNING_ROOMS_BACKEND_CONFIG);
    problems.push(...errors);
    if (problems.length > 0 || !choice) {
      io.stderr(problems.map((p) => `learning-rooms prepare-stack: ${p}\n`).join(''));
      return 1;
    }
    const override = backendOverride(choice, stack, resolve(io.cwd, values['state-dir'] ?? 'state'));
    writeFileAtomic(join(dir, BACKEND_OVERRIDE_FILE), JSON.stringify(override, null, 2) + '\n');
    io.stdout(`${stack}: backend ${choice.type}${choice.type === 'git' ? ` (state in ${Object.values(override.terraform.backend)[0].path})` : ''}\n`);
    return 0;
  },
};
