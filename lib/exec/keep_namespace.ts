/**
 * Keeping a new mount namespace alive after its last process ends, as
 * `unshare --mount=FILE` does: its namespace file bound on FILE, in the
 * mount namespace FILE belongs to (the outer one).
 *
 * util-linux forks a child that stays behind to make the bind; Deno cannot
 * fork. mntns makes it from its main thread instead: before the unshare it
 * opens FILE, its own (outer) namespace, root and working directory; after
 * it, it goes back into the outer namespace (`setns`), binds the new
 * namespace's file (through `/proc/self/fd/N`) on FILE (through
 * `/proc/self/fd/M`, so a relative FILE means what it meant), and returns
 * to the new namespace. `setns` resets the root and working directory to
 * the namespace's root, so both are opened in the new namespace first and
 * taken again at the end.
 *
 * The kernel binds namespace X's file in namespace Y only when X's id is
 * higher than Y's (anything else could become a loop of namespaces holding
 * each other). Since Linux 6.18 ids come from per-CPU batches, so a new
 * namespace made on one CPU can get a lower id than an older one made on
 * another, and the bind fails with EINVAL: here `unshare --mount=FILE`
 * fails every time when its outer namespace was made on CPU 0 and it runs
 * on CPU 1. mntns compares the ids (`NS_GET_MNTNS_ID`) and, when the new
 * one is lower, makes the namespace again on each CPU in turn until one
 * gives a higher id (the CPU that gave the outer namespace its id always
 * does), as snapd does; the thread's CPU affinity is restored after.
 *
 * @module
 */

import {
  CPU_SET_CPUS,
  cpuMask,
  setThreadAffinity,
  threadAffinity,
} from "../../ffi/affinity.ts";
import { CLONE, MS, NAMESPACE_FLAGS } from "../../ffi/constants.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { closeFd, fchdir, openReadOnly } from "../../ffi/fds.ts";
import { joinNamespace, mountNamespaceId } from "../../ffi/namespaces.ts";
import { fileType, realPath } from "../../ffi/path_lookup.ts";
import { chroot, mount, unshare } from "../../ffi/syscalls.ts";
import { CommandError } from "../errors.ts";
import { mountReachedBy } from "../mount/lookup.ts";
import { readMountinfo } from "../system/read_mountinfo.ts";

/** A namespace to keep, prepared before the unshare. */
export interface NamespaceKeeper {
  /** Binds the calling thread's (new) mount namespace on the file. */
  keep(): void;
}

/** A root and a working directory, as descriptors. */
interface Place {
  root: number;
  cwd: number;
}

function openPlace(): Place {
  return {
    root: openReadOnly("/", { directory: true }),
    cwd: openReadOnly(".", { directory: true }),
  };
}

/** Makes a place, opened in this mount namespace, the root and working directory. */
function takePlace(place: Place): void {
  fchdir(place.root);
  chroot(".");
  fchdir(place.cwd);
}

function closePlace(place: Place): void {
  closeFd(place.root);
  closeFd(place.cwd);
}

/** Throws unless `file` is a regular file on a mount that is not shared. */
function checkFile(file: string): void {
  let type;
  try {
    type = fileType(file);
  } catch (error) {
    if (error instanceof SyscallError && error.code === "ENOENT") {
      throw new CommandError(
        `${file}: no such file — create it first (touch ${file}): a namespace is kept on an existing file`,
      );
    }
    throw error;
  }
  if (type !== "file") {
    throw new CommandError(
      `${file}: not a regular file — a namespace is kept on a regular file (touch ${file})`,
    );
  }
  const parent = mountReachedBy(
    readMountinfo({ kind: "self" }),
    realPath(file),
  );
  if (parent !== undefined && parent.peer !== null) {
    throw new CommandError(
      `${file}: the mount it is on (${parent.target}) is shared — a namespace is kept only on a private mount, as with unshare --mount=FILE: keep it in a directory bound on itself and made private (mount --bind DIR DIR; mount --make-private DIR)`,
    );
  }
}

/** Whether a new namespace's file may be bound in the outer one (see the module's note). */
function bindable(outerId: bigint | null, inner: number): boolean {
  const innerId = mountNamespaceId(inner);
  return outerId === null || innerId === null || innerId > outerId;
}

/**
 * The calling thread's new mount namespace, made again on each CPU in turn
 * (from the outer namespace, root and directory) until its id is higher
 * than the outer one's. Returns its descriptor, or null when no CPU gave
 * one.
 */
function remakeOnAnotherCpu(
  outer: { ns: number; id: bigint | null; place: Place },
): number | null {
  const saved = threadAffinity();
  try {
    for (let cpu = 0; cpu < CPU_SET_CPUS; cpu++) {
      if (!setThreadAffinity(cpuMask(cpu))) continue;
      joinNamespace(outer.ns, NAMESPACE_FLAGS.mnt);
      takePlace(outer.place);
      unshare(CLONE.NEWNS);
      const inner = openReadOnly("/proc/self/ns/mnt", { directory: false });
      if (bindable(outer.id, inner)) return inner;
      closeFd(inner);
    }
    return null;
  } finally {
    setThreadAffinity(saved);
  }
}

/**
 * Prepares keeping the mount namespace the calling thread is about to make
 * at `file`: checks the file (a regular file on a mount that is not shared,
 * which the kernel requires) and opens it, the current namespace, root and
 * working directory.
 *
 * @example
 * ```ts
 * import { CLONE } from "../../ffi/constants.ts";
 * import { unshare } from "../../ffi/syscalls.ts";
 *
 * const keeper = prepareKeeping("/run/ns/box");
 * unshare(CLONE.NEWNS);
 * keeper.keep();
 * ```
 */
export function prepareKeeping(file: string): NamespaceKeeper {
  checkFile(file);
  const target = openReadOnly(file, { directory: false });
  const outerNs = openReadOnly("/proc/self/ns/mnt", { directory: false });
  const outer = {
    ns: outerNs,
    id: mountNamespaceId(outerNs),
    place: openPlace(),
  };
  return {
    keep(): void {
      let inner: number | null = openReadOnly("/proc/self/ns/mnt", {
        directory: false,
      });
      try {
        if (!bindable(outer.id, inner)) {
          closeFd(inner);
          inner = remakeOnAnotherCpu(outer);
          if (inner === null) {
            throw new CommandError(
              `cannot keep the namespace at ${file}: on every CPU this thread may use, the kernel gave the new namespace a lower id than the one ${file} is in, and refuses the bind — run mntns on another CPU (taskset -c N)`,
            );
          }
        }
        const place = openPlace();
        try {
          joinNamespace(outer.ns, NAMESPACE_FLAGS.mnt);
          try {
            mount({
              source: `/proc/self/fd/${inner}`,
              target: `/proc/self/fd/${target}`,
              flags: MS.BIND,
            });
          } catch (error) {
            if (!(error instanceof SyscallError)) throw error;
            throw new CommandError(
              `cannot keep the namespace at ${file}: bind mount: ${error.code}${
                error.code === "EINVAL"
                  ? " — the mount it is on must not be shared"
                  : ""
              }`,
            );
          } finally {
            joinNamespace(inner, NAMESPACE_FLAGS.mnt);
          }
          takePlace(place);
        } finally {
          closePlace(place);
        }
      } finally {
        if (inner !== null) closeFd(inner);
        for (const fd of [target, outer.ns]) closeFd(fd);
        closePlace(outer.place);
      }
    },
  };
}
