/**
 * Colour on a terminal, none elsewhere: `--color[=auto|always|never]` (bare
 * `--color` is `auto`, as util-linux's), `NO_COLOR` (set and not empty) and
 * `TERM=dumb` turn `auto` off; `always` wins over both. Errors are red,
 * warnings yellow, and each peer group gets a colour of its own in a
 * listing.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/** The words `--color` takes. */
export const COLOR_WHEN = ["auto", "always", "never"] as const;

/** One of {@linkcode COLOR_WHEN}. */
export type ColorWhen = typeof COLOR_WHEN[number];

/** The `--color` option, for a command's spec, as every listing has it. */
export const COLOR_OPTION = {
  color: {
    type: "string",
    implied: "auto",
    choices: COLOR_WHEN,
    value: "WHEN",
    help: `colour: auto (on a terminal; the default), always or
never; NO_COLOR and TERM=dumb turn auto off`,
  },
} as const;

/** What this process was told: set once by a command's `--color`. */
let chosen: ColorWhen = "auto";

/**
 * Takes a command's `--color` value (auto when not given); throws a usage
 * error for any other word.
 *
 * @example
 * ```ts
 * chooseColor("never", "mntns propagation show");
 * ```
 */
export function chooseColor(when: string | undefined, command: string): void {
  const word = when ?? "auto";
  if (!(COLOR_WHEN as readonly string[]).includes(word)) {
    throw new UsageError(
      `--color takes ${COLOR_WHEN.join(", ")}, not '${word}'`,
      command,
    );
  }
  chosen = word as ColorWhen;
}

/**
 * Whether text for a stream gets colour: `--color=always` or `never` say
 * so; otherwise only a terminal does, unless `NO_COLOR` is set and not
 * empty or `TERM` is `dumb`.
 *
 * @example
 * ```ts
 * colorOn("stdout"); // false in a pipe
 * ```
 */
export function colorOn(stream: "stdout" | "stderr"): boolean {
  if (chosen !== "auto") return chosen === "always";
  if ((Deno.env.get("NO_COLOR") ?? "") !== "") return false;
  if (Deno.env.get("TERM") === "dumb") return false;
  return (stream === "stdout" ? Deno.stdout : Deno.stderr).isTerminal();
}

/** SGR codes mntns uses. */
export const SGR = {
  /** Errors. */
  red: "31",
  /** Warnings. */
  yellow: "33",
} as const;

/** Peer group colours: neither red nor yellow, which mean errors and warnings. */
const GROUP_COLORS = ["32", "34", "35", "36", "92", "94", "95", "96"] as const;

/** What ends a colour. */
export const SGR_RESET = "\x1b[0m";

/**
 * What starts an SGR colour (`31` red).
 *
 * @example
 * ```ts
 * sgrStart(SGR.red); // "\x1b[31m"
 * ```
 */
export function sgrStart(sgr: string): string {
  return `\x1b[${sgr}m`;
}

/**
 * Text in an SGR colour (`31` red), reset after it.
 *
 * @example
 * ```ts
 * painted("mntns: failed", SGR.red); // "\x1b[31mmntns: failed\x1b[0m"
 * ```
 */
export function painted(text: string, sgr: string): string {
  return sgrStart(sgr) + text + SGR_RESET;
}

/**
 * A colour for each peer group, handed out in the order the groups are
 * first asked for, so that the groups of one listing differ (up to eight of
 * them; then the colours repeat).
 *
 * @example
 * ```ts
 * const colorOf = groupColors();
 * colorOf(7); // "32"
 * colorOf(3); // "34"
 * colorOf(7); // "32"
 * ```
 */
export function groupColors(): (group: number) => string {
  const given = new Map<number, string>();
  return (group) => {
    let sgr = given.get(group);
    if (sgr === undefined) {
      sgr = GROUP_COLORS[given.size % GROUP_COLORS.length];
      given.set(group, sgr);
    }
    return sgr;
  };
}
