/**
 * `mntns propagation show`: the mount tree with propagation, peer groups and
 * masters, with findmnt's output controls (`-o`, `-n`, `-r`, `-l`, `-J`,
 * `-t`, `-T`, `-N`).
 *
 * @module
 */

import { displayText } from "../bytes.ts";
import type { CommandSpec } from "./command_spec.ts";
import { parseCommandLine, sourceFromOptions } from "./options.ts";
import { UsageError } from "../errors.ts";
import { mountContaining } from "../mount/lookup.ts";
import { canonicalPath } from "../system/mount_source.ts";
import {
  type TopLevelMount,
  topLevelWarning,
  treeOrder,
} from "../mount/tree.ts";
import type { MountTable } from "../mount/mount_table.ts";
import type { Mount } from "../mount/mountinfo.ts";
import { peerGroups } from "../mount/peer_groups.ts";
import type { Propagation } from "../mount/propagation.ts";
import { matchesTypes } from "../mount/fstype_match.ts";
import {
  type Column,
  type ColumnValue,
  listingColors,
  selectColumns,
} from "./columns.ts";
import { COLOR_OPTION, painted } from "./color.ts";
import {
  columnsHelp,
  listingStyle,
  NOHEADINGS_OPTION,
  outputOption,
  pidOption,
} from "./output_options.ts";
import {
  SHOW_COLUMNS,
  SHOW_DEFAULT_COLUMNS,
  SHOW_JSON_COLUMNS,
  type ShowRow,
} from "./show_columns.ts";
import { type ShowTree, writeShowTable } from "./show_table.ts";
import { writeWarning } from "./output.ts";
import { OutputBuffer } from "./output_buffer.ts";
import {
  MOUNTINFO_MAX_BYTES,
  readMountTable,
} from "../system/read_mountinfo.ts";

const COMMAND = "mntns propagation show";

/** `mntns propagation show`: its options, columns and help. */
export const SHOW_SPEC = {
  usage: "mntns propagation show [options] [PATH...]",
  about: [{
    paragraph:
      `Show mounts with their propagation, peer group (PEER, the shared:N id),
master group (MASTER, master:N) and propagate_from group (FROM), as a tree
like findmnt's. Under the table, each peer group with more than one member
is named (not with -n, -r or --json).`,
  }, {
    paragraph:
      "With PATHs (or -T), show the mount each path lives on (like findmnt -T).",
  }, {
    paragraph:
      `In the tree, a mount whose parent is not listed (but the first, the root),
whose parents form a cycle, or whose id repeats an earlier one's is put at
the top level, and a warning on stderr names it (a parent left out by -t
is not warned about).`,
  }],
  optionWidth: 22,
  options: {
    ...pidOption("read the mount namespace of process N"),
    ns: {
      type: "string",
      value: "FILE",
      help: `read the mount namespace kept at FILE ('mntns
isolate --mount=FILE'; a relative PATH starts at its
root)`,
    },
    mountinfo: {
      type: "string",
      value: "FILE",
      help: `read a saved copy of /proc/<pid>/mountinfo (a regular
file of at most ${MOUNTINFO_MAX_BYTES / 1024 / 1024} MiB)`,
    },
    target: {
      type: "string",
      short: "T",
      multiple: true,
      value: "PATH",
      help: "the mount PATH lives on, as a PATH word (repeatable)",
    },
    types: {
      type: "string",
      short: "t",
      value: "TYPE,...",
      help: `only mounts of these filesystem types; 'no' before
the list excludes them (notmpfs,proc), 'no' before
one type excludes it`,
    },
    ...outputOption(SHOW_COLUMNS, SHOW_DEFAULT_COLUMNS.join(",")),
    list: {
      type: "boolean",
      short: "l",
      help: "a flat list instead of a tree",
    },
    raw: {
      type: "boolean",
      short: "r",
      help: `raw output: a list, cells one space apart, and each
space, backslash, control and non-ASCII byte as \\xNN`,
    },
    ...NOHEADINGS_OPTION,
    json: {
      type: "boolean",
      short: "J",
      help: `JSON: {"mounts":[{id,parent,target,source,fstype,
root,options,propagation,peer,master,propagateFrom}]};
with -o, only the fields of those columns`,
    },
    ...COLOR_OPTION,
  },
  after: [columnsHelp(SHOW_COLUMNS)],
  operands: [{ placeholder: "PATH", repeated: true }],
} as const satisfies CommandSpec;

