/**
 * `mntns propagation show`: the mount tree with propagation, peer groups and
 * masters; `--list` flat, `--json` for scripts.
 *
 * @module
 */

import { parseCommandLine, sourceFromOptions } from "./options.ts";
import { UsageError } from "../errors.ts";
import { mountContaining } from "../mount/lookup.ts";
import { canonicalPath } from "../system/mount_source.ts";
import { mountTree, topLevelWarning } from "../mount/tree.ts";
import type { Mount } from "../mount/mountinfo.ts";
import { peerGroupSummary } from "../mount/peer_groups.ts";
import { type Propagation, propagationOf } from "../mount/propagation.ts";
import { tableChunks } from "./table.ts";
import { writeErr, writeOut } from "./output.ts";
import {
  MOUNTINFO_MAX_BYTES,
  readMountinfo,
} from "../system/read_mountinfo.ts";

const COMMAND = "mntns propagation show";

/** Help for `mntns propagation show`. */
export const SHOW_HELP =
  `Usage: mntns propagation show [PATH...] [--pid N | --ns FILE | --mountinfo FILE] [--list] [--json]

Show mounts with their propagation, peer group (PEER, the shared:N id),
master group (MASTER, master:N) and propagate_from group (FROM).

With PATHs, show the mount each path lives on (like findmnt -T).

In the tree, a mount whose parent is not listed (but the first, the root),
whose parents form a cycle, or whose id repeats an earlier one's is put at
the top level, and a warning on stderr names it.

Options:
  --pid N            read the mount namespace of process N
  --ns FILE          read the mount namespace kept at FILE ('mntns isolate
                     --mount=FILE'; a relative PATH starts at its root)
  --mountinfo FILE   read a saved copy of /proc/<pid>/mountinfo (a regular
                     file of at most ${MOUNTINFO_MAX_BYTES / 1024 / 1024} MiB)
  --list             a flat list instead of a tree
  --json             JSON: {"mounts":[{id,parent,target,source,fstype,root,
                     options,propagation,peer,master,propagateFrom}]}
  -h, --help         show this help
`;

/** One mount as `show --json` prints it. */
export interface MountJson {
  id: number;
  parent: number;
  target: string;
  source: string;
  fstype: string;
  root: string;
  options: string;
  propagation: Propagation;
  peer: number | null;
  master: number | null;
  propagateFrom: number | null;
}

/**
 * The JSON form of a mount.
 *
 * @example
 * ```ts
 * mountJson(mounts[0]).propagation; // "shared"
 * ```
 */
export function mountJson(mount: Mount): MountJson {
  return {
    id: mount.id,
    parent: mount.parent,
    target: mount.target,
    source: mount.source,
    fstype: mount.fstype,
    root: mount.root,
    options: mount.options,
    propagation: propagationOf(mount),
    peer: mount.peer,
    master: mount.master,
    propagateFrom: mount.propagateFrom,
  };
}

const HEADERS = [
  "TARGET",
  "SOURCE",
  "FSTYPE",
  "PROPAGATION",
  "PEER",
  "MASTER",
  "FROM",
] as const;

function cells(mount: Mount, target: string): string[] {
  return [
    target,
    mount.root === "/" ? mount.source : `${mount.source}[${mount.root}]`,
    mount.fstype,
    propagationOf(mount),
    mount.peer === null ? "-" : String(mount.peer),
    mount.master === null ? "-" : String(mount.master),
    mount.propagateFrom === null ? "-" : String(mount.propagateFrom),
  ];
}

/**
 * Runs `mntns propagation show`; returns the exit status.
 *
 * @example
 * ```ts
 * showCommand(["--list", "/proc"]);
 * ```
 */
export function showCommand(args: readonly string[]): number {
  const parsed = parseCommandLine({
    args,
    options: {
      pid: { type: "string" },
      ns: { type: "string" },
      mountinfo: { type: "string" },
      list: { type: "boolean" },
      json: { type: "boolean" },
    },
    command: COMMAND,
    positionals: true,
    help: SHOW_HELP,
  });
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  if (positionals.includes("")) {
    throw new UsageError("PATH is empty: name a file or directory", COMMAND);
  }
  const source = sourceFromOptions(values, COMMAND);
  const all = readMountinfo(source);
  const selected = positionals.length > 0
    ? selectContaining(all, positionals.map((p) => canonicalPath(p, source)))
    : all;
  if (values.json) {
    writeOut(JSON.stringify({ mounts: selected.map(mountJson) }) + "\n");
    return 0;
  }
  let rows: string[][];
  if (values.list || positionals.length > 0) {
    rows = selected.map((mount) => cells(mount, mount.target));
  } else {
    const tree = mountTree(selected);
    const warning = topLevelWarning(tree.topLevel);
    if (warning !== null) writeErr(warning + "\n");
    rows = tree.rows.map((row) =>
      cells(row.mount, row.prefix + row.mount.target)
    );
  }
  for (const chunk of tableChunks({ headers: HEADERS, rows })) writeOut(chunk);
  writeOut(peerGroupSummary(selected).map((line) => line + "\n").join(""));
  return 0;
}

function selectContaining(
  mounts: readonly Mount[],
  paths: readonly string[],
): Mount[] {
  const found = new Set<Mount>();
  for (const path of paths) {
    const mount = mountContaining(mounts, path);
    if (mount) found.add(mount);
  }
  return [...found];
}
