/**
 * The whole command line of mntns, as data: every command from
 * lib/commands.ts with the options its parser declares (read through
 * {@linkcode declarationOf}), what its help says of each, its operands (from
 * its usage), and what each value is (to complete it). The completion
 * scripts and the man page are generated from this, so they cannot drift
 * from the parser; a new command or option appears in them by itself.
 *
 * @module
 */

import {
  COMMANDS,
  groupHelp,
  HELP_COMMAND,
  MAIN_OPTIONS,
  mainHelp,
} from "../commands.ts";
import { declarationOf } from "./options.ts";
import { type OptionDoc, optionDocs } from "./option_docs.ts";
import { PROPAGATION_MODES } from "../mount/propagation.ts";

/** Something a shell completes by looking at the system. */
export type ValueKind =
  | "pid"
  | "file"
  | "directory"
  | "mountpoint"
  | "command"
  | "fstype"
  | "subcommand"
  | "none";

/** How to complete a value: from a list of words, or by its kind. */
export type Completion =
  | { words: readonly string[] }
  | { kind: ValueKind };

/**
 * What a placeholder in a usage line or help entry stands for. One table
 * for every command: a new option written `--x DIR` completes directories.
 */
const PLACEHOLDERS: Readonly<Record<string, Completion>> = {
  N: { kind: "pid" },
  PID: { kind: "pid" },
  FILE: { kind: "file" },
  "SRC:DST": { kind: "file" },
  DIR: { kind: "directory" },
  DST: { kind: "directory" },
  ROOTFS: { kind: "directory" },
  PATH: { kind: "mountpoint" },
  CMD: { kind: "command" },
  cmd: { kind: "command" },
  TYPE: { kind: "fstype" },
  COMMAND: { kind: "subcommand" },
  "TARGET:DST": { kind: "file" },
  MODE: { kind: "none" },
  NAME: { kind: "none" },
  "K=V": { kind: "none" },
  K: { kind: "none" },
  SIZE: { kind: "none" },
  SECONDS: { kind: "none" },
  FD: { kind: "none" },
  CAPS: { kind: "none" },
  "USER[:GROUP]": { kind: "none" },
};

/** Placeholders that mean something else as an operand: `set MODE PATH`. */
const OPERAND_PLACEHOLDERS: Readonly<Record<string, Completion>> = {
  MODE: { words: PROPAGATION_MODES },
};

/**
 * What an option's placeholder completes: `bash|zsh|fish` are its words; a
 * known placeholder's entry; otherwise file names, as a shell would.
 *
 * @example
 * ```ts
 * completionOf("DIR"); // { kind: "directory" }
 * completionOf("bash|zsh|fish"); // { words: ["bash", "zsh", "fish"] }
 * ```
 */
export function completionOf(placeholder: string): Completion {
  if (placeholder.includes("|")) return { words: placeholder.split("|") };
  const base = placeholder.replace(/,\.\.\.$|\.\.\.$/, "");
  return Object.hasOwn(PLACEHOLDERS, base)
    ? PLACEHOLDERS[base]
    : { kind: "file" };
}

function operandCompletion(placeholder: string): Completion {
  return Object.hasOwn(OPERAND_PLACEHOLDERS, placeholder)
    ? OPERAND_PLACEHOLDERS[placeholder]
    : completionOf(placeholder);
}

/** An option of a command, with how to complete its value. */
export interface OptionInterface extends OptionDoc {
  /** How to complete its value (null when it takes none). */
  completes: Completion | null;
  /** Whether its value is a comma-separated list (`COL,...`). */
  list: boolean;
}

/** A word of a command that is not an option. */
export interface OperandInterface {
  /** Its placeholder in the usage: `PATH`. */
  placeholder: string;
  /** Whether it may be repeated (`PATH...`), or starts a command line. */
  repeated: boolean;
  /** How to complete it. */
  completes: Completion;
}

