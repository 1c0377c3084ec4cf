/**
 * The mounts of the setup operations: `--bind`, `--ro-bind`, `--dev-bind`,
 * `--tmpfs`, and with `--rootfs` the new root and the pivot into it, as runc
 * does it.
 *
 * All of it is synchronous: it runs after `unshare(CLONE_NEWNS)`, where only
 * the main thread is in the new mount namespace.
 *
 * @module
 */

import {
  normalizePath,
  parentDirectory,
  pathBelow,
  relativePath,
} from "../mount/paths.ts";
import { MNT_DETACH, MS } from "../../ffi/constants.ts";
import { closeFd, fchdir, openReadOnly } from "../../ffi/fds.ts";
import { chdir, mount, pivotRoot, umount2 } from "../../ffi/syscalls.ts";
import { CommandError } from "../errors.ts";
import { mountContaining, reachableMounts } from "../mount/lookup.ts";
import type { Mount } from "../mount/mountinfo.ts";
import { perMountFlags } from "./per_mount_flags.ts";
import { octalMode } from "../plan/setup_ops.ts";
import { readMountinfo } from "../system/read_mountinfo.ts";

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves a mount point inside a new root: symlinks are followed, and the
 * result must stay inside the root, or this refuses. Missing directories are
 * created inside the root; a missing last component is created as a
 * directory, or as an empty file when `isFile`.
 *
 * @example
 * ```ts
 * resolveInsideRoot({ root: "/srv/root", target: "/data", isFile: false }); // "/srv/root/data"
 * ```
 */
export function resolveInsideRoot(
  options: { root: string; target: string; isFile: boolean },
): string {
  const { root, target } = options;
  const joined = normalizePath(`${root}/${target}`);
  const refuse = (): never => {
    throw new CommandError(
      `${target}: leaves the new root ${root} (through '..' or a symlink) — choose a path inside it`,
    );
  };
  if (pathBelow(root, joined) === null) refuse();
  let existing = joined;
  while (!exists(existing)) existing = parentDirectory(existing);
  const real = Deno.realPathSync(existing);
  if (pathBelow(root, real) === null) refuse();
  const resolved = normalizePath(`${real}/${relativePath(existing, joined)}`);
  if (!exists(resolved)) {
    if (options.isFile) {
      Deno.mkdirSync(parentDirectory(resolved), { recursive: true });
      Deno.writeFileSync(resolved, new Uint8Array());
    } else {
      Deno.mkdirSync(resolved, { recursive: true });
    }
  }
  return resolved;
}

/**
 * Remounts the chosen mounts with a flag added (MS_RDONLY, MS_NOSUID), as
 * bubblewrap's bind-mount.c does: each reachable one chosen is remounted
 * (MS_REMOUNT | MS_BIND | the flag) with the per-mount flags it has now
 * ORed in, since a bind remount drops every flag it does not repeat. The
 * mount table is read here, after the mounts were made, synchronously
 * (only this thread is in the new namespace).
 */
function remountAdding(
  options: { chosen: (mount: Mount) => boolean; flag: number; what: string },
): void {
  for (const made of reachableMounts(readMountinfo({ kind: "self" }))) {
    if (!options.chosen(made)) continue;
    const { flags, unknown } = perMountFlags(made.options);
    if (unknown.length > 0) {
      throw new CommandError(
        `${made.target}: per-mount option ${
          unknown.join(",")
        } is unknown to mntns, which cannot make the mount ${options.what} and keep it — leave this mount out`,
      );
    }
    mount({
      source: "none",
      target: made.target,
      flags: MS.REMOUNT | MS.BIND | options.flag | flags,
    });
  }
}

/** The ids of the mounts in this namespace now. */
function mountIds(): Set<number> {
  return new Set(readMountinfo({ kind: "self" }).map((mount) => mount.id));
}

/** Whether a bind's source is anything but a directory (a file, a device). */
function isFilePath(path: string): boolean {
  try {
    return !Deno.statSync(path).isDirectory;
  } catch {
    throw new CommandError(
      `${path}: no such file or directory — the source of a bind must exist`,
    );
  }
}

/** Where a mount of a setup operation goes: its target, resolved inside `root`. */
function mountPoint(
  options: { target: string; root: string | null; isFile: boolean },
): string {
  return options.root === null
    ? options.target
    : resolveInsideRoot({ ...options, root: options.root });
}

