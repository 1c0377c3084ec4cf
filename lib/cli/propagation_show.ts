/**
 * `mntns propagation show`: the mount tree with propagation, peer groups and
 * masters, with findmnt's filters and output controls (`-o`, `-n`, `-r`,
 * `-l`, `-J`, `-P`, `-t`, `-S`, `-M`, `-T`, `-f`, `-U`, `-R`, `-N`, ...)
 * doing what they do in findmnt 2.38: the same rows, order, bytes and exit
 * status.
 *
 * @module
 */

import { displayText } from "../bytes.ts";
import type { CommandSpec } from "./command_spec.ts";
import { parseCommandLine, sourceFromOptions } from "./options.ts";
import { CommandError, UsageError } from "../errors.ts";
import { canonicalPath } from "../system/mount_source.ts";
import { topLevelWarning } from "../mount/tree.ts";
import type { Mount } from "../mount/mountinfo.ts";
import {
  type MountQuery,
  type MountSelection,
  type QueryPath,
  selectMounts,
} from "../mount/findmnt_select.ts";
import { listingColors, selectColumns } from "./columns.ts";
import { COLOR_OPTION, painted } from "./color.ts";
import {
  columnsHelp,
  listingStyle,
  NOHEADINGS_OPTION,
  nsOption,
  outputOption,
  pidOption,
} from "./output_options.ts";
import {
  SHOW_COLUMNS,
  SHOW_DEFAULT_COLUMNS,
  type ShowRow,
} from "./show_columns.ts";
import { writeShowTable } from "./show_table.ts";
import { shellName, writeJsonListing, writePairs } from "./findmnt_output.ts";
import { writeWarning } from "./output.ts";
import { OutputBuffer } from "./output_buffer.ts";
import {
  MOUNTINFO_MAX_BYTES,
  type MountinfoSource,
  readMountTable,
} from "../system/read_mountinfo.ts";

const COMMAND = "mntns propagation show";

