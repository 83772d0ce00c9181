/**
 * The shape of a command's definition (its options, its argument, its help text): what the parser
 * (command.ts) and the help (help.ts) are both made from.
 */
import type { CliIo } from './io';

export interface OptionDef {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** The value's placeholder in the help: FILE, DIR, ID... */
  readonly value?: string;
  /** One paragraph; the help wraps it. */
  readonly help: string;
  /** Left out is a usage error. */
  readonly required?: boolean;
  /** The environment variable this option overrides (listed under Environment, see optionEnv). */
  readonly env?: string;
  /** Old spellings, still accepted for one release with a note on stderr. */
  readonly aliases?: readonly string[];
}

export type OptionDefs = Readonly<Record<string, OptionDef>>;

type ValueOf<D extends OptionDef> = D extends { type: 'boolean' }
  ? boolean
  : D extends { multiple: true }
    ? string[]
    : string;
/** Values as given, before the parser has checked that the required ones are there. */
export type GivenValues<O extends OptionDefs> = { [K in keyof O]?: ValueOf<O[K]> };

/** Parsed values: a required option is always there (the parser refuses the command line otherwise). */
export type OptionValues<O extends OptionDefs> = {
  [K in keyof O as O[K] extends { required: true } ? K : never]: ValueOf<O[K]>;
} & {
  [K in keyof O as O[K] extends { required: true } ? never : K]?: ValueOf<O[K]>;
};

/** The command's one argument, which is always also an option (`roster.json` or `--roster FILE`). */
export interface ArgumentDef {
  /** As shown: `roster.json`. */
  name: string;
  /** The option naming the same thing, without dashes: `roster`. */
  option: string;
  /** The option's placeholder: FILE. */
  value: string;
  help: string;
  /** When neither the argument nor the option is given; a function for a default that depends on the environment. */
  default?: string | ((io: CliIo) => string);
  required?: boolean;
}

export interface CommandSpec<O extends OptionDefs> {
  name: string;
  /** One line for `learning-rooms --help`. */
  summary: string;
  /** What follows `learning-rooms <name>` on each usage line. */
  usage: readonly string[];
  /** Paragraphs, printed as written. */
  description: string;
  argument?: ArgumentDef;
  options: O;
  /** Variables read besides those the options name (printed as written). */
  environment?: string;
  exitStatus: string;
  /** Usage rules across options (one of two, one needs another), reported with the parser's own problems. */
  usageProblems?(given: { values: GivenValues<O>; file?: string }, io: CliIo): string[];
  run(input: ParsedArgs<O>, io: CliIo): Promise<number>;
}

export interface ParsedArgs<O extends OptionDefs> {
  values: OptionValues<O>;
  /** The argument's file, from the argument, its option or its default (undefined: none given, none needed). */
  file?: string;
}

/** The options in help order: the argument's option first (added when the command does not define it). */
export function optionEntries(spec: Pick<CommandSpec<OptionDefs>, 'argument' | 'options'>): [string, OptionDef][] {
  const entries: [string, OptionDef][] = Object.entries(spec.options);
  const arg = spec.argument;
  if (arg && !(arg.option in spec.options))
    entries.unshift([arg.option, { type: 'string', value: arg.value, help: `the same as the argument ${arg.name}` }]);
  return entries;
}
