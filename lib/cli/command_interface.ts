/**
 * The whole command line of mntns as the completion scripts read it: the
 * table of commands (lib/commands.ts passes it in) with each spec's options
 * and operands resolved to flags and what completes them. A new command or
 * option appears in the scripts by itself.
 *
 * @module
 */

import {
  type CommandSpec,
  type Completion,
  completionOf,
  type OperandSpec,
  type OptionEntry,
  optionFlags,
  optionHelpEntries,
  withHelpOption,
} from "./command_spec.ts";

/** A command of the table: its words, its line in the list, and its spec. */
export interface CommandRow {
  /** The words that name it: `["propagation", "show"]`. */
  words: readonly string[];
  /** Its arguments, for the command list: `[PATH...]`. */
  usage: string;
  /** What it does, in a line. */
  summary: string;
  /** Its spec. */
  spec: CommandSpec;
}

/** An option of a command, with how to complete its value. */
export interface OptionInterface {
  /** Its name (the key of its entry): `pid`. */
  name: string;
  /** Every flag that gives it: `-N`, `--pid`, `--task`. */
  flags: string[];
  /** Whether it takes a value. */
  takesValue: boolean;
  /** Whether the value may be left out (`--color[=WHEN]`). */
  optionalValue: boolean;
  /** The value's placeholder (`N`, `COL,...`), or null. */
  placeholder: string | null;
  /** The words the value may be, when the entry lists them. */
  choices: readonly string[] | null;
  /** Whether it may be given more than once. */
  multiple: boolean;
  /** What its help says, on one line. */
  text: string;
  /** How to complete its value (null when it takes none). */
  completes: Completion | null;
  /** Whether its value is a comma-separated list (`COL,...`). */
  list: boolean;
}

/** A word of a command that is not an option. */
export interface OperandInterface {
  /** Its placeholder: `PATH`. */
  placeholder: string;
  /** Whether it may be repeated (`PATH...`), or starts a command line. */
  repeated: boolean;
  /** How to complete it. */
  completes: Completion;
}

/** One command: its words, options and operands. */
export interface CommandInterface {
  /** The words that name it: `["propagation", "show"]`. */
  words: readonly string[];
  /** Its options, `-h, --help` included. */
  options: OptionInterface[];
  /** Its operands, in order. */
  operands: OperandInterface[];
}

/** A group of commands (`mntns propagation`), or mntns itself (`[]`). */
export interface GroupInterface {
  /** Its words: `[]`, `["propagation"]`. */
  words: readonly string[];
  /** The next words below it: `["show", "set", ...]`, each with its summary. */
  children: { word: string; summary: string }[];
  /** Its options. */
  options: OptionInterface[];
}

/** mntns's command line, as the completion scripts read it. */
export interface CliInterface {
  /** mntns itself and each group, the top first. */
  groups: GroupInterface[];
  /** Every command, in the order help lists them (`help` last). */
  commands: CommandInterface[];
}

/** The table {@linkcode cliInterface} reads. */
export interface CommandTable {
  /** Every command, in the order help lists them (`help` last). */
  commands: readonly CommandRow[];
  /** mntns's own spec (`mntns --help`). */
  main: CommandSpec;
  /** A group's spec (`mntns propagation --help`). */
  group(words: readonly string[]): CommandSpec;
}

function optionsOf(spec: CommandSpec): OptionInterface[] {
  const texts = new Map(
    optionHelpEntries(spec.options).flatMap((entry) =>
      entry.names.map((name) => [name, entry.text.replaceAll("\n", " ")])
    ),
  );
  const options: Record<string, OptionEntry> = withHelpOption(spec.options);
  return Object.entries(options).map(([name, entry]) => {
    const placeholder = entry.type === "string" ? entry.value ?? "VALUE" : null;
    return {
      name,
      flags: optionFlags(name, entry),
      takesValue: entry.type === "string",
      optionalValue: entry.implied !== undefined,
      placeholder,
      choices: entry.choices ?? null,
      multiple: entry.multiple === true,
      text: texts.get(name) ?? "",
      completes: placeholder === null ? null : entry.completes ??
        (entry.choices ? { words: entry.choices } : completionOf(placeholder)),
      list: placeholder?.endsWith(",...") ?? false,
    };
  });
}

function operandOf(operand: OperandSpec): OperandInterface {
  const completes = operand.completes ?? completionOf(operand.placeholder);
  return {
    placeholder: operand.placeholder,
    repeated: operand.repeated === true,
    completes,
  };
}

/**
 * The command line as the completion scripts read it, from the table of
 * commands.
 *
 * @example
 * ```ts
 * import { loadCommandTable } from "../commands.ts";
 * const cli = cliInterface(await loadCommandTable());
 * cli.commands.map((command) => command.words.join(" ")); // ["run", ..., "help"]
 * ```
 */
export function cliInterface(table: CommandTable): CliInterface {
  const commands = table.commands.map((command) => ({
    words: command.words,
    options: optionsOf(command.spec),
    operands: command.spec.operands.map(operandOf),
  }));
  const groups: GroupInterface[] = [];
  const seen = new Set<string>();
  for (const command of table.commands) {
    for (let depth = 0; depth < command.words.length; depth++) {
      const words = command.words.slice(0, depth);
      const key = words.join(" ");
      if (seen.has(key)) continue;
      seen.add(key);
      groups.push({
        words,
        children: childrenOf(table.commands, words),
        options: optionsOf(depth === 0 ? table.main : table.group(words)),
      });
    }
  }
  return { groups, commands };
}

function childrenOf(
  commands: readonly CommandRow[],
  group: readonly string[],
): { word: string; summary: string }[] {
  const children = new Map<string, string>();
  for (const command of commands) {
    if (!group.every((word, index) => command.words[index] === word)) continue;
    if (command.words.length <= group.length) continue;
    const word = command.words[group.length];
    if (children.has(word)) continue;
    children.set(
      word,
      command.words.length === group.length + 1
        ? command.summary
        : `${[...group, word].join(" ")} commands`,
    );
  }
  return [...children].map(([word, summary]) => ({ word, summary }));
}
