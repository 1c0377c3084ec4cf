/**
 * How mntns starts itself again (the hidden stages of `run`): as a compiled
 * binary, the binary itself; under `deno run` (source or bundle), deno with
 * the same main module. A stage starts with the signals it will supervise
 * blocked (see supervise.ts), and learns its plan from an inherited
 * pipe, never from its argv.
 *
 * @module
 */

import { execve } from "../../../ffi/syscalls.ts";
import { setBlockedSignals } from "../../../ffi/signals.ts";
import { spawnProcess } from "../../../ffi/spawn.ts";
import { SyscallError } from "../../../ffi/errno.ts";
import { fileUrlPath } from "../../mount/paths.ts";

/**
 * The argv that starts mntns again with the given words. Under `deno run`
 * it is `--quiet`: a stage shares the terminal with the command, and Deno's
 * own progress line (drawn while it loads modules not yet in its cache, and
 * cleared with the line it is on) would erase what the command wrote there,
 * such as a shell's prompt.
 *
 * @example
 * ```ts
 * selfCommand(["__mntns-run-stage", "5"]); // ["/usr/bin/deno", "run", "-A", "--quiet", ..., "/src/main.ts", "__mntns-run-stage", "5"]
 * ```
 */
export function selfCommand(words: readonly string[]): string[] {
  if (Deno.build.standalone) return [Deno.execPath(), ...words];
  return [
    Deno.execPath(),
    "run",
    "-A",
    "--quiet",
    "--no-config",
    "--no-lock",
    fileUrlPath(Deno.mainModule),
    ...words,
  ];
}

/**
 * Starts mntns again as a child with the given words and signals blocked;
 * it shares stdio and every descriptor that is not close-on-exec. Returns
 * its pid.
 *
 * @example
 * ```ts
 * const pid = spawnSelf({ words: ["__mntns-run-stage", "5", "6"], blocked: [1, 15, 17] });
 * ```
 */
export function spawnSelf(
  options: { words: readonly string[]; blocked: readonly number[] },
): number {
  const argv = selfCommand(options.words);
  return spawnProcess({ path: argv[0], argv, blocked: options.blocked });
}

/**
 * Replaces this process with mntns again, with the given words and signals
 * blocked (its pid and children stay). Returns only by throwing.
 *
 * @example
 * ```ts
 * execSelf({ words: ["__mntns-run-wait", "1234", "init"], blocked: [1, 15, 17] });
 * ```
 */
export function execSelf(
  options: { words: readonly string[]; blocked: readonly number[] },
): never {
  const argv = selfCommand(options.words);
  setBlockedSignals(options.blocked);
  const errno = execve({ path: argv[0], argv });
  throw new SyscallError({ call: "execve", errno, paths: [argv[0]] });
}
