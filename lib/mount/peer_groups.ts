/**
 * Peer groups: the mounts that share a `shared:N` id, and so receive each
 * other's mount events.
 *
 * @module
 */

import type { Mount } from "./mountinfo.ts";
import type { MountNamespace } from "./namespace.ts";

function append<T>(index: Map<number, T[]>, key: number, value: T): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}

/** A mount and the namespace it is in. */
export interface PlacedMount {
  /** The namespace. */
  namespace: MountNamespace;
  /** The mount. */
  mount: Mount;
}

/** Peer groups across namespaces: who is in each, and who is its slave. */
export interface GroupGraph {
  /** Group id → the mounts with `shared:id`, in every namespace. */
  members: Map<number, PlacedMount[]>;
  /** Group id → the mounts with `master:id`, in every namespace. */
  slaves: Map<number, PlacedMount[]>;
}

/**
 * Indexes peer groups and their slaves over several namespaces. Mount ids
 * and group ids are global, so one group may have members in many
 * namespaces.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const mounts = parseMountinfo(
 *   "2 1 0:2 / /x rw master:3 - tmpfs t rw\n3 1 0:2 / /y rw shared:3 - tmpfs t rw\n",
 * );
 * const graph = groupGraph([{ ns: 4026531841, pid: 1, comm: "systemd", mounts }]);
 * graph.slaves.get(3)?.map((placed) => placed.mount.target); // ["/x"]
 * ```
 */
export function groupGraph(namespaces: readonly MountNamespace[]): GroupGraph {
  const graph: GroupGraph = { members: new Map(), slaves: new Map() };
  for (const namespace of namespaces) {
    for (const mount of namespace.mounts) {
      if (mount.peer !== null) {
        append(graph.members, mount.peer, { namespace, mount });
      }
      if (mount.master !== null) {
        append(graph.slaves, mount.master, { namespace, mount });
      }
    }
  }
  return graph;
}
