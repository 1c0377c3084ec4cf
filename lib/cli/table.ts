/**
 * The table renderer every mntns listing uses: left-aligned columns, one
 * space apart, a header row, no trailing blanks. Linear in the number of
 * cells (cli-table3 needed 68 s for 20,000 rows here, so it is not used).
 * Cells are raw text (mount points as the kernel gave them); this is the one
 * place they are made safe for a terminal ({@linkcode displayText}), so a
 * row is one line whatever a name holds.
 *
 * @module
 */

import { displayText } from "../bytes.ts";

/** A table: header names and rows of raw cells, one cell per header. */
export interface Table {
  /** Column names. */
  headers: readonly string[];
  /** Rows, each with one cell per column. */
  rows: readonly (readonly string[])[];
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
  const last = widths.length - 1;
  const renderRow = (row: readonly string[]): string => {
    const cells = new Array<string>(widths.length);
    for (let column = 0; column < last; column++) {
      cells[column] = row[column].padEnd(widths[column]);
    }
    cells[last] = row[last];
    return cells.join(" ").trimEnd() + "\n";
  };
  let chunk = renderRow(table.headers);
  for (let index = 0; index < table.rows.length; index++) {
    chunk += renderRow(escaped.get(index) ?? table.rows[index]);
    if ((index + 1) % rowsPerChunk === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
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
