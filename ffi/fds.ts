/**
 * File descriptors mntns handles itself: opening one read-only (directories
 * for `pivot_root` and `fchdir`, namespace files to join or keep), closing
 * it, its close-on-exec flag and state (`--info-fd`), reading it from its
 * start (a plan's pipe, a stage's /proc files), and pidfds (the one that
 * tells the namespace's first process whether mntns is still alive, a
 * run's for `ps` and `enter`, a target's for `watch`).
 *
 * @module
 */

import { cString } from "./cstring.ts";
import { architecture, AT_FDCWD, O_CLOEXEC } from "./constants.ts";
import { E, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";
import { fixedBytes } from "./memory.ts";
import { POLL, pollFds } from "./poll.ts";

const O_RDONLY = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const O_ACCMODE = 3;
const O_WRONLY = 1;
const O_RDWR = 2;
const FD_CLOEXEC = 1;

/**
 * Opens a file read-only and close-on-exec (`openat(2)` from the working
 * directory), and returns its descriptor; with `directory`, it must be a
 * directory.
 *
 * @example
 * ```ts
 * const oldRoot = openReadOnly("/", { directory: true });
 * ```
 */
export function openReadOnly(
  path: string,
  options: { directory: boolean },
): number {
  const flags = O_RDONLY | O_CLOEXEC |
    (options.directory ? architecture().oDirectory : 0);
  return unwrap(systemCall("openat", AT_FDCWD, cString(path), flags, 0), {
    call: "open",
    paths: [path],
  });
}

/**
 * `close(2)`.
 *
 * @example
 * ```ts
 * const fd = openReadOnly("/", { directory: true });
 * closeFd(fd);
 * ```
 */
export function closeFd(fd: number): void {
  unwrap(systemCall("close", fd), { call: `close(${fd})` });
}

/**
 * `fchdir(2)`: makes an open directory the working directory.
 *
 * @example
 * ```ts
 * const oldRoot = openReadOnly("/", { directory: true });
 * fchdir(oldRoot);
 * ```
 */
export function fchdir(fd: number): void {
  unwrap(systemCall("fchdir", fd), { call: `fchdir(${fd})` });
}

/**
 * Sets or clears close-on-exec on a descriptor.
 *
 * @example
 * ```ts
 * const pidfd = pidfdOpen(Deno.pid);
 * setCloseOnExec(pidfd, false); // the next spawned child inherits it
 * ```
 */
export function setCloseOnExec(fd: number, closeOnExec: boolean): void {
  unwrap(systemCall("fcntl", fd, F_SETFD, closeOnExec ? FD_CLOEXEC : 0), {
    call: `fcntl(${fd}, F_SETFD)`,
  });
}

/** What {@linkcode descriptorState} says of an open descriptor. */
export interface DescriptorState {
  /** Whether it can be written to (opened write-only or read-write). */
  writable: boolean;
  /** Whether it is close-on-exec (every descriptor Deno opens itself is). */
  closeOnExec: boolean;
}

/**
 * The access mode and close-on-exec flag of a descriptor
 * (`fcntl(F_GETFL)`, `fcntl(F_GETFD)`); throws EBADF when it is not open.
 *
 * @example
 * ```ts
 * descriptorState(1); // { writable: true, closeOnExec: false }
 * ```
 */
export function descriptorState(fd: number): DescriptorState {
  const failure = { call: `fcntl(${fd})` };
  const status = unwrap(systemCall("fcntl", fd, F_GETFL, 0), failure);
  const flags = unwrap(systemCall("fcntl", fd, F_GETFD, 0), failure);
  const mode = status & O_ACCMODE;
  return {
    writable: mode === O_WRONLY || mode === O_RDWR,
    closeOnExec: (flags & FD_CLOEXEC) !== 0,
  };
}

/**
 * `pidfd_open(2)` of a process: a descriptor that becomes readable when the
 * process exits. It is close-on-exec.
 *
 * @example
 * ```ts
 * const pidfd = pidfdOpen(Deno.pid);
 * ```
 */
export function pidfdOpen(pid: number): number {
  return unwrap(systemCall("pidfd_open", pid, 0), {
    call: `pidfd_open(${pid})`,
    hints: { [E.NOSYS]: "needs Linux 5.3 or later" },
  });
}

/**
 * Whether a descriptor is readable right now (`poll` with no wait): for a
 * pidfd, whether its process has exited.
 *
 * @example
 * ```ts
 * const pidfd = pidfdOpen(Deno.ppid);
 * if (isReadable(pidfd)) Deno.exit(1); // the parent is gone
 * ```
 */
export function isReadable(fd: number): boolean {
  return pollFds([{ fd, events: POLL.IN }], 0)[0] !== 0;
}

/**
 * The whole content of an open file, read from its start with `pread64` (the
 * file position is left alone, and a generated file such as
 * `/proc/PID/mountinfo` is generated afresh), or null when it holds more
 * than `maxBytes`. `sizeHint` (its size last time) sizes the first buffer.
 *
 * @example
 * ```ts
 * const fd = openReadOnly("/proc/self/mountinfo", { directory: false });
 * const bytes = readFromStart(fd, { maxBytes: 1 << 28, sizeHint: 0 });
 * ```
 */
export function readFromStart(
  fd: number,
  options: { maxBytes: number; sizeHint: number },
): Uint8Array | null {
  const limit = options.maxBytes + 1;
  let buffer = fixedBytes(
    Math.min(limit, Math.max(options.sizeHint + 65536, 65536)),
  );
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length === limit) return null;
      const bigger = fixedBytes(Math.min(limit, buffer.length * 2));
      bigger.set(buffer);
      buffer = bigger;
    }
    const count = unwrap(
      systemCall(
        "pread64",
        fd,
        buffer.subarray(length),
        buffer.length - length,
        length,
      ),
      { call: `pread(${fd})`, allowed: [E.INTR] },
    );
    if (count === -E.INTR) continue;
    if (count === 0) return buffer.subarray(0, length);
    length += count;
  }
}
