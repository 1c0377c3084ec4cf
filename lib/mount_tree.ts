/**
 * Mounts in tree order, with the branch drawing findmnt puts before each
 * target. Linear: children are grouped by parent id once.
 *
 * @module
 */

import type { Mount } from "./mountinfo.ts";

/** A mount and the tree prefix drawn before its target. */
export interface TreeRow {
  /** The mount. */
  mount: Mount;
  /** `├─`, `│ └─`, ...; empty for a root. */
  prefix: string;
}

/**
 * Orders mounts depth-first under their parents (each level in mountinfo
 * order) and draws the branches. A mount whose parent is not in the list (or
 * is itself) is a root.
 *
 * @example
 * ```ts
 * treeRows(mounts).map((row) => row.prefix + row.mount.target);
 * // ["/", "├─/proc", "└─/tmp"]
 * ```
 */
export function treeRows(mounts: readonly Mount[]): TreeRow[] {
  const ids = new Set(mounts.map((mount) => mount.id));
  const children = new Map<number, Mount[]>();
  const roots: Mount[] = [];
  for (const mount of mounts) {
    if (mount.parent === mount.id || !ids.has(mount.parent)) {
      roots.push(mount);
      continue;
    }
    const siblings = children.get(mount.parent);
    if (siblings) siblings.push(mount);
    else children.set(mount.parent, [mount]);
  }
  const rows: TreeRow[] = [];
  const visited = new Set<number>();
  // An explicit stack keeps deep trees off the JS call stack.
  const stack: { mount: Mount; prefix: string; indent: string }[] = [];
  for (let index = roots.length - 1; index >= 0; index--) {
    stack.push({ mount: roots[index], prefix: "", indent: "" });
  }
  while (stack.length > 0) {
    const { mount, prefix, indent } = stack.pop()!;
    if (visited.has(mount.id)) continue;
    visited.add(mount.id);
    rows.push({ mount, prefix });
    const kids = children.get(mount.id) ?? [];
    for (let index = kids.length - 1; index >= 0; index--) {
      const isLast = index === kids.length - 1;
      stack.push({
        mount: kids[index],
        prefix: indent + (isLast ? "└─" : "├─"),
        indent: indent + (isLast ? "  " : "│ "),
      });
    }
  }
  return rows;
}
