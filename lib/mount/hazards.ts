/**
 * Propagation hazards: setups where mount events travel where nobody meant
 * them to, or where `pivot_root` will refuse to work.
 *
 * - `/` shared: a new mount namespace is born with `/` a peer of this one,
 *   so whatever it mounts before making itself private leaks in here; and
 *   when `/` is the namespace's root mount, pivot_root(2) fails (EINVAL).
 * - a would-be rootfs whose parent mount is shared, or that is shared
 *   itself (put_old inside it), or that is no mount point: pivot_root fails.
 * - a slave whose master group no process's namespace shows: its master
 *   lives on in a namespace held by a file or descriptor, out of sight,
 *   and still sends it events.
 *
 * @module
 */

import { mountAt } from "./lookup.ts";
import type { Mount } from "./mountinfo.ts";
import { groupGraph } from "./peer_groups.ts";
import type { MountNamespace } from "./namespace.ts";

/** One hazard, in one namespace. */
export interface Hazard {
  /** Which hazard: `shared-root`, `pivot-root` or `orphan-slave`. */
  kind: "shared-root" | "pivot-root" | "orphan-slave";
  /** The namespace's inode number. */
  ns: number;
  /** A process in it; null when mntns is alone in it. */
  pid: number | null;
  /** The path it concerns. */
  target: string;
  /** What is wrong and what to do. */
  message: string;
}

/** What {@linkcode findHazards} looks at. */
export interface HazardScope {
  /** Every readable namespace, the caller's first. */
  namespaces: readonly MountNamespace[];
  /** Would-be root filesystems (canonical paths in the caller's namespace). */
  rootfs: readonly string[];
  /** Look for orphaned slaves in every namespace, not just the caller's. */
  allNamespaces: boolean;
}

function rootfsHazards(
  caller: MountNamespace,
  path: string,
): Omit<Hazard, "ns" | "pid">[] {
  const mount = mountAt(caller.mounts, path);
  if (mount === undefined) {
    return [{
      kind: "pivot-root",
      target: path,
      message:
        `${path} is not a mount point — pivot_root needs one: mount --bind ${path} ${path}`,
    }];
  }
  const found: Omit<Hazard, "ns" | "pid">[] = [];
  const parent = caller.mounts.find((other) => other.id === mount.parent);
  if (parent !== undefined && parent !== mount && parent.peer !== null) {
    found.push({
      kind: "pivot-root",
      target: path,
      message:
        `${path}: its parent mount ${parent.target} is shared (peer group ${parent.peer}) — pivot_root fails (EINVAL); first: mount --make-rprivate ${parent.target}`,
    });
  }
  if (mount.peer !== null) {
    found.push({
      kind: "pivot-root",
      target: path,
      message:
        `${path} is shared (peer group ${mount.peer}) — pivot_root fails (EINVAL) when put_old lies on it; first: mount --make-rprivate ${path}`,
    });
  }
  return found;
}

/**
 * The mount the current root hangs from: itself when it is the namespace's
 * root mount (its parent id is its own), the visible parent otherwise.
 */
function rootParent(caller: MountNamespace, root: Mount): Mount | undefined {
  return root.parent === root.id
    ? root
    : caller.mounts.find((other) => other.id === root.parent);
}

function sharedRoot(
  caller: MountNamespace,
  root: Mount,
): Omit<Hazard, "ns" | "pid"> {
  const pivot = (rootParent(caller, root)?.peer ?? null) !== null
    ? ", and pivot_root fails"
    : "";
  return {
    kind: "shared-root",
    target: "/",
    message:
      `/ is shared (peer group ${root.peer}) — a new mount namespace that mounts without first making itself private (mount --make-rprivate /) leaks its mounts into this one${pivot}`,
  };
}

/**
 * The hazards of the caller's namespace (the first), and with
 * `allNamespaces` the orphaned slaves of every namespace.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const mounts = parseMountinfo("1 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n");
 * findHazards({
 *   namespaces: [{ ns: 4026531841, pid: 1, comm: "systemd", mounts }],
 *   rootfs: ["/srv/root"],
 *   allNamespaces: false,
 * }).map((hazard) => hazard.kind); // ["shared-root", "pivot-root"]
 * ```
 */
export function findHazards(scope: HazardScope): Hazard[] {
  const caller = scope.namespaces[0];
  const inCaller = (hazard: Omit<Hazard, "ns" | "pid">): Hazard => ({
    ...hazard,
    ns: caller.ns,
    pid: caller.pid,
  });
  const hazards: Hazard[] = [];
  const root = mountAt(caller.mounts, "/");
  if (root !== undefined && root.peer !== null) {
    hazards.push(inCaller(sharedRoot(caller, root)));
  }
  for (const path of scope.rootfs) {
    hazards.push(...rootfsHazards(caller, path).map(inCaller));
  }
  const members = groupGraph(scope.namespaces).members;
  const checked = scope.allNamespaces ? scope.namespaces : [caller];
  for (const namespace of checked) {
    for (const mount of namespace.mounts) {
      if (mount.master === null || members.has(mount.master)) continue;
      hazards.push({
        kind: "orphan-slave",
        ns: namespace.ns,
        pid: namespace.pid,
        target: mount.target,
        message:
          `${mount.target}: slave of group ${mount.master}, which no process's mount namespace shows — it still receives that hidden group's events; mount --make-private ${mount.target} to cut it off`,
      });
    }
  }
  return hazards;
}
