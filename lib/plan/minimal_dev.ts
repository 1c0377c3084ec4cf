/**
 * What the minimal /dev under `--rootfs` holds, as runc and bubblewrap's
 * `--dev` make it: a tmpfs with a few device nodes bound from the host, a
 * devpts of its own, a shm tmpfs and the usual symbolic links. The
 * executor is lib/exec/minimal_dev.ts.
 *
 * @module
 */

/** The device nodes bound from the host's /dev (nosuid, devices usable). */
export const DEV_NODES: readonly string[] = [
  "null",
  "zero",
  "full",
  "random",
  "urandom",
  "tty",
];

/** The symbolic links, name and text. */
export const DEV_SYMLINKS: readonly (readonly [string, string])[] = [
  ["fd", "/proc/self/fd"],
  ["stdin", "/proc/self/fd/0"],
  ["stdout", "/proc/self/fd/1"],
  ["stderr", "/proc/self/fd/2"],
  ["ptmx", "pts/ptmx"],
];

/** /dev itself: a tmpfs, nosuid and nodev (device nodes are bind mounts). */
export const DEV_TMPFS = { mode: 0o755 } as const;

/**
 * /dev/pts: a new devpts instance, as bubblewrap mounts it (nosuid,
 * noexec): every run gets its own ptys, and `ptmx` is world-usable.
 */
export const DEV_PTS_DATA = "newinstance,ptmxmode=0666,mode=620";

/** /dev/shm: a tmpfs (nosuid, nodev, noexec), sticky and world-writable, as runc's. */
export const DEV_SHM = { mode: 0o1777 } as const;

/**
 * The minimal /dev in one line, for `--dry-run`.
 *
 * @example
 * ```ts
 * describeMinimalDev(); // "tmpfs 0755 with null, zero, full, random, urandom, tty from the host; ..."
 * ```
 */
export function describeMinimalDev(): string {
  return `tmpfs 0755 with ${
    DEV_NODES.join(", ")
  } from the host; pts (new devpts); shm (tmpfs 1777); links ${
    DEV_SYMLINKS.map(([name]) => name).join(", ")
  }`;
}
