/**
 * The mounts `run` prepares before the command starts: `--bind`,
 * `--ro-bind`, `--tmpfs`, and with `--rootfs` the pivot into the new root as
 * runc does it.
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
} from "./paths.ts";
import { MNT_DETACH, MS } from "../ffi/constants.ts";
import { closeFd, fchdir, openReadOnly } from "../ffi/fds.ts";
import { chdir, mount, pivotRoot, umount2 } from "../ffi/syscalls.ts";
import { CommandError } from "./cli.ts";
import { mountContaining } from "./mount_lookup.ts";
import { readMountinfo } from "./mountinfo.ts";
import type { MountRequest } from "./run_plan.ts";

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

function isFilePath(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    throw new CommandError(
      `${path}: no such file or directory — the source of a bind must exist`,
    );
  }
}

/**
 * Makes the requested mounts, at their targets (inside `root` when given).
 *
 * @example
 * ```ts
 * applyMountRequests([{ kind: "tmpfs", target: "/tmp" }], null);
 * ```
 */
export function applyMountRequests(
  requests: readonly MountRequest[],
  root: string | null,
): void {
  for (const request of requests) {
    const isFile = request.source !== undefined && isFilePath(request.source);
    const target = root === null
      ? request.target
      : resolveInsideRoot({ root, target: request.target, isFile });
    if (request.kind === "tmpfs") {
      mount({
        source: "tmpfs",
        target,
        fstype: "tmpfs",
        flags: MS.NOSUID | MS.NODEV,
        data: "mode=0755",
      });
      continue;
    }
    mount({ source: request.source, target, flags: MS.BIND | MS.REC });
    if (request.kind === "ro-bind") {
      mount({
        source: "none",
        target,
        flags: MS.REMOUNT | MS.BIND | MS.RDONLY,
      });
    }
  }
}

/**
 * Makes `rootfs` the root, as runc's prepareRoot and pivotRoot do: its
 * parent mount made private if shared (pivot_root refuses a shared parent,
 * and the bind below would otherwise propagate out), the directory bound
 * onto itself, the requested mounts made inside it, then `pivot_root(".",
 * ".")`, and the old root made private recursively and detached. Returns
 * what `inspect` saw, called with the new root's `/proc` just before the
 * pivot, while this mount table can still be read.
 *
 * @example
 * ```ts
 * pivotIntoRoot({
 *   rootfs: "/srv/root",
 *   requests: [],
 *   inspect: (proc) => Deno.statSync(proc).isDirectory,
 * });
 * ```
 */
export function pivotIntoRoot<T>(
  options: {
    rootfs: string;
    requests: readonly MountRequest[];
    inspect: (procPath: string) => T;
  },
): T {
  const { rootfs, requests, inspect } = options;
  const root = Deno.realPathSync(rootfs);
  const parent = mountContaining(readMountinfo({ kind: "self" }), root);
  if (parent && parent.peer !== null) {
    mount({ source: "none", target: parent.target, flags: MS.PRIVATE });
  }
  mount({ source: root, target: root, flags: MS.BIND | MS.REC });
  applyMountRequests(requests, root);
  const seen = inspect(normalizePath(`${root}/proc`));
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
  return seen;
}
