/**
 * Where a mount event travels: the prediction of fs/pnode.c `propagate_mnt`
 * from the peer-group and master graph, over the mounts of one or more
 * namespaces. Pure functions: no system calls.
 *
 * A mount made at PATH on mount X (at the filesystem path `rel`, X's root
 * plus PATH below X's target) goes to every mount of X's peer group and,
 * recursively, to the slaves of those groups — a slave that is also shared
 * passes it on to its own peers and slaves. A receiving mount M gets it only
 * when `rel` lies inside M's root (a bind of a subdirectory may not hold
 * it), at M's target plus `rel` below M's root. A mount that is not shared
 * (private, unbindable, or a slave only) sends nothing: the mount appears at
 * PATH alone.
 *
 * @module
 */

import { CommandError } from "../errors.ts";
import { joinBelow, pathBelow } from "./paths.ts";
import { mountReachedBy } from "./lookup.ts";
import type { Mount } from "./mountinfo.ts";
import {
  type GroupGraph,
  groupGraph,
  type PlacedMount,
} from "./peer_groups.ts";
import { propagationOf } from "./propagation.ts";
import type { MountNamespace } from "./namespace.ts";

/** A mount in a namespace, and a path at which something is (or is not). */
export interface Placement {
  /** The mount namespace's inode number. */
  ns: number;
  /** A process in that namespace; null when mntns is alone in it. */
  pid: number | null;
  /** The mount id. */
  mountId: number;
  /** The path. */
  target: string;
}

/** A mount that one might expect to receive the event, and why it does not. */
export interface Miss extends Placement {
  /** Why it receives nothing (`private`). */
  reason: string;
}

/** Where a mount made at a path would appear, and where it would not. */
export interface ReachPrediction {
  /** The path the mount is made at, canonical, in the caller's namespace. */
  path: string;
  /** The mount the path lives on, in the caller's namespace. */
  mount: { id: number; target: string; ns: number };
  /** Every place the new mount appears: the mount it sits on and its path. */
  reaches: Placement[];
  /** Mounts of the same filesystem holding the path that get nothing. */
  misses: Miss[];
}

/**
 * The mounts a mount event on `source` is offered to, `source` included:
 * its peers, their slaves, and the peers and slaves of slaves that are
 * shared, recursively. Only `source` when it is not shared.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * import { groupGraph } from "./peer_groups.ts";
 * const mounts = parseMountinfo(
 *   "2 1 0:2 / /a rw shared:3 - tmpfs t rw\n3 1 0:2 / /b rw shared:3 - tmpfs t rw\n" +
 *     "4 1 0:2 / /c rw master:3 - tmpfs t rw\n5 1 0:2 / /d rw - tmpfs t rw\n",
 * );
 * const namespace = { ns: 4026531841, pid: 1, comm: "systemd", mounts };
 * propagationSet(groupGraph([namespace]), { namespace, mount: mounts[0] }).length; // 3
 * ```
 */
export function propagationSet(
  graph: GroupGraph,
  source: PlacedMount,
): PlacedMount[] {
  if (source.mount.peer === null) return [source];
  const receivers: PlacedMount[] = [];
  const queue = [source.mount.peer];
  const seen = new Set(queue);
  for (let index = 0; index < queue.length; index++) {
    const group = queue[index];
    receivers.push(...graph.members.get(group) ?? []);
    for (const slave of graph.slaves.get(group) ?? []) {
      const peer = slave.mount.peer;
      if (peer === null) receivers.push(slave);
      else if (!seen.has(peer)) {
        seen.add(peer);
        queue.push(peer);
      }
    }
  }
  return receivers;
}

function placement(placed: PlacedMount, target: string): Placement {
  return {
    ns: placed.namespace.ns,
    pid: placed.namespace.pid,
    mountId: placed.mount.id,
    target,
  };
}

function senderReason(source: Mount): string {
  return source.master !== null
    ? `${source.target} is a slave of group ${source.master} — receives, never sends`
    : `${source.target} is ${propagationOf(source)} — sends nothing`;
}

function missReason(mount: Mount, source: Mount): string {
  const kind = propagationOf(mount);
  if (kind === "private" || kind === "unbindable") return kind;
  if (source.peer === null) return senderReason(source);
  if (mount.peer === null) {
    return `slave of group ${mount.master}, which this event does not reach`;
  }
  const master = mount.master === null
    ? ""
    : ` (slave of group ${mount.master})`;
  return `peer group ${mount.peer}${master}, which this event does not reach`;
}

/**
 * Predicts where a mount made at `path` in the first of `namespaces` (the
 * caller's) appears, in all of them, and which mounts of the same
 * filesystem that hold the path get nothing, and why.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const host = parseMountinfo("1 1 8:1 / / rw - ext4 a rw\n2 1 0:2 / /mnt rw shared:7 - tmpfs t rw\n");
 * const box = parseMountinfo("3 3 8:1 / / rw - ext4 a rw\n4 3 0:2 / /mnt rw master:7 - tmpfs t rw\n");
 * const prediction = predictReach({
 *   namespaces: [
 *     { ns: 4026531841, pid: 1, comm: "systemd", mounts: host },
 *     { ns: 4026532177, pid: 900, comm: "sh", mounts: box },
 *   ],
 *   path: "/mnt/x/sub",
 * });
 * prediction.reaches.map((place) => `${place.ns} ${place.target}`);
 * // ["4026531841 /mnt/x/sub", "4026532177 /mnt/x/sub"]
 * ```
 */
export function predictReach(
  options: { namespaces: readonly MountNamespace[]; path: string },
): ReachPrediction {
  const { namespaces, path } = options;
  const caller = namespaces[0];
  const mount = mountReachedBy(caller.mounts, path);
  if (mount === undefined) {
    throw new CommandError(
      `${path}: no mount holds it in namespace ${caller.ns}${
        caller.pid === null ? "" : ` (pid ${caller.pid})`
      } — is it outside the process's root?`,
    );
  }
  const rel = joinBelow(mount.root, pathBelow(mount.target, path) ?? "");
  const offered = propagationSet(groupGraph(namespaces), {
    namespace: caller,
    mount,
  });
  const reaches: Placement[] = [];
  const misses: Miss[] = [];
  const handled = new Set<Mount>();
  for (const placed of offered) {
    handled.add(placed.mount);
    const rest = pathBelow(placed.mount.root, rel);
    if (rest === null) {
      misses.push({
        ...placement(placed, placed.mount.target),
        reason: `its root ${placed.mount.root} does not contain ${rel}`,
      });
    } else {reaches.push(
        placement(placed, joinBelow(placed.mount.target, rest)),
      );}
  }
  for (const namespace of namespaces) {
    for (const other of namespace.mounts) {
      if (
        handled.has(other) || other.major !== mount.major ||
        other.minor !== mount.minor || pathBelow(other.root, rel) === null
      ) continue;
      misses.push({
        ...placement({ namespace, mount: other }, other.target),
        reason: missReason(other, mount),
      });
    }
  }
  const order = new Map(
    namespaces.map((namespace, index) => [namespace.ns, index]),
  );
  const byPlace = (a: Placement, b: Placement): number =>
    order.get(a.ns)! - order.get(b.ns)! ||
    (a.target < b.target
      ? -1
      : a.target > b.target
      ? 1
      : a.mountId - b.mountId);
  return {
    path,
    mount: { id: mount.id, target: mount.target, ns: caller.ns },
    reaches: reaches.sort(byPlace),
    misses: misses.sort(byPlace),
  };
}
