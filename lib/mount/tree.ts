/**
 * Mounts in tree order, with the branch drawing findmnt puts before each
 * target. Linear: children are grouped by parent id once. Every mount is in
 * the tree exactly once: one that cannot hang below its parent is put at the
 * top level, and said so.
 *
 * @module
 */

import { displayText } from "../bytes.ts";
import type { Mount } from "./mountinfo.ts";

/** A mount and the tree prefix drawn before its target. */
export interface TreeRow {
  /** The mount. */
  mount: Mount;
  /** `├─`, `│ └─`, ...; empty at the top level. */
  prefix: string;
}

/** Why a mount was put at the top level of the tree. */
export type TopLevelReason = "missing-parent" | "cycle" | "repeated-id";

/** A mount put at the top level of the tree though it is not the root. */
export interface TopLevelMount {
  /** The mount. */
  mount: Mount;
  /**
   * `missing-parent`: its parent id is not in the table (or is its own);
   * `cycle`: its parents lead back to it; `repeated-id`: an earlier mount
   * has its id.
   */
  reason: TopLevelReason;
}

/** What {@linkcode mountTree} returns. */
export interface MountTree {
  /** Every mount once, depth-first. */
  rows: TreeRow[];
  /** The mounts at the top level but the root, in row order. */
  topLevel: TopLevelMount[];
}

/**
 * Orders mounts depth-first under their parents (each level in mountinfo
 * order) and draws the branches. The first mount whose parent is not in the
 * list (or is itself) is the root. Every other mount that cannot hang below
 * its parent is put at the top level, after the root's tree, and listed in
 * `topLevel`: one whose parent is missing; one of a cycle of parents (the
 * first met in mountinfo order; the rest of the cycle hangs below it); one
 * that repeats an id (children of that id hang below its first mount).
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mountinfo.ts";
 * const mounts = parseMountinfo(
 *   "1 0 8:1 / / rw - ext4 a rw\n2 1 0:21 / /proc rw - proc p rw\n3 1 0:30 / /tmp rw - tmpfs t rw\n",
 * );
 * mountTree(mounts).rows.map((row) => row.prefix + row.mount.target);
 * // ["/", "├─/proc", "└─/tmp"]
 * ```
 */
export function mountTree(mounts: readonly Mount[]): MountTree {
  const byId = new Map<number, Mount>();
  const repeats: Mount[] = [];
  for (const mount of mounts) {
    if (byId.has(mount.id)) repeats.push(mount);
    else byId.set(mount.id, mount);
  }
  const parentless: Mount[] = [];
  const children = new Map<number, Mount[]>();
  for (const mount of byId.values()) {
    if (mount.parent === mount.id || !byId.has(mount.parent)) {
      parentless.push(mount);
      continue;
    }
    const siblings = children.get(mount.parent);
    if (siblings) siblings.push(mount);
    else children.set(mount.parent, [mount]);
  }
  const rows: TreeRow[] = [];
  const placed = new Set<Mount>();
  const topLevel: TopLevelMount[] = [];
  const place = (mount: Mount, reason: TopLevelReason | null): void => {
    if (reason !== null) topLevel.push({ mount, reason });
    drawBranch({ top: mount, children, rows, placed });
  };
  parentless.forEach((mount, index) =>
    place(mount, index === 0 ? null : "missing-parent")
  );
  // What is left hangs on a cycle of parents, or is one.
  if (placed.size < byId.size) {
    for (const mount of byId.values()) {
      if (!placed.has(mount)) place(cycleMember(mount, byId), "cycle");
    }
  }
  // Children of a repeated id hang below its first mount, drawn by now.
  for (const mount of repeats) place(mount, "repeated-id");
  return { rows, topLevel };
}

/**
 * A mount on the cycle that `mount`'s parents run into: every mount left
 * after the roots are drawn is on a cycle or below one.
 */
function cycleMember(mount: Mount, byId: ReadonlyMap<number, Mount>): Mount {
  const seen = new Set<Mount>();
  let at = mount;
  while (!seen.has(at)) {
    seen.add(at);
    at = byId.get(at.parent)!;
  }
  return at;
}

/** Draws `top` and every mount below it not drawn yet, depth-first. */
function drawBranch(
  tree: {
    top: Mount;
    children: ReadonlyMap<number, readonly Mount[]>;
    rows: TreeRow[];
    placed: Set<Mount>;
  },
): void {
  const { children, rows, placed } = tree;
  // An explicit stack keeps deep trees off the JS call stack.
  const stack = [{ mount: tree.top, prefix: "", indent: "" }];
  while (stack.length > 0) {
    const { mount, prefix, indent } = stack.pop()!;
    if (placed.has(mount)) continue;
    placed.add(mount);
    rows.push({ mount, prefix });
    const kids = children.get(mount.id);
    if (kids === undefined) continue;
    // A kid drawn already (the top of a cycle) gets no branch.
    let last = kids.length - 1;
    while (last >= 0 && placed.has(kids[last])) last--;
    for (let index = last; index >= 0; index--) {
      if (placed.has(kids[index])) continue;
      const isLast = index === last;
      stack.push({
        mount: kids[index],
        prefix: indent + (isLast ? "└─" : "├─"),
        indent: indent + (isLast ? "  " : "│ "),
      });
    }
  }
}

const REASONS: Record<TopLevelReason, (mount: Mount) => string> = {
  "missing-parent": (mount) =>
    mount.parent === mount.id
      ? "its own parent"
      : `parent ${mount.parent} not listed`,
  cycle: () => "its parents form a cycle",
  "repeated-id": () => "a repeated id",
};

/** How many mounts the warning names before it counts the rest. */
const NAMED = 10;

/**
 * One line that names the mounts put at the top level and why, or null when
 * there are none.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mountinfo.ts";
 * const mounts = parseMountinfo("1 0 8:1 / / rw - ext4 a rw\n5 4 0:2 / /x rw - tmpfs t rw\n");
 * topLevelWarning(mountTree(mounts).topLevel);
 * // "mntns: warning: 1 mount put at the top level of the tree: /x (id 5: parent 4 not listed)"
 * ```
 */
export function topLevelWarning(
  topLevel: readonly TopLevelMount[],
): string | null {
  if (topLevel.length === 0) return null;
  const named = topLevel.slice(0, NAMED).map(({ mount, reason }) =>
    `${displayText(mount.target)} (id ${mount.id}: ${REASONS[reason](mount)})`
  );
  if (topLevel.length > NAMED) {
    named.push(`and ${topLevel.length - NAMED} more`);
  }
  const count = topLevel.length === 1 ? "1 mount" : `${topLevel.length} mounts`;
  return `mntns: warning: ${count} put at the top level of the tree: ${
    named.join(", ")
  }`;
}
