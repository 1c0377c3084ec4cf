/**
 * What a mount namespace held when a watch first saw it beyond the
 * namespace it was copied from: the mounts made in it before it was seen.
 * Pure: the tables are given.
 *
 * A new namespace starts as a copy of its creator's: every mount at the
 * same place, of the same filesystem, under a new mount id. So a mount of
 * the new table matches a mount of the other when both sit at the same
 * mount point and show the same filesystem (device, root, type, source);
 * each mount of the other table matches at most once, so a mount stacked on
 * a copy is left over too. Options are not compared: a remount made before
 * the namespace was seen does not show.
 *
 * @module
 */

import type { Mount } from "./mountinfo.ts";

function copyKey(mount: Mount): string {
  return [
    mount.target,
    `${mount.major}:${mount.minor}`,
    mount.root,
    mount.fstype,
    mount.source,
  ].join("\0");
}

/**
 * The mounts of `found` that `copiedFrom` has no counterpart of, in
 * `found`'s order.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const parent = parseMountinfo("1 1 8:1 / / rw - ext4 a rw\n");
 * const child = parseMountinfo("5 5 8:1 / / rw - ext4 a rw\n6 5 0:40 / /mnt rw - tmpfs early rw\n");
 * lateMounts(child, parent).map((mount) => mount.target); // ["/mnt"]
 * ```
 */
export function lateMounts(
  found: readonly Mount[],
  copiedFrom: readonly Mount[],
): Mount[] {
  const left = new Map<string, number>();
  for (const mount of copiedFrom) {
    const key = copyKey(mount);
    left.set(key, (left.get(key) ?? 0) + 1);
  }
  return found.filter((mount) => {
    const key = copyKey(mount);
    const count = left.get(key) ?? 0;
    if (count === 0) return true;
    left.set(key, count - 1);
    return false;
  });
}
