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
  joinBelow,
  normalizePath,
  parentDirectory,
  pathBelow,
  relativePath,
} from "../mount/paths.ts";
import { MNT_DETACH, MS } from "../../ffi/constants.ts";
import { closeFd, fchdir, openReadOnly } from "../../ffi/fds.ts";
import { chdir, mount, pivotRoot, umount2 } from "../../ffi/syscalls.ts";
import { CommandError } from "../errors.ts";
import { mountContaining } from "../mount/lookup.ts";
import type { Mount } from "../mount/mountinfo.ts";
import { perMountFlags } from "./per_mount_flags.ts";
import type { MountRequest } from "../plan/run_plan.ts";
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
 * The mounts a path still reaches: no mount stacked on them, none on a
 * directory above them in the same parent mount, and a parent the path
 * goes through. A remount by path would land on whatever covers the
 * others.
 *
 * @example
 * ```ts
 * reachableMounts(readMountinfo({ kind: "self" })).length;
 * ```
 */
export function reachableMounts(mounts: readonly Mount[]): Mount[] {
  const byId = new Map<number, Mount>();
  const targetsOn = new Map<number, Set<string>>();
  for (const mount of mounts) {
    byId.set(mount.id, mount);
    const targets = targetsOn.get(mount.parent);
    if (targets) targets.add(mount.target);
    else targetsOn.set(mount.parent, new Set([mount.target]));
  }
  const parentOf = (mount: Mount): Mount | undefined =>
    mount.parent === mount.id ? undefined : byId.get(mount.parent);
  const stackedOn = (mount: Mount): boolean =>
    targetsOn.get(mount.id)?.has(mount.target) ?? false;
  const coveredIn = (parent: Mount, mount: Mount): boolean => {
    const siblings = targetsOn.get(parent.id);
    if (!siblings || siblings.size < 2) return false;
    const rest = pathBelow(parent.target, mount.target) ?? "";
    for (
      let at = rest.indexOf("/", 1);
      at > 0;
      at = rest.indexOf("/", at + 1)
    ) {
      if (siblings.has(joinBelow(parent.target, rest.slice(0, at)))) {
        return true;
      }
    }
    return false;
  };
  // Whether a path reaches a mount's mount point, each mount answered once,
  // parents first, without recursion (a chain can be as long as the table).
  const routed = new Map<number, boolean>();
  const answer = (mount: Mount): boolean => {
    const parent = parentOf(mount);
    return !parent || (!coveredIn(parent, mount) &&
      (routed.get(parent.id) ?? true) &&
      (mount.target === parent.target || !stackedOn(parent)));
  };
  const reachesMountPoint = (mount: Mount): boolean => {
    const parent = parentOf(mount);
    if (parent && !routed.has(parent.id)) {
      const chain = new Set<Mount>();
      for (
        let link: Mount | undefined = parent;
        link && !routed.has(link.id) && !chain.has(link);
        link = parentOf(link)
      ) chain.add(link);
      for (const above of [...chain].reverse()) {
        routed.set(above.id, answer(above));
      }
    }
    const known = answer(mount);
    routed.set(mount.id, known);
    return known;
  };
  return mounts.filter((mount) =>
    reachesMountPoint(mount) && !stackedOn(mount)
  );
}

/**
 * Makes the chosen mounts read-only, as bubblewrap's bind-mount.c does:
 * each reachable one chosen is remounted (MS_REMOUNT | MS_BIND | MS_RDONLY)
 * with the per-mount flags it has now ORed in, since a bind remount drops
 * every flag it does not repeat. The mount table is read here, after the
 * mounts were made, synchronously (only this thread is in the new
 * namespace).
 */
function remountReadOnly(chosen: (mount: Mount) => boolean): void {
  for (const made of reachableMounts(readMountinfo({ kind: "self" }))) {
    if (!chosen(made)) continue;
    const { flags, unknown } = perMountFlags(made.options);
    if (unknown.length > 0) {
      throw new CommandError(
        `${made.target}: per-mount option ${
          unknown.join(",")
        } is unknown to mntns, which cannot make the mount read-only and keep it — leave this mount out`,
      );
    }
    mount({
      source: "none",
      target: made.target,
      flags: MS.REMOUNT | MS.BIND | MS.RDONLY | flags,
    });
  }
}

/** The ids of the mounts in this namespace now. */
function mountIds(): Set<number> {
  return new Set(readMountinfo({ kind: "self" }).map((mount) => mount.id));
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
    const before = request.kind === "ro-bind" ? mountIds() : undefined;
    mount({ source: request.source, target, flags: MS.BIND | MS.REC });
    // The bind's own mounts are the new ones: the copy of the source and
    // of every mount below it.
    if (before) remountReadOnly((made) => !before.has(made.id));
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
 *   readOnly: false,
 *   inspect: (proc) => Deno.statSync(proc).isDirectory,
 * });
 * ```
 */
export function pivotIntoRoot<T>(
  options: {
    rootfs: string;
    requests: readonly MountRequest[];
    readOnly: boolean;
    inspect: (procPath: string) => T;
  },
): T {
  const { rootfs, requests, inspect } = options;
  const root = Deno.realPathSync(rootfs);
  const before = readMountinfo({ kind: "self" });
  const parent = mountContaining(before, root);
  if (parent && parent.peer !== null) {
    mount({ source: "none", target: parent.target, flags: MS.PRIVATE });
  }
  mount({ source: root, target: root, flags: MS.BIND | MS.REC });
  const beforeIds = new Set(before.map((mount) => mount.id));
  const rootMounts = options.readOnly
    ? new Set([...mountIds()].filter((id) => !beforeIds.has(id)))
    : undefined;
  applyMountRequests(requests, root);
  // The root turns read-only after the requested mounts, not before: their
  // mount points may need creating in it, even inside an earlier requested
  // mount. Only the mounts the root's bind brought are remounted, chosen
  // by id, so a --bind or --tmpfs keeps its mode, a --ro-bind its own, and
  // what a requested mount covers is not reached; the fresh /proc comes
  // after the pivot and keeps its flags too.
  if (rootMounts) remountReadOnly((made) => rootMounts.has(made.id));
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
