import { COMMANDS } from './commands';
import { CliIo, processIo } from '../commands/io';
import { UsageError } from '../commands/command';

function overview(): string {
  return [
    'learning-rooms: owned provisioning of per-learner GitHub repositories',
    '',
    'Usage: learning-rooms <command> [options]',
    '       learning-rooms <command> --help',
    '',
    'The same options mean the same everywhere: the roster is the argument or --roster FILE;',
    '--state-dir DIR is the folder of <cohort>.tfstate or <cohort>.tfstate.json files; --out FILE',
    'names a file and --out-dir DIR a folder; --owner and --base-url say where the rooms are on',
    'every command that reads or configures GitHub; --dry-run says what would be written and writes',
    'nothing, on every command that writes more than the files its --out options name.',
    '',
    'Commands:',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const lines = [overview()];
    const names = Object.keys(COMMANDS).sort();
    const width = Math.max(...names.map((n) => n.length));
    for (const key of names) {
      const cmd = await COMMANDS[key]();
      lines.push(`  ${key.padEnd(width)}  ${cmd.summary}`);
    }
    io.stdout(lines.join('\n') + '\n');
    return name === undefined ? 1 : 0;
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr(
      `learning-rooms: unknown command "${name}". Known commands: ${Object.keys(COMMANDS).sort().join(', ')}.\n`,
    );
    return 2;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(cmd.usage.endsWith('\n') ? cmd.usage : cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(
        err.problems.map((p) => `learning-rooms ${name}: ${p}\n`).join('') + `(see learning-rooms ${name} --help)\n`,
      );
      return 2;
    }
    // An I/O failure: report it plainly, no stack.
    io.stderr(`learning-rooms ${name}: ${(err as Error).message}\n`);
    return 2;
  }
}

export function main(argv: string[]): Promise<number> {
  return runCli(argv, processIo());
}
