/**
 * `learning-rooms <command> --help`, the same shape for every command: Usage, the description,
 * Arguments, Options (aligned, from the parser's own definitions), Environment, Exit status.
 */
import { optionEntries, type CommandSpec, type OptionDefs } from './option-defs';

const WIDTH = 100;

/** The words of `text` after `first`, in lines of at most WIDTH characters, later lines indented by `indent`. */
export function wrap(text: string, first: string, indent: number): string {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, help]) => wrap(help, `  ${left.padEnd(width)}`, width + 2)).join('\n');
}

export function renderHelp<O extends OptionDefs>(spec: CommandSpec<O>): string {
  const usage = spec.usage
    .map((u, i) => `${i === 0 ? 'Usage:' : '      '} learning-rooms ${spec.name} ${u}`)
    .join('\n');
  const parts = [usage, spec.description.trim()];
  const arg = spec.argument;
  if (arg) {
    const dflt = arg.required ? ' (required)' : typeof arg.default === 'string' ? ` (default: ${arg.default})` : '';
    parts.push(`Arguments:\n${table([[arg.name, `${arg.help}${dflt}; or --${arg.option} ${arg.value}, the same`]])}`);
  }
  const entries = optionEntries(spec);
  const rows: [string, string][] = entries.map(([n, d]) => [
    d.value ? `--${n} ${d.value}` : `--${n}`,
    d.required ? `${d.help}; required` : d.help,
  ]);
  rows.push(['-h, --help', 'show this help']);
  const old = entries.flatMap(([n, d]) => (d.aliases ?? []).map((a) => `--${a} (now --${n})`));
  const oldNote = old.length
    ? `\n${wrap(`Old spellings, accepted with a note on stderr until the next release: ${old.join(', ')}.`, '  ', 4)}`
    : '';
  parts.push(`Options:\n${table(rows)}${oldNote}`);
  const envRows = entries.flatMap(([n, d]): [string, string][] => (d.env ? [[d.env, `the default of --${n}`]] : []));
  if (envRows.length || spec.environment) {
    parts.push(
      [
        'Environment:',
        ...(envRows.length ? [table(envRows)] : []),
        ...(spec.environment ? [wrap(spec.environment, '  ', 2)] : []),
      ].join('\n'),
    );
  }
  parts.push(wrap(spec.exitStatus, 'Exit status: ', 2));
  return parts.join('\n\n') + '\n';
}