/** `mntns propagation show`: its options, columns and help. */
export const SHOW_SPEC = {
  usage: "mntns propagation show [options] [SOURCE] [PATH]",
  about: [{
    paragraph:
      `Show mounts with their propagation, peer group (PEER, the shared:N id),
master group (MASTER, master:N) and propagate_from group (FROM), as a tree
like findmnt's. Under the table, each peer group with more than one member
is named when PEER is shown (not with -n, -r, -P or --json): past a handful
of members, how many and the first few ('mntns propagation peers' lists
them all).`,
  }, {
    paragraph:
      `With a PATH, show the mounts on it as findmnt does: PATH is matched as a
source, then as a mount point (-S and -M match only one of them); a PATH
that is neither prints nothing and exits 1. -T PATH shows the mount PATH
lives on (the mount point containing it). With two PATHs, a SOURCE and a
mount point, as findmnt.`,
  }, {
    paragraph:
      `In the tree, children are in mount-id order, as findmnt's. A mount whose
parent is not listed (but the root), whose parents form a cycle, or whose
id repeats an earlier one's is put at the top level, and a warning on
stderr names it.`,
  }],
  optionWidth: 22,
  options: {
    ...pidOption("read the mount namespace of process N"),
    ...nsOption(
      `read the mount namespace kept at FILE ('mntns
isolate --mount=FILE'; a relative PATH starts at its
root)`,
    ),
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
    mountpoint: {
      type: "string",
      short: "M",
      value: "DIR",
      help: "only the mounts on mount point DIR",
    },
    source: {
      type: "string",
      short: "S",
      value: "SOURCE",
      help: `the mounts of SOURCE (a device, a name, or
MAJOR:MINOR)`,
    },
    types: {
      type: "string",
      short: "t",
      value: "TYPE,...",
      help: `only mounts of these filesystem types; 'no' before
the list excludes them (notmpfs,proc), 'no' before
one type excludes it`,
    },
    real: {
      type: "boolean",
      help: "only mounts of real filesystems (not proc, tmpfs...)",
    },
    pseudo: { type: "boolean", help: "only mounts of pseudo filesystems" },
    "first-only": {
      type: "boolean",
      short: "f",
      help: "only the first mount found",
    },
    uniq: {
      type: "boolean",
      short: "U",
      help: "one mount a mount point: the last mounted",
    },
    submounts: {
      type: "boolean",
      short: "R",
      help: "with a PATH, each mount found and all below it",
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
    pairs: {
      type: "boolean",
      short: "P",
      help: `a list of NAME="value" pairs, a line a mount`,
    },
    shell: {
      type: "boolean",
      short: "y",
      help: "column names usable as shell variables (MAJ_MIN)",
    },
    ascii: { type: "boolean", short: "a", help: "draw the tree in ASCII" },
    notruncate: {
      type: "boolean",
      short: "u",
      help: "accepted: mntns never truncates a cell",
    },
    ...NOHEADINGS_OPTION,
    json: {
      type: "boolean",
      short: "J",
      help: `JSON as findmnt's: {"filesystems":[{target,...,
"children":[...]}]}, keys the columns' names in
lower case (FROM: propagate-from), numbers for
ID, PARENT, PEER, MASTER, FROM, null for empty`,
    },
    ...COLOR_OPTION,
  },
  after: [columnsHelp(SHOW_COLUMNS)],
  operands: [{ placeholder: "SOURCE", repeated: false }, {
    placeholder: "PATH",
    repeated: false,
  }],
} as const satisfies CommandSpec;

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
  const { values, positionals } = parsed;
  const targets = values.target ?? [];
  const words = [
    ...targets,
    ...positionals,
    ...values.source === undefined ? [] : [values.source],
    ...values.mountpoint === undefined ? [] : [values.mountpoint],
  ];
  if (words.includes("")) {
    throw new UsageError("PATH is empty: name a file or directory", COMMAND);
  }
  if (values.types === "") {
    throw new UsageError("-t takes TYPE,..., not ''", COMMAND);
  }
  if (positionals.length > 2) {
    throw new UsageError(
      "takes a SOURCE and a mount point at most, as findmnt: -T PATH for each path",
      COMMAND,
    );
  }
  const flagged = targets.length > 0 || values.source !== undefined ||
    values.mountpoint !== undefined;
  if (positionals.length > 0 && flagged) {
    throw new UsageError(
      "-T, -M and -S cannot be used with a PATH operand (as findmnt)",
      COMMAND,
    );
  }
  const style = listingStyle(values, COMMAND);
  const pairs = values.pairs === true;
  const columns = selectColumns({
    columns: SHOW_COLUMNS,
    defaults: SHOW_DEFAULT_COLUMNS,
    output: values.output,
    command: COMMAND,
  });
  const source = sourceFromOptions(values, COMMAND);
  const table = readMountTable(source);
  const base: MountQuery = {
    types: values.types,
    real: values.real,
    pseudo: values.pseudo,
    firstOnly: values["first-only"],
    submounts: values.submounts,
    uniq: values.uniq,
    tree: !values.list && !style.raw && !pairs,
  };
  const queries = targets.length > 0
    ? targets.map((path): MountQuery => ({
      ...base,
      ...sourceQuery(values.source, source),
      target: queryPath(path, source),
      containing: true,
    }))
    : [{
      ...base,
      ...positionals.length > 0
        ? sourceQuery(positionals[0], source, positionals.length === 1)
        : sourceQuery(values.source, source),
      ...(positionals[1] ?? values.mountpoint) === undefined ? {} : {
        target: queryPath((positionals[1] ?? values.mountpoint)!, source),
      },
    }];
  const selection = joined(queries.map((query) => selectMounts(table, query)));
  if (selection.status !== 0) return selection.status;
  const drawn = selection.tree !== null &&
    columns.some((column) => column.name === "TARGET");
  const named = (name: string): string => values.shell ? shellName(name) : name;
  const names = columns.map((column) => named(column.name));
  const out = new OutputBuffer();
  const rows = selection.rows;
  const rowCount = rows === null ? table.length : rows.length;
  const indexAt = (row: number): number => rows === null ? row : rows[row];
  const { moved } = selection;
  const mountOf = moved.size === 0 ? null : (index: number): Mount => {
    const mount = table.mount(index);
    return { ...mount, parent: moved.get(index) ?? mount.parent };
  };
  const cells = {
    length: rowCount,
    values: (row: number) => {
      const index = indexAt(row);
      const line: ShowRow = { mount: mountOf?.(index) ?? table.mount(index) };
      return columns.map((column) => column.value(line));
    },
  };
  if (style.json) {
    writeJsonListing({
      name: "filesystems",
      keys: columns.map((column) => named(column.key)),
      rows: cells,
      depth: drawn ? selection.tree!.depth : null,
    }, out);
    out.flush();
    return 0;
  }
  if (rowCount === 0) return 0;
  if (pairs) {
    writePairs(names, cells, out);
    out.flush();
    return 0;
  }
  const colorOf = listingColors();
  writeShowTable({
    table,
    rows,
    tree: drawn ? selection.tree : null,
    columns,
    style,
    ascii: values.ascii === true,
    headers: names,
    mountOf,
    colorOf,
    out,
  });
  if (style.forPeople && columns.some((column) => column.name === "PEER")) {
    const lines = peerGroupLines({
      length: rowCount,
      peer: (row) => table.peer(indexAt(row)),
      mount: (row) => table.mount(indexAt(row)),
    }, colorOf);
    out.text(lines.map((line) => line + "\n").join(""));
  }
  out.flush();
  const warning = topLevelWarning(
    selection.topLevel.map(({ index, reason }) => ({
      mount: table.mount(index),
      reason,
    })),
  );
  if (warning !== null) writeWarning(warning);
  return 0;
}