/** One command: its words, help, options and operands. */
export interface CommandInterface {
  /** The words that name it: `["propagation", "show"]`. */
  words: readonly string[];
  /** Its usage in the command list: `[PATH...]`. */
  usage: string;
  /** Its line in the command list. */
  summary: string;
  /** What its `--help` prints. */
  help: string;
  /** Its options, `-h, --help` included. */
  options: OptionInterface[];
  /** Its operands, in order. */
  operands: OperandInterface[];
  /** Where its help and its declarations disagree. */
  mismatches: string[];
}

/** A group of commands (`mntns propagation`), or mntns itself (`[]`). */
export interface GroupInterface {
  /** Its words: `[]`, `["propagation"]`. */
  words: readonly string[];
  /** The next words below it: `["show", "set", ...]`, each with its summary. */
  children: { word: string; summary: string }[];
  /** Its options. */
  options: OptionInterface[];
  /** What its `--help` prints. */
  help: string;
}

/** mntns's command line, as data. */
export interface CliInterface {
  /** mntns itself and each group, the top first. */
  groups: GroupInterface[];
  /** Every command, in the order help lists them (`help` last). */
  commands: CommandInterface[];
}

function withCompletion(doc: OptionDoc): OptionInterface {
  const placeholder = doc.placeholder;
  return {
    ...doc,
    completes: placeholder === null
      ? null
      : doc.choices !== null
      ? { words: doc.choices }
      : completionOf(placeholder),
    list: placeholder?.endsWith(",...") ?? false,
  };
}

/**
 * The operands a usage line names: `MODE PATH [-r]` gives MODE and PATH;
 * options (`-r`, `[opts]`) and `--` are left out.
 *
 * @example
 * ```ts
 * operandsOf("[opts] [--] [cmd...]"); // [{ placeholder: "cmd", repeated: true, completes: { kind: "command" } }]
 * ```
 */
export function operandsOf(usage: string): OperandInterface[] {
  return usage.split(/\s+/).map((word) => word.replace(/[[\]]/g, ""))
    .filter((word) =>
      word !== "" && !word.startsWith("-") && word !== "opts" &&
      word !== "options"
    )
    .map((word) => {
      const placeholder = word.replace(/\.\.\.$/, "");
      const completes = operandCompletion(placeholder);
      return {
        placeholder,
        repeated: word.endsWith("...") ||
          ("kind" in completes && completes.kind === "command"),
        completes,
      };
    });
}

/**
 * Reads every command's declaration and help into one description of the
 * command line. Each command runs once, its parser recording instead of
 * parsing, so nothing is done.
 *
 * @example
 * ```ts
 * const cli = await cliInterface();
 * cli.commands.map((command) => command.words.join(" ")); // ["run", ..., "help"]
 * ```
 */
export async function cliInterface(): Promise<CliInterface> {
  const commands: CommandInterface[] = [];
  for (const command of COMMANDS) {
    const declaration = await declarationOf(command.run);
    const docs = optionDocs(declaration.options, declaration.help);
    commands.push({
      words: command.words,
      usage: command.usage,
      summary: command.summary,
      help: declaration.help,
      options: docs.options.map(withCompletion),
      operands: operandsOf(command.usage),
      mismatches: docs.mismatches,
    });
  }
  const main = optionDocs(MAIN_OPTIONS, mainHelp());
  commands.push({
    ...HELP_COMMAND,
    help: mainHelp(),
    options: [],
    operands: operandsOf(HELP_COMMAND.usage),
    mismatches: [],
  });
  const groups: GroupInterface[] = [];
  const seen = new Set<string>();
  for (const command of commands) {
    for (let depth = 0; depth < command.words.length; depth++) {
      const words = command.words.slice(0, depth);
      const key = words.join(" ");
      if (seen.has(key)) continue;
      seen.add(key);
      groups.push({
        words,
        children: childrenOf(commands, words),
        options: depth === 0
          ? main.options.map(withCompletion)
          : optionDocs({ help: MAIN_OPTIONS.help }, groupHelp(words)).options
            .map(withCompletion),
        help: depth === 0 ? mainHelp() : groupHelp(words),
      });
    }
  }
  return { groups, commands };
}

function childrenOf(
  commands: readonly CommandInterface[],
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
