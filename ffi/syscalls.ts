/**
 * Typed wrappers over the system calls (made through glibc's `syscall(3)`:
 * see ffi/libc.ts): each one makes one call, reads errno right after it,
 * and throws a {@linkcode SyscallError} when it fails.
 *
 * All of them are synchronous on purpose: after `unshare(CLONE_NEWNS)` only
 * the calling (main) thread is in the new mount namespace; Deno's async file
 * APIs run on worker threads that stay in the old one.
 *
 * @module
 */

import { cString, cStringArray } from "./cstring.ts";
import {
  MADV_DONTNEED,
  MADV_HUGEPAGE,
  MS,
  PR_SET_PDEATHSIG,
} from "./constants.ts";
import { E, lastErrno, unwrap } from "./errno.ts";
import { environPointer } from "./environ.ts";
import { systemCall } from "./libc.ts";

function orNull(text: string | undefined): Uint8Array<ArrayBuffer> | null {
  return text === undefined ? null : cString(text);
}

/** The arguments of {@linkcode mount}. */
export interface MountOptions {
  /** `source`; omitted means NULL. */
  source?: string;
  /** The mount point. */
  target: string;
  /** The path an error names, when `target` is a `/proc/self/fd/N` link. */
  shownAs?: string;
  /** Filesystem type; omitted means NULL. */
  fstype?: string;
  /** `MS_*` flags. */
  flags: number;
  /** Filesystem-specific data (`mode=755`); omitted means NULL. */
  data?: string;
  /** Overrides the errno-based hint of a failure. */
  hint?: string;
}

/**
 * `mount(2)`.
 *
 * @example
 * ```ts
 * import { MS } from "./constants.ts";
 *
 * mount({ source: "none", target: "/", flags: MS.REC | MS.PRIVATE });
 * ```
 */
export function mount(options: MountOptions): void {
  const shownAs = options.shownAs ?? options.target;
  const changesPropagation = (options.flags &
    (MS.SHARED | MS.PRIVATE | MS.SLAVE | MS.UNBINDABLE)) !== 0;
  unwrap(
    systemCall(
      "mount",
      orNull(options.source),
      cString(options.target),
      orNull(options.fstype),
      options.flags,
      orNull(options.data),
    ),
    {
      call: "mount",
      paths: [shownAs],
      hint: options.hint,
      hints: changesPropagation
        ? { [E.INVAL]: `is ${shownAs} a mount point?` }
        : undefined,
    },
  );
}

/**
 * `umount2(2)`.
 *
 * @example
 * ```ts
 * import { MNT_DETACH } from "./constants.ts";
 *
 * umount2("/.oldroot", MNT_DETACH);
 * ```
 */
export function umount2(target: string, flags: number): void {
  unwrap(systemCall("umount2", cString(target), flags), {
    call: "umount2",
    paths: [target],
  });
}

/**
 * `unshare(2)`: moves the calling thread into new namespaces.
 *
 * @example
 * ```ts
 * import { CLONE } from "./constants.ts";
 *
 * unshare(CLONE.NEWNS | CLONE.NEWUTS);
 * ```
 */
export function unshare(flags: number): void {
  unwrap(systemCall("unshare", flags), {
    call: "unshare",
    hints: {
      [E.PERM]: "needs CAP_SYS_ADMIN: run as root",
      [E.INVAL]:
        "unsupported namespace combination (user namespaces cannot be unshared by a multi-threaded process)",
    },
  });
}

/**
 * `setns(2)`: joins the namespace an open `/proc/PID/ns/*` file names (for
 * CLONE_NEWPID: the namespace of the children this thread starts next).
 *
 * @example
 * ```ts
 * import { CLONE } from "./constants.ts";
 * import { openReadOnly } from "./fds.ts";
 *
 * const fd = openReadOnly("/proc/self/ns/pid", { directory: false });
 * unshare(CLONE.NEWPID);
 * setns(fd, CLONE.NEWPID); // children started next: in this PID namespace again
 * ```
 */
export function setns(fd: number, nstype: number): void {
  unwrap(systemCall("setns", fd, nstype), { call: `setns(${fd})` });
}

