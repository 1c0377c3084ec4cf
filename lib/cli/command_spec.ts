/**
 * A command's whole interface, declared once as data, the way util-linux
 * declares unshare's options and findmnt's columns in one table: its usage
 * line, the paragraphs of its help, its options (type, short name, value
 * placeholder, completion and help) and its operands. The parser, `--help`,
 * `mntns help`, the man page and the completion scripts are all rendered
 * from it; a new flag is one entry.
 *
 * @module
 */

import type { OptionSpec } from "./args.ts";

/**
 * Each kind of value a shell completes by looking at the system, with the
 * placeholders that stand for it, one table for every command: a new option
 * written `--x DIR` completes directories.
 */
const PLACEHOLDERS = {
  pid: ["N", "PID"],
  file: ["FILE", "SRC:DST"],
  directory: ["DIR", "DST", "ROOTFS"],
  mountpoint: ["PATH", "SOURCE"],
  command: ["CMD", "cmd"],
  fstype: ["TYPE"],
  subcommand: ["COMMAND"],
  user: ["USER[:GROUP]"],
  target: ["TARGET"],
  none: ["MODE", "NAME", "K=V", "K", "SIZE", "SECONDS", "FD", "CAPS"],
} satisfies Record<string, readonly string[]>;

/** Something a shell completes by looking at the system. */
export type ValueKind = keyof typeof PLACEHOLDERS;

/** How to complete a value: from a list of words, or by its kind. */
export type Completion =
  | { words: readonly string[] }
  | { kind: ValueKind };

/** One option: what the parser needs, and what help and completion show. */
export interface OptionEntry extends OptionSpec {
  /** Its value's placeholder in help (`N`, `COL,...`), for a value-taking option. */
  value?: string;
  /** Whether help writes the value after `=` (`--mount=FILE`, as unshare's). */
  equals?: boolean;
  /**
   * What it does, its lines as help wraps them. Left out, the option shares
   * the help entry of the one declared before it (`--no-net, --no-pid`).
   */
  help?: string;
  /** How to complete its value; by default, from its placeholder. */
  completes?: Completion;
}

/** Option entries by long name, in the order help lists them. */
export type OptionTable = Readonly<Record<string, OptionEntry>>;

/** A word of a command that is not an option. */
export interface OperandSpec {
  /** Its placeholder: `PATH`. */
  placeholder: string;
  /** Whether it may be repeated (`PATH...`), or starts a command line. */
  repeated?: boolean;
  /** How to complete it; by default, from its placeholder. */
  completes?: Completion;
}

/** A piece of help prose; text keeps the line breaks help prints. */
export type HelpBlock =
  | { paragraph: string }
  | { list: readonly string[] }
  | { literal: string }
  | { title: string; entries: readonly (readonly [string, string])[] };

/**
 * Help prose: blocks a blank line apart; blocks grouped in an array follow
 * each other without one.
 */
export type HelpSection = HelpBlock | readonly HelpBlock[];

/** One command's interface. */
export interface CommandSpec {
  /** What follows `Usage: ` (lines after the first are indented as printed). */
  usage: string;
  /** The help before the options. */
  about: readonly HelpSection[];
  /** Where the option explanations start, counted from the term's column. */
  optionWidth: number;
  /** Its options, `-h, --help` added after them unless declared. */
  options: OptionTable;
  /** The help after the options. */
  after: readonly HelpSection[];
  /** Its operands, in order. */
  operands: readonly OperandSpec[];
  /**
   * Options of neighbouring tools (bwrap, unshare) that mntns spells
   * otherwise, each with what to write instead: refused, with the hint.
   */
  hints?: Readonly<Record<string, string>>;
}

/** The `-h, --help` option every command has. */
export const HELP_OPTION = {
  help: { type: "boolean", short: "h", help: "show this help" },
} as const satisfies OptionTable;

/**
 * What a placeholder completes: `bash|zsh|fish` are its words; a known
 * placeholder's kind; otherwise file names, as a shell would.
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
  const kinds = Object.keys(PLACEHOLDERS) as ValueKind[];
  const kind = kinds.find((each) => PLACEHOLDERS[each].includes(base));
  return { kind: kind ?? "file" };
}

/** One help entry of the options: `-N, --pid, --task N` and its text. */
export interface OptionHelpEntry {
  /** The options it explains, by long name. */
  names: string[];
  /** What help shows of them: `-N, --pid, --task N`. */
  term: string;
  /** Its text, with help's line breaks. */
  text: string;
}

