/**
 * The mounts of the setup operations: `--bind`, `--ro-bind`, `--dev-bind`,
 * `--tmpfs`, and with `--rootfs` the new root and the pivot into it, as runc
 * does it. Every source is opened once and cloned from its descriptor
 * (`open_tree`), its flags added to every mount of the clone
 * (`mount_setattr`), and the clone attached onto the target's descriptor
 * (`move_mount`): no path is looked up twice.
 *
 * All of it is synchronous: it runs after `unshare(CLONE_NEWNS)`, where only
 * the main thread is in the new mount namespace.
 *
 * @module
 */

import { describeFd, openInRoot, openPath } from "../../ffi/at_calls.ts";
import { MNT_DETACH, MS } from "../../ffi/constants.ts";
import { E, SyscallError } from "../../ffi/errno.ts";
import { closeFd, fchdir, openReadOnly } from "../../ffi/fds.ts";
import {
  addMountFlags,
  attachMountTree,
  cloneMountTree,
  type MountFlag,
} from "../../ffi/mount_api.ts";
import { chdir, mount, pivotRoot, umount2 } from "../../ffi/syscalls.ts";
import { realPath } from "../../ffi/path_lookup.ts";
import { CommandError } from "../errors.ts";
import { mountContaining, reachableMounts } from "../mount/lookup.ts";
import { pathBelow } from "../mount/paths.ts";
import { octalMode } from "../plan/setup_ops.ts";
import { readMountinfo } from "../system/read_mountinfo.ts";
import { descriptorPath, openTarget, type RootHandle } from "./root_paths.ts";

/** The flags every `--bind`, `--ro-bind` and the root's bind add: bubblewrap's. */
const BIND_FLAGS: readonly MountFlag[] = ["NOSUID", "NODEV"];

/** Runs `use` with a descriptor, closed after it whatever happens. */
export function withFd<T>(fd: number, use: (fd: number) => T): T {
  try {
    return use(fd);
  } finally {
    closeFd(fd);
  }
}

/** An `O_PATH` descriptor of a bind's source, which must exist. */
function openSource(path: string): number {
  try {
    return openPath(path);
  } catch (error) {
    if (!(error instanceof SyscallError) || error.errno !== E.NOENT) {
      throw error;
    }
    throw new CommandError(
      `${path}: no such file or directory — the source of a bind must exist`,
    );
  }
}

/**
 * A recursive clone of the open source `fd` (`what` names it), with `flags`
 * added to every mount of it, attached at `target` (inside `root`: made
 * there as a directory or an empty file, like the source, when missing).
 */
function bindFrom(
  fd: number,
  options: {
    target: string;
    root: RootHandle | null;
    flags: readonly MountFlag[];
    what: string;
  },
): void {
  const { isDirectory } = describeFd(fd, options.what);
  withFd(
    openTarget({ ...options, make: isDirectory ? "directory" : "file" }),
    (target) =>
      withFd(
        cloneMountTree(fd, options),
        (tree) => attachMountTree({ tree, target, what: options.target }),
      ),
  );
}

/**
 * A recursive bind of `source` at `target` (inside `root` when given),
 * every mount of it nosuid and nodev, as bubblewrap's `--bind`; with
 * `readOnly` read-only too. Each mount keeps its other flags.
 *
 * @example
 * ```ts
 * bindMount({ source: "/data", target: "/mnt", root: null, readOnly: true });
 * ```
 */
export function bindMount(
  options: {
    source: string;
    target: string;
    root: RootHandle | null;
    readOnly: boolean;
  },
): void {
  withFd(openSource(options.source), (fd) =>
    bindFrom(fd, {
      ...options,
      flags: options.readOnly ? [...BIND_FLAGS, "RDONLY"] : BIND_FLAGS,
      what: options.source,
    }));
}

/**
 * A recursive bind of a device node, or a directory of them, at `target`
 * (inside `root`), as bubblewrap's `--dev-bind`: its mounts are made nosuid
 * with their flags kept, and nodev is not added, so the devices can be
 * opened. `source` may be a descriptor opened earlier (the minimal /dev
 * opens the host's nodes before its tmpfs covers them).
 *
 * @example
 * ```ts
 * devBindMount({ source: "/dev/fuse", target: "/dev/fuse", root: null });
 * ```
 */
export function devBindMount(
  options: { source: string; target: string; root: RootHandle | null },
): void {
  withFd(openSource(options.source), (fd) => devBindFrom(fd, options));
}

/**
 * {@linkcode devBindMount} from an open source descriptor.
 *
 * @example
 * ```ts
 * import { openPath } from "../../ffi/at_calls.ts";
 * devBindFrom(openPath("/dev/null"), { source: "/dev/null", target: "/dev/null", root: null });
 * ```
 */
export function devBindFrom(
  fd: number,
  options: { source: string; target: string; root: RootHandle | null },
): void {
  bindFrom(fd, { ...options, flags: ["NOSUID"], what: options.source });
}

