/**
 * Mounts in tree order: depth-first under their parents. Linear: children
 * are grouped by parent id once. Every mount is in the tree exactly once:
 * one that cannot hang below its parent is put at the top level, and said
 * so. The branches findmnt draws are drawn by the CLI
 * (lib/cli/tree_drawing.ts).
 *
 * @module
 */

import { displayText } from "../bytes.ts";
import type { Mount } from "./mountinfo.ts";
import { NodesById } from "./nodes_by_id.ts";

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

/** The nodes a tree is made of: ids and parent ids, by index. */
export interface TreeNodes {
  /** Node `index`'s id is `ids[index]`. */
  readonly ids: ArrayLike<number>;
  /** Node `index`'s parent id is `parents[index]` (as long as `ids`). */
  readonly parents: ArrayLike<number>;
}

/** A node put at the top level, by index, and why. */
export interface TopLevelNode {
  /** Its index. */
  index: number;
  /** Why it is at the top level. */
  reason: TopLevelReason;
}

/** Rows drawn as a tree: each one's depth and whether it is a last child. */
export interface TreeShape {
  /** Each row's depth, 0 at the top level. */
  depth: Int32Array;
  /** 1 where a row is the last of its parent's children drawn. */
  last: Uint8Array;
}

/** What {@linkcode treeOrder} returns: the rows, three arrays by row. */
export interface TreeOrder extends TreeShape {
  /** Each row's node index: every node once, depth-first. */
  order: Int32Array;
  /** The nodes at the top level but the root, in row order. */
  topLevel: TopLevelNode[];
}

/**
 * Orders nodes depth-first under their parents (each level in mount-id
 * order, as findmnt), by index: the order of the rows, each one's depth and
 * whether it is the last of its siblings, for the CLI to draw as the rows
 * are printed (lib/cli/tree_drawing.ts). The root is libmount's: from the
 * first node with the smallest parent id up to one whose parent is not
 * there (or is itself). Every other node that cannot hang below its
 * parent is put at the top level, after the root's tree, and listed in
 * `topLevel`: one whose parent is missing; one of a cycle of parents (the
 * first met in order; the rest of the cycle hangs below it); one that
 * repeats an id (children of that id hang below its first node). Arrays,
 * not an object a row: a large table's tree costs 9 bytes a mount.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const mounts = parseMountinfo("1 0 8:1 / / rw - ext4 a rw\n2 1 0:21 / /proc rw - proc p rw\n");
 * treeOrder({
 *   ids: mounts.map((mount) => mount.id),
 *   parents: mounts.map((mount) => mount.parent),
 * }).depth; // Int32Array [0, 1]
 * ```
 */
export function treeOrder(nodes: TreeNodes): TreeOrder {
  const { ids, parents } = nodes;
  const count = ids.length;
  const byId = new NodesById(ids);
  // Children by their parent's index, in order: counted (in the loop that
  // finds each parent, and where the root's climb starts), then laid out one
  // list after another (no array a parent).
  const parentOf = new Int32Array(count).fill(-1);
  const parentless: number[] = [];
  const childStart = new Int32Array(count + 1);
  let climbFrom = 0;
  for (let index = 0; index < count; index++) {
    const parent = parents[index];
    if (parent < parents[climbFrom]) climbFrom = index;
    if (!byId.isFirst(index)) continue;
    const at = parent === ids[index] ? -1 : byId.get(parent);
    if (at < 0) parentless.push(index);
    else {
      parentOf[index] = at;
      childStart[at + 1]++;
    }
  }
  for (let index = 0; index < count; index++) {
    childStart[index + 1] += childStart[index];
  }
  const children = new Int32Array(childStart[count]);
  const filled = childStart.slice(0, count);
  for (let index = 0; index < count; index++) {
    if (parentOf[index] >= 0) children[filled[parentOf[index]]++] = index;
  }
  sortById(ids, childStart, children);
  const tree: Branches = {
    firstOf: (index) => byId.isFirst(index) ? index : byId.get(ids[index]),
    childStart,
    children,
    order: new Int32Array(count),
    depth: new Int32Array(count),
    last: new Uint8Array(count),
    rows: 0,
    placed: new Uint8Array(count),
    stackNext: new Int32Array(count),
    stackEnd: new Int32Array(count),
  };
  const topLevel: TopLevelNode[] = [];
  const place = (index: number, reason: TopLevelReason | null): void => {
    if (reason !== null) topLevel.push({ index, reason });
    drawBranch(tree, index);
  };
  const root = count === 0
    ? -1
    : climbToRoot(byId.get(ids[climbFrom]), parentOf);
  if (root >= 0) place(root, null);
  for (const index of parentless) {
    if (index !== root) place(index, "missing-parent");
  }
  // What is left hangs on a cycle of parents, or is one.
  if (tree.rows < byId.size) {
    for (let index = 0; index < count; index++) {
      if (byId.isFirst(index) && tree.placed[index] === 0) {
        place(cycleMember({ parents, byId, index }), "cycle");
      }
    }
  }
  // Children of a repeated id hang below its first node, drawn by now.
  for (const index of byId.repeats) place(index, "repeated-id");
  const { order, depth, last } = tree;
  return { order, depth, last, topLevel };
}

