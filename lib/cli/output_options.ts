/**
 * The output options the listings share, as findmnt has them: how `-n,
 * --noheadings`, `-r, --raw`, `-J, --json` and `--color[=WHEN]` are read,
 * and `-o, --output COL,...` with the `Columns:` help over a command's own
 * columns.
 *
 * @module
 */

import { chooseColor } from "./color.ts";
import type { Column } from "./columns.ts";

/**
 * `-o, --output COL,...` over the given columns (their names are its
 * choices, for completion and the man page), with the default named in its
 * help.
 *
 * @example
 * ```ts
 * import { SHOW_COLUMNS } from "./show_columns.ts";
 * outputOption(SHOW_COLUMNS, "TARGET,SOURCE").output.value; // "COL,..."
 * ```
 */
export function outputOption<T>(
  columns: readonly Column<T>[],
  defaults: string,
): {
  output: {
    type: "string";
    short: "o";
    choices: string[];
    value: "COL,...";
    help: string;
  };
} {
  return {
    output: {
      type: "string",
      short: "o",
      choices: columns.map((column) => column.name),
      value: "COL,...",
      help: `the columns to show, in order; +COL,... adds to the
default (${defaults})`,
    },
  };
}

/** `-n, --noheadings`, as the listings have it. */
export const NOHEADINGS_OPTION = {
  noheadings: { type: "boolean", short: "n", help: "no header line" },
} as const;

/** `-r, --raw` for a listing that is a table only (not a tree). */
export const RAW_TABLE_OPTION = {
  raw: {
    type: "boolean",
    short: "r",
    help: `raw output: cells one space apart, and each space,
backslash, control and non-ASCII byte as \\xNN`,
  },
} as const;

/**
 * `-N, --pid, --task N` (findmnt's `-N, --task`), with what it does to the
 * command.
 *
 * @example
 * ```ts
 * pidOption("read the mount namespace of process N").pid.short; // "N"
 * ```
 */
export function pidOption(help: string): {
  pid: {
    type: "string";
    short: "N";
    aliases: readonly ["task"];
    value: "N";
    help: string;
  };
} {
  return {
    pid: { type: "string", short: "N", aliases: ["task"], value: "N", help },
  };
}

/**
 * `--ns FILE`: a mount namespace kept by `mntns isolate --mount=FILE`, with
 * what the command does with it.
 *
 * @example
 * ```ts
 * nsOption("read the mount namespace kept at FILE").ns.value; // "FILE"
 * ```
 */
export function nsOption(help: string): {
  ns: { type: "string"; value: "FILE"; help: string };
} {
  return { ns: { type: "string", value: "FILE", help } };
}

/**
 * The `Columns:` section of a listing's help, from its columns.
 *
 * @example
 * ```ts
 * import { SHOW_COLUMNS } from "./show_columns.ts";
 * columnsHelp(SHOW_COLUMNS).entries[0]; // ["TARGET", "mount point"]
 * ```
 */
export function columnsHelp<T>(
  columns: readonly Column<T>[],
): { title: "Columns"; entries: [string, string][] } {
  return {
    title: "Columns",
    entries: columns.map((column) => [column.name, column.help]),
  };
}

/** How a listing is to be printed. */
export interface ListingStyle {
  /** `--json`. */
  json: boolean;
  /** `-r`: escaped words, no padding. */
  raw: boolean;
  /** `-n`: no header. */
  noHeadings: boolean;
  /**
   * Whether the lines for people go with it (summaries, titles): not with
   * `-n`, `-r` or `--json`, which are for scripts.
   */
  forPeople: boolean;
}

/**
 * Reads the listing options a command was given (and takes its `--color`).
 *
 * @example
 * ```ts
 * listingStyle({ raw: true }, "mntns propagation show").forPeople; // false
 * ```
 */
export function listingStyle(
  values: {
    noheadings?: boolean;
    raw?: boolean;
    json?: boolean;
    color?: string;
  },
  command: string,
): ListingStyle {
  chooseColor(values.color, command);
  const json = values.json === true;
  const raw = values.raw === true;
  const noHeadings = values.noheadings === true;
  return { json, raw, noHeadings, forPeople: !json && !raw && !noHeadings };
}