/**
 * A fresh tmpfs at the open directory `fd` (nosuid, nodev, and the extra
 * `flags`) with this data; `what` names it in an error.
 *
 * @example
 * ```ts
 * import { openPath } from "../../ffi/at_calls.ts";
 * mountTmpfsOn(openPath("/tmp"), { data: "mode=1777", flags: 0, what: "/tmp" });
 * ```
 */
export function mountTmpfsOn(
  fd: number,
  options: { data: string; flags: number; what: string; hint?: string },
): void {
  mount({
    source: "tmpfs",
    target: descriptorPath(fd),
    shownAs: options.what,
    fstype: "tmpfs",
    flags: MS.NOSUID | MS.NODEV | options.flags,
    data: options.data,
    hint: options.hint,
  });
}

/**
 * A fresh tmpfs (nosuid, nodev) at `target` (inside `root`) with this mode
 * and, when given, size.
 *
 * @example
 * ```ts
 * tmpfsMount({ target: "/tmp", root: null, mode: 0o1777, size: "64m" });
 * ```
 */
export function tmpfsMount(
  options: {
    target: string;
    root: RootHandle | null;
    mode: number;
    size: string | null;
  },
): void {
  withFd(
    openTarget({ ...options, make: "directory" }),
    (fd) =>
      mountTmpfsOn(fd, {
        data: `mode=${octalMode(options.mode)}${
          options.size === null ? "" : `,size=${options.size}`
        }`,
        flags: 0,
        what: options.target,
        hint: options.size === null
          ? undefined
          : `is '${options.size}' a size tmpfs takes (bytes, or with k, m, g or %)?`,
      }),
  );
}

/** The ids of the mounts in this namespace now. */
function mountIds(): Set<number> {
  return new Set(readMountinfo({ kind: "self" }).map((mount) => mount.id));
}

/**
 * Prepares `rootfs` to become the root, as runc's prepareRoot does: its
 * parent mount made private if shared (pivot_root refuses a shared parent,
 * and the bind below would otherwise propagate out), then a recursive clone
 * of the directory, nosuid and nodev, attached onto it. The handle holds
 * the clone's descriptor: every later path in the root is resolved from it.
 *
 * @example
 * ```ts
 * const root = bindRoot("/srv/root");
 * ```
 */
export function bindRoot(rootfs: string): RootHandle {
  const path = realPath(rootfs);
  const before = readMountinfo({ kind: "self" });
  const parent = mountContaining(before, path);
  if (parent && parent.peer !== null) {
    mount({ source: "none", target: parent.target, flags: MS.PRIVATE });
  }
  const fd = withFd(openReadOnly(path, { directory: true }), (dir) => {
    const tree = cloneMountTree(dir, { flags: BIND_FLAGS, what: path });
    attachMountTree({ tree, target: dir, what: path });
    return tree;
  });
  const beforeIds = new Set(before.map((mount) => mount.id));
  return {
    fd,
    path,
    mounts: new Set([...mountIds()].filter((id) => !beforeIds.has(id))),
  };
}

/**
 * Makes the mounts a root's bind brought read-only, flags kept. Run after
 * the requested mounts: their mount points may need creating in the root,
 * even inside an earlier requested mount; chosen by id, so a --bind or
 * --tmpfs keeps its mode, a --ro-bind its own, and what a requested mount
 * covers is not reached. Each is opened inside the root and made read-only
 * through its descriptor, once its mount id is checked; a mount found
 * elsewhere than the table says is refused.
 *
 * @example
 * ```ts
 * makeRootReadOnly(bindRoot("/srv/root"));
 * ```
 */
export function makeRootReadOnly(root: RootHandle): void {
  for (const made of reachableMounts(readMountinfo({ kind: "self" }))) {
    if (!root.mounts.has(made.id)) continue;
    const inside = pathBelow(root.path, made.target);
    if (inside === null) continue;
    withFd(openInRoot(root.fd, inside, made.target), (fd) => {
      if (describeFd(fd, made.target).mountId !== made.id) {
        throw new CommandError(
          `${made.target}: the new root changed while mntns made it read-only — run again`,
        );
      }
      addMountFlags({
        fd,
        flags: ["RDONLY"],
        recursive: false,
        what: made.target,
      });
    });
  }
}

/**
 * `pivot_root(".", ".")` into the root's own mount, as runc does, and the
 * old root, which then sits on top of the new one, made private recursively
 * and detached.
 *
 * @example
 * ```ts
 * pivotInto(bindRoot("/srv/root"));
 * ```
 */
export function pivotInto(root: RootHandle): void {
  withFd(openReadOnly("/", { directory: true }), (oldRoot) => {
    fchdir(root.fd);
    pivotRoot(".", ".");
    // The old root now sits on top of the new one; "." is still the old.
    fchdir(oldRoot);
    mount({ source: "none", target: ".", flags: MS.REC | MS.PRIVATE });
    umount2(".", MNT_DETACH);
    chdir("/");
  });
}
