/**
 * errno → a typed error that says which call failed, on which path, and what
 * to do about it.
 *
 * @module
 */

import { lastErrno } from "./libc.ts";

export { lastErrno };

/** The errno values mntns's code tests for, by name. */
export const E = {
  PERM: 1,
  NOENT: 2,
  SRCH: 3,
  INTR: 4,
  CHILD: 10,
  AGAIN: 11,
  ACCES: 13,
  EXIST: 17,
  NOTDIR: 20,
  ISDIR: 21,
  INVAL: 22,
  ROFS: 30,
  NOSYS: 38,
  NOBUFS: 105,
} as const;

/** Linux errno numbers (x86_64 and aarch64 share them) with name and text. */
const ERRNO: Readonly<Record<number, readonly [string, string]>> = {
  1: ["EPERM", "Operation not permitted"],
  2: ["ENOENT", "No such file or directory"],
  3: ["ESRCH", "No such process"],
  4: ["EINTR", "Interrupted system call"],
  5: ["EIO", "Input/output error"],
  7: ["E2BIG", "Argument list too long"],
  8: ["ENOEXEC", "Exec format error"],
  9: ["EBADF", "Bad file descriptor"],
  10: ["ECHILD", "No child processes"],
  11: ["EAGAIN", "Resource temporarily unavailable"],
  12: ["ENOMEM", "Cannot allocate memory"],
  13: ["EACCES", "Permission denied"],
  14: ["EFAULT", "Bad address"],
  15: ["ENOTBLK", "Block device required"],
  16: ["EBUSY", "Device or resource busy"],
  17: ["EEXIST", "File exists"],
  18: ["EXDEV", "Invalid cross-device link"],
  19: ["ENODEV", "No such device"],
  20: ["ENOTDIR", "Not a directory"],
  21: ["EISDIR", "Is a directory"],
  22: ["EINVAL", "Invalid argument"],
  23: ["ENFILE", "Too many open files in system"],
  24: ["EMFILE", "Too many open files"],
  26: ["ETXTBSY", "Text file busy"],
  28: ["ENOSPC", "No space left on device"],
  30: ["EROFS", "Read-only file system"],
  32: ["EPIPE", "Broken pipe"],
  36: ["ENAMETOOLONG", "File name too long"],
  38: ["ENOSYS", "Function not implemented"],
  40: ["ELOOP", "Too many levels of symbolic links"],
  93: ["EPROTONOSUPPORT", "Protocol not supported"],
  95: ["EOPNOTSUPP", "Operation not supported"],
  105: ["ENOBUFS", "No buffer space available"],
  122: ["EDQUOT", "Disk quota exceeded"],
};

/**
 * The symbolic name of an errno value (`EPERM`), or `E<n>` when unknown.
 *
 * @example
 * ```ts
 * errnoName(1); // "EPERM"
 * ```
 */
export function errnoName(errno: number): string {
  return ERRNO[errno]?.[0] ?? `E${errno}`;
}

/**
 * The strerror-style text of an errno value.
 *
 * @example
 * ```ts
 * errnoText(2); // "No such file or directory"
 * ```
 */
export function errnoText(errno: number): string {
  return ERRNO[errno]?.[1] ?? `error ${errno}`;
}

/** What a {@linkcode SyscallError} is built from. */
export interface SyscallErrorInit {
  /** The call that failed, as a person would write it (`mount`, `pivot_root`). */
  call: string;
  /** The errno it left. */
  errno: number;
  /** The path arguments of the call, shown in parentheses. */
  paths?: readonly string[];
  /** What to do about it; defaults to a hint chosen by errno. */
  hint?: string;
}

/** A libc call that failed: the call, its paths, errno (number and name), a hint. */
export class SyscallError extends Error {
  /** The call that failed. */
  readonly call: string;
  /** The errno number. */
  readonly errno: number;
  /** The errno name (`EPERM`). */
  readonly code: string;
  /** The call's path arguments. */
  readonly paths: readonly string[];
  /** What to do, if anything helps. */
  readonly hint: string | undefined;

  /**
   * Builds the error; its message reads `mount(/x): EPERM (Operation not
   * permitted) — needs root / CAP_SYS_ADMIN`.
   *
   * @example
   * ```ts
   * throw new SyscallError({ call: "umount2", errno: 16, paths: ["/mnt"] });
   * ```
   */
  constructor(init: SyscallErrorInit) {
    const code = errnoName(init.errno);
    const paths = init.paths ?? [];
    const hint = init.hint ?? defaultHint(init.errno);
    // A call written with its arguments (`setns(5)`) gets no second pair.
    const args = paths.length === 0 && init.call.endsWith(")")
      ? ""
      : `(${paths.join(", ")})`;
    super(
      `${init.call}${args}: ${code} (${errnoText(init.errno)})${
        hint ? ` — ${hint}` : ""
      }`,
    );
    this.name = "SyscallError";
    this.call = init.call;
    this.errno = init.errno;
    this.code = code;
    this.paths = paths;
    this.hint = hint;
  }
}

/** What {@linkcode unwrap} tells of a call that failed, besides errno. */
export interface Failure extends Omit<SyscallErrorInit, "errno"> {
  /** A hint for each errno that has its own, where `hint` gives none. */
  hints?: Readonly<Record<number, string>>;
  /** The errnos that answer a question rather than fail: returned as -errno. */
  allowed?: readonly number[];
}

/**
 * A system call's result, when it succeeded. When it failed (a negative
 * result), errno is read first, before any other call can change it (the
 * caller passes the result straight in); it is returned negated when
 * `failure.allowed` holds it (the kernel's own way to return an error), and
 * thrown as a {@linkcode SyscallError} otherwise.
 *
 * @example
 * ```ts
 * import { AT_FDCWD } from "./constants.ts";
 * import { cString } from "./cstring.ts";
 * import { systemCall } from "./libc.ts";
 *
 * const made = unwrap(
 *   systemCall("mkdirat", AT_FDCWD, cString("/tmp/x"), 0o755),
 *   { call: "mkdir", paths: ["/tmp/x"], allowed: [E.EXIST] },
 * );
 * made === -E.EXIST; // it was there already
 * ```
 */
export function unwrap(result: number, failure: Failure): number {
  if (result >= 0) return result;
  const errno = lastErrno();
  if (failure.allowed?.includes(errno)) return -errno;
  throw new SyscallError({
    call: failure.call,
    errno,
    paths: failure.paths,
    hint: failure.hint ?? failure.hints?.[errno],
  });
}

function defaultHint(errno: number): string | undefined {
  switch (errnoName(errno)) {
    case "EPERM":
      return "needs root / CAP_SYS_ADMIN";
    case "ENOENT":
      return "check that the path exists";
    case "ENOTDIR":
      return "a component of the path is not a directory";
    case "EBUSY":
      return "something is still using it";
    case "EMFILE":
    case "ENFILE":
      return "raise the limit on open files (ulimit -n)";
    default:
      return undefined;
  }
}
