/**
 * What a path names, asked with the path's exact bytes: its canonical form
 * (`realpath(3)`) and its file type (`statx(2)`). Deno's `realPathSync` and
 * `statSync` take a path as UTF-8 and cannot name a file whose name is not
 * (see lib/bytes.ts for how mntns keeps such bytes).
 *
 * @module
 */

import { decodeBytes } from "../lib/bytes.ts";
import { AT_FDCWD, STATX } from "./constants.ts";
import { cString } from "./cstring.ts";
import { lastErrno, SyscallError, unwrap } from "./errno.ts";
import { libc, systemCall, wordOf } from "./libc.ts";
import { fixedBytes } from "./memory.ts";

/** `PATH_MAX` (`<linux/limits.h>`): the size realpath(3) writes into. */
const PATH_MAX = 4096;

/**
 * `realpath(3)`: the absolute path with every symbolic link, `.` and `..`
 * resolved; a relative path is taken from the working directory. The path
 * must exist.
 *
 * @example
 * ```ts
 * realPath("/proc/self/.."); // "/proc"
 * ```
 */
export function realPath(path: string): string {
  const resolved = new Uint8Array(PATH_MAX);
  if (wordOf(libc().realpath(cString(path), resolved)) === 0n) {
    throw new SyscallError({
      call: "realpath",
      errno: lastErrno(),
      paths: [path],
    });
  }
  return decodeBytes(resolved.subarray(0, resolved.indexOf(0)));
}

/** What a path names, as far as mntns asks. */
export type FileType = "directory" | "file" | "other";

/**
 * The type of the file a path names, symbolic links followed (`statx(2)`
 * with `STATX_TYPE`): a directory, a regular file, or something else.
 *
 * @example
 * ```ts
 * fileType("/dev/null"); // "other"
 * ```
 */
export function fileType(path: string): FileType {
  const buffer = fixedBytes(STATX.SIZE);
  unwrap(systemCall("statx", AT_FDCWD, cString(path), 0, STATX.TYPE, buffer), {
    call: "statx",
    paths: [path],
  });
  const [mode] = new Uint16Array(buffer.buffer, STATX.MODE_OFFSET, 1);
  switch (mode & STATX.S_IFMT) {
    case STATX.S_IFDIR:
      return "directory";
    case STATX.S_IFREG:
      return "file";
    default:
      return "other";
  }
}