/**
 * Every flag that gives an option: its short form, name and aliases.
 *
 * @example
 * ```ts
 * optionFlags("pid", { type: "string", short: "N", aliases: ["task"] }); // ["-N", "--pid", "--task"]
 * ```
 */
export function optionFlags(name: string, entry: OptionSpec): string[] {
  return [
    ...entry.short === undefined ? [] : [`-${entry.short}`],
    `--${name}`,
    ...(entry.aliases ?? []).map((alias) => `--${alias}`),
  ];
}

/**
 * A command's options with `-h, --help` (last, unless it declares its own).
 *
 * @example
 * ```ts
 * Object.keys(withHelpOption({ json: { type: "boolean" } })); // ["json", "help"]
 * ```
 */
export function withHelpOption<T extends OptionTable>(
  options: T,
): T & typeof HELP_OPTION {
  return { ...options, ...HELP_OPTION, ...options };
}

/**
 * The option entries help lists, in order; options declared without help
 * join the entry before them.
 *
 * @example
 * ```ts
 * optionHelpEntries({ json: { type: "boolean", short: "J", help: "JSON" } });
 * // [{ names: ["json"], term: "-J, --json", text: "JSON" }, { names: ["help"], ... }]
 * ```
 */
export function optionHelpEntries(options: OptionTable): OptionHelpEntry[] {
  const entries: OptionHelpEntry[] = [];
  const all: Record<string, OptionEntry> = withHelpOption(options);
  for (const [name, entry] of Object.entries(all)) {
    const value = entry.value === undefined
      ? ""
      : entry.implied !== undefined
      ? `[=${entry.value}]`
      : `${entry.equals ? "=" : " "}${entry.value}`;
    const term = optionFlags(name, entry).join(", ") + value;
    const last = entries[entries.length - 1];
    if (entry.help === undefined && last !== undefined) {
      last.names.push(name);
      last.term += `, ${term}`;
    } else {
      entries.push({ names: [name], term, text: entry.help ?? "" });
    }
  }
  return entries;
}

/** Entry lines: the term, then the text from column `width` on. */
function entryLines(
  entries: readonly (readonly [string, string])[],
  width: number,
): string {
  return entries.map(([term, text]) => {
    const [first, ...more] = text.split("\n");
    const indent = " ".repeat(width + 2);
    const head = term.length + 2 > width
      ? `  ${term}\n${indent}${first}`
      : `  ${term.padEnd(width)}${first}`;
    return [head, ...more.map((line) => indent + line)].join("\n") + "\n";
  }).join("");
}

/**
 * Whether a help section is a group of blocks.
 *
 * @example
 * ```ts
 * isBlockList([{ paragraph: "a" }, { literal: "  b" }]); // true
 * ```
 */
export function isBlockList(
  section: HelpSection,
): section is readonly HelpBlock[] {
  return Array.isArray(section);
}

/**
 * A help block (or a group of them) as `--help` prints it (no blank line after).
 *
 * @example
 * ```ts
 * helpBlockText({ list: ["one", "two"] }); // "  - one\n  - two\n"
 * ```
 */
export function helpBlockText(block: HelpSection): string {
  if (isBlockList(block)) return block.map(helpBlockText).join("");
  if ("paragraph" in block) return `${block.paragraph}\n`;
  if ("literal" in block) return `${block.literal}\n`;
  if ("list" in block) {
    return block.list.map((item) => `  - ${item.replaceAll("\n", "\n    ")}\n`)
      .join("");
  }
  const width = Math.max(...block.entries.map(([term]) => term.length)) + 2;
  return `${block.title}:\n${entryLines(block.entries, width)}`;
}

/**
 * What `--help` prints for a command.
 *
 * @example
 * ```ts
 * helpText({
 *   usage: "mntns ps [--json]",
 *   about: [],
 *   optionWidth: 12,
 *   options: { json: { type: "boolean", help: "JSON" } },
 *   after: [],
 *   operands: [],
 * }); // "Usage: mntns ps [--json]\n\nOptions:\n  --json      JSON\n  -h, --help  show this help\n"
 * ```
 */
export function helpText(spec: CommandSpec): string {
  const options = optionHelpEntries(spec.options)
    .map(({ term, text }) => [term, text] as const);
  return [
    `Usage: ${spec.usage}\n`,
    ...spec.about.map(helpBlockText),
    `Options:\n${entryLines(options, spec.optionWidth)}`,
    ...spec.after.map(helpBlockText),
  ].join("\n");
}
