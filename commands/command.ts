/**
 * The one option layer every command is defined with: its options, its argument and its help come
 * from one definition, so the parser and `--help` cannot drift apart. Usage problems (an unknown
 * option, a missing value, a roster given two different ways, a required option left out) are
 * collected and reported together as a UsageError (exit 2).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderHelp } from './help';
import type { CliIo, Command } from './io';
import {
  optionEntries,
  type CommandSpec,
  type GivenValues,
  type OptionDef,
  type OptionDefs,
  type OptionValues,
  type ParsedArgs,
} from './option-defs';

export type { CommandSpec, OptionDef, OptionDefs, ParsedArgs } from './option-defs';

/** Bad command-line input: every problem, each one line. */
export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const flag = (name: string) => `--${name}`;
const shown = (d: OptionDef, name: string) => (d.value ? `${flag(name)} ${d.value}` : flag(name));

/** Every option a command's parser accepts (old spellings too), with the option it stands for. */
export function acceptedOptions(
  spec: Pick<CommandSpec<OptionDefs>, 'argument' | 'options'>,
): Map<string, { canonical: string; def: OptionDef }> {
  const all = new Map<string, { canonical: string; def: OptionDef }>();
  for (const [name, def] of optionEntries(spec)) {
    all.set(name, { canonical: name, def });
    for (const alias of def.aliases ?? []) all.set(alias, { canonical: name, def });
  }
  return all;
}

export function parseCommandArgs<O extends OptionDefs>(spec: CommandSpec<O>, args: string[], io: CliIo): ParsedArgs<O> {
  const accepted = acceptedOptions(spec);
  // Not strict: every token is checked below, so that every problem is reported at once.
  const { tokens } = parseArgs({
    args,
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: Object.fromEntries([...accepted].map(([name, { def }]) => [name, { type: def.type }])),
  });
  const problems: string[] = [];
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  const given = new Map<string, string>();
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const known = accepted.get(t.name);
    if (!known) {
      problems.push(`unknown option ${t.rawName}`);
      continue;
    }
    const { canonical, def } = known;
    const earlier = given.get(canonical);
    if (earlier !== undefined && earlier !== t.rawName)
      problems.push(`${earlier} and ${t.rawName} are one option; give it once`);
    given.set(canonical, t.rawName);
    if (t.name !== canonical)
      io.stderr(
        `learning-rooms ${spec.name}: ${t.rawName} is an old spelling of ${flag(canonical)}, accepted until the next release; use ${flag(canonical)}\n`,
      );
    if (def.type === 'boolean') {
      if (t.inlineValue) problems.push(`${t.rawName} takes no value; found "${t.value}"`);
      else values[canonical] = true;
      continue;
    }
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-'))) {
      problems.push(
        `${t.rawName}: expected a value (${def.value ?? 'a value'})${t.value === undefined ? '' : `, found the option ${t.value}`}`,
      );
      continue;
    }
    if (def.multiple) values[canonical] = [...((values[canonical] as string[] | undefined) ?? []), t.value];
    else values[canonical] = t.value;
  }

  let file: string | undefined;
  const arg = spec.argument;
  if (positionals.length > (arg ? 1 : 0)) {
    problems.push(
      `expected ${arg ? `at most one argument (${arg.name})` : 'no argument'}, found ${positionals.length}: ${positionals.join(' ')}`,
    );
  } else if (arg) {
    const fromOption = values[arg.option] as string | undefined;
    const fromArgument = positionals[0];
    if (
      fromOption !== undefined &&
      fromArgument !== undefined &&
      resolve(io.cwd, fromOption) !== resolve(io.cwd, fromArgument)
    ) {
      problems.push(
        `two different files given: the argument ${fromArgument} and ${flag(arg.option)} ${fromOption}; give one`,
      );
    }
    file = fromArgument ?? fromOption ?? (typeof arg.default === 'function' ? arg.default(io) : arg.default);
    if (file === undefined && arg.required)
      problems.push(`missing ${arg.name}: give it as the argument or as ${flag(arg.option)} ${arg.value}`);
    if (file !== undefined) values[arg.option] = file;
  }
  for (const [name, def] of Object.entries(spec.options)) {
    if (def.required && values[name] === undefined && name !== arg?.option)
      problems.push(`missing ${shown(def, name)}`);
  }
  problems.push(...(spec.usageProblems?.({ values: values as GivenValues<O>, file }, io) ?? []));
  if (problems.length > 0) throw new UsageError(problems);
  return { values: values as OptionValues<O>, file };
}

/**
 * A copy of the environment with the variables the given options override (`--owner` sets
 * PROVISIONING_STUDENT_OWNER...), for a reader of settings from the environment.
 */
export function optionEnv<O extends OptionDefs>(
  options: O,
  values: OptionValues<O>,
  env: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const out = { ...env };
  // Values by name, as the parser built them (the typed view is for the commands).
  const byName = values as Record<string, string | boolean | string[] | undefined>;
  for (const [name, def] of Object.entries(options)) {
    const v = byName[name];
    if (def.env && v !== undefined)
      out[def.env] = typeof v === 'boolean' ? String(v) : Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

export function defineCommand<O extends OptionDefs>(spec: CommandSpec<O>): Command {
  return {
    summary: spec.summary,
    usage: renderHelp(spec),
    flags: [...acceptedOptions(spec).keys()].map(flag),
    run: (args, io) => spec.run(parseCommandArgs(spec, args, io), io),
  };
}
