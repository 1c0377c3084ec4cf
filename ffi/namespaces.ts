/**
 * Namespace files (`/proc/PID/ns/*`, or a file one is bound on): what kind
 * of namespace a descriptor names, and joining one from this
 * multi-threaded process.
 *
 * Deno's threads share one filesystem context (root, working directory,
 * umask: the kernel's `fs_struct`), and `setns(2)` into a mount namespace
 * refuses a shared one with EINVAL — checked here: from `deno run`, with
 * its six threads, `setns(fd, CLONE_NEWNS)` fails with EINVAL, and after
 * `unshare(CLONE_FS)` on the main thread it succeeds. (`unshare(CLONE_NEWNS)`
 * unshares CLONE_FS by itself; `setns` does not.) Only the calling (main)
 * thread is in the namespace afterwards, so only synchronous calls made on
 * it see the namespace's mounts.
 *
 * @module
 */

import { CLONE } from "./constants.ts";
import { E, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";

/** `NS_GET_NSTYPE` (`<linux/nsfs.h>`: `_IO(0xb7, 0x3)`). */
const NS_GET_NSTYPE = 0xb703;
/** `NS_GET_MNTNS_ID` (`_IOR(0xb7, 0x5, __u64)`, Linux 6.8 and later). */
const NS_GET_MNTNS_ID = 0x8008b705;
/** What an nsfs ioctl fails with where it does not apply: ENOTTY, EINVAL. */
const NOT_NSFS = [25, E.INVAL];

/**
 * The `CLONE_NEW*` value of the namespace a descriptor names (the
 * `NS_GET_NSTYPE` ioctl), or null when it names no namespace (not a file of
 * the kernel's nsfs).
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * namespaceType(openReadOnly("/proc/self/ns/mnt", { directory: false })); // CLONE.NEWNS
 * ```
 */
export function namespaceType(fd: number): number | null {
  const type = unwrap(systemCall("ioctl", fd, NS_GET_NSTYPE, null), {
    call: `ioctl(${fd}, NS_GET_NSTYPE)`,
    allowed: NOT_NSFS,
  });
  return type < 0 ? null : type;
}

/**
 * The id of the mount namespace a descriptor names (`NS_GET_MNTNS_ID`), or
 * null where the kernel has no such ioctl (before Linux 6.8). The kernel
 * lets namespace X's file be bound in namespace Y only when Y's id is
 * lower (it refuses what could become a loop of namespaces holding each
 * other).
 *
 * @example
 * ```ts
 * declare const fd: number; // open on /proc/self/ns/mnt
 * mountNamespaceId(fd); // 78790n
 * ```
 */
export function mountNamespaceId(fd: number): bigint | null {
  const id = new BigUint64Array(new ArrayBuffer(8));
  const done = unwrap(systemCall("ioctl", fd, NS_GET_MNTNS_ID, id), {
    call: `ioctl(${fd}, NS_GET_MNTNS_ID)`,
    allowed: NOT_NSFS,
  });
  return done < 0 ? null : id[0];
}

/**
 * Moves the calling (main) thread into the namespace a descriptor names:
 * `setns(2)`, after `unshare(CLONE_FS)` for a mount namespace (see the
 * module's note). For a PID namespace, only the children this thread starts
 * next are in it.
 *
 * @example
 * ```ts
 * import { CLONE } from "./constants.ts";
 * declare const fd: number; // open on /proc/PID/ns/mnt
 * joinNamespace(fd, CLONE.NEWNS);
 * ```
 */
export function joinNamespace(fd: number, nstype: number): void {
  if (nstype === CLONE.NEWNS) {
    unwrap(systemCall("unshare", CLONE.FS), { call: "unshare(CLONE_FS)" });
  }
  unwrap(systemCall("setns", fd, nstype), { call: "setns" });
}
