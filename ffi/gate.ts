/**
 * Pipes between mntns's own processes. A gate: a pipe whose read end a child
 * inherits and blocks on until the parent opens the gate (one byte) or drops
 * it (closes the write end without writing: the child should give up). A
 * message: a plan sent whole through a pipe, never through argv or the
 * environment, which other users can read in /proc.
 *
 * @module
 */

import { E, lastErrno, SyscallError } from "./errno.ts";
import { O_CLOEXEC } from "./constants.ts";
import { libc } from "./libc.ts";

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
 * const gate = makeGate();
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
 * declare const fd: number; // the read end of a gate this process inherited
 * if (!waitAtGate(fd)) Deno.exit(1); // dropped: the parent gave up
 * ```
 */
export function waitAtGate(readFd: number): boolean {
  const byte = new Uint8Array(1);
  for (;;) {
    const result = libc().read(readFd, byte, 1n);
    if (result >= 0n) return result === 1n;
    const errno = lastErrno();
    if (errno !== E.INTR) {
      throw new SyscallError({ call: "read(gate)", errno });
    }
  }
}

/**
 * Writes a whole message to a pipe and closes it: the reader sees the end
 * of the message as end of file.
 *
 * @example
 * ```ts
 * const pipe = makeGate();
 * const plan = { hostname: "box" };
 * sendMessage(pipe.writeFd, new TextEncoder().encode(JSON.stringify(plan)));
 * ```
 */
export function sendMessage(writeFd: number, bytes: Uint8Array): void {
  try {
    for (let offset = 0; offset < bytes.length;) {
      const rest = bytes.subarray(offset);
      const written = libc().write(writeFd, rest, BigInt(rest.length));
      if (written < 0n) {
        const errno = lastErrno();
        if (errno === E.INTR) continue;
        throw new SyscallError({ call: "write(message)", errno });
      }
      offset += Number(written);
    }
  } finally {
    libc().close(writeFd);
  }
}

/**
 * Reads a pipe to its end and closes it: the whole message.
 *
 * @example
 * ```ts
 * declare const fd: number; // the read end of a pipe this process inherited
 * const plan = JSON.parse(new TextDecoder().decode(receiveMessage(fd)));
 * ```
 */
export function receiveMessage(readFd: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const chunk = new Uint8Array(65536);
      const count = libc().read(readFd, chunk, BigInt(chunk.length));
      if (count < 0n) {
        const errno = lastErrno();
        if (errno === E.INTR) continue;
        throw new SyscallError({ call: "read(message)", errno });
      }
      if (count === 0n) break;
      chunks.push(chunk.subarray(0, Number(count)));
      total += Number(count);
    }
  } finally {
    libc().close(readFd);
  }
  const message = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    message.set(chunk, offset);
    offset += chunk.length;
  }
  return message;
}
