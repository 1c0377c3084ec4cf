/**
 * Command-line plumbing shared by the subcommands: option parsing
 * (args.ts) that turns what does not fit into a usage error, and splitting
 * an option list from the command that follows it.
 *
 * @module
 */

import {
  ArgumentError,
  type OptionsConfig,
  parseArguments,
  type ParsedArguments,
} from "./args.ts";

export type { OptionsConfig } from "./args.ts";
import { UsageError } from "../errors.ts";
import { writeOut } from "./output.ts";
import type { MountinfoSource } from "../system/read_mountinfo.ts";

/** What {@linkcode parseOptions} takes. */
export interface ParseOptionsInit<T extends OptionsConfig> {
  /** The words to parse. */
  args: readonly string[];
  /** The option declarations. */
  options: T;
  /** The command, for error hints (`mntns propagation show`). */
  command: string;
  /** Whether positional words are allowed. */
  positionals: boolean;
}

/**
 * Parses options strictly, turning a word that does not fit into a one-line
 * {@linkcode UsageError}; `tokens` keep the order of repeated options.
 *
 * @example
 * ```ts
 * const { values } = parseOptions({
 *   args: ["--json"],
 *   options: { json: { type: "boolean" } },
 *   command: "mntns propagation show",
 *   positionals: false,
 * });
 * ```
 */
export function parseOptions<T extends OptionsConfig>(
  init: ParseOptionsInit<T>,
): ParsedArguments<T> {
  try {
    return parseArguments({
      args: init.args,
      options: init.options,
      allowPositionals: init.positionals,
    });
  } catch (error) {
    if (error instanceof ArgumentError) {
      throw new UsageError(error.message, init.command);
    }
    throw error;
  }
}

/** The `-h, --help` option every command has. */
const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

/** What {@linkcode parseCommandLine} takes. */
export interface CommandLineInit<T extends OptionsConfig>
  extends ParseOptionsInit<T> {
  /** What `-h`/`--help` prints. */
  help: string;
}

/** A command's words as its parser declares them. */
export interface Declaration {
  /** The command, as its errors name it (`mntns propagation show`). */
  command: string;
  /** Its options, `-h, --help` included: what the parser accepts. */
  options: OptionsConfig;
  /** Whether it takes words that are not options. */
  positionals: boolean;
  /** What `--help` prints. */
  help: string;
}

/** Where {@linkcode parseCommandLine} puts declarations while they are read. */
let declarationSink: Declaration[] | null = null;

/**
 * The declaration a command's parser uses, read by running the command
 * while {@linkcode parseCommandLine} records what it was given instead of
 * parsing (it then returns null, as after `--help`, so the command does
 * nothing). Help checks, completion scripts and the man page are built from
 * this, so they hold exactly what the parser accepts.
 *
 * @example
 * ```ts
 * import { checkCommand } from "./propagation_check.ts";
 * const { options } = await declarationOf(checkCommand);
 * Object.keys(options); // ["pid", "all-namespaces", "output", ..., "help"]
 * ```
 */
export async function declarationOf(
  run: (args: readonly string[]) => Promise<number> | number,
): Promise<Declaration> {
  const found: Declaration[] = [];
  declarationSink = found;
  try {
    await run(["--help"]);
  } finally {
    declarationSink = null;
  }
  if (found.length !== 1) {
    throw new Error(
      `a command declared its options ${found.length} times, not once: it must parse its words with parseCommandLine, once`,
    );
  }
  return found[0];
}

/**
 * {@linkcode parseOptions} with `-h, --help` added: prints the help and
 * returns null when it was asked for.
 *
 * @example
 * ```ts
 * const parsed = parseCommandLine({
 *   args: ["--json"],
 *   options: { json: { type: "boolean" } },
 *   command: "mntns propagation show",
 *   positionals: false,
 *   help: "Usage: mntns propagation show [--json]\n",
 * });
 * parsed?.values.json; // true (with ["-h"]: the help printed, and null)
 * ```
 */
