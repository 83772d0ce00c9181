/** What a command may touch, so that tests run commands in-process with captured output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Standard input, for the few commands that read it (a piped secret); tests give their own. */
  stdin?: { isTTY: boolean; read(): Promise<string> };
}

export interface Command {
  /** One line for `learning-rooms --help`. */
  summary: string;
  /** Full usage text for `learning-rooms <command> --help`. */
  usage: string;
  /** Every flag the parser accepts (old spellings too), so a test can hold the help to it. */
  flags: readonly string[];
  /** Returns the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    stdin: {
      isTTY: process.stdin.isTTY === true,
      read: async () => {
        const chunks: Buffer[] = [];
        for await (const c of process.stdin) chunks.push(c as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      },
    },
  };
}
