/**
 * How mntns starts itself again (the hidden stages of `run`): as a compiled
 * binary, the binary itself; under `deno run` (source or bundle), deno with
 * the same main module.
 *
 * @module
 */

import { fileUrlPath } from "./paths.ts";

/**
 * The argv that starts mntns again with the given words.
 *
 * @example
 * ```ts
 * selfCommand(["__mntns-run-stage", "{}"]); // ["/usr/bin/deno", "run", "-A", ..., "/src/main.ts", "__mntns-run-stage", "{}"]
 * ```
 */
export function selfCommand(words: readonly string[]): string[] {
  if (Deno.build.standalone) return [Deno.execPath(), ...words];
  return [
    Deno.execPath(),
    "run",
    "-A",
    "--no-config",
    "--no-lock",
    fileUrlPath(Deno.mainModule),
    ...words,
  ];
}

/**
 * Starts mntns again as a child with the given words, sharing stdio.
 *
 * @example
 * ```ts
 * const child = spawnSelf(["__mntns-exec-stage", JSON.stringify(target)]);
 * ```
 */
export function spawnSelf(words: readonly string[]): Deno.ChildProcess {
  const [program, ...args] = selfCommand(words);
  return new Deno.Command(program, {
    args,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
}
