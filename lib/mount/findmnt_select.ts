/**
 * Which mounts findmnt (util-linux 2.38) lists, in which order, at which
 * depth, and with which exit status, for its filters: `-t`, `--real`,
 * `--pseudo`, a source (`-S`, or a positional word that findmnt tries as a
 * source and then as a mount point), a `major:minor`, a mount point (`-M`
 * exactly; `-T` falls back to the mount point containing the path), `-f`,
 * `-U` and `-R`. The tree is {@linkcode treeOrder}'s (children in mount-id
 * order); a mount a filter leaves out hands its children to its nearest
 * listed ancestor, as findmnt's create_treenode does.
 *
 * @module
 */

import { matchesTypes } from "./fstype_match.ts";
import { isPseudoFs, samePath } from "./findmnt_words.ts";
import type { Mount } from "./mountinfo.ts";
import { parentDirectory } from "./paths.ts";
import { type TopLevelNode, treeOrder, type TreeShape } from "./tree.ts";

/** The mounts to choose from, by index, in mountinfo's order. */
export interface MountSet {
  /** How many there are. */
  readonly length: number;
  /** Every mount's id, by index. */
  ids(): ArrayLike<number>;
  /** Every mount's parent id, by index. */
  parents(): ArrayLike<number>;
  /** Mount `index`, made (for the filters that read its words). */
  mount(index: number): Mount;
}

/** A path to match: as given, and resolved (null when it cannot be). */
export interface QueryPath {
  /** As given. */
  path: string;
  /** Canonical (symbolic links resolved), or null. */
  canonical: string | null;
}

/** findmnt's filters and modes, as its flags set them. */
export interface MountQuery {
  /** `-t LIST`. */
  types?: string;
  /** `--real`: no pseudo filesystem. */
  real?: boolean;
  /** `--pseudo`: only pseudo filesystems. */
  pseudo?: boolean;
  /** A source to match (`-S`, or the first positional word). */
  source?: QueryPath;
  /** `major:minor` (`-S 8:1`, or a positional word of that shape). */
  majorMinor?: readonly [number, number];
  /** A mount point to match (`-T`, `-M`, or the second positional word). */
  target?: QueryPath;
  /**
   * A lone positional word: when nothing has it as a source, it is tried
   * as a mount point (false with `-S`, `-T`, `-M` or a `major:minor`).
   */
  swap?: boolean;
  /**
   * `-T`: when no mount has the target as its mount point, the mount
   * point containing it is matched instead.
   */
  containing?: boolean;
  /** `-f`: the first match only. */
  firstOnly?: boolean;
  /** `-R`: each match with every mount below it. */
  submounts?: boolean;
  /** `-U`: one mount a mount point, the last mounted. */
  uniq?: boolean;
  /** Tree order asked for (no `-l`, `-r` or `-P`). */
  tree: boolean;
}

/** What {@linkcode selectMounts} returns. */
export interface MountSelection {
  /** The rows, in order: indices into the set; null for every mount. */
  rows: Int32Array | null;
  /**
   * Each row's depth and (1) whether it is the last of its siblings, when
   * the rows form a tree (findmnt's tree mode, or `-R`); null in a list.
   */
  tree: TreeShape | null;
  /** findmnt's exit status: 1 when a list (or `-R`) matched nothing. */
  status: number;
  /** The mounts put at the top level though not the root (tree mode). */
  topLevel: TopLevelNode[];
  /**
   * The parent ids `-U` changed, by row index: a removed mount's children
   * hang on its parent (findmnt prints that PARENT).
   */
  moved: ReadonlyMap<number, number>;
}

/** Whether a query filters at all (findmnt's "list all" mode when not). */
function filters(query: MountQuery): boolean {
  return query.types !== undefined || query.real === true ||
    query.pseudo === true || query.source !== undefined ||
    query.target !== undefined || query.majorMinor !== undefined;
}

/**
 * The rows findmnt prints for a query, in its order, with its exit status.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const mounts = parseMountinfo(
 *   "1 0 8:1 / / rw - ext4 a rw\n3 1 0:3 / /b rw - tmpfs t rw\n2 1 0:2 / /a rw - proc p rw\n",
 * );
 * const set = {
 *   length: mounts.length,
 *   ids: () => mounts.map((mount) => mount.id),
 *   parents: () => mounts.map((mount) => mount.parent),
 *   mount: (index: number) => mounts[index],
 * };
 * selectMounts(set, { tree: true }).rows; // Int32Array [0, 2, 1]
 * selectMounts(set, { tree: false, types: "notmpfs" }).rows; // Int32Array [0, 2]
 * selectMounts(set, { tree: false }).rows; // null: every mount, in order
 * ```
 */
