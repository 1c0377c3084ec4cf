/**
 * The table of `mntns propagation show`, written as it is made, from a
 * {@linkcode MountTable}: a plain line's cells are copied as bytes from
 * mountinfo's text into a reusable output buffer, its numbers written as
 * digits, its tree prefix drawn byte by byte — no string a mount, whatever
 * the table's size or the tree's depth. Any other line (escapes, non-ASCII,
 * unusual fields), and every line when the output is coloured, is made
 * into a {@linkcode Mount} and its cells are text; both kinds of cell go
 * through the one renderer (lib/cli/table.ts), and give the same bytes for
 * a line both can render.
 *
 * @module
 */

import { findmntPropagation } from "../mount/findmnt_words.ts";
import type { MountField, MountTable } from "../mount/mount_table.ts";
import { TreePrefixes } from "./tree_drawing.ts";
import { type Column, columnTable } from "./columns.ts";
import { digitCount, type OutputBuffer } from "./output_buffer.ts";
import type { Mount } from "../mount/mountinfo.ts";
import type { ShowRow } from "./show_columns.ts";
import type { TreeShape } from "../mount/tree.ts";
import { textCells, writeTable } from "./table.ts";

/** What {@linkcode writeShowTable} takes. */
export interface ShowTableInit {
  /** The mounts. */
  table: MountTable;
  /** The rows: indices into `table`, in order; null for every mount. */
  rows: Int32Array | null;
  /** The tree the rows are drawn as (TARGET gets its prefixes), or null. */
  tree: TreeShape | null;
  /** The columns, in order. */
  columns: readonly Column<ShowRow>[];
  /** `-r` and `-n`. */
  style: { raw: boolean; noHeadings: boolean };
  /** `-a`: the tree drawn in ASCII. */
  ascii: boolean;
  /** The header's words (the columns' names, or `-y`'s shell names). */
  headers: readonly string[];
  /**
   * Each row's mount when it is not the table's (`-U` moves parents), or
   * null; the lines are then made as text.
   */
  mountOf?: ((index: number) => Mount) | null;
  /** The colour of each peer group, or null for no colour. */
  colorOf: ((group: number) => string) | null;
  /** Where the bytes go. */
  out: OutputBuffer;
}

/**
 * A column's cell for a plain line, as bytes: its width in characters,
 * and the writer of its text (the tree prefix not included).
 */
interface ByteCell {
  width(table: MountTable, index: number): number;
  write(table: MountTable, index: number, out: OutputBuffer): void;
}

/** A field of the line, copied. */
function fieldCell(field: MountField): ByteCell {
  return {
    width: (table, index) =>
      table.fieldEnd(index, field) - table.fieldStart(index, field),
    write: (table, index, out) =>
      out.copy(
        table.bytes,
        table.fieldStart(index, field),
        table.fieldEnd(index, field),
      ),
  };
}

/** A number, or `-` for null. */
function numberCell(
  value: (table: MountTable, index: number) => number | null,
): ByteCell {
  return {
    width: (table, index) => {
      const number = value(table, index);
      return number === null ? 1 : digitCount(number);
    },
    write: (table, index, out) => {
      const number = value(table, index);
      if (number === null) out.byte(0x2d);
      else out.digits(number);
    },
  };
}

/** Whether mount `index`'s root is `/`. */
function atRoot(table: MountTable, index: number): boolean {
  const start = table.fieldStart(index, "root");
  return table.fieldEnd(index, "root") === start + 1 &&
    table.bytes[start] === 0x2f;
}

const encoder = new TextEncoder();

/** findmnt's PROPAGATION words, by shared (4), slave (2) and unbindable (1). */
const PROPAGATIONS = Array.from(
  { length: 8 },
  (_, bits) =>
    encoder.encode(findmntPropagation({
      peer: bits & 4 ? 1 : null,
      master: bits & 2 ? 1 : null,
      unbindable: (bits & 1) === 1,
    })),
);

function propagationBytes(table: MountTable, index: number): Uint8Array {
  return PROPAGATIONS[
    (table.peer(index) !== null ? 4 : 0) +
    (table.master(index) !== null ? 2 : 0) +
    (table.unbindable(index) ? 1 : 0)
  ];
}

/** The optional fields as OPT-FIELDS shows them, in the kernel's order. */
const OPTIONAL_TAGS = [
  ["shared:", (table: MountTable, index: number) => table.peer(index)],
  ["master:", (table: MountTable, index: number) => table.master(index)],
  [
    "propagate_from:",
    (table: MountTable, index: number) => table.propagateFrom(index),
  ],
] as const;

/** OPT-FIELDS: `shared:N master:N propagate_from:N unbindable`. */
function optionalFieldsCell(raw: boolean): ByteCell {
  const space = raw ? "\\x20" : " ";
  const each = (
    table: MountTable,
    index: number,
    field: (text: string, number: number | null) => void,
  ): void => {
    for (const [tag, value] of OPTIONAL_TAGS) {
      const number = value(table, index);
      if (number !== null) field(tag, number);
    }
    if (table.unbindable(index)) field("unbindable", null);
  };
  return {
    width: (table, index) => {
      let width = 0;
      each(table, index, (text, number) => {
        if (width > 0) width += space.length;
        width += text.length + (number === null ? 0 : digitCount(number));
      });
      return width;
    },
    write: (table, index, out) => {
      let first = true;
      each(table, index, (text, number) => {
        if (!first) out.text(space);
        first = false;
        out.text(text);
        if (number !== null) out.digits(number);
      });
    },
  };
}

