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

/** A value an option takes, or an operand: what it is and how to complete it. */
export interface ValueInterface {
  /** Its placeholder: `N`, `COL,...`, `PATH`. */
  placeholder: string;
  /** How to complete it. */
  completes: Completion;
  /** Whether it is a comma-separated list (`COL,...`). */
  list: boolean;
}

/** An option of a command, with how to complete its value. */
export interface OptionInterface {
  /** Every flag that gives it: `-N`, `--pid`, `--task`. */
  flags: string[];
  /** The value it takes, or null. */
  value: ValueInterface | null;
  /** Whether the value may be left out (`--color[=WHEN]`). */
  optionalValue: boolean;
  /** The words the value may be, when the entry lists them. */
  choices: readonly string[] | null;
  /** Whether it may be given more than once. */
  multiple: boolean;
  /** What its help says, on one line. */
  text: string;
}

/** A word of a command that is not an option. */
export interface OperandInterface extends ValueInterface {
  /** Whether it may be repeated (`PATH...`), or starts a command line. */
  repeated: boolean;
  /** Whether it starts a command line of its own (`cmd` of `run -- cmd`). */
  runsCommand: boolean;
}

/** A command or a group (`mntns propagation`; mntns itself: `[]`). */
export interface CommandInterface {
  /** The words that name it: `["propagation", "show"]`. */
  words: readonly string[];
  /** Its options, `-h, --help` included. */
  options: OptionInterface[];
  /** A command's operands, in order (a group has none). */
  operands: OperandInterface[];
  /** The next words below a group, each with its summary (a command has none). */
  children: { word: string; summary: string }[];
}

/** mntns's command line, as the completion scripts read it. */
export interface CliInterface {
  /** mntns itself and each group, the top first. */
  groups: CommandInterface[];
  /** Every command, in the order help lists them (`help` last). */
  commands: CommandInterface[];
  /** Every word below a group, once, groups in order: what `COMMAND` is. */
  commandWords: string[];
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

function valueOf({ placeholder, completes }: OperandSpec): ValueInterface {
  return {
    placeholder,
    completes: completes ?? completionOf(placeholder),
    list: placeholder.endsWith(",..."),
  };
}

function optionsOf(spec: CommandSpec): OptionInterface[] {
  const options: Record<string, OptionEntry> = withHelpOption(spec.options);
  return optionHelpEntries(spec.options).flatMap(({ names, text }) =>
    names.map((name) => {
      const entry = options[name];
      const placeholder = entry.value ?? "VALUE";
      const choices = entry.choices && { words: entry.choices };
      return {
        flags: optionFlags(name, entry),
        value: entry.type === "string"
          ? valueOf({ placeholder, completes: entry.completes ?? choices })
          : null,
        optionalValue: entry.implied !== undefined,
        choices: entry.choices ?? null,
        multiple: entry.multiple === true,
        text: text.replaceAll("\n", " "),
      };
    })
  );
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
  const groups = new Map<string, CommandInterface>();
  for (const { words, summary } of table.commands) {
    words.forEach((word, depth) => {
      const above = words.slice(0, depth);
      const key = above.join(" ");
      const group = groups.get(key) ?? {
        words: above,
        options: optionsOf(depth === 0 ? table.main : table.group(above)),
        operands: [],
        children: [],
      };
      groups.set(key, group);
      if (group.children.some((child) => child.word === word)) return;
      group.children.push({
        word,
        summary: depth === words.length - 1
          ? summary
          : `${[...above, word].join(" ")} commands`,
      });
    });
  }
  const groupList = [...groups.values()];
  const children = groupList.flatMap((group) => group.children);
  return {
    groups: groupList,
    commands: table.commands.map(({ words, spec }) => ({
      words,
      options: optionsOf(spec),
      operands: spec.operands.map((operand) => {
        const value = valueOf(operand);
        return {
          ...value,
          repeated: operand.repeated === true,
          runsCommand: "kind" in value.completes &&
            value.completes.kind === "command",
        };
      }),
      children: [],
    })),
    commandWords: [...new Set(children.map((child) => child.word))],
  };
}
