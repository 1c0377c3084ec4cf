/**
 * Finding the mount a path lives on, as `findmnt -T` does.
 *
 * @module
 */

import type { Mount } from "./mountinfo.ts";
import { parentDirectory } from "./paths.ts";

/**
 * The visible mount whose target is exactly `target`: when several are
 * stacked there, the top one (the one no other of them sits on).
 *
 * @example
 * ```ts
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
