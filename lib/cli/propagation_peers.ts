/**
 * `mntns propagation peers`: every peer group with its members and its
 * slaves, across one or every mount namespace.
 *
 * @module
 */

import { displayText } from "../bytes.ts";
import {
  NAMESPACE_OPTIONS,
  parseCommandLine,
  sourceFromOptions,
} from "./options.ts";
import { readNamespaces } from "../system/namespaces.ts";
import { groupGraph, type PlacedMount } from "../mount/peer_groups.ts";
import { renderTable } from "./table.ts";
import { writeOut } from "./output.ts";
import type { MountNamespace } from "../mount/namespace.ts";

const COMMAND = "mntns propagation peers";

/** Help for `mntns propagation peers`. */
export const PEERS_HELP =
  `Usage: mntns propagation peers [--pid N | --ns FILE] [--all-namespaces] [--json]

List every peer group (shared:N) with its members and its slaves (the mounts
with master:N): mount id, mount point and namespace. A member that is itself
a slave names its master group; a slave that is itself shared names its own
peer group. Mount and group ids are global, so with --all-namespaces one
group joins its members in every mount namespace.

Options:
  --pid N              read the mount namespace of process N
  --ns FILE            read the mount namespace kept at FILE
                       ('mntns isolate --mount=FILE')
  --all-namespaces     read every mount namespace on the machine (one
                       process per /proc/<pid>/ns/mnt inode)
  --json               JSON: {"namespaces":[{ns,pid,comm}],
                       "groups":[{id,members:[MOUNT],slaves:[MOUNT]}]},
                       MOUNT: {ns,pid,mountId,target,root,peer,master}
  -h, --help           show this help
`;

/** One mount of a group, as `peers --json` prints it. */
export interface GroupMountJson {
  ns: number;
  pid: number | null;
  mountId: number;
  target: string;
  root: string;
  peer: number | null;
  master: number | null;
}

/** One group, as `peers --json` prints it. */
export interface GroupJson {
  id: number;
  members: GroupMountJson[];
  slaves: GroupMountJson[];
}

function groupMountJson(placed: PlacedMount): GroupMountJson {
  return {
    ns: placed.namespace.ns,
    pid: placed.namespace.pid,
    mountId: placed.mount.id,
    target: placed.mount.target,
    root: placed.mount.root,
    peer: placed.mount.peer,
    master: placed.mount.master,
  };
}

/**
 * Every group that has members or slaves in the namespaces, by id.
 *
 * @example
 * ```ts
 * peerGroupList(namespaces)[0].members.map((member) => member.target);
 * ```
 */
export function peerGroupList(
  namespaces: readonly MountNamespace[],
): GroupJson[] {
  const graph = groupGraph(namespaces);
  const ids = new Set([...graph.members.keys(), ...graph.slaves.keys()]);
  return [...ids].sort((a, b) => a - b).map((id) => ({
    id,
    members: (graph.members.get(id) ?? []).map(groupMountJson),
    slaves: (graph.slaves.get(id) ?? []).map(groupMountJson),
  }));
}

function role(mount: GroupMountJson, isMember: boolean): string {
  if (isMember) {
    return mount.master === null ? "peer" : `peer, slave of ${mount.master}`;
  }
  return mount.peer === null ? "slave" : `slave, shared ${mount.peer}`;
}

function rows(group: GroupJson): string[][] {
  const row = (mount: GroupMountJson, isMember: boolean): string[] => [
    String(group.id),
    role(mount, isMember),
    String(mount.ns),
    mount.pid === null ? "-" : String(mount.pid),
    String(mount.mountId),
    mount.target,
    mount.root,
  ];
  return [
    ...group.members.map((mount) => row(mount, true)),
    ...group.slaves.map((mount) => row(mount, false)),
  ];
}

/**
 * The line that names a namespace's process, or the file that keeps it, or
 * says there is none but mntns (so the namespace ends with it).
 */
function namespaceLine(namespace: MountNamespace): string {
  if (namespace.keptAt !== undefined && namespace.pid === null) {
    return `namespace ${namespace.ns}: kept at ${
      displayText(namespace.keptAt)
    }, no process in it\n`;
  }
  return namespace.pid === null
    ? `namespace ${namespace.ns}: no process but mntns — it ends when mntns exits\n`
    : `namespace ${namespace.ns}: pid ${namespace.pid} (${
      displayText(namespace.comm ?? "?")
    })\n`;
}

/**
 * Runs `mntns propagation peers`; returns the exit status.
 *
 * @example
 * ```ts
 * peersCommand(["--all-namespaces"]);
 * ```
 */
export function peersCommand(args: readonly string[]): number {
  const parsed = parseCommandLine({
    args,
    options: NAMESPACE_OPTIONS,
    command: COMMAND,
    positionals: false,
    help: PEERS_HELP,
  });
  if (parsed === null) return 0;
  const { values } = parsed;
  const namespaces = readNamespaces({
    source: sourceFromOptions(values, COMMAND),
    all: values["all-namespaces"] === true,
  });
  const groups = peerGroupList(namespaces);
  if (values.json) {
    writeOut(
      JSON.stringify({
        namespaces: namespaces.map(({ ns, pid, comm }) => ({ ns, pid, comm })),
        groups,
      }) + "\n",
    );
    return 0;
  }
  writeOut(
    renderTable({
      headers: ["GROUP", "ROLE", "NS", "PID", "MOUNT", "TARGET", "ROOT"],
      rows: groups.flatMap(rows),
    }) +
      namespaces.map(namespaceLine).join(""),
  );
  return 0;
}