/** Each column's byte cell, by its name; null for one made as text only. */
function byteCell(name: string, raw: boolean): ByteCell | null {
  switch (name) {
    case "TARGET":
      return fieldCell("target");
    case "SOURCE": {
      const source = fieldCell("source");
      const root = fieldCell("root");
      return {
        width: (table, index) =>
          source.width(table, index) +
          (atRoot(table, index) ? 0 : root.width(table, index) + 2),
        write: (table, index, out) => {
          source.write(table, index, out);
          if (atRoot(table, index)) return;
          out.byte(0x5b);
          root.write(table, index, out);
          out.byte(0x5d);
        },
      };
    }
    case "FSTYPE":
      return fieldCell("fstype");
    case "PROPAGATION":
      return {
        width: (table, index) => propagationBytes(table, index).length,
        write: (table, index, out) => {
          const text = propagationBytes(table, index);
          out.copy(text, 0, text.length);
        },
      };
    case "PEER":
      return numberCell((table, index) => table.peer(index));
    case "MASTER":
      return numberCell((table, index) => table.master(index));
    case "FROM":
      return numberCell((table, index) => table.propagateFrom(index));
    case "ID":
      return numberCell((table, index) => table.id(index));
    case "PARENT":
      return numberCell((table, index) => table.parent(index));
    case "MAJ:MIN": {
      // findmnt's `%3u:%-3u` (`%u:%u` raw); nothing for 0:0.
      const pad = raw ? 0 : 3;
      return {
        width: (table, index) => {
          const [major, minor] = table.majorMinor(index);
          if (major === 0 && minor === 0) return 0;
          return Math.max(pad, digitCount(major)) + 1 +
            Math.max(pad, digitCount(minor));
        },
        write: (table, index, out) => {
          const [major, minor] = table.majorMinor(index);
          if (major === 0 && minor === 0) return;
          out.fill(0x20, pad - digitCount(major));
          out.digits(major);
          out.byte(0x3a);
          out.digits(minor);
          out.fill(0x20, pad - digitCount(minor));
        },
      };
    }
    case "FSROOT":
      return fieldCell("root");
    case "VFS-OPTIONS":
      return fieldCell("options");
    case "FS-OPTIONS":
      return fieldCell("superOptions");
    case "OPT-FIELDS":
      return optionalFieldsCell(raw);
    default:
      return null;
  }
}

/**
 * Writes the table of `show` into `out` (flushed by the caller), through
 * the one table renderer: a plain line's cells as bytes, any other line's
 * as text.
 *
 * @example
 * ```ts
 * import { MountTable } from "../mount/mount_table.ts";
 * import { OutputBuffer } from "./output_buffer.ts";
 * import { SHOW_COLUMNS } from "./show_columns.ts";
 * const table = new MountTable();
 * table.append({
 *   bytes: new TextEncoder().encode("22 1 0:21 / /proc rw shared:5 - proc proc rw\n"),
 *   source: "mountinfo",
 *   firstLine: 1,
 * });
 * const out = new OutputBuffer();
 * writeShowTable({
 *   table,
 *   rows: Int32Array.of(0),
 *   tree: null,
 *   columns: SHOW_COLUMNS.slice(0, 4),
 *   style: { raw: false, noHeadings: false },
 *   ascii: false,
 *   headers: ["TARGET", "SOURCE", "FSTYPE", "OPTIONS"],
 *   colorOf: null,
 *   out,
 * });
 * out.flush();
 * ```
 */
export function writeShowTable(init: ShowTableInit): void {
  const { table, rows, tree, columns, style, colorOf } = init;
  const byteCells = columns.map((column) => byteCell(column.name, style.raw));
  // Plain lines are written as bytes, unless colour is asked for or a
  // column is text only.
  const asBytes = colorOf === null && !byteCells.includes(null) &&
    (init.mountOf ?? null) === null;
  const mountOf = init.mountOf ?? ((index: number) => table.mount(index));
  const indexOf = (row: number): number => rows === null ? row : rows[row];
  const drawn = tree === null
    ? -1
    : columns.findIndex((column) => column.name === "TARGET");
  // Rows that are not written as bytes: made as text, a row at a time.
  let made = -1;
  let line: ShowRow;
  const texts = textCells(columnTable({
    columns,
    rows: {
      length: rows === null ? table.length : rows.length,
      at: (row) => {
        if (row !== made) {
          made = row;
          line = { mount: mountOf(indexOf(row)), raw: style.raw };
        }
        return line;
      },
    },
    style,
    colorOf,
  }));
  const isBytes = (row: number): boolean =>
    asBytes && table.isPlain(indexOf(row));
  let current = -1;
  const prefixes = new TreePrefixes(init.ascii);
  const step = { depth: 0, last: true };
  writeTable({
    ...texts,
    headers: init.headers,
    trailingBlanks: true,
    width: (row, column) =>
      (column === drawn ? 2 * tree!.depth[row] : 0) +
      (isBytes(row)
        ? byteCells[column]!.width(table, indexOf(row))
        : texts.width(row, column)),
    write: (row, column, out) => {
      if (column === drawn && row !== current) {
        current = row;
        step.depth = tree!.depth[row];
        step.last = tree!.last[row] === 1;
        prefixes.write(step, out);
      }
      if (isBytes(row)) byteCells[column]!.write(table, indexOf(row), out);
      else texts.write(row, column, out);
    },
  }, init.out);
}
