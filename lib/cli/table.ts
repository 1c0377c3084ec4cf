/**
 * The one table renderer every mntns listing uses: columns one space
 * apart, left-aligned or (numbers) right-aligned, a header row unless asked
 * not to, no trailing blanks (unless findmnt keeps them); or findmnt's raw
 * mode, one escaped word a cell. Linear in the number of cells (cli-table3
 * needed 68 s for 20,000 rows here, so it is not used), written into a
 * reusable {@linkcode OutputBuffer} as it is made.
 *
 * It renders a source of cells ({@linkcode CellTable}): each cell's width
 * and its writer. Text cells ({@linkcode textCells}) are raw text (mount
 * points as the kernel gave them), made safe for a terminal here
 * ({@linkcode displayText}, or {@linkcode rawText} in raw mode), so that a
 * row is one line whatever a name holds; `show` gives cells copied as bytes
 * from mountinfo (lib/cli/show_table.ts). Colour goes around a cell's text,
 * after its width is measured; padding stays outside it.
 *
 * @module
 */

import { displayText, rawText } from "../bytes.ts";
import { SGR_RESET, sgrStart } from "./color.ts";
import { OutputBuffer } from "./output_buffer.ts";

/** How a column's cells line up: numbers to the right. */
export type Align = "left" | "right";

/** How a table is laid out. */
export interface TableStyle {
  /** Column names. */
  headers: readonly string[];
  /** Each column's alignment; left where not given. */
  align?: readonly Align[];
  /** findmnt's `-r`: no padding, each cell one word. */
  raw?: boolean;
  /** findmnt's `-n`: no header row. */
  noHeadings?: boolean;
  /** Keep the padding before an empty last cell, as findmnt does. */
  trailingBlanks?: boolean;
  /**
   * A cell's SGR colour (`"31"`), or null for none; no colour when absent.
   * Asked for row by row, while that row is rendered.
   */
  color?: (row: number, column: number) => string | null;
}

/**
 * A table as the renderer sees it: how many rows, and each cell's width as
 * shown and its writer (the cell made safe: see the module's comment). The
 * renderer asks for the cells row by row, in order, twice: for the column
 * widths (unless raw), then to write them.
 */
export interface CellTable extends TableStyle {
  /** How many rows there are. */
  readonly length: number;
  /** The width of row `row`'s cell in `column`, as shown. */
  width(row: number, column: number): number;
  /** Writes row `row`'s cell in `column`, as shown. */
  write(row: number, column: number, out: OutputBuffer): void;
}

/**
 * A table's rows of text: an array, or rows made when asked for, in order
 * (the renderer goes through them twice), so that a large table is never
 * held whole.
 */
export interface TableRows {
  /** How many rows there are. */
  readonly length: number;
  /** Row `index`'s cells, one per column. */
  at(index: number): readonly string[] | undefined;
}

/** A table of text: header names and rows of raw cells, one cell per header. */
export interface Table extends TableStyle {
  /** Rows, each with one cell per column. */
  rows: TableRows;
}

/**
 * A table of text as cells: each row's cells are made safe once, when the
 * renderer first asks for one of them.
 *
 * @example
 * ```ts
 * const cells = textCells({ headers: ["TARGET"], rows: [["/a\nb"]] });
 * cells.width(0, 0); // 7 ("/a\x0ab")
 * ```
 */
export function textCells(table: Table): CellTable {
  const shown = table.raw ? rawText : displayText;
  let current = -1;
  let texts: string[] = [];
  const cellsOf = (row: number): string[] => {
    if (row !== current) {
      texts = table.rows.at(row)!.map(shown);
      current = row;
    }
    return texts;
  };
  return {
    ...table,
    length: table.rows.length,
    width: (row, column) => cellsOf(row)[column].length,
    write: (row, column, out) => out.text(cellsOf(row)[column]),
  };
}

/**
 * Each column's width: its widest cell as shown, the header's included.
 */
function tableWidths(table: CellTable): number[] {
  const widths = table.headers.map((header) => header.length);
  for (let row = 0; row < table.length; row++) {
    for (let column = 0; column < widths.length; column++) {
      const width = table.width(row, column);
      if (width > widths[column]) widths[column] = width;
    }
  }
  return widths;
}

/**
 * Writes a table into `out` (flushed by the caller): widths from a first
 * pass over the rows, then the header and the rows, a line at a time.
 *
 * @example
 * ```ts
 * import { OutputBuffer } from "./output_buffer.ts";
 * const out = new OutputBuffer();
 * writeTable(textCells({ headers: ["TARGET", "FSTYPE"], rows: [["/", "ext4"]] }), out);
 * out.flush(); // "TARGET FSTYPE\n/      ext4\n"
 * ```
 */
export function writeTable(table: CellTable, out: OutputBuffer): void {
  const widths = table.raw ? null : tableWidths(table);
  if (!table.noHeadings) {
    // The header row: its names as text cells, laid out as the rows are.
    const header = { ...table, rows: [table.headers], color: undefined };
    writeLines(textCells(header), { widths, out });
  }
  writeLines(table, { widths, out });
}

/** Writes every row of `table`, aligned to `widths` (null: raw). */
function writeLines(
  table: CellTable,
  to: { widths: readonly number[] | null; out: OutputBuffer },
): void {
  const { widths, out } = to;
  const count = table.headers.length;
  const last = count - 1;
  const right = table.headers.map((_, column) =>
    table.align?.[column] === "right"
  );
  // Blanks owed are dropped at the end of a line; those written stay.
  const keep = widths === null || table.trailingBlanks === true;
  const blank = (count: number): void => {
    if (keep) out.fill(0x20, count);
    else out.blanks(count);
  };
  const { color } = table;
  // A cell's width is asked for only when it is padded or coloured: not
  // for a plain left-aligned last column.
  const measured = table.headers.map((_, column) =>
    color !== undefined ||
    (widths !== null && (right[column] || column < last))
  );
  for (let row = 0; row < table.length; row++) {
    for (let column = 0; column < count; column++) {
      if (column > 0) blank(1);
      const width = measured[column] ? table.width(row, column) : 0;
      const pad = widths === null ? 0 : widths[column] - width;
      if (right[column]) blank(pad);
      // An empty cell gets no colour.
      const sgr = color === undefined || width === 0
        ? null
        : color(row, column);
      if (sgr === null) table.write(row, column, out);
      else {
        out.text(sgrStart(sgr));
        table.write(row, column, out);
        out.text(SGR_RESET);
      }
      if (!right[column] && column < last) blank(pad);
    }
    out.endLine();
  }
}

/**
 * Renders a table of text, ending in a newline.
 *
 * @example
 * ```ts
 * renderTable({ headers: ["TARGET", "PROPAGATION"], rows: [["/", "private"]] });
 * // "TARGET PROPAGATION\n/      private\n"
 * ```
 */
export function renderTable(table: Table): string {
  // The cells are made safe, so the bytes are UTF-8 (decoded as they come).
  const decoder = new TextDecoder();
  let text = "";
  const out = new OutputBuffer({
    write: (bytes) => text += decoder.decode(bytes, { stream: true }),
  });
  writeTable(textCells(table), out);
  out.flush();
  return text + decoder.decode();
}
