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

/**
 * A mount's place in the tree: how deep it is and whether it is the last of
 * its siblings, which is all its prefix is made of
 * ({@linkcode TreePrefixes}); a row's prefix is as long as the tree is deep,
 * so a deep tree's prefixes are made as they are printed, not kept.
 */
export interface TreeStep {
  /** The mount. */
  mount: Mount;
  /** 0 at the top level. */
  depth: number;
  /** The last of its parent's children drawn (`└─`, not `├─`). */
  last: boolean;
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

/** What {@linkcode mountTreeSteps} returns. */
export interface MountTreeSteps {
  /** Every mount once, depth-first. */
  steps: TreeStep[];
  /** The mounts at the top level but the root, in row order. */
  topLevel: TopLevelMount[];
}

/**
 * The prefixes of a tree's rows, made one after another in tree order from
 * what was last drawn at each depth above: a row's prefix is as long as it
 * is deep, so it is made when it is needed and no prefix is kept.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mountinfo.ts";
 * const mounts = parseMountinfo("1 0 8:1 / / rw - ext4 a rw\n2 1 0:21 / /proc rw - proc p rw\n");
 * const prefixes = new TreePrefixes();
 * mountTreeSteps(mounts).steps.map((step) => prefixes.next(step)); // ["", "└─"]
 * ```
 */
export class TreePrefixes {
  /** At each depth from 1, whether the last row drawn there was a last child. */
  #lasts: boolean[] = [];

