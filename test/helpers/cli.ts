import { runCli } from '../../cli/main';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `learning-rooms ...args` in-process with captured output. */
export async function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
  });
  return { code, stdout, stderr };
}
