/**
 * Output columns, declared once each as findmnt's `infos[]`: a name, an
 * alignment (numbers to the right), a line for `--help`, and the value —
 * for `--json` and, unless a column says otherwise, for the table (`-` for
 * none). `-o, --output COL,...` picks and orders them (`+COL,...` adds to
 * the default); help lists them from the same declarations.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { colorOn, groupColors } from "./color.ts";
import type { Align, Table, TableRows } from "./table.ts";

/** A JSON value a column gives. */
export type ColumnValue = string | number | null;

/** One output column of rows of type T. */
export interface Column<T> {
  /** Its name in headers and `-o` (`PEER`). */
  name: string;
  /** How its cells line up: numbers to the right. */
  align: Align;
  /** What it holds, a line for `--help`. */
  help: string;
  /** Its key in JSON (`peer`). */
  key: string;
  /** Its value in JSON. */
  value(row: T): ColumnValue;
  /** Its text in a table, when that is not the value (`-` for null). */
  text?(row: T): string;
  /** The peer group its cell names, which gives the cell its colour. */
  group?(row: T): number | null;
  /** The SGR colour of its cells (yellow for warnings), on a terminal. */
  sgr?: string;
}

/**
 * The NS and PID columns of every listing over namespaces (check, reach,
 * peers), over rows that lead to a namespace and a process in it.
 *
 * @example
 * ```ts
 * const [ns, pid] = namespaceColumns((row: { ns: number; pid: number | null }) => row);
 * pid.value({ ns: 4026531841, pid: null }); // null
 * ```
 */
export function namespaceColumns<T>(
  placeOf: (row: T) => { ns: number; pid: number | null },
): Column<T>[] {
  return [
    {
      name: "NS",
      align: "right",
      help: "the mount namespace's inode number",
      key: "ns",
      value: (row) => placeOf(row).ns,
    },
    {
      name: "PID",
      align: "right",
      help: "a process in that namespace (- when only mntns was)",
      key: "pid",
      value: (row) => placeOf(row).pid,
    },
  ];
}

/** What {@linkcode selectColumns} takes. */
export interface ColumnChoice<T> {
  /** Every column, in the order help lists them. */
  columns: readonly Column<T>[];
  /** The names shown when `-o` is not given. */
  defaults: readonly string[];
  /** `-o`'s value, if given. */
  output: string | undefined;
  /** The command, for a usage error. */
  command: string;
}

/**
 * The columns `-o` names, in its order; with a leading `+`, the defaults and
 * then those (findmnt's `-o +COL`). Names are matched without regard to
 * case; an unknown one is a usage error naming the columns.
 *
 * @example
 * ```ts
 * import { SHOW_COLUMNS } from "./show_columns.ts";
 * selectColumns({
 *   columns: SHOW_COLUMNS,
 *   defaults: ["TARGET"],
 *   output: "+ID",
 *   command: "mntns propagation show",
 * }).map((column) => column.name); // ["TARGET", "ID"]
 * ```
 */
export function selectColumns<T>(choice: ColumnChoice<T>): Column<T>[] {
  const { columns, defaults, output, command } = choice;
  const byName = new Map(columns.map((column) => [column.name, column]));
  const pick = (name: string): Column<T> => {
    const column = byName.get(name.toUpperCase());
    if (column === undefined) {
      throw new UsageError(
        `unknown column '${name}' (one of: ${
          columns.map((each) => each.name).join(", ")
        })`,
        command,
      );
    }
    return column;
  };
  if (output === undefined) return defaults.map(pick);
  const adding = output.startsWith("+");
  const names = (adding ? output.slice(1) : output).split(",");
  if (names.includes("")) {
    throw new UsageError(
      `-o takes COL,... (column names, comma-separated), not '${output}'`,
      command,
    );
  }
  return [...adding ? defaults.map(pick) : [], ...names.map(pick)];
}

/** What {@linkcode columnTable} takes. */
export interface ColumnTableInit<T> {
  /** The columns, in order. */
  columns: readonly Column<T>[];
  /**
   * The rows: an array, or rows made when asked for, in order (as
   * {@linkcode TableRows}).
   */
  rows: { readonly length: number; at(index: number): T | undefined };
  /** `-r` and `-n`. */
  style: { raw: boolean; noHeadings: boolean };
  /** The colour of each peer group, shared with the lines around the table. */
  colorOf: ((group: number) => string) | null;
}

/**
 * The table of rows in the given columns: their texts, alignments, and
 * (given colours) each cell's colour.
 *
 * @example
 * ```ts
 * import { renderTable } from "./table.ts";
 * import { parseMountinfo } from "../mount/mount_table.ts";
 * import { SHOW_COLUMNS } from "./show_columns.ts";
 * const rows = parseMountinfo("22 1 0:21 / /proc rw shared:5 - proc proc rw\n")
 *   .map((mount) => ({ mount }));
 * renderTable(columnTable({
 *   columns: SHOW_COLUMNS.slice(0, 5),
 *   rows,
 *   style: { raw: false, noHeadings: false },
 *   colorOf: listingColors(),
 * }));
 * ```
 */
export function columnTable<T>(init: ColumnTableInit<T>): Table {
  const { columns, rows, style, colorOf } = init;
  // Each column's text function, chosen once: a large table has many rows.
  const texts = columns.map((column): (row: T) => string =>
    column.text ?? ((row) => {
      const value = column.value(row);
      return value === null ? "-" : String(value);
    })
  );
  // Each row's cells are made when the renderer asks for them.
  const cells: TableRows = {
    length: rows.length,
    at: (index) => {
      const row = rows.at(index)!;
      const line = new Array<string>(texts.length);
      for (let column = 0; column < texts.length; column++) {
        line[column] = texts[column](row);
      }
      return line;
    },
  };
  return {
    headers: columns.map((column) => column.name),
    rows: cells,
    align: columns.map((column) => column.align),
    raw: style.raw,
    noHeadings: style.noHeadings,
    color: colorOf === null ? undefined : (row, index) => {
      const column = columns[index];
      const group = column.group?.(rows.at(row)!) ?? null;
      return group === null ? column.sgr ?? null : colorOf(group);
    },
  };
}

/**
 * A fresh colour for each peer group of a listing on stdout, or null when
 * stdout gets no colour.
 *
 * @example
 * ```ts
 * const colorOf = listingColors();
 * ```
 */
export function listingColors(): ((group: number) => string) | null {
  return colorOn("stdout") ? groupColors() : null;
}
