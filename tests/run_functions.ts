/**
 * Test helpers for scripts that start `mntns run`s and look at them: shell
 * functions, and the sections of a script's output.
 *
 * @module
 */

import { MNTNS_SHELL_WORDS } from "./under_test.ts";

/**
 * Shell functions: `waitfile F` waits (10 s at most) until F is not empty;
 * `startrun VAR INFO ARGS...` starts `mntns run --info-fd 9 ARGS...` in the
 * background, waits for its info line in INFO and sets VAR to the host PID
 * of its PID 1; `infofield NAME INFO` prints a number from the line.
 */
export const RUN_FUNCTIONS: string = `
waitfile() { local i=0; until [ -s "$1" ]; do i=$((i+1)); [ $i -lt 500 ] || { echo "waitfile: $1 stays empty" >&2; exit 1; }; sleep 0.02; done; }
infofield() { sed -E "s/^\\{[^{]*\\"$1\\":([0-9]+).*/\\1/" "$2"; }
startrun() { local var=$1 info=$2; shift 2; ${MNTNS_SHELL_WORDS} run --info-fd 9 "$@" 9>"$info" & waitfile "$info"; eval "$var=$(infofield pid "$info")"; }
`;

/**
 * The sections of a script's output, split at `=== NAME` lines.
 *
 * @example
 * ```ts
 * sections("=== a\n1\n=== b\n2\n"); // { a: "1\n", b: "2\n" }
 * ```
 */
export function sections(stdout: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const part of stdout.split(/^=== /m).slice(1)) {
    const newline = part.indexOf("\n");
    found[part.slice(0, newline)] = part.slice(newline + 1);
  }
  return found;
}
