/**
 * The mount API that works on descriptors (Linux 5.12 and later):
 * `open_tree(2)` clones a mount tree, `mount_setattr(2)` adds flags to every
 * mount of it, `move_mount(2)` attaches it onto an open file. Nothing here
 * names a path after it was resolved.
 *
 * @module
 */

import { AT, MOUNT_ATTR, O_CLOEXEC } from "./constants.ts";
import { cString } from "./cstring.ts";
import { E, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";
import { fixedBytes } from "./memory.ts";

/** `sizeof(struct mount_attr)` (MOUNT_ATTR_SIZE_VER0). */
const MOUNT_ATTR_SIZE = 32;

/** The hint where the kernel has no mount API on descriptors. */
const NEW_API = { [E.NOSYS]: "needs Linux 5.12 or later" };

/**
 * `open_tree(fd, "", OPEN_TREE_CLONE | AT_RECURSIVE | AT_EMPTY_PATH)`: a
 * detached copy of the mount at the open file `fd` and of every mount
 * below it (as `mount --rbind` copies them), as a descriptor, with `flags`
 * added to every mount of the copy ({@linkcode addMountFlags}).
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * const source = openReadOnly("/srv", { directory: true });
 * const tree = cloneMountTree(source, { flags: ["NOSUID"], what: "/srv" });
 * ```
 */
export function cloneMountTree(
  fd: number,
  options: { flags: readonly MountFlag[]; what: string },
): number {
  const tree = unwrap(
    systemCall(
      "open_tree",
      fd,
      cString(""),
      AT.OPEN_TREE_CLONE | AT.RECURSIVE | AT.EMPTY_PATH | O_CLOEXEC,
    ),
    {
      call: "open_tree",
      paths: [options.what],
      hints: {
        ...NEW_API,
        [E.INVAL]: "the source is unbindable, or in another mount namespace",
      },
    },
  );
  try {
    addMountFlags({ fd: tree, ...options, recursive: true });
  } catch (error) {
    systemCall("close", tree);
    throw error;
  }
  return tree;
}

/** The flags {@linkcode addMountFlags} can add. */
export type MountFlag = keyof typeof MOUNT_ATTR;

/**
 * `mount_setattr(2)`: these flags added to the mount at `fd` (with
 * `recursive`, to every mount below it too); every other flag is kept.
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * const mount = openReadOnly("/srv", { directory: true });
 * addMountFlags({ fd: mount, flags: ["RDONLY"], recursive: false, what: "/srv" });
 * ```
 */
export function addMountFlags(
  options: {
    fd: number;
    flags: readonly MountFlag[];
    recursive: boolean;
    what: string;
  },
): void {
  const attr = new BigUint64Array(fixedBytes(MOUNT_ATTR_SIZE).buffer);
  attr[0] = BigInt(
    options.flags.reduce((set, flag) => set | MOUNT_ATTR[flag], 0),
  );
  unwrap(
    systemCall(
      "mount_setattr",
      options.fd,
      cString(""),
      AT.EMPTY_PATH | (options.recursive ? AT.RECURSIVE : 0),
      attr,
      MOUNT_ATTR_SIZE,
    ),
    { call: "mount_setattr", paths: [options.what], hints: NEW_API },
  );
}

/**
 * `move_mount(2)` of a detached tree (from {@linkcode cloneMountTree}) onto
 * the open file `target`, on top of whatever is mounted there.
 *
 * @example
 * ```ts
 * import { openReadOnly } from "./fds.ts";
 * const source = openReadOnly("/srv", { directory: true });
 * const tree = cloneMountTree(source, { flags: ["NOSUID"], what: "/srv" });
 * attachMountTree({ tree, target: openReadOnly("/mnt", { directory: true }), what: "/mnt" });
 * ```
 */
export function attachMountTree(
  options: { tree: number; target: number; what: string },
): void {
  const empty = cString("");
  const mismatch =
    "a directory can only be bound on a directory, a file on a file";
  unwrap(
    systemCall(
      "move_mount",
      options.tree,
      empty,
      options.target,
      empty,
      AT.MOVE_MOUNT_F_EMPTY_PATH | AT.MOVE_MOUNT_T_EMPTY_PATH,
    ),
    {
      call: "move_mount",
      paths: [options.what],
      hints: { ...NEW_API, [E.NOTDIR]: mismatch, [E.ISDIR]: mismatch },
    },
  );
}
