/**
 * Pipes between mntns's own processes. A gate: a pipe whose read end a child
 * inherits and blocks on until the parent opens the gate (one byte) or drops
 * it (closes the write end without writing: the child should give up). A
 * message: a plan sent whole through a pipe, never through argv or the
 * environment, which other users can read in /proc.
 *
 * @module
 */

import { E, lastErrno, SyscallError, unwrap } from "./errno.ts";
import { O_CLOEXEC } from "./constants.ts";
import { systemCall } from "./libc.ts";
import { fixedBytes, fixedCopy } from "./memory.ts";

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
  const fds = new Int32Array(new ArrayBuffer(8));
  unwrap(systemCall("pipe2", fds, O_CLOEXEC), { call: "pipe2" });
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
  const byte = fixedBytes(1);
  byte[0] = 1;
  if (systemCall("write", writeFd, byte, 1) !== 1) {
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
  const byte = fixedBytes(1);
  for (;;) {
    const result = unwrap(systemCall("read", readFd, byte, 1), {
      call: "read(gate)",
      allowed: [E.INTR],
    });
    if (result !== -E.INTR) return result === 1;
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
  const message = fixedCopy(bytes);
  try {
    for (let offset = 0; offset < message.length;) {
      const rest = message.subarray(offset);
      const written = unwrap(systemCall("write", writeFd, rest, rest.length), {
        call: "write(message)",
        allowed: [E.INTR],
      });
      if (written !== -E.INTR) offset += written;
    }
  } finally {
    systemCall("close", writeFd);
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
      const chunk = fixedBytes(65536);
      const count = unwrap(systemCall("read", readFd, chunk, chunk.length), {
        call: "read(message)",
        allowed: [E.INTR],
      });
      if (count === -E.INTR) continue;
      if (count === 0) break;
      chunks.push(chunk.subarray(0, count));
      total += count;
    }
  } finally {
    systemCall("close", readFd);
  }
  const message = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    message.set(chunk, offset);
    offset += chunk.length;
  }
  return message;
}
