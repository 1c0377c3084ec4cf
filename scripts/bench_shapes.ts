/**
 * The mount tables of real hosts, for `deno task bench`: besides private
 * binds side by side, 20,000 mounts in one shared peer group (binds of a
 * shared tmpfs, as a systemd host's shared `/` makes them), and a
 * systemd-like mix — a few hundred peer groups, each with its binds, seen
 * from a second namespace where half the groups are still peers and half
 * are slaves of them (as a container with `rslave` mounts sees its host).
 *
 * Everything happens in the bench's throw-away mount namespace (its main
 * thread unshared; the children it starts inherit it); the mix leaves the
 * bench in a second one, the first kept open by a descriptor.
 *
 * @module
 */

import { CLONE, MNT_DETACH, MS } from "../ffi/constants.ts";
import { openReadOnly } from "../ffi/fds.ts";
import { mount, umount2, unshare } from "../ffi/syscalls.ts";

/** Mounts in each shape. */
export const SHAPE_MOUNTS = 20000;

/** Peer groups of the systemd-like mix. */
const MIX_GROUPS = 300;

/** How the bench adds a row: A and B run alternately. */
export type AddRow = (
  what: string,
  a: readonly string[],
  b: readonly string[],
  target?: string,
  pairs?: number,
) => Promise<void>;

/**
 * Moves this thread (the main one: its children follow) to a new mount
 * namespace whose mounts are all private, so that nothing mounted after
 * reaches the machine's own: the throw-away namespace of the bench, its
 * helpers and the tests' shapes.
 *
 * @example
 * ```ts
 * throwawayNamespace();
 * tmpfsAt("/tmp/bench/mounts");
 * ```
 */
export function throwawayNamespace(): void {
  unshare(CLONE.NEWNS);
  mount({ source: "none", target: "/", flags: MS.REC | MS.PRIVATE });
}

/**
 * Mounts a tmpfs at `path` (made if missing), then applies `flags` (a
 * propagation, `MS.SHARED`) to it.
 *
 * @example
 * ```ts
 * import { MS } from "../ffi/constants.ts";
 * tmpfsAt("/tmp/bench/shared/src", MS.SHARED);
 * ```
 */
export function tmpfsAt(path: string, flags = 0): void {
  Deno.mkdirSync(path, { recursive: true });
  mount({ source: "bench", target: path, fstype: "tmpfs", flags: 0 });
  if (flags !== 0) mount({ source: "none", target: path, flags });
}

/**
 * Binds `source` at `target`, a directory it makes.
 *
 * @example
 * ```ts
 * bind("/tmp/bench/mounts/src", "/tmp/bench/mounts/m1");
 * ```
 */
export function bind(source: string, target: string): void {
  Deno.mkdirSync(target);
  mount({ source, target, flags: MS.BIND });
}

/**
 * 20,000 mounts in one peer group under `dir`: a shared tmpfs at `dir/src`
 * and binds of it beside it, each of which joins its peer group. Their
 * parent, `dir`, is private: under a shared parent every new mount would
 * be offered to each peer of the parent, quadratic in the group's size.
 *
 * @example
 * ```ts
 * makeSharedShape("/tmp/bench/shared"); // mountinfo: 20,000 lines of shared:N, one N
 * ```
 */
export function makeSharedShape(dir: string): void {
  tmpfsAt(dir);
  tmpfsAt(`${dir}/src`, MS.SHARED);
  for (let i = 1; i < SHAPE_MOUNTS; i++) bind(`${dir}/src`, `${dir}/m${i}`);
}

/**
 * The systemd-like mix at `dir`: a shared tmpfs with {@linkcode MIX_GROUPS}
 * tmpfs mounts under it (each its own peer group, as under a shared `/`),
 * each with binds of itself, 20,000 mounts in all; then this thread moves
 * to a new mount namespace (its copies join the same groups) where every
 * other group is made a slave. Returns a descriptor of the first namespace,
 * which keeps the masters alive; close it to let them go.
 *
 * @example
 * ```ts
 * const masters = makeMixShape("/tmp/bench/mix");
 * ```
 */
export function makeMixShape(dir: string): number {
  tmpfsAt(dir, MS.SHARED);
  const perGroup = Math.ceil(SHAPE_MOUNTS / MIX_GROUPS) - 1;
  for (let group = 0; group < MIX_GROUPS; group++) {
    const root = `${dir}/g${group}`;
    tmpfsAt(root);
    Deno.mkdirSync(`${root}/src`);
    for (let i = 0; i < perGroup; i++) bind(`${root}/src`, `${root}/m${i}`);
  }
  const masters = openReadOnly("/proc/self/ns/mnt", { directory: false });
  unshare(CLONE.NEWNS);
  for (let group = 1; group < MIX_GROUPS; group += 2) {
    mount({
      source: "none",
      target: `${dir}/g${group}`,
      flags: MS.REC | MS.SLAVE,
    });
  }
  return masters;
}

/**
 * Unmounts a shape (detached: the tree goes at once).
 *
 * @example
 * ```ts
 * removeShape("/tmp/bench/shared");
 * ```
 */
export function removeShape(dir: string): void {
  umount2(dir, MNT_DETACH);
}

/**
 * The rows of one shape: `show` against findmnt with the same columns
 * (list and tree) and with each one's default columns (list). findmnt's
 * tree finds each mount's children by a walk of the whole table: when one
 * run of it takes over two seconds, the tree is compared with `findmnt -l`
 * instead, and the row says so.
 *
 * @example
 * ```ts
 * declare const add: AddRow;
 * await benchShape({ name: "shared", mntns: ["deno", "run", "-A", "mntns.js"], add });
 * ```
 */
export async function benchShape(
  options: { name: string; mntns: readonly string[]; add: AddRow },
): Promise<void> {
  const { name, mntns, add } = options;
  const show = [...mntns, "propagation", "show"];
  const columns = ["-o", "TARGET,PROPAGATION"];
  const shape = `${SHAPE_MOUNTS.toLocaleString("en")} ${name}`;
  await add(
    `${shape}: show --list -o TARGET,PROPAGATION / findmnt -l, same columns`,
    [...show, "--list", ...columns],
    ["findmnt", "-l", ...columns],
    "≤ 1.0",
  );
  await add(
    `${shape}: show --list / findmnt -l, default columns`,
    [...show, "--list"],
    ["findmnt", "-l"],
    "≤ 1.1",
  );
  const started = performance.now();
  await new Deno.Command("findmnt", {
    args: columns,
    stdout: "null",
    stderr: "null",
  }).output();
  const treeMillis = performance.now() - started;
  const findmntTree = treeMillis < 2000;
  await add(
    findmntTree
      ? `${shape}: show -o TARGET,PROPAGATION (tree) / findmnt (tree), same columns`
      : `${shape}: show -o TARGET,PROPAGATION (tree) / findmnt -l (its tree takes ${
        (treeMillis / 1000).toFixed(0)
      } s)`,
    [...show, ...columns],
    findmntTree ? ["findmnt", ...columns] : ["findmnt", "-l", ...columns],
    "≤ 1.2",
  );
}
