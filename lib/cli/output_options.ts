/**
 * The output options the listings share, as findmnt has them: `-n,
 * --noheadings`, `-r, --raw`, `-J, --json`, `--color[=WHEN]`, and
 * `-o, --output COL,...` over a command's own columns.
 *
 * @module
 */

import { chooseColor, COLOR_OPTION } from "./color.ts";
import type { Column } from "./columns.ts";
import type { OptionsConfig } from "./args.ts";

/** `-n`, `-r`, `-J` and `--color`, for a command's option declarations. */
export const LISTING_OPTIONS = {
  noheadings: { type: "boolean", short: "n" },
  raw: { type: "boolean", short: "r" },
  json: { type: "boolean", short: "J" },
  ...COLOR_OPTION,
} as const satisfies OptionsConfig;

/**
 * `-o, --output COL,...` over the given columns (their names are its
 * choices, for completion and the man page).
 *
 * @example
 * ```ts
 * import { SHOW_COLUMNS } from "./show_columns.ts";
 * const options = { ...outputOption(SHOW_COLUMNS), ...LISTING_OPTIONS };
 * ```
 */
export function outputOption<T>(
  columns: readonly Column<T>[],
): { output: { type: "string"; short: "o"; choices: string[] } } {
  return {
    output: {
      type: "string",
      short: "o",
      choices: columns.map((column) => column.name),
    },
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
