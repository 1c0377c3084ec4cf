/**
 * Signal state through the system calls: dispositions, the blocked mask,
 * signals read from a `signalfd`, and `kill`.
 *
 * Dispositions are set with `rt_sigaction` (glibc's `sigaction` would
 * refuse signals 32 and 33, its own); masks go to the kernel
 * (`rt_sigprocmask`, `signalfd4`) with its 8-byte `sigset_t`, and to glibc
 * (`posix_spawn`'s attributes) as its 128-byte `sigset_t`, whose first 8
 * bytes are the kernel's. Both are arrays of little-endian words with bit
 * N−1 for signal N on x86_64 and aarch64.
 *
 * @module
 */

import { O_CLOEXEC } from "./constants.ts";
import { E, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";
import { fixedBytes } from "./memory.ts";

/** Size of the kernel's `sigset_t`, in bytes: 64 signals. */
const KERNEL_SIGSET_SIZE = 8;
/** Size of glibc's `sigset_t`, in bytes. */
const GLIBC_SIGSET_SIZE = 128;
/** `SIG_SETMASK` of `rt_sigprocmask`. */
const SIG_SETMASK = 2;
/** `SIG_DFL` and `SIG_IGN` as handler values. */
const SIG_DFL = 0n;
const SIG_IGN = 1n;
/** Size of `struct signalfd_siginfo`; its first field is the signal number. */
const SIGINFO_SIZE = 128;

/** Every signal whose disposition can change: 1..64 but SIGKILL and SIGSTOP. */
export const CHANGEABLE_SIGNALS: readonly number[] = Array.from(
  { length: 64 },
  (_, i) => i + 1,
).filter((signal) => signal !== 9 && signal !== 19);

/**
 * A glibc `sigset_t` holding the given signals, at an address that never
 * moves (its first 8 bytes are the kernel's `sigset_t`).
 *
 * @example
 * ```ts
 * import { systemCall } from "./libc.ts";
 *
 * systemCall("rt_sigprocmask", 0, signalSet([1, 15]), null, 8); // SIG_BLOCK
 * ```
 */
export function signalSet(signals: readonly number[]): Uint8Array<ArrayBuffer> {
  const set = fixedBytes(GLIBC_SIGSET_SIZE);
  for (const signal of signals) {
    set[(signal - 1) >> 3] |= 1 << ((signal - 1) & 7);
  }
  return set;
}

/**
 * Sets the calling thread's blocked mask to exactly these signals. A mask
 * survives `execve`, and threads inherit it from the thread that starts them.
 *
 * @example
 * ```ts
 * setBlockedSignals([10]); // only SIGUSR1 blocked
 * ```
 */
export function setBlockedSignals(signals: readonly number[]): void {
  unwrap(
    systemCall(
      "rt_sigprocmask",
      SIG_SETMASK,
      signalSet(signals),
      null,
      KERNEL_SIGSET_SIZE,
    ),
    { call: "rt_sigprocmask" },
  );
}

/**
 * Gives the calling thread exactly this signal state, for `execve`: the
 * signals in `ignored` ignored, those in `defaulted` back to their default,
 * and the mask. `execve` itself resets caught signals and keeps ignored ones,
 * so only what may be ignored here needs a call: Deno ignores SIGPIPE, and
 * glibc's `posix_spawn` leaves 32 and 33 ignored in its children.
 *
 * @example
 * ```ts
 * setSignalState({ ignored: [1], defaulted: [13, 32, 33], blocked: [] }); // as under nohup
 * ```
 */
export function setSignalState(
  state: {
    ignored: readonly number[];
    defaulted: readonly number[];
    blocked: readonly number[];
  },
): void {
  // struct kernel_sigaction: handler, flags, restorer, mask (8 bytes each).
  const action = new BigUint64Array(new ArrayBuffer(32));
  const set = (signal: number, handler: bigint): void => {
    action[0] = handler;
    unwrap(
      systemCall("rt_sigaction", signal, action, null, KERNEL_SIGSET_SIZE),
      { call: `rt_sigaction(${signal})` },
    );
  };
  for (const signal of state.defaulted) set(signal, SIG_DFL);
  for (const signal of state.ignored) set(signal, SIG_IGN);
  setBlockedSignals(state.blocked);
}

/**
 * A `signalfd` for signals that are blocked in every thread: reading it
 * takes them off the pending set. Close-on-exec. (`signalfd4(2)` with the
 * kernel's 8-byte mask, as glibc's `signalfd` passes it.)
 *
 * @example
 * ```ts
 * const fd = openSignalFd([15, 17]);
 * ```
 */
export function openSignalFd(signals: readonly number[]): number {
  return unwrap(
    systemCall(
      "signalfd4",
      -1,
      signalSet(signals),
      KERNEL_SIGSET_SIZE,
      O_CLOEXEC,
    ),
    { call: "signalfd" },
  );
}

/**
 * Blocks until signals arrive on a signalfd, and returns their numbers in
 * the order they were taken.
 *
 * @example
 * ```ts
 * declare const child: number; // the pid of a child to forward signals to
 * const fd = openSignalFd([1, 15]); // 1 and 15 blocked in every thread
 * for (const signal of readSignals(fd)) sendSignal(child, signal);
 * ```
 */
export function readSignals(fd: number): number[] {
  const buffer = fixedBytes(SIGINFO_SIZE * 16);
  for (;;) {
    const count = unwrap(systemCall("read", fd, buffer, buffer.length), {
      call: `read(signalfd ${fd})`,
      allowed: [E.INTR],
    });
    if (count === -E.INTR) continue;
    const view = new DataView(buffer.buffer);
    const signals: number[] = [];
    for (let offset = 0; offset < count; offset += SIGINFO_SIZE) {
      signals.push(view.getUint32(offset, true));
    }
    return signals;
  }
}

/**
 * `kill(2)`; true when sent, false when the process is gone (ESRCH).
 *
 * @example
 * ```ts
 * declare const pid: number; // a child's pid
 * sendSignal(pid, 15); // false once it is gone
 * ```
 */
export function sendSignal(pid: number, signal: number): boolean {
  const sent = unwrap(systemCall("kill", pid, signal), {
    call: `kill(${pid}, ${signal})`,
    allowed: [E.SRCH],
  });
  return sent === 0;
}