export function selectMounts(
  set: MountSet,
  query: MountQuery,
): MountSelection {
  const filtered = filters(query);
  const submounts = query.submounts === true && filtered;
  const tree = query.tree && (submounts ||
    (query.firstOnly !== true && query.source === undefined &&
      query.target === undefined && query.majorMinor === undefined));
  const needsTree = tree || submounts;
  if (!needsTree && !filtered && query.uniq !== true) {
    // Every mount in the file's order (the first with -f): nothing to hold.
    const first = query.firstOnly === true && set.length > 0;
    return {
      rows: first ? Int32Array.of(0) : null,
      tree: null,
      status: set.length === 0 ? 1 : 0,
      topLevel: [],
      moved: new Map(),
    };
  }
  const nodes = query.uniq === true ? uniqueTargets(set) : allOf(set);
  const order = needsTree ? treeOrder(nodes) : null;
  const toRows = (picked: ArrayLike<number>, length: number): Int32Array => {
    const rows = new Int32Array(length);
    for (let at = 0; at < length; at++) rows[at] = nodes.index[picked[at]];
    return rows;
  };
  const moved = nodes.moved;
  if (order === null) {
    const found = matchingNodes(set, nodes, query);
    return {
      rows: toRows(found, found.length),
      tree: null,
      status: found.length === 0 ? 1 : 0,
      topLevel: [],
      moved,
    };
  }
  const topLevel = (): TopLevelNode[] =>
    order.topLevel.map(({ index, reason }) => ({
      index: nodes.index[index],
      reason,
    }));
  if (!filtered && query.uniq !== true) {
    // The whole tree as drawn: the root's, then the rest in the file's order.
    return {
      rows: order.order,
      tree: tree ? { depth: order.depth, last: order.last } : null,
      status: 0,
      topLevel: topLevel(),
      moved,
    };
  }
  // Trees are walked as findmnt's create_treenode walks them: a mount and
  // those below it, each once; one a filter leaves out hands its children
  // to its nearest listed ancestor.
  const rowOf = new Int32Array(nodes.count);
  order.order.forEach((node, row) => rowOf[node] = row);
  const listed = new Uint8Array(nodes.count);
  const picked = new Int32Array(nodes.count);
  const depths = new Int32Array(nodes.count);
  let count = 0;
  const listedAbove = new Int32Array(nodes.count + 1);
  const walk = (top: number, keep: (node: number) => boolean): void => {
    const base = order.depth[top];
    for (
      let row = top;
      row === top || (row < order.order.length && order.depth[row] > base);
      row++
    ) {
      const node = order.order[row];
      const depth = order.depth[row] - base;
      const above = depth === 0 ? 0 : listedAbove[depth - 1];
      const kept = listed[node] === 0 && keep(node);
      listedAbove[depth] = above + (kept ? 1 : 0);
      if (!kept) continue;
      listed[node] = 1;
      picked[count] = node;
      depths[count++] = above;
    }
  };
  if (submounts) {
    // -R: each match and every mount below it.
    for (const node of matchingNodes(set, nodes, query)) {
      if (listed[node] === 0) walk(rowOf[node], () => true);
    }
  } else {
    const matched = new Int8Array(nodes.count);
    const keep = (node: number): boolean => {
      if (!filtered) return true;
      if (matched[node] === 0) {
        matched[node] = matches(set.mount(nodes.index[node]), query, null)
          ? 1
          : -1;
      }
      return matched[node] === 1;
    };
    // The root's tree; then, in the file's order, each mount left out of it
    // that passes the filter, with the mounts below it.
    if (order.order.length > 0) walk(0, keep);
    for (let node = 0; node < nodes.count; node++) {
      if (listed[node] === 0 && keep(node)) walk(rowOf[node], keep);
    }
  }
  return {
    rows: toRows(picked, count),
    tree: tree ? treeOf(depths.subarray(0, count)) : null,
    status: submounts && count === 0 ? 1 : 0,
    topLevel: submounts ? [] : topLevel(),
    moved,
  };
}

/** The mounts a query picks, by node, as findmnt's list mode finds them. */
function matchingNodes(
  set: MountSet,
  nodes: Nodes,
  query: MountQuery,
): ArrayLike<number> & Iterable<number> {
  const search = (target: QueryPath | undefined, asSource: boolean) => {
    const found: number[] = [];
    for (let node = 0; node < nodes.count; node++) {
      const mount = set.mount(nodes.index[node]);
      if (!matches(mount, query, { target, asSource })) continue;
      found.push(node);
      if (query.firstOnly === true) break;
    }
    return found;
  };
  if (!filters(query)) {
    const every = new Int32Array(query.firstOnly === true ? 1 : nodes.count);
    for (let node = 0; node < every.length; node++) every[node] = node;
    return every.subarray(0, nodes.count);
  }
  let found = search(query.target, true);
  if (
    found.length === 0 && query.swap === true && query.target === undefined &&
    query.source !== undefined
  ) {
    found = search(query.source, false);
  }
  if (
    found.length === 0 && query.containing === true &&
    query.target?.canonical != null
  ) {
    const point = mountPointOf(set, nodes, query.target.canonical);
    if (point !== null && point !== query.target.canonical) {
      found = search({ path: point, canonical: null }, true);
    }
  }
  return found;
}