export function parseCommandLine<T extends OptionsConfig>(
  init: CommandLineInit<T>,
): ParsedArguments<T> | null {
  const options = { ...init.options, ...HELP_OPTION };
  if (declarationSink !== null) {
    declarationSink.push({
      command: init.command,
      options,
      positionals: init.positionals,
      help: init.help,
    });
    return null;
  }
  const parsed = parseOptions({ ...init, options });
  if ((parsed.values as { help?: boolean }).help) {
    writeOut(init.help);
    return null;
  }
  return parsed as unknown as ParsedArguments<T>;
}

/**
 * Splits `[options] [--] [command...]` at the first word that is not an
 * option, as util-linux `unshare` does: `-x ls -la` gives options `-x` and
 * command `ls -la`; everything after `--` is the command. Which options take
 * a value comes from their declarations.
 *
 * @example
 * ```ts
 * splitAtCommand(["--hostname", "box", "ls", "-la"], { hostname: { type: "string" } });
 * // { options: ["--hostname", "box"], command: ["ls", "-la"] }
 * ```
 */
export function splitAtCommand(
  args: readonly string[],
  declarations: OptionsConfig,
): { options: string[]; command: string[] } {
  const takesValue = new Set(
    Object.entries(declarations).flatMap(([name, spec]) =>
      spec.type !== "string" || spec.implied !== undefined ? [] : [
        ...[name, ...spec.aliases ?? []].map((long) => `--${long}`),
        ...spec.short ? [`-${spec.short}`] : [],
      ]
    ),
  );
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    if (word === "--") {
      return {
        options: args.slice(0, index),
        command: args.slice(index + 1),
      };
    }
    if (!word.startsWith("-") || word === "-") {
      return { options: args.slice(0, index), command: args.slice(index) };
    }
    if (takesValue.has(word)) index++;
  }
  return { options: [...args], command: [] };
}

/**
 * Parses a positive integer option value, or throws a usage error naming the
 * option.
 *
 * @example
 * ```ts
 * parsePositiveInteger("42", { option: "--pid", command: "mntns propagation show" }); // 42
 * ```
 */
export function parsePositiveInteger(
  text: string,
  where: { option: string; command: string },
): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(
      `${where.option} takes a positive integer, not '${text}'`,
      where.command,
    );
  }
  return value;
}

/**
 * The options of the commands that look across namespaces (`peers`,
 * `reach`, `check`), for `parseOptions`: read one namespace (`--pid N`, or
 * findmnt's `-N, --task N`, or the one kept at `--ns FILE`) or all of them.
 */
export const NAMESPACE_OPTIONS = {
  pid: { type: "string", short: "N", aliases: ["task"] },
  ns: { type: "string" },
  "all-namespaces": { type: "boolean" },
} as const satisfies OptionsConfig;

/**
 * The mountinfo source the options name; `self` when neither is given.
 *
 * @example
 * ```ts
 * sourceFromOptions({ pid: "1" }, "mntns propagation show"); // { kind: "pid", pid: 1 }
 * ```
 */
export function sourceFromOptions(
  values: { pid?: string; ns?: string; mountinfo?: string },
  command: string,
): MountinfoSource {
  const given = (["pid", "ns", "mountinfo"] as const).filter((name) =>
    values[name] !== undefined
  );
  if (given.length > 1) {
    throw new UsageError(
      `${given.map((name) => `--${name}`).join(" and ")} exclude each other`,
      command,
    );
  }
  if (values.ns !== undefined) {
    if (values.ns === "") {
      throw new UsageError("--ns takes a file name, not ''", command);
    }
    return { kind: "ns", path: values.ns };
  }
  if (values.pid !== undefined) {
    return {
      kind: "pid",
      pid: parsePositiveInteger(values.pid, { option: "--pid", command }),
    };
  }
  if (values.mountinfo !== undefined) {
    if (values.mountinfo === "") {
      throw new UsageError("--mountinfo takes a file name, not ''", command);
    }
    return { kind: "file", path: values.mountinfo };
  }
  return { kind: "self" };
}
