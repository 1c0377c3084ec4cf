/**
 * The mount tree drawn as text, a row at a time, as findmnt draws it: the
 * oracle the byte-written tree of `propagation show` is tested against,
 * and the tests' view of lib/mount/tree.ts's order.
 *
 * @module
 */

import type { Mount } from "../lib/mount/mountinfo.ts";
import { type TopLevelMount, treeOrder } from "../lib/mount/tree.ts";

/** A mount and the tree prefix drawn before its target. */
export interface TreeRow {
  /** The mount. */
  mount: Mount;
  /** `├─`, `│ └─`, ...; empty at the top level. */
  prefix: string;
}

/**
 * The mounts depth-first under their parents (treeOrder's order), each
 * with its prefix, and the mounts put at the top level but the root.
 */
export function mountTree(
  mounts: readonly Mount[],
): { rows: TreeRow[]; topLevel: TopLevelMount[] } {
  const tree = treeOrder({
    ids: mounts.map((mount) => mount.id),
    parents: mounts.map((mount) => mount.parent),
  });
  // Whether the last row drawn at each depth was a last child.
  const lasts: boolean[] = [];
  const rows = Array.from(tree.order, (index, row): TreeRow => {
    const depth = tree.depth[row];
    lasts[depth] = tree.last[row] === 1;
    // The levels above, a run of equal pieces at a time (a deep chain's
    // prefixes stay small).
    let prefix = "";
    for (let level = 1; level < depth;) {
      let end = level + 1;
      while (end < depth && lasts[end] === lasts[level]) end++;
      prefix += (lasts[level] ? "  " : "│ ").repeat(end - level);
      level = end;
    }
    if (depth > 0) prefix += lasts[depth] ? "└─" : "├─";
    return { mount: mounts[index], prefix };
  });
  const topLevel = tree.topLevel.map(({ index, reason }) => ({
    mount: mounts[index],
    reason,
  }));
  return { rows, topLevel };
}
