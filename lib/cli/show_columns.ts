/**
 * The columns of `mntns propagation show`, each declared once: its name,
 * alignment, help line and value (findmnt's names where the meaning is
 * findmnt's, and then its words and JSON keys too: `--json` names each
 * column by its key and prints its value, a number or text, null for none).
 *
 * @module
 */

import type { Column } from "./columns.ts";
import type { Mount } from "../mount/mountinfo.ts";
import { findmntPropagation, mergedOptions } from "../mount/findmnt_words.ts";

/** One row of `show`: a mount (its tree prefix is drawn by the table). */
export interface ShowRow {
  /** The mount. */
  mount: Mount;
  /** For `-r`: cells findmnt pads in a table (MAJ:MIN) are not. */
  raw?: boolean;
}

/**
 * MAJ:MIN as findmnt prints it: `%3u:%-3u` in a table, `%u:%u` raw and in
 * JSON, empty for 0:0.
 */
function majorMinorText(mount: Mount, padded: boolean): string {
  if (mount.major === 0 && mount.minor === 0) return "";
  return padded
    ? `${String(mount.major).padStart(3)}:${String(mount.minor).padEnd(3)}`
    : `${mount.major}:${mount.minor}`;
}

/** mountinfo's optional fields, in the kernel's order, as findmnt's OPT-FIELDS. */
function optionalFields(mount: Mount): string {
  return [
    ...mount.peer === null ? [] : [`shared:${mount.peer}`],
    ...mount.master === null ? [] : [`master:${mount.master}`],
    ...mount.propagateFrom === null
      ? []
      : [`propagate_from:${mount.propagateFrom}`],
    ...mount.unbindable ? ["unbindable"] : [],
    ...mount.unknownFields,
  ].join(" ");
}

/** Every column `show` has, in the order its help lists them. */
export const SHOW_COLUMNS: readonly Column<ShowRow>[] = [
  {
    name: "TARGET",
    align: "left",
    help: "mount point",
    key: "target",
    value: (row) => row.mount.target,
  },
  {
    name: "SOURCE",
    align: "left",
    help: "source device; [DIR] after it for a bind of a directory in it",
    key: "source",
    value: ({ mount }) =>
      mount.root === "/" ? mount.source : `${mount.source}[${mount.root}]`,
  },
  {
    name: "FSTYPE",
    align: "left",
    help: "filesystem type",
    key: "fstype",
    value: (row) => row.mount.fstype,
  },
  {
    name: "PROPAGATION",
    align: "left",
    help: "shared or private, then ,slave and ,unbindable as they apply",
    key: "propagation",
    value: (row) => findmntPropagation(row.mount),
  },
  {
    name: "PEER",
    align: "right",
    help: "its peer group (shared:N)",
    key: "peer",
    value: (row) => row.mount.peer,
    group: (row) => row.mount.peer,
  },
  {
    name: "MASTER",
    align: "right",
    help: "the peer group it is a slave of (master:N)",
    key: "master",
    value: (row) => row.mount.master,
    group: (row) => row.mount.master,
  },
  {
    name: "FROM",
    align: "right",
    help:
      "the nearest group it receives from that is in sight (propagate_from:N)",
    key: "propagate-from",
    value: (row) => row.mount.propagateFrom,
    group: (row) => row.mount.propagateFrom,
  },
  {
    name: "ID",
    align: "right",
    help: "mount id",
    key: "id",
    value: (row) => row.mount.id,
  },
  {
    name: "PARENT",
    align: "right",
    help: "the parent mount's id",
    key: "parent",
    value: (row) => row.mount.parent,
  },
  {
    name: "MAJ:MIN",
    align: "left",
    help: "major:minor device number",
    key: "maj:min",
    value: ({ mount }) => majorMinorText(mount, false),
    text: ({ mount, raw }) => majorMinorText(mount, raw !== true),
  },
  {
    name: "FSROOT",
    align: "left",
    help: "the directory of the filesystem mounted there",
    key: "fsroot",
    value: (row) => row.mount.root,
  },
  {
    name: "OPTIONS",
    align: "left",
    help: "all options: per-mount and per-superblock, as findmnt merges them",
    key: "options",
    value: ({ mount }) => mergedOptions(mount.options, mount.superOptions),
  },
  {
    name: "VFS-OPTIONS",
    align: "left",
    help: "per-mount options",
    key: "vfs-options",
    value: (row) => row.mount.options,
  },
  {
    name: "FS-OPTIONS",
    align: "left",
    help: "per-superblock options",
    key: "fs-options",
    value: (row) => row.mount.superOptions,
  },
  {
    name: "OPT-FIELDS",
    align: "left",
    help: "mountinfo's optional fields (shared:N master:N ...)",
    key: "opt-fields",
    value: (row) => optionalFields(row.mount),
  },
];

/** The columns a table shows when `-o` is not given. */
export const SHOW_DEFAULT_COLUMNS: readonly string[] = [
  "TARGET",
  "SOURCE",
  "FSTYPE",
  "PROPAGATION",
  "PEER",
  "MASTER",
  "FROM",
];