/**
 * `sethostname(2)` in the calling thread's UTS namespace.
 *
 * @example
 * ```ts
 * sethostname("box");
 * ```
 */
export function sethostname(name: string): void {
  const bytes = cString(name);
  unwrap(systemCall("sethostname", bytes, bytes.length - 1), {
    call: "sethostname",
    paths: [name],
    hints: { [E.INVAL]: "a hostname is at most 64 bytes" },
  });
}

/**
 * `chdir(2)`.
 *
 * @example
 * ```ts
 * chdir("/");
 * ```
 */
export function chdir(path: string): void {
  unwrap(systemCall("chdir", cString(path)), { call: "chdir", paths: [path] });
}

/**
 * `chroot(2)`.
 *
 * @example
 * ```ts
 * chroot("/srv/root");
 * ```
 */
export function chroot(path: string): void {
  unwrap(systemCall("chroot", cString(path)), {
    call: "chroot",
    paths: [path],
  });
}

/**
 * `pivot_root(2)`.
 *
 * @example
 * ```ts
 * pivotRoot(".", ".");
 * ```
 */
export function pivotRoot(newRoot: string, putOld: string): void {
  unwrap(systemCall("pivot_root", cString(newRoot), cString(putOld)), {
    call: "pivot_root",
    paths: [newRoot, putOld],
    hints: {
      [E.INVAL]:
        "the new root must be a mount point whose parent mount is not shared",
    },
  });
}

/**
 * `prctl(PR_SET_PDEATHSIG, signal)`: the kernel sends `signal` to this
 * process when its parent thread exits.
 *
 * @example
 * ```ts
 * setParentDeathSignal(9);
 * ```
 */
export function setParentDeathSignal(signal: number): void {
  unwrap(systemCall("prctl", PR_SET_PDEATHSIG, signal, 0, 0, 0), {
    call: "prctl(PR_SET_PDEATHSIG)",
  });
}

/**
 * `madvise(2)` with `MADV_DONTNEED`: the pages of `length` bytes from
 * `start` leave this process's resident set. Only for memory whose pages
 * can come back unchanged (a private file mapping never written: the next
 * access reads the file again); private memory that was written would read
 * back as the file's or as zeros. Returns whether the kernel took the
 * advice.
 *
 * @example
 * ```ts
 * declare const text: { start: bigint; length: bigint }; // from /proc/self/smaps
 * dropPages(text.start, text.length); // true
 * ```
 */
export function dropPages(start: bigint, length: bigint): boolean {
  return systemCall("madvise", start, length, MADV_DONTNEED) === 0;
}

/**
 * `madvise(2)` with `MADV_HUGEPAGE`: the memory of `length` bytes from
 * `start` (a multiple of the page size) is to be backed by transparent huge
 * pages where the kernel has them. Returns whether the kernel took the
 * advice (not whether it will find a huge page when the memory is written).
 *
 * @example
 * ```ts
 * declare const start: bigint; // a 2 MiB boundary in memory of this process
 * adviseHugePages(start, 4n * 1024n * 1024n); // true
 * ```
 */
export function adviseHugePages(start: bigint, length: bigint): boolean {
  return systemCall("madvise", start, length, MADV_HUGEPAGE) === 0;
}

/** The arguments of {@linkcode execve}. */
export interface ExecveOptions {
  /** The file to run. */
  path: string;
  /** The argument vector, argv[0] included. */
  argv: readonly string[];
  /** The environment as `K=V` strings; omitted: this process's own `environ`. */
  env?: readonly string[];
}

/**
 * `execve(2)`. Returns only when it fails, with the errno it left.
 *
 * @example
 * ```ts
 * const errno = execve({ path: "/bin/ls", argv: ["ls", "-la"] });
 * ```
 */
export function execve(options: ExecveOptions): number {
  const envp = options.env
    ? cStringArray(options.env)
    : BigInt(Deno.UnsafePointer.value(environPointer()));
  systemCall(
    "execve",
    cString(options.path),
    cStringArray(options.argv),
    envp,
  );
  return lastErrno();
}
