/**
 * Signal state through the raw system calls and glibc: dispositions, the
 * blocked mask, signals read from a `signalfd`, and `kill`.
 *
 * glibc's `sigaction` refuses signals 32 and 33 (its own), so dispositions
 * are set with the raw `rt_sigaction`; masks go through `rt_sigprocmask`
 * with the kernel's 8-byte `sigset_t`, and to glibc (`signalfd`,
 * `posix_spawnattr_setsigmask`) as its 128-byte `sigset_t`. Both are arrays
 * of little-endian words with bit N−1 for signal N on x86_64 and aarch64.
 *
 * @module
 */

import { O_CLOEXEC, syscallNumbers } from "./constants.ts";
import { E, lastErrno, SyscallError } from "./errno.ts";
import { libc } from "./libc.ts";

/** Size of the kernel's `sigset_t`, in bytes: 64 signals. */
const KERNEL_SIGSET_SIZE = 8n;
/** Size of glibc's `sigset_t`, in bytes. */
const GLIBC_SIGSET_SIZE = 128;
/** `SIG_SETMASK` of `rt_sigprocmask`. */
const SIG_SETMASK = 2n;
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
 * A glibc `sigset_t` holding the given signals.
 *
 * @example
 * ```ts
 * import { libc } from "./libc.ts";
 *
 * libc().signalfd(-1, signalSet([1, 15]), 0);
 * ```
 */
export function signalSet(signals: readonly number[]): Uint8Array<ArrayBuffer> {
  const set = new Uint8Array(GLIBC_SIGSET_SIZE);
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
  const set = signalSet(signals);
  if (
    libc().syscall_signals(
      syscallNumbers().rt_sigprocmask,
      SIG_SETMASK,
      set,
      null,
      KERNEL_SIGSET_SIZE,
    ) !== 0n
  ) {
    throw new SyscallError({ call: "rt_sigprocmask", errno: lastErrno() });
  }
}

/**
 * Gives the calling thread exactly this signal state, for `execve`: each
 * changeable signal ignored or default, and the mask. (`execve` itself
 * resets caught signals but keeps ignored ones: Deno ignores SIGPIPE, and
 * glibc's `posix_spawn` leaves 32 and 33 ignored in its children.)
 *
 * @example
 * ```ts
 * setSignalState({ ignored: [1], blocked: [] }); // as under nohup
 * ```
 */
export function setSignalState(
  state: { ignored: readonly number[]; blocked: readonly number[] },
): void {
  const { syscall_signals } = libc();
  const { rt_sigaction } = syscallNumbers();
  const ignored = new Set(state.ignored);
  // struct kernel_sigaction: handler, flags, restorer, mask (8 bytes each).
  const action = new BigUint64Array(4);
  for (const signal of CHANGEABLE_SIGNALS) {
    action[0] = ignored.has(signal) ? SIG_IGN : SIG_DFL;
    const result = syscall_signals(
      rt_sigaction,
      BigInt(signal),
      action,
      null,
      KERNEL_SIGSET_SIZE,
    );
    if (result !== 0n) {
      throw new SyscallError({
        call: `rt_sigaction(${signal})`,
        errno: lastErrno(),
      });
    }
  }
  setBlockedSignals(state.blocked);
}

/**
 * A `signalfd` for signals that are blocked in every thread: reading it
 * takes them off the pending set. Close-on-exec.
 *
 * @example
 * ```ts
 * const fd = openSignalFd([15, 17]);
 * ```
 */
export function openSignalFd(signals: readonly number[]): number {
  const fd = libc().signalfd(-1, signalSet(signals), O_CLOEXEC);
  if (fd < 0) throw new SyscallError({ call: "signalfd", errno: lastErrno() });
  return fd;
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
  const buffer = new Uint8Array(SIGINFO_SIZE * 16);
  for (;;) {
    const count = libc().read(fd, buffer, BigInt(buffer.length));
    if (count < 0n) {
      const errno = lastErrno();
      if (errno === E.INTR) continue;
      throw new SyscallError({ call: `read(signalfd ${fd})`, errno });
    }
    const view = new DataView(buffer.buffer);
    const signals: number[] = [];
    for (let offset = 0; offset < Number(count); offset += SIGINFO_SIZE) {
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
  if (libc().kill(pid, signal) === 0) return true;
  const errno = lastErrno();
  if (errno === E.SRCH) return false;
  throw new SyscallError({ call: `kill(${pid}, ${signal})`, errno });
}