/** One mount as `show --json` prints it (without `-o`). */
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
    spec: SHOW_SPEC,
    command: COMMAND,
    positionals: true,
  });
  if (parsed === null) return 0;
  const { values } = parsed;
  const paths = [...values.target ?? [], ...parsed.positionals];
  if (paths.includes("")) {
    throw new UsageError("PATH is empty: name a file or directory", COMMAND);
  }
  if (values.types === "") {
    throw new UsageError("-t takes TYPE,..., not ''", COMMAND);
  }
  const style = listingStyle(values, COMMAND);
  const columns = style.json && values.output === undefined
    ? selectColumns({
      columns: SHOW_COLUMNS,
      defaults: SHOW_JSON_COLUMNS,
      output: undefined,
      command: COMMAND,
    })
    : selectColumns({
      columns: SHOW_COLUMNS,
      defaults: SHOW_DEFAULT_COLUMNS,
      output: values.output,
      command: COMMAND,
    });
  const source = sourceFromOptions(values, COMMAND);
  const table = readMountTable(source);
  const types = values.types;
  const found = paths.length > 0
    ? selectContaining(table, paths.map((p) => canonicalPath(p, source)))
    : null;
  const selected = selectRows({ table, found, types });
  const shown: ShownRows = {
    length: selected?.length ?? table.length,
    at: (row) => selected === null ? row : selected[row],
  };
  if (style.json) {
    writeJson(columns, table, shown);
    return 0;
  }
  const asTree = !values.list && !style.raw && paths.length === 0 &&
    columns.some((column) => column.name === "TARGET");
  let rows = selected;
  let tree: ShowTree | null = null;
  let warning: string | null = null;
  if (asTree) {
    const order = treeOrder({
      length: shown.length,
      id: (row) => table.id(shown.at(row)),
      parent: (row) => table.parent(shown.at(row)),
    });
    rows = new Int32Array(order.order.length);
    for (let row = 0; row < rows.length; row++) {
      rows[row] = shown.at(order.order[row]);
    }
    tree = order;
    warning = treeWarning(
      table,
      order.topLevel.map(({ index, reason }) => ({
        mount: table.mount(shown.at(index)),
        reason,
      })),
    );
  }
  const colorOf = listingColors();
  const out = new OutputBuffer();
  writeShowTable({ table, rows, tree, columns, style, colorOf, out });
  if (style.forPeople) {
    out.text(
      peerGroupSummary(sharedMounts(table, shown), colorOf)
        .map((line) => line + "\n").join(""),
    );
  }
  out.flush();
  if (warning !== null) writeWarning(warning);
  return 0;
}

/** The rows shown: how many, and each one's index into the table. */
interface ShownRows {
  readonly length: number;
  at(row: number): number;
}

/**
 * The rows to show, as indices into the table: those found for the paths
 * (all when null), of the types asked for; null for every mount.
 */
function selectRows(
  from: { table: MountTable; found: readonly number[] | null; types?: string },
): Int32Array | null {
  const { table, found, types } = from;
  if (types === undefined) {
    return found === null ? null : Int32Array.from(found);
  }
  const all = found ??
    Array.from({ length: table.length }, (_, index) => index);
  return Int32Array.from(
    all.filter((index) => matchesTypes(table.mount(index).fstype, types)),
  );
}

/**
 * The warning about mounts put at the top level: not about one whose
 * parent is only left out (by -t), which is listed.
 */
function treeWarning(
  table: MountTable,
  topLevel: readonly TopLevelMount[],
): string | null {
  if (topLevel.length === 0) return null;
  const ids = new Set<number>();
  for (let index = 0; index < table.length; index++) ids.add(table.id(index));
  return topLevelWarning(
    topLevel.filter((top) =>
      top.reason !== "missing-parent" || !ids.has(top.mount.parent)
    ),
  );
}

/**
 * The mounts of the rows whose peer group has more than one of them, in
 * order: all that {@linkcode peerGroupSummary} names.
 */
function sharedMounts(table: MountTable, rows: ShownRows): Mount[] {
  const members = new Map<number, number>();
  for (let row = 0; row < rows.length; row++) {
    const peer = table.peer(rows.at(row));
    if (peer !== null) members.set(peer, (members.get(peer) ?? 0) + 1);
  }
  const mounts: Mount[] = [];
  for (let row = 0; row < rows.length; row++) {
    const index = rows.at(row);
    const peer = table.peer(index);
    if (peer !== null && members.get(peer)! > 1) {
      mounts.push(table.mount(index));
    }
  }
  return mounts;
}

/**
 * Writes `{"mounts":[...]}` as JSON.stringify would, mount by mount, through
 * one reusable byte buffer (no text piece is built).
 */
function writeJson(
  columns: readonly Column<ShowRow>[],
  table: MountTable,
  rows: ShownRows,
): void {
  const out = new OutputBuffer();
  out.text('{"mounts":[');
  for (let row = 0; row < rows.length; row++) {
    if (row > 0) out.byte(0x2c);
    out.text(JSON.stringify(
      jsonOf(columns, { mount: table.mount(rows.at(row)), prefix: "" }),
    ));
  }
  out.text("]}\n");
  out.flush();
}

function jsonOf(
  columns: readonly Column<ShowRow>[],
  row: ShowRow,
): Record<string, ColumnValue> {
  const object: Record<string, ColumnValue> = {};
  for (const column of columns) object[column.key] = column.value(row);
  return object;
}

/**
 * One line per peer group with more than one member:
 * `peer group 3: /x, /z/foo`, each mount point escaped for a terminal
 * ({@linkcode displayText}) and, given colours, the group's number in its
 * colour. This is what findmnt's PROPAGATION column hides.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "../mount/mountinfo.ts";
 * const mounts = parseMountinfo(
 *   "2 1 0:2 / /x rw shared:3 - tmpfs t rw\n3 1 0:2 / /z/foo rw shared:3 - tmpfs t rw\n",
 * );
 * peerGroupSummary(mounts); // ["peer group 3: /x, /z/foo"]
 * ```
 */
export function peerGroupSummary(
  mounts: readonly Mount[],
  colorOf: ((group: number) => string) | null = null,
): string[] {
  const lines: string[] = [];
  for (const [group, members] of peerGroups(mounts)) {
    if (members.length < 2) continue;
    const name = colorOf === null
      ? String(group)
      : painted(String(group), colorOf(group));
    lines.push(
      `peer group ${name}: ${
        members.map((mount) => displayText(mount.target)).join(", ")
      }`,
    );
  }
  return lines;
}

/** The rows (table indices) of the mounts the paths live on, once each. */
function selectContaining(
  table: MountTable,
  paths: readonly string[],
): number[] {
  const mounts = table.mounts();
  const found = new Set<number>();
  for (const path of paths) {
    const mount = mountContaining(mounts, path);
    if (mount) found.add(mounts.indexOf(mount));
  }
  return [...found];
}