/**
 * Puts each parent's children in mount-id order, as libmount walks them
 * (ties in the file's order); a list already in order, as nearly every one
 * is, is only looked at.
 */
function sortById(
  ids: ArrayLike<number>,
  childStart: Int32Array,
  children: Int32Array,
): void {
  for (let parent = 0; parent + 1 < childStart.length; parent++) {
    const start = childStart[parent];
    const end = childStart[parent + 1];
    let sorted = true;
    for (let at = start + 1; at < end && sorted; at++) {
      sorted = ids[children[at - 1]] <= ids[children[at]];
    }
    if (sorted) continue;
    children.subarray(start, end).sort((a, b) => ids[a] - ids[b] || a - b);
  }
}

/**
 * The root, as libmount finds it: from the first node with the smallest
 * parent id (`from`, the first node with its id), up its parents to one
 * whose parent is not listed; -1 when that climb runs into a cycle.
 */
function climbToRoot(from: number, parentOf: Int32Array): number {
  let at = from;
  for (let steps = 0; parentOf[at] >= 0; steps++) {
    if (steps > parentOf.length) return -1;
    at = parentOf[at];
  }
  return at;
}

/**
 * The mount (by index) on the cycle that `index`'s parents run into: every
 * mount left after the roots are drawn is on a cycle or below one.
 */
function cycleMember(
  from: {
    parents: ArrayLike<number>;
    byId: NodesById;
    index: number;
  },
): number {
  const { parents, byId } = from;
  const seen = new Set<number>();
  let at = from.index;
  while (!seen.has(at)) {
    seen.add(at);
    at = byId.get(parents[at]);
  }
  return at;
}

/** A tree being drawn: children by their parent's index, rows so far. */
interface Branches {
  /** The index of the first node with node `index`'s id. */
  firstOf(index: number): number;
  /** Node `index`'s children are children[childStart[index]..childStart[index + 1]). */
  childStart: Int32Array;
  children: Int32Array;
  order: Int32Array;
  depth: Int32Array;
  last: Uint8Array;
  /** How many rows are drawn. */
  rows: number;
  /** 1 for each node (by index) drawn. */
  placed: Uint8Array;
  /** drawBranch's stack, a level a node deep at most: the next kid to draw. */
  stackNext: Int32Array;
  /** The last kid that gets a branch, at each level of the stack. */
  stackEnd: Int32Array;
}

/** Draws node `top` and every node below it not drawn yet, depth-first. */
function drawBranch(tree: Branches, top: number): void {
  const { childStart, children, placed, order, depth, last } = tree;
  // A stack of levels, not of nodes, in typed arrays (a deep tree stays off
  // the JS call stack, and a wide one is not pushed kid by kid): at each
  // level, the next kid to draw and the last one that gets a branch.
  const { stackNext: next, stackEnd: end } = tree;
  if (placed[top] === 1) return;
  let level = -1;
  let node = top;
  let isLast = 1;
  for (;;) {
    if (node >= 0) {
      placed[node] = 1;
      const row = tree.rows++;
      order[row] = node;
      depth[row] = level + 1;
      last[row] = isLast;
      const first = tree.firstOf(node);
      const from = childStart[first];
      // A kid drawn already (the top of a cycle) gets no branch.
      let final = childStart[first + 1] - 1;
      while (final >= from && placed[children[final]] === 1) final--;
      level++;
      next[level] = from;
      end[level] = final;
    }
    let at = next[level];
    const final = end[level];
    while (at <= final && placed[children[at]] === 1) at++;
    if (at > final) {
      if (level === 0) return;
      level--;
      node = -1;
      continue;
    }
    next[level] = at + 1;
    node = children[at];
    isLast = at === final ? 1 : 0;
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
 * import { parseMountinfo } from "./mount_table.ts";
 * const mounts = parseMountinfo("1 0 8:1 / / rw - ext4 a rw\n5 4 0:2 / /x rw - tmpfs t rw\n");
 * const { topLevel } = treeOrder({
 *   ids: mounts.map((mount) => mount.id),
 *   parents: mounts.map((mount) => mount.parent),
 * });
 * topLevelWarning(topLevel.map(({ index, reason }) => ({ mount: mounts[index], reason })));
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
