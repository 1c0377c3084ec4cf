/**
 * A gate between two processes: a pipe whose read end a child inherits and
 * blocks on until the parent opens the gate (one byte) or drops it (closes
 * the write end without writing: the child should give up).
 *
 * @module
 */

import { lastErrno, SyscallError } from "./errno.ts";
import { libc } from "./libc.ts";

const O_CLOEXEC = 0o2000000;
const EINTR = 4;

/** Both ends of a gate's pipe. Both are close-on-exec. */
export interface Gate {
  /** The end the waiting process reads. */
  readFd: number;
  /** The end the opening process writes. */
  writeFd: number;
}

/**
 * Makes a closed gate.
 *
 * @example
 * ```ts
 * const gate = makeGate();
 * ```
 */
export function makeGate(): Gate {
  const fds = new Int32Array(2);
  if (libc().pipe2(fds, O_CLOEXEC) !== 0) {
    throw new SyscallError({ call: "pipe2", errno: lastErrno() });
  }
  return { readFd: fds[0], writeFd: fds[1] };
}

/**
 * Opens the gate: writes its one byte.
 *
 * @example
 * ```ts
 * openGate(gate.writeFd);
 * ```
 */
export function openGate(writeFd: number): void {
  if (libc().write(writeFd, new Uint8Array([1]), 1n) !== 1n) {
    throw new SyscallError({ call: "write(gate)", errno: lastErrno() });
  }
}

/**
 * Blocks until the gate opens (true) or is dropped (false).
 *
 * @example
 * ```ts
 * if (!waitAtGate(fd)) Deno.exit(1);
 * ```
 */
export function waitAtGate(readFd: number): boolean {
  const byte = new Uint8Array(1);
  for (;;) {
    const result = libc().read(readFd, byte, 1n);
    if (result >= 0n) return result === 1n;
    const errno = lastErrno();
    if (errno !== EINTR) {
      throw new SyscallError({ call: "read(gate)", errno });
    }
  }
}
