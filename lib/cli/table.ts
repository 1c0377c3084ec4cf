/**
 * The table renderer every mntns listing uses: columns one space apart,
 * left-aligned or (numbers) right-aligned, a header row unless asked not to,
 * no trailing blanks; or findmnt's raw mode, one escaped word a cell. Linear
 * in the number of cells (cli-table3 needed 68 s for 20,000 rows here, so it
 * is not used). Cells are raw text (mount points as the kernel gave them);
 * this is the one place they are made safe for a terminal
 * ({@linkcode displayText}, or {@linkcode rawText} in raw mode), so a row is
 * one line whatever a name holds. Colour goes around a cell's text, after
 * its width is measured.
 *
 * @module
 */

import { displayText, rawText } from "../bytes.ts";
import { painted } from "./color.ts";

/** How a column's cells line up: numbers to the right. */
export type Align = "left" | "right";

/** A table: header names and rows of raw cells, one cell per header. */
export interface Table {
  /** Column names. */
  headers: readonly string[];
  /** Rows, each with one cell per column. */
  rows: readonly (readonly string[])[];
  /** Each column's alignment; left where not given. */
  align?: readonly Align[];
  /**
   * findmnt's `-r`: no padding, each cell escaped as {@linkcode rawText} so
   * that it is one word.
   */
  raw?: boolean;
  /** findmnt's `-n`: no header row. */
  noHeadings?: boolean;
  /** A cell's SGR colour (`"31"`), or null for none; no colour when absent. */
  color?: (row: number, column: number) => string | null;
}

/**
 * Renders a table in pieces of at most `rowsPerChunk` lines, so a large
 * table can be written out without holding all of its text at once.
 *
 * @example
 * ```ts
 * import { writeOut } from "./output.ts";
 * const table = { headers: ["TARGET", "FSTYPE"], rows: [["/", "ext4"], ["/proc", "proc"]] };
 * for (const chunk of tableChunks(table, 1024)) writeOut(chunk);
 * ```
 */
export function* tableChunks(
  table: Table,
  rowsPerChunk = 1024,
): Generator<string> {
  const render = table.raw ? rawRenderer(table) : alignedRenderer(table);
  let chunk = table.noHeadings ? "" : render(table.headers, -1);
  for (let index = 0; index < table.rows.length; index++) {
    chunk += render(table.rows[index], index);
    if ((index + 1) % rowsPerChunk === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

/** Renders one row (index -1: the header row) as a line. */
type RowRenderer = (row: readonly string[], index: number) => string;

/**
 * A cell aligned and, when the table colours it, coloured: the padding
 * stays outside the colour, so the columns line up on what is shown.
 */
function colored(
  table: Table,
  align: (text: string, column: number) => string,
): (text: string, column: number, row: number) => string {
  const color = table.color!;
  return (text, column, row) => {
    const sgr = row < 0 || text === "" ? null : color(row, column);
    if (sgr === null) return align(text, column);
    const shown = align(text, column);
    // Left-aligned: the text, then blanks; right-aligned: blanks first.
    const start = shown.startsWith(text) ? 0 : shown.length - text.length;
    return shown.slice(0, start) + painted(text, sgr) +
      shown.slice(start + text.length);
  };
}

function rawRenderer(table: Table): RowRenderer {
  const cellOf = table.color === undefined
    ? (text: string): string => text
    : colored(table, (text) => text);
  return (row, index) =>
    row.map((cell, column) => cellOf(rawText(cell), column, index)).join(" ") +
    "\n";
}

function alignedRenderer(table: Table): RowRenderer {
  const widths = table.headers.map((header) => header.length);
  // Rows with a cell that needed escaping, by index: nearly always none.
  const escaped = new Map<number, string[]>();
  for (let index = 0; index < table.rows.length; index++) {
    const row = table.rows[index];
    for (let column = 0; column < widths.length; column++) {
      const cell = displayText(row[column]);
      if (cell !== row[column]) {
        const copy = escaped.get(index) ?? [...row];
        copy[column] = cell;
        escaped.set(index, copy);
      }
      if (cell.length > widths[column]) widths[column] = cell.length;
    }
  }
  const right = widths.map((_, column) => table.align?.[column] === "right");
  const last = widths.length - 1;
  const align = (text: string, column: number): string =>
    right[column]
      ? text.padStart(widths[column])
      : column === last
      ? text
      : text.padEnd(widths[column]);
  const cellOf = table.color === undefined ? align : colored(table, align);
  return (given, index) => {
    const row = escaped.get(index) ?? given;
    const cells = new Array<string>(widths.length);
    for (let column = 0; column <= last; column++) {
      cells[column] = cellOf(row[column], column, index);
    }
    return cells.join(" ").trimEnd() + "\n";
  };
}

/**
 * Renders a table as text, ending in a newline.
 *
 * @example
 * ```ts
 * renderTable({ headers: ["TARGET", "PROPAGATION"], rows: [["/", "private"]] });
 * // "TARGET PROPAGATION\n/      private\n"
 * ```
 */
export function renderTable(table: Table): string {
  let text = "";
  for (const chunk of tableChunks(table)) text += chunk;
  return text;
}
