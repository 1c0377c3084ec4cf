/**
 * Finding the mount a path lives on, as `findmnt -T` does.
 *
 * @module
 */

import type { Mount } from "./mountinfo.ts";
import { joinBelow, parentDirectory, pathBelow } from "./paths.ts";

/**
 * The visible mount whose target is exactly `target`: when several are
 * stacked there, the top one (the one no other of them sits on).
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const mounts = parseMountinfo(
 *   "1 1 8:1 / / rw - ext4 /dev/sda1 rw\n22 1 0:21 / /proc rw - proc proc rw\n",
 * );
 * mountAt(mounts, "/proc")?.fstype; // "proc"
 * ```
 */
export function mountAt(
  mounts: readonly Mount[],
  target: string,
): Mount | undefined {
  const stacked = mounts.filter((mount) => mount.target === target);
  const covered = new Set(stacked.map((mount) => mount.parent));
  return stacked.findLast((mount) => !covered.has(mount.id)) ??
    stacked.at(-1);
}

/**
 * The mount an absolute, normalized path lives on: the visible mount with
 * the longest target that is the path or one of its ancestors.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const mounts = parseMountinfo(
 *   "1 1 8:1 / / rw - ext4 /dev/sda1 rw\n22 1 0:21 / /proc rw - proc proc rw\n",
 * );
 * mountContaining(mounts, "/proc/self/status")?.target; // "/proc"
 * ```
 */
export function mountContaining(
  mounts: readonly Mount[],
  path: string,
): Mount | undefined {
  for (let candidate = path;; candidate = parentDirectory(candidate)) {
    const found = mountAt(mounts, candidate);
    if (found || candidate === "/") return found;
  }
}

/**
 * The mount the kernel's path walk reaches for an absolute, normalized
 * path: from the top mount at `/`, down through each component, onto a
 * mount whose parent is the mount reached so far (and on up its stack).
 * Unlike {@linkcode mountContaining}, which matches targets as findmnt -T
 * does, a mount hidden under another one at an ancestor path is never
 * chosen: this is where a new mount at the path would land.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const mounts = parseMountinfo(
 *   "1 1 0:1 / / rw - ext4 a rw\n2 1 0:2 / /x/y rw - tmpfs b rw\n3 1 0:3 / /x rw - tmpfs c rw\n",
 * );
 * mountReachedBy(mounts, "/x/y/z")?.id; // 3: /x covers the older /x/y
 * ```
 */
export function mountReachedBy(
  mounts: readonly Mount[],
  path: string,
): Mount | undefined {
  const byParentAndTarget = new Map<string, Mount>();
  for (const mount of mounts) {
    byParentAndTarget.set(`${mount.parent} ${mount.target}`, mount);
  }
  const climb = (from: Mount, target: string): Mount => {
    let top = from;
    for (;;) {
      const above = byParentAndTarget.get(`${top.id} ${target}`);
      if (above === undefined || above === top) return top;
      top = above;
    }
  };
  const root = mountAt(mounts, "/");
  if (root === undefined) return undefined;
  let current = climb(root, "/");
  let prefix = "";
  for (const part of path.split("/").filter((item) => item !== "")) {
    prefix += `/${part}`;
    const child = byParentAndTarget.get(`${current.id} ${prefix}`);
    if (child !== undefined && child !== current) {
      current = climb(child, prefix);
    }
  }
  return current;
}

/**
 * The mounts a path still reaches: no mount stacked on them, none on a
 * directory above them in the same parent mount, and a parent the path
 * goes through. A remount by path would land on whatever covers the
 * others.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const mounts = parseMountinfo(
 *   "1 0 0:1 / / rw - ext4 a rw\n2 1 0:2 / /x rw - tmpfs b rw\n3 2 0:3 / /x rw - tmpfs c rw\n",
 * );
 * reachableMounts(mounts).map((mount) => mount.id); // [1, 3]: 3 is stacked on 2
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
