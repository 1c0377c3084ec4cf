/**
 * Calls that name a file relative to an open directory: `openat2(2)` that
 * resolves inside a root, and `mkdirat`, `symlinkat`, `readlinkat`, a file
 * made with `O_CREAT|O_EXCL|O_NOFOLLOW`, and `statx` of a descriptor's
 * mount. They act on descriptors, never on a path string checked earlier.
 *
 * @module
 */

import { decodeBytes } from "../lib/bytes.ts";
import {
  architecture,
  AT,
  AT_FDCWD,
  O,
  O_CLOEXEC,
  RESOLVE,
  STATX,
} from "./constants.ts";
import { cString } from "./cstring.ts";
import { E, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";
import { fixedBytes } from "./memory.ts";

/** `sizeof(struct open_how)`: flags, mode, resolve, each a `__u64`. */
const OPEN_HOW_SIZE = 24;
/** How often a resolution the kernel asks to retry (EAGAIN) is retried. */
const RETRIES = 64;

/**
 * `openat2(dirfd, path, O_PATH|O_CLOEXEC, RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS)`: `path` resolved as if `dirfd` were `/` (`..` and
 * absolute symbolic links stay inside it), and an `O_PATH` descriptor of
 * what it names. `what` names the path in an error. The kernel's EAGAIN (a
 * rename raced the walk) is retried.
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * const root = openReadOnly("/srv/root", { directory: true });
 * const dev = openInRoot(root, "dev", "/dev");
 * ```
 */
export function openInRoot(dirfd: number, path: string, what: string): number {
  const how = new BigUint64Array(fixedBytes(OPEN_HOW_SIZE).buffer);
  how[0] = BigInt(O.PATH | O_CLOEXEC);
  how[2] = BigInt(RESOLVE.IN_ROOT | RESOLVE.NO_MAGICLINKS);
  const name = cString(path === "" ? "." : path);
  for (let attempt = 0;; attempt++) {
    const fd = unwrap(systemCall("openat2", dirfd, name, how, OPEN_HOW_SIZE), {
      call: "openat2",
      paths: [what],
      hints: {
        [E.AGAIN]:
          "the new root kept changing while mntns resolved it — run again",
        [E.NOSYS]: "needs Linux 5.6 or later",
      },
      allowed: attempt < RETRIES ? [E.AGAIN] : [],
    });
    if (fd !== -E.AGAIN) return fd;
  }
}

/**
 * `openat(AT_FDCWD, path, O_PATH|O_CLOEXEC)`: an `O_PATH` descriptor of
 * what `path` names (from the working directory, links followed), to act
 * on it later without naming it again.
 *
 * @example
 * ```ts
 * const source = openPath("/dev/null");
 * ```
 */
export function openPath(path: string): number {
  return unwrap(
    systemCall("openat", AT_FDCWD, cString(path), O.PATH | O_CLOEXEC, 0),
    { call: "open", paths: [path] },
  );
}

/**
 * `mkdirat(2)` of `name` in the directory `dirfd` (the umask applies);
 * false when something is there already.
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * makeDirectoryAt(openReadOnly("/tmp", { directory: true }), "x", "/tmp/x");
 * ```
 */
export function makeDirectoryAt(
  dirfd: number,
  name: string,
  what: string,
): boolean {
  const made = unwrap(systemCall("mkdirat", dirfd, cString(name), 0o755), {
    call: "mkdir",
    paths: [what],
    allowed: [E.EXIST],
  });
  return made === 0;
}

/**
 * An empty file made as `name` in the directory `dirfd`
 * (`O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0644 less the umask); false when
 * something is there already (a link is never followed).
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * makeFileAt(openReadOnly("/tmp", { directory: true }), "f", "/tmp/f");
 * ```
 */
export function makeFileAt(
  dirfd: number,
  name: string,
  what: string,
): boolean {
  const flags = O.WRONLY | O.CREAT | O.EXCL | architecture().oNofollow |
    O_CLOEXEC;
  const fd = unwrap(systemCall("openat", dirfd, cString(name), flags, 0o644), {
    call: "open",
    paths: [what],
    allowed: [E.EXIST],
  });
  if (fd < 0) return false;
  systemCall("close", fd);
  return true;
}

/**
 * `symlinkat(2)`: a link `name` in the directory `dirfd` whose text is
 * `text`; false when something is there already.
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * makeSymlinkAt({ dirfd: openReadOnly("/tmp", { directory: true }), name: "l", text: "x", what: "/tmp/l" });
 * ```
 */
export function makeSymlinkAt(
  options: { dirfd: number; name: string; text: string; what: string },
): boolean {
  const { dirfd, name, text, what } = options;
  const made = unwrap(
    systemCall("symlinkat", cString(text), dirfd, cString(name)),
    { call: "symlink", paths: [what], allowed: [E.EXIST] },
  );
  return made === 0;
}

/**
 * `readlinkat(2)`: the text of the link `name` in `dirfd`, or null when
 * that is no link.
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * readLinkAt(openReadOnly("/", { directory: true }), "bin", "/bin"); // "usr/bin"
 * ```
 */
export function readLinkAt(
  dirfd: number,
  name: string,
  what: string,
): string | null {
  const buffer = fixedBytes(4096);
  const length = unwrap(
    systemCall("readlinkat", dirfd, cString(name), buffer, buffer.length),
    { call: "readlink", paths: [what], allowed: [E.INVAL] },
  );
  return length < 0 ? null : decodeBytes(buffer.subarray(0, length));
}

/** What {@linkcode describeFd} tells of an open descriptor. */
export interface FdFacts {
  /** Whether it is a directory. */
  isDirectory: boolean;
  /** The id of the mount it is on (mountinfo's first field). */
  mountId: number;
}

/**
 * `statx(fd, "", AT_EMPTY_PATH)`: whether a descriptor is a directory, and
 * the id of its mount.
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * describeFd(openReadOnly("/", { directory: true }), "/").isDirectory; // true
 * ```
 */
export function describeFd(fd: number, what: string): FdFacts {
  const buffer = fixedBytes(STATX.SIZE);
  unwrap(
    systemCall(
      "statx",
      fd,
      cString(""),
      AT.EMPTY_PATH,
      STATX.TYPE | STATX.MNT_ID,
      buffer,
    ),
    { call: "statx", paths: [what] },
  );
  const view = new DataView(buffer.buffer);
  return {
    isDirectory: (view.getUint16(STATX.MODE_OFFSET, true) & STATX.S_IFMT) ===
      STATX.S_IFDIR,
    mountId: Number(view.getBigUint64(STATX.MNT_ID_OFFSET, true)),
  };
}
