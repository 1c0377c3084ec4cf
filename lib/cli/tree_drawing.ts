/**
 * The branches findmnt draws before each target of its tree (`├─`,
 * `│ └─`), over the order lib/mount/tree.ts gives the mounts.
 *
 * @module
 */

import type { Mount } from "../mount/mountinfo.ts";
import { type TopLevelMount, treeOrder } from "../mount/tree.ts";

/** A mount and the tree prefix drawn before its target. */
export interface TreeRow {
  /** The mount. */
  mount: Mount;
  /** `├─`, `│ └─`, ...; empty at the top level. */
  prefix: string;
}

/**
 * A row's place in the tree: how deep it is and whether it is the last of
 * its siblings, which is all its prefix is made of
 * ({@linkcode TreePrefixes}); a row's prefix is as long as the tree is deep,
 * so a deep tree's prefixes are made as they are printed, not kept.
 */
export interface TreeStep {
  /** 0 at the top level. */
  depth: number;
  /** The last of its parent's children drawn (`└─`, not `├─`). */
  last: boolean;
}

/** What {@linkcode mountTree} returns. */
export interface MountTree {
  /** Every mount once, depth-first. */
  rows: TreeRow[];
  /** The mounts at the top level but the root, in row order. */
  topLevel: TopLevelMount[];
}

/** The pieces a tree prefix is drawn with. */
export interface TreeGlyphs {
  /** Below a level whose last row has siblings still to come. */
  bar: string;
  /** Before the last of its siblings. */
  last: string;
  /** Before any other row. */
  middle: string;
}

/** findmnt's tree lines. */
export const LINE_GLYPHS: TreeGlyphs = { bar: "│ ", last: "└─", middle: "├─" };

/** findmnt's tree in ASCII (`-a`). */
export const ASCII_GLYPHS: TreeGlyphs = { bar: "| ", last: "`-", middle: "|-" };

/**
 * The prefixes of a tree's rows, made one after another in tree order from
 * what was last drawn at each depth above: a row's prefix is as long as it
 * is deep, so it is made when it is needed and no prefix is kept.
 *
 * @example
 * ```ts
 * const prefixes = new TreePrefixes();
 * [{ depth: 0, last: true }, { depth: 1, last: true }]
 *   .map((step) => prefixes.next(step)); // ["", "└─"]
 * ```
 */
export class TreePrefixes {
  /** At each depth from 1, 1 where the last row drawn there was a last child. */
  #lasts = new Uint8Array(64);
  #glyphs: TreeGlyphs;

  /**
   * Prefixes drawn with findmnt's lines, or other pieces.
   *
   * @example
   * ```ts
   * new TreePrefixes(ASCII_GLYPHS).next({ depth: 0, last: true }); // ""
   * ```
   */
  constructor(glyphs: TreeGlyphs = LINE_GLYPHS) {
    this.#glyphs = glyphs;
  }

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
  next(step: TreeStep): string {
    const { depth, last } = step;
    this.record(step);
    if (depth === 0) return "";
    // The indent, a run of equal pieces at a time.
    let prefix = "";
    for (let at = 0; at < depth - 1;) {
      const kind = this.lastAt(at);
      let end = at + 1;
      while (end < depth - 1 && this.lastAt(end) === kind) end++;
      prefix += (kind ? "  " : this.#glyphs.bar).repeat(end - at);
      at = end;
    }
    return prefix + (last ? this.#glyphs.last : this.#glyphs.middle);
  }

  /**
   * Takes the row after the last one given without making its prefix: for
   * a writer that draws it from {@linkcode TreePrefixes.lastAt}, `"  "`
   * for a level whose last row was a last child, `"│ "` for another, for
   * each level above the row's, then `└─` or `├─`.
   *
   * @example
   * ```ts
   * const prefixes = new TreePrefixes();
   * prefixes.record({ depth: 1, last: true });
   * prefixes.lastAt(0); // true
   * ```
   */
  record(step: TreeStep): void {
    const { depth, last } = step;
    if (depth === 0) return;
    if (depth > this.#lasts.length) {
      const bigger = new Uint8Array(Math.max(depth, 2 * this.#lasts.length));
      bigger.set(this.#lasts);
      this.#lasts = bigger;
    }
    this.#lasts[depth - 1] = last ? 1 : 0;
  }

  /** Whether the last row recorded at depth `level + 1` was a last child. */
  lastAt(level: number): boolean {
    return this.#lasts[level] === 1;
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
 * import { parseMountinfo } from "../mount/mount_table.ts";
 * const mounts = parseMountinfo(
 *   "1 0 8:1 / / rw - ext4 a rw\n2 1 0:21 / /proc rw - proc p rw\n3 1 0:30 / /tmp rw - tmpfs t rw\n",
 * );
 * mountTree(mounts).rows.map((row) => row.prefix + row.mount.target);
 * // ["/", "├─/proc", "└─/tmp"]
 * ```
 */
export function mountTree(mounts: readonly Mount[]): MountTree {
  const tree = treeOrder({
    length: mounts.length,
    id: (index) => mounts[index].id,
    parent: (index) => mounts[index].parent,
  });
  const prefixes = new TreePrefixes();
  const rows: TreeRow[] = [];
  for (let row = 0; row < tree.order.length; row++) {
    rows.push({
      mount: mounts[tree.order[row]],
      prefix: prefixes.next({
        depth: tree.depth[row],
        last: tree.last[row] === 1,
      }),
    });
  }
  const topLevel = tree.topLevel.map(({ index, reason }) => ({
    mount: mounts[index],
    reason,
  }));
  return { rows, topLevel };
}
