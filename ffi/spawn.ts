/**
 * Starting a process with glibc's `posix_spawn` from the calling (main)
 * thread, with a chosen blocked mask: the way mntns starts its own stages.
 * Unlike `Deno.Command`, it has no first-use cost (4–5 ms), the child
 * starts with exactly the mask given (a Deno child started with SIGUSR1
 * blocked never opens Deno's SIGUSR1 inspector), and the child's parent is
 * the main thread (so PR_SET_PDEATHSIG follows the process, not a worker
 * thread that may exit).
 *
 * @module
 */

import { cString, cStringArray } from "./cstring.ts";
import { environPointer } from "./environ.ts";
import { SyscallError } from "./errno.ts";
import { libc } from "./libc.ts";
import { signalSet } from "./signals.ts";

/** `POSIX_SPAWN_SETSIGMASK`. */
const POSIX_SPAWN_SETSIGMASK = 0x08;
/** Room for glibc's `posix_spawnattr_t` (336 bytes on x86_64 and aarch64). */
const SPAWNATTR_SIZE = 512;

/** What {@linkcode spawnProcess} starts. */
export interface SpawnOptions {
  /** The program, an absolute path (no PATH search). */
  path: string;
  /** argv, argv[0] included. */
  argv: readonly string[];
  /** Signals blocked in the child from its first instruction. */
  blocked: readonly number[];
}

/**
 * Starts a child with this process's environment and every descriptor that
 * is not close-on-exec; returns its pid.
 *
 * @example
 * ```ts
 * const pid = spawnProcess({ path: "/bin/true", argv: ["true"], blocked: [10] });
 * ```
 */
export function spawnProcess(options: SpawnOptions): number {
  const lib = libc();
  const attr = new Uint8Array(SPAWNATTR_SIZE);
  lib.posix_spawnattr_init(attr);
  lib.posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK);
  lib.posix_spawnattr_setsigmask(attr, signalSet(options.blocked));
  const pid = new Int32Array(1);
  const argv = cStringArray(options.argv);
  // posix_spawn returns the error number itself; it does not set errno.
  const error = lib.posix_spawn(
    pid,
    cString(options.path),
    null,
    attr,
    argv.pointers,
    environPointer(),
  );
  // Keep the marshalled strings reachable until posix_spawn has returned.
  void argv.strings;
  if (error !== 0) {
    throw new SyscallError({
      call: "posix_spawn",
      errno: error,
      paths: [options.path],
    });
  }
  return pid[0];
}
