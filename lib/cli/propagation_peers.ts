/**
 * `mntns propagation peers`: every peer group with its members and its
 * slaves, across one or every mount namespace.
 *
 * @module
 */

import type { CommandSpec } from "./command_spec.ts";
import { displayText } from "../bytes.ts";
import { parseCommandLine, sourceFromOptions } from "./options.ts";
import {
  type Column,
  columnTable,
  listingColors,
  namespaceColumns,
  selectColumns,
} from "./columns.ts";
import {
  columnsHelp,
  listingStyle,
  NOHEADINGS_OPTION,
  nsOption,
  outputOption,
  pidOption,
  RAW_TABLE_OPTION,
} from "./output_options.ts";
import { readNamespaces } from "../system/namespaces.ts";
import { groupGraph, type PlacedMount } from "../mount/peer_groups.ts";
import { renderTable } from "./table.ts";
import { COLOR_OPTION } from "./color.ts";
import { writeOut } from "./output.ts";
import type { MountNamespace } from "../mount/namespace.ts";

const COMMAND = "mntns propagation peers";

/** One row of `peers`: a mount of a group, as a member or as a slave. */
interface PeerRow {
  /** The group it is listed under. */
  group: number;
  /** The mount. */
  mount: GroupMountJson;
  /** A member (shared:N) rather than a slave (master:N). */
  member: boolean;
}

function role(row: PeerRow): string {
  const { mount } = row;
  if (row.member) {
    return mount.master === null ? "peer" : `peer, slave of ${mount.master}`;
  }
  return mount.peer === null ? "slave" : `slave, shared ${mount.peer}`;
}

/** Every column `peers` has, in the order its help lists them. */
const PEERS_COLUMNS: readonly Column<PeerRow>[] = [
  {
    name: "GROUP",
    align: "right",
    help: "the peer group (shared:N)",
    key: "id",
    value: (row) => row.group,
    group: (row) => row.group,
  },
  {
    name: "ROLE",
    align: "left",
    help:
      "peer (a member) or slave; 'peer, slave of M', 'slave, shared P' when both",
    key: "role",
    value: role,
  },
  ...namespaceColumns((row: PeerRow) => row.mount),
  {
    name: "MOUNT",
    align: "right",
    help: "mount id",
    key: "mountId",
    value: (row) => row.mount.mountId,
  },
  {
    name: "TARGET",
    align: "left",
    help: "mount point, in that namespace",
    key: "target",
    value: (row) => row.mount.target,
  },
  {
    name: "ROOT",
    align: "left",
    help: "the directory of the filesystem mounted there",
    key: "root",
    value: (row) => row.mount.root,
  },
];

const PEERS_DEFAULT_COLUMNS = PEERS_COLUMNS.map((column) => column.name);

/** `mntns propagation peers`: its options, columns and help. */
export const PEERS_SPEC = {
  usage: "mntns propagation peers [options]",
  about: [{
    paragraph:
      `List every peer group (shared:N) with its members and its slaves (the mounts
with master:N): mount id, mount point and namespace. A member that is itself
a slave names its master group; a slave that is itself shared names its own
peer group. Mount and group ids are global, so with --all-namespaces one
group joins its members in every mount namespace. Under the table, each
namespace is named by a process in it (not with -n, -r or --json).`,
  }],
  optionWidth: 22,
  options: {
    ...pidOption("read the mount namespace of process N"),
    ...nsOption(
      `read the mount namespace kept at FILE
('mntns isolate --mount=FILE')`,
    ),
    "all-namespaces": {
      type: "boolean",
      help: `read every mount namespace on the machine (one
process per /proc/<pid>/ns/mnt inode)`,
    },
    ...outputOption(PEERS_COLUMNS, "all of them"),
    ...RAW_TABLE_OPTION,
    ...NOHEADINGS_OPTION,
    json: {
      type: "boolean",
      short: "J",
      help: `JSON: {"namespaces":[{ns,pid,comm}],
"groups":[{id,members:[MOUNT],slaves:[MOUNT]}]},
MOUNT: {ns,pid,mountId,target,root,peer,master}`,
    },
    ...COLOR_OPTION,
  },
  after: [columnsHelp(PEERS_COLUMNS)],
  operands: [],
} as const satisfies CommandSpec;

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
 * import { parseMountinfo } from "../mount/mount_table.ts";
 * const mounts = parseMountinfo(
 *   "2 1 0:2 / /x rw shared:3 - tmpfs t rw\n3 1 0:2 / /y rw master:3 - tmpfs t rw\n",
 * );
 * const [group] = peerGroupList([{ ns: 4026531841, pid: 1, comm: "systemd", mounts }]);
 * group.slaves.map((slave) => slave.target); // ["/y"]
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

function rowsOf(group: GroupJson): PeerRow[] {
  return [
    ...group.members.map((mount) => ({ group: group.id, mount, member: true })),
    ...group.slaves.map((mount) => ({ group: group.id, mount, member: false })),
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
    spec: PEERS_SPEC,
    command: COMMAND,
    positionals: false,
  });
  if (parsed === null) return 0;
  const { values } = parsed;
  const style = listingStyle(values, COMMAND);
  const columns = selectColumns({
    columns: PEERS_COLUMNS,
    defaults: PEERS_DEFAULT_COLUMNS,
    output: values.output,
    command: COMMAND,
  });
  const namespaces = readNamespaces({
    source: sourceFromOptions(values, COMMAND),
    all: values["all-namespaces"] === true,
  });
  const groups = peerGroupList(namespaces);
  if (style.json) {
    writeOut(
      JSON.stringify({
        namespaces: namespaces.map(({ ns, pid, comm }) => ({ ns, pid, comm })),
        groups,
      }) + "\n",
    );
    return 0;
  }
  const table = columnTable({
    columns,
    rows: groups.flatMap(rowsOf),
    style,
    colorOf: listingColors(),
  });
  writeOut(
    renderTable(table) +
      (style.forPeople ? namespaces.map(namespaceLine).join("") : ""),
  );
  return 0;
}