/**
 * libmount's mnt_table_find_mountpoint: the path or its nearest ancestor
 * that is some mount's mount point.
 */
function mountPointOf(
  set: MountSet,
  nodes: Nodes,
  path: string,
): string | null {
  const targets = new Set<string>();
  for (let node = 0; node < nodes.count; node++) {
    targets.add(set.mount(nodes.index[node]).target);
  }
  for (let at = path;; at = parentDirectory(at)) {
    if (targets.has(at)) return at;
    if (at === "/") return null;
  }
}

/**
 * Whether a mount passes findmnt's match_func; `by` replaces the target
 * searched for and says whether the source is matched too (null: the
 * query's filters of type only, as the tree's).
 */
function matches(
  mount: Mount,
  query: MountQuery,
  by: { target: QueryPath | undefined; asSource: boolean } | null,
): boolean {
  if (query.types !== undefined && !matchesTypes(mount.fstype, query.types)) {
    return false;
  }
  if (by !== null) {
    const [major, minor] = query.majorMinor ?? [mount.major, mount.minor];
    if (mount.major !== major || mount.minor !== minor) return false;
    if (by.target !== undefined && !pathMatches(mount.target, by.target)) {
      return false;
    }
    const source = by.asSource ? query.source : undefined;
    if (
      source !== undefined && !samePath(source.path, mount.source) &&
      (isPseudoFs(mount.fstype) || source.canonical === null ||
        !samePath(source.canonical, mount.source))
    ) {
      return false;
    }
  }
  if (query.real === true && isPseudoFs(mount.fstype)) return false;
  if (query.pseudo === true && !isPseudoFs(mount.fstype)) return false;
  return true;
}

function pathMatches(target: string, wanted: QueryPath): boolean {
  return samePath(target, wanted.path) ||
    (wanted.canonical !== null && samePath(target, wanted.canonical));
}

/** The mounts a query works on: indices, and parents as `-U` leaves them. */
interface Nodes {
  count: number;
  /** Each node's index into the set. */
  index: Int32Array;
  /** Each node's id, by node. */
  ids: ArrayLike<number>;
  /** Each node's parent id, by node (as `-U` leaves it). */
  parents: ArrayLike<number>;
  /** The parent ids changed, by index into the set. */
  moved: ReadonlyMap<number, number>;
}

function allOf(set: MountSet): Nodes {
  const index = new Int32Array(set.length);
  for (let at = 0; at < index.length; at++) index[at] = at;
  return {
    count: set.length,
    index,
    ids: set.ids(),
    parents: set.parents(),
    moved: new Map(),
  };
}

/**
 * `-U` (libmount's mnt_table_uniq_fs, keeping the tree): of the mounts on
 * one mount point the last in the file stays; the children of one that
 * goes hang on its parent.
 */
function uniqueTargets(set: MountSet): Nodes {
  const ids = set.ids();
  const parents = set.parents();
  const seen = new Set<string>();
  const gone = new Uint8Array(set.length);
  const moved = new Map<number, number>();
  const parentOf = (index: number): number =>
    moved.get(parents[index]) ?? parents[index];
  for (let index = set.length - 1; index >= 0; index--) {
    const target = set.mount(index).target;
    if (!seen.has(target)) {
      seen.add(target);
      continue;
    }
    gone[index] = 1;
    // Children of the removed mount now name its parent.
    const id = ids[index];
    const parent = parentOf(index);
    for (const [from, to] of moved) if (to === id) moved.set(from, parent);
    moved.set(id, parent);
  }
  const kept: number[] = [];
  for (let index = 0; index < set.length; index++) {
    if (gone[index] === 0) kept.push(index);
  }
  const index = Int32Array.from(kept);
  const keptParents = Float64Array.from(index, parentOf);
  const changed = new Map<number, number>();
  index.forEach((at, node) => {
    if (keptParents[node] !== parents[at]) changed.set(at, keptParents[node]);
  });
  return {
    count: index.length,
    index,
    ids: Float64Array.from(index, (at) => ids[at]),
    parents: keptParents,
    moved: changed,
  };
}

/**
 * Depths in row order made into a tree: each row is the last of its
 * siblings when no later row at its depth comes before a shallower one.
 */
function treeOf(depth: Int32Array): TreeShape {
  const last = new Uint8Array(depth.length).fill(1);
  const open: number[] = [];
  for (let row = 0; row < depth.length; row++) {
    while (open.length > 0 && depth[open.at(-1)!] >= depth[row]) {
      const ended = open.pop()!;
      if (depth[ended] === depth[row]) last[ended] = 0;
    }
    open.push(row);
  }
  return { depth, last };
}
