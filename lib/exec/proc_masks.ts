/**
 * Masks the fresh /proc of a new root as lib/plan/proc_masks.ts says,
 * through descriptors: each path is opened inside /proc, and the mask is
 * mounted onto that descriptor.
 *
 * @module
 */

import { describeFd, openInRoot, openPath } from "../../ffi/at_calls.ts";
import { MS } from "../../ffi/constants.ts";
import { E, SyscallError } from "../../ffi/errno.ts";
import { closeFd, openReadOnly } from "../../ffi/fds.ts";
import { attachMountTree, cloneMountTree } from "../../ffi/mount_api.ts";
import { PROC_MASKED, PROC_READ_ONLY } from "../plan/proc_masks.ts";
import { mountTmpfsOn, withFd } from "./mounts.ts";

/** Detached read-only copies of /dev/null, one for each masked path. */
export type NullCopies = number[];

/**
 * Copies of the host's /dev/null (read-only, nosuid, noexec) for the masked
 * files, made while it is still reachable: before the pivot.
 *
 * @example
 * ```ts
 * const copies = prepareNullCopies();
 * ```
 */
export function prepareNullCopies(): NullCopies {
  return withFd(
    openPath("/dev/null"),
    (fd) =>
      PROC_MASKED.map(() =>
        cloneMountTree(fd, {
          flags: ["RDONLY", "NOSUID", "NOEXEC"],
          what: "/dev/null",
        })
      ),
  );
}

/** A descriptor of `name` in /proc, or null when this kernel has none. */
function openInProc(proc: number, name: string): number | null {
  try {
    return openInRoot(proc, name, `/proc/${name}`);
  } catch (error) {
    if (error instanceof SyscallError && error.errno === E.NOENT) return null;
    throw error;
  }
}

/**
 * Masks /proc (mounted fresh just before): each masked file gets a copy of
 * /dev/null bound over it, each masked directory an empty read-only
 * tmpfs; each read-only path a read-only bind of itself. Every copy is
 * closed, used or not.
 *
 * @example
 * ```ts
 * maskProc(prepareNullCopies());
 * ```
 */
export function maskProc(copies: NullCopies): void {
  try {
    withFd(openReadOnly("/proc", { directory: true }), (proc) => {
      PROC_MASKED.forEach((name, i) => {
        const fd = openInProc(proc, name);
        if (fd === null) return;
        const what = `/proc/${name}`;
        withFd(fd, () => {
          if (describeFd(fd, what).isDirectory) {
            mountTmpfsOn(fd, {
              data: "mode=555",
              flags: MS.RDONLY | MS.NOEXEC,
              what,
            });
          } else {
            attachMountTree({ tree: copies[i], target: fd, what });
          }
        });
      });
      for (const name of PROC_READ_ONLY) {
        const fd = openInProc(proc, name);
        if (fd === null) continue;
        const what = `/proc/${name}`;
        withFd(fd, () =>
          withFd(
            cloneMountTree(fd, {
              flags: ["RDONLY", "NOSUID", "NODEV", "NOEXEC"],
              what,
            }),
            (tree) => attachMountTree({ tree, target: fd, what }),
          ));
      }
    });
  } finally {
    copies.forEach((fd) => closeFd(fd));
  }
}