/**
 * A path as a query matches it: as given, and canonical where it can be
 * resolved (findmnt matches a path that does not exist only as it is).
 */
function queryPath(path: string, source: MountinfoSource): QueryPath {
  try {
    return { path, canonical: canonicalPath(path, source) };
  } catch (error) {
    if (error instanceof CommandError) return { path, canonical: null };
    throw error;
  }
}

/**
 * A SOURCE word: `MAJOR:MINOR` is a device number (as findmnt's, never tried
 * as a mount point); anything else a source, tried as a mount point next
 * when `swap` (a lone operand).
 */
function sourceQuery(
  word: string | undefined,
  source: MountinfoSource,
  swap = false,
): Partial<MountQuery> {
  if (word === undefined) return {};
  const device = /^\s*([+-]?\d+):([+-]?\d+)/.exec(word);
  if (device !== null) {
    return { majorMinor: [Number(device[1]), Number(device[2])] };
  }
  return { source: queryPath(word, source), swap };
}

/**
 * Several `-T` selections as one: their rows in turn, each once; 1 only
 * when none found anything.
 */
function joined(selections: readonly MountSelection[]): MountSelection {
  if (selections.length === 1) return selections[0];
  const seen = new Set<number>();
  const rows: number[] = [];
  for (const selection of selections) {
    for (const row of selection.rows ?? []) {
      if (!seen.has(row)) seen.add(row) && rows.push(row);
    }
  }
  return {
    rows: Int32Array.from(rows),
    tree: null,
    status: rows.length === 0 ? 1 : 0,
    topLevel: [],
    moved: new Map(),
  };
}

/** A group of up to this many members is named in full. */
const NAMED_MEMBERS = 8;

/** How many members a larger group's line names before `…`. */
const SHOWN_MEMBERS = 5;

/** The rows of a listing, as {@linkcode peerGroupLines} reads them. */
export interface PeerRows {
  /** How many rows. */
  readonly length: number;
  /** Row `row`'s peer group (`shared:N`), or null. */
  peer(row: number): number | null;
  /** Row `row`'s mount, made only for the members a line names. */
  mount(row: number): Mount;
}

/**
 * One line per peer group with more than one member among the rows, in
 * the order their first member comes: `peer group 3: /x, /z/foo` (past 8
 * members, `peer group 3: 20,001 mounts: /a, /b, /c, /d, /e, … ('mntns
 * propagation peers' lists all)`), each mount point escaped for a terminal
 * ({@linkcode displayText}) and, given colours, the group's number in its
 * colour. This is what findmnt's PROPAGATION column hides.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "../mount/mount_table.ts";
 * const mounts = parseMountinfo(
 *   "2 1 0:2 / /x rw shared:3 - tmpfs t rw\n3 1 0:2 / /z/foo rw shared:3 - tmpfs t rw\n",
 * );
 * peerGroupLines({
 *   length: mounts.length,
 *   peer: (row) => mounts[row].peer,
 *   mount: (row) => mounts[row],
 * }); // ["peer group 3: /x, /z/foo"]
 * ```
 */
export function peerGroupLines(
  rows: PeerRows,
  colorOf: ((group: number) => string) | null = null,
): string[] {
  const sizes = new Map<number, number>();
  for (let row = 0; row < rows.length; row++) {
    const peer = rows.peer(row);
    if (peer !== null) sizes.set(peer, (sizes.get(peer) ?? 0) + 1);
  }
  // Each group's named members, escaped, in the order the groups come.
  const named = new Map<number, string[]>();
  for (let row = 0; row < rows.length; row++) {
    const peer = rows.peer(row);
    const size = peer === null ? 0 : sizes.get(peer)!;
    if (size < 2) continue;
    let targets = named.get(peer!);
    if (targets === undefined) named.set(peer!, targets = []);
    if (targets.length < (size > NAMED_MEMBERS ? SHOWN_MEMBERS : size)) {
      targets.push(displayText(rows.mount(row).target));
    }
  }
  return [...named].map(([group, targets]) => {
    const size = sizes.get(group)!;
    const name = colorOf === null
      ? String(group)
      : painted(String(group), colorOf(group));
    return size > NAMED_MEMBERS
      ? `peer group ${name}: ${
        String(size).replace(/\B(?=(\d{3})+$)/g, ",")
      } mounts: ${targets.join(", ")}, … ('mntns propagation peers' lists all)`
      : `peer group ${name}: ${targets.join(", ")}`;
  });
}
