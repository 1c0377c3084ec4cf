/**
 * `ppoll(2)` on several descriptors at once: how mntns waits, blocking its
 * main thread, for a mount table to change (`POLLPRI` on
 * `/proc/PID/mountinfo`), a process to end (`POLLIN` on its pidfd) or a
 * signal to come (`POLLIN` on a signalfd) — without turning Deno's event
 * loop.
 *
 * @module
 */

import { E, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";
import { fixedBytes } from "./memory.ts";

/** The `poll` event bits mntns uses. */
export const POLL = {
  /** Readable: a signalfd has a signal, a pidfd's process has exited. */
  IN: 0x1,
  /** Priority data: a mount table changed (with `ERR`, on mountinfo). */
  PRI: 0x2,
  /** An error condition (always reported; mountinfo reports a change with it). */
  ERR: 0x8,
} as const;

/** struct pollfd: int fd, short events, short revents. */
const POLLFD_SIZE = 8;
const POLLFD_FD = 0;
const POLLFD_EVENTS = 4;
const POLLFD_REVENTS = 6;
/** Size of `sigset_t` for `ppoll`'s last argument (no mask is passed). */
const KERNEL_SIGSET_SIZE = 8;

/** A `struct timespec` (seconds, nanoseconds) of whole milliseconds. */
function timespec(ms: number): BigInt64Array<ArrayBuffer> {
  const whole = Math.trunc(ms);
  const time = new BigInt64Array(new ArrayBuffer(16));
  time[0] = BigInt(Math.trunc(whole / 1000));
  time[1] = BigInt((whole % 1000) * 1_000_000);
  return time;
}

/** One descriptor to wait on, and the events wanted. */
export interface PollRequest {
  /** The descriptor. */
  fd: number;
  /** {@linkcode POLL} bits. */
  events: number;
}

/**
 * Waits, blocking, until one of the descriptors is ready or `timeoutMs`
 * milliseconds pass (-1: no limit; 0: only look); returns what each one
 * got, in order (0: nothing). A signal that interrupts the wait returns
 * all zeros, as a timeout does: the caller looks at the time.
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * const fd = openReadOnly("/proc/self/mountinfo", { directory: false });
 * const [mountinfo] = pollFds([{ fd, events: POLL.PRI }], 1000);
 * if (mountinfo & POLL.PRI) console.log("the mount table changed");
 * ```
 */
export function pollFds(
  requests: readonly PollRequest[],
  timeoutMs: number,
): number[] {
  const pollfds = fixedBytes(POLLFD_SIZE * requests.length);
  const view = new DataView(pollfds.buffer);
  requests.forEach((request, index) => {
    view.setInt32(index * POLLFD_SIZE + POLLFD_FD, request.fd, true);
    view.setInt16(index * POLLFD_SIZE + POLLFD_EVENTS, request.events, true);
  });
  const ready = unwrap(
    systemCall(
      "ppoll",
      pollfds,
      requests.length,
      timeoutMs < 0 ? null : timespec(timeoutMs),
      null,
      KERNEL_SIGSET_SIZE,
    ),
    { call: "ppoll", allowed: [E.INTR] },
  );
  return requests.map((_, index) =>
    ready < 0 ? 0 : view.getUint16(index * POLLFD_SIZE + POLLFD_REVENTS, true)
  );
}