/** A recursive bind; its own mounts remounted with `flag` added, if any. */
function bindAdding(
  options: {
    source: string;
    target: string;
    root: string | null;
    flag: number;
    what: string;
  },
): void {
  const isFile = isFilePath(options.source);
  const target = mountPoint({ ...options, isFile });
  const before = options.flag !== 0 ? mountIds() : undefined;
  mount({ source: options.source, target, flags: MS.BIND | MS.REC });
  if (before) {
    remountAdding({
      chosen: (made) => !before.has(made.id),
      flag: options.flag,
      what: options.what,
    });
  }
}

/**
 * A recursive bind of `source` at `target` (inside `root` when given); with
 * `readOnly`, the bind's own mounts — the copy of the source and of every
 * mount below it — are made read-only with their flags kept.
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
    root: string | null;
    readOnly: boolean;
  },
): void {
  bindAdding({
    ...options,
    flag: options.readOnly ? MS.RDONLY : 0,
    what: "read-only",
  });
}

/**
 * A recursive bind of a device node, or a directory of them, at `target`
 * (inside `root`), as bubblewrap's `--dev-bind`: its mounts are made nosuid
 * with their flags kept, and nodev is not added, so the devices can be
 * opened.
 *
 * @example
 * ```ts
 * devBindMount({ source: "/dev/fuse", target: "/dev/fuse", root: "/srv/root" });
 * ```
 */
export function devBindMount(
  options: { source: string; target: string; root: string | null },
): void {
  bindAdding({ ...options, flag: MS.NOSUID, what: "nosuid" });
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
    root: string | null;
    mode: number;
    size: string | null;
  },
): void {
  const target = mountPoint({ ...options, isFile: false });
  mount({
    source: "tmpfs",
    target,
    fstype: "tmpfs",
    flags: MS.NOSUID | MS.NODEV,
    data: `mode=${octalMode(options.mode)}${
      options.size === null ? "" : `,size=${options.size}`
    }`,
    hint: options.size === null
      ? undefined
      : `is '${options.size}' a size tmpfs takes (bytes, or with k, m, g or %)?`,
  });
}

/** A new root, bound onto itself: its real path and the mounts the bind made. */
export interface BoundRoot {
  /** The root's real path. */
  path: string;
  /** The ids of the mounts its recursive bind brought. */
  mounts: ReadonlySet<number>;
}

/**
 * Prepares `rootfs` to become the root, as runc's prepareRoot does: its
 * parent mount made private if shared (pivot_root refuses a shared parent,
 * and the bind below would otherwise propagate out), then the directory
 * bound onto itself, recursively.
 *
 * @example
 * ```ts
 * const root = bindRoot("/srv/root");
 * ```
 */
export function bindRoot(rootfs: string): BoundRoot {
  const path = Deno.realPathSync(rootfs);
  const before = readMountinfo({ kind: "self" });
  const parent = mountContaining(before, path);
  if (parent && parent.peer !== null) {
    mount({ source: "none", target: parent.target, flags: MS.PRIVATE });
  }
  mount({ source: path, target: path, flags: MS.BIND | MS.REC });
  const beforeIds = new Set(before.map((mount) => mount.id));
  return {
    path,
    mounts: new Set([...mountIds()].filter((id) => !beforeIds.has(id))),
  };
}

/**
 * Makes the mounts a root's bind brought read-only, flags kept. Run after
 * the requested mounts: their mount points may need creating in the root,
 * even inside an earlier requested mount; chosen by id, so a --bind or
 * --tmpfs keeps its mode, a --ro-bind its own, and what a requested mount
 * covers is not reached.
 *
 * @example
 * ```ts
 * makeRootReadOnly(bindRoot("/srv/root"));
 * ```
 */
export function makeRootReadOnly(root: BoundRoot): void {
  remountAdding({
    chosen: (made) => root.mounts.has(made.id),
    flag: MS.RDONLY,
    what: "read-only",
  });
}

/**
 * `pivot_root(".", ".")` into the root, as runc does, and the old root,
 * which then sits on top of the new one, made private recursively and
 * detached.
 *
 * @example
 * ```ts
 * pivotInto("/srv/root");
 * ```
 */
export function pivotInto(root: string): void {
  const oldRoot = openReadOnly("/", { directory: true });
  const newRoot = openReadOnly(root, { directory: true });
  try {
    fchdir(newRoot);
    pivotRoot(".", ".");
    // The old root now sits on top of the new one; "." is still the old.
    fchdir(oldRoot);
    mount({ source: "none", target: ".", flags: MS.REC | MS.PRIVATE });
    umount2(".", MNT_DETACH);
    chdir("/");
  } finally {
    closeFd(oldRoot);
    closeFd(newRoot);
  }
}
