/**
 * Starting a process with glibc's `posix_spawn` from the calling (main)
 * thread, with a chosen blocked mask: the way mntns starts its own stages.
 * Unlike `Deno.Command`, it has no first-use cost, the child
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
import { intOf, libc } from "./libc.ts";
import { fixedBytes } from "./memory.ts";
import { signalSet } from "./signals.ts";

/** `POSIX_SPAWN_SETSIGMASK`. */
const POSIX_SPAWN_SETSIGMASK = 0x08;
/**
 * glibc's `posix_spawnattr_t` (`<spawn.h>`, glibc's posix/spawn.h; the
 * same on x86_64 and aarch64, part of its stable ABI): `short __flags` at
 * 0, `pid_t __pgrp` at 4, `sigset_t __sd` at 8 and `sigset_t __ss` at 136
 * (128 bytes each), `struct sched_param __sp` at 264, `int __policy` at
 * 268, `int __pad[16]`: 336 bytes (checked with offsetof and sizeof).
 * `posix_spawnattr_init` only zeroes it, `posix_spawnattr_setflags` sets
 * `__flags` and `posix_spawnattr_setsigmask` copies the mask into `__ss`
 * (glibc's posix/spawnattr_*.c): mntns fills it the same way by hand,
 * rather than bind three more functions (each binding costs more than the
 * call).
 */
const SPAWNATTR = { size: 336, flags: 0, sigmask: 136 } as const;

/** A `posix_spawnattr_t` that sets the child's blocked mask to `blocked`. */
function spawnAttributes(blocked: readonly number[]): Uint8Array<ArrayBuffer> {
  const attr = fixedBytes(SPAWNATTR.size);
  new DataView(attr.buffer).setInt16(
    SPAWNATTR.flags,
    POSIX_SPAWN_SETSIGMASK,
    true,
  );
  attr.set(signalSet(blocked), SPAWNATTR.sigmask);
  return attr;
}

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
  const pid = new Int32Array(new ArrayBuffer(4));
  const argv = cStringArray(options.argv);
  // posix_spawn returns the error number itself; it does not set errno.
  const error = intOf(
    libc().posix_spawn(
      pid,
      cString(options.path),
      null,
      spawnAttributes(options.blocked),
      argv.pointers,
      environPointer(),
    ),
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
