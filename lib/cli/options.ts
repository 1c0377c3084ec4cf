/**
 * Command-line plumbing shared by the subcommands: parsing a command's
 * words against its spec (command_spec.ts, parsed by args.ts) that turns
 * what does not fit into a usage error (with a hint for a neighbouring
 * tool's spelling) and prints the help, and splitting an option list from
 * the command that follows it.
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
import {
  type CommandSpec,
  helpText,
  type OptionTable,
  withHelpOption,
} from "./command_spec.ts";
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
  /** What to say to an option of a neighbouring tool mntns spells otherwise. */
  hints?: Readonly<Record<string, string>>;
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
      const hint = error.unknown !== undefined &&
          Object.hasOwn(init.hints ?? {}, error.unknown)
        ? `: ${init.hints?.[error.unknown]}`
        : "";
      throw new UsageError(error.message + hint, init.command);
    }
    throw error;
  }
}

/** What {@linkcode parseCommandLine} takes. */
export interface CommandLineInit<T extends OptionTable> {
  /** The words to parse. */
  args: readonly string[];
  /** The command's spec: its options, and the help `-h`/`--help` prints. */
  spec: CommandSpec & { options: T };
  /** The command, for error hints (`mntns propagation show`). */
  command: string;
  /** Whether positional words are allowed. */
  positionals: boolean;
}

/**
 * Parses a command's words against its spec, `-h, --help` added: prints
 * the help and returns null when it was asked for.
 *
 * @example
 * ```ts
 * import { PS_SPEC } from "./ps.ts";
 * const parsed = parseCommandLine({
 *   args: ["--json"],
 *   spec: PS_SPEC,
 *   command: "mntns ps",
 *   positionals: false,
 * });
 * parsed?.values.json; // true (with ["-h"]: the help printed, and null)
 * ```
 */
export function parseCommandLine<T extends OptionTable>(
  init: CommandLineInit<T>,
): ParsedArguments<T> | null {
  const parsed = parseOptions({
    args: init.args,
    options: withHelpOption(init.spec.options),
    command: init.command,
    positionals: init.positionals,
    hints: init.spec.hints,
  });
  if ((parsed.values as { help?: boolean }).help) {
    writeOut(helpText(init.spec));
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