  /**
   * The prefix of the row after the last one given (the first row: one at
   * the top level).
   *
   * @example
   * ```ts
   * const prefixes = new TreePrefixes();
   * prefixes.next({ depth: 0, last: true }); // ""
   * prefixes.next({ depth: 1, last: false }); // "├─"
   * prefixes.next({ depth: 2, last: true }); // "│ └─"
   * ```
   */
  next(step: Pick<TreeStep, "depth" | "last">): string {
    const { depth, last } = step;
    if (depth === 0) return "";
    const lasts = this.#lasts;
    // The indent, a run of equal pieces at a time.
    let prefix = "";
    for (let at = 0; at < depth - 1;) {
      const kind = lasts[at];
      let end = at + 1;
      while (end < depth - 1 && lasts[end] === kind) end++;
      prefix += (kind ? "  " : "│ ").repeat(end - at);
      at = end;
    }
    lasts[depth - 1] = last;
    return prefix + (last ? "└─" : "├─");
  }
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
  const { steps, topLevel } = mountTreeSteps(mounts);
  const prefixes = new TreePrefixes();
  const rows = steps.map((step) => ({
    mount: step.mount,
    prefix: prefixes.next(step),
  }));
  return { rows, topLevel };
}

/**
 * A tree's rows with their prefixes, made when asked for: row by row in
 * order, any number of times from the first (a table renderer goes through
 * them twice), so that no prefix is kept longer than its row.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mountinfo.ts";
 * const mounts = parseMountinfo("1 0 8:1 / / rw - ext4 a rw\n2 1 0:21 / /proc rw - proc p rw\n");
 * const rows = treeRows(mountTreeSteps(mounts).steps);
 * rows.at(1)?.prefix; // throws: ask for row 0 first
 * rows.at(0)?.prefix; // ""
 * rows.at(1)?.prefix; // "└─"
 * ```
 */
export function treeRows(
  steps: readonly TreeStep[],
): { readonly length: number; at(index: number): TreeRow | undefined } {
  let prefixes = new TreePrefixes();
  let made = -1;
  let row: TreeRow | undefined;
  return {
    length: steps.length,
    at(index: number): TreeRow | undefined {
      if (index === made) return row;
      if (index === 0) prefixes = new TreePrefixes();
      else if (index !== made + 1) {
        throw new RangeError(
          `tree rows are made in order: asked for row ${index} after row ${made}`,
        );
      }
      const step = steps[index];
      if (step === undefined) return undefined;
      row = { mount: step.mount, prefix: prefixes.next(step) };
      made = index;
      return row;
    },
  };
}

/**
 * {@linkcode mountTree} without the prefixes: each row's depth and whether
 * it is the last of its siblings, for {@linkcode TreePrefixes} to draw as
 * the rows are printed.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mountinfo.ts";
 * const mounts = parseMountinfo("1 0 8:1 / / rw - ext4 a rw\n2 1 0:21 / /proc rw - proc p rw\n");
 * mountTreeSteps(mounts).steps.map((step) => step.depth); // [0, 1]
 * ```
 */
export function mountTreeSteps(mounts: readonly Mount[]): MountTreeSteps {
  // Mounts by index into `mounts`: the first with each id, and the repeats.
  const byId = new Map<number, number>();
  const repeats: number[] = [];
  for (let index = 0; index < mounts.length; index++) {
    const id = mounts[index].id;
    if (byId.has(id)) repeats.push(index);
    else byId.set(id, index);
  }
  const parentless: number[] = [];
  const children = new Map<number, number[]>();
  for (const index of byId.values()) {
    const mount = mounts[index];
    if (mount.parent === mount.id || !byId.has(mount.parent)) {
      parentless.push(index);
      continue;
    }
    const siblings = children.get(mount.parent);
    if (siblings) siblings.push(index);
    else children.set(mount.parent, [index]);
  }
  const tree: Branches = {
    mounts,
    children,
    steps: [],
    placed: new Uint8Array(mounts.length),
  };
  const topLevel: TopLevelMount[] = [];
  const place = (index: number, reason: TopLevelReason | null): void => {
    if (reason !== null) topLevel.push({ mount: mounts[index], reason });
    drawBranch(tree, index);
  };
  parentless.forEach((index, order) =>
    place(index, order === 0 ? null : "missing-parent")
  );
  // What is left hangs on a cycle of parents, or is one.
  if (tree.steps.length < byId.size) {
    for (const index of byId.values()) {
      if (tree.placed[index] === 0) {
        place(cycleMember({ mounts, byId, index }), "cycle");
      }
    }
  }
  // Children of a repeated id hang below its first mount, drawn by now.
  for (const index of repeats) place(index, "repeated-id");
  return { steps: tree.steps, topLevel };
}

/**
 * The mount (by index) on the cycle that `index`'s parents run into: every
 * mount left after the roots are drawn is on a cycle or below one.
 */
function cycleMember(
  from: {
    mounts: readonly Mount[];
    byId: ReadonlyMap<number, number>;
    index: number;
  },
): number {
  const { mounts, byId } = from;
  const seen = new Set<number>();
  let at = from.index;
  while (!seen.has(at)) {
    seen.add(at);
    at = byId.get(mounts[at].parent)!;
  }
  return at;
}

/** A tree being drawn: mounts by index, children by parent id. */
interface Branches {
  mounts: readonly Mount[];
  children: ReadonlyMap<number, readonly number[]>;
  steps: TreeStep[];
  /** 1 for each mount (by index) drawn. */
  placed: Uint8Array;
}

/** Draws mount `top` and every mount below it not drawn yet, depth-first. */
function drawBranch(tree: Branches, top: number): void {
  const { mounts, children, steps, placed } = tree;
  // An explicit stack keeps deep trees off the JS call stack: indices,
  // depths and lastness, three entries a mount.
  const stack: number[] = [top, 0, 1];
  while (stack.length > 0) {
    const last = stack.pop()! === 1;
    const depth = stack.pop()!;
    const index = stack.pop()!;
    if (placed[index] === 1) continue;
    placed[index] = 1;
    const mount = mounts[index];
    steps.push({ mount, depth, last });
    const kids = children.get(mount.id);
    if (kids === undefined) continue;
    // A kid drawn already (the top of a cycle) gets no branch.
    let end = kids.length - 1;
    while (end >= 0 && placed[kids[end]] === 1) end--;
    for (let kid = end; kid >= 0; kid--) {
      if (placed[kids[kid]] === 1) continue;
      stack.push(kids[kid], depth + 1, kid === end ? 1 : 0);
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
