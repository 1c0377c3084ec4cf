/**
 * The table renderer every mntns listing uses: left-aligned columns, one
 * space apart, a header row, no trailing blanks. Linear in the number of
 * cells (cli-table3 needed 68 s for 20,000 rows here, so it is not used).
 *
 * @module
 */

/** A table: header names and rows of cells, one cell per header. */
export interface Table {
  /** Column names. */
  headers: readonly string[];
  /** Rows, each with one cell per column. */
  rows: readonly (readonly string[])[];
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
  const widths = table.headers.map((header) => header.length);
  for (const row of table.rows) {
    for (let column = 0; column < widths.length; column++) {
      const length = row[column].length;
      if (length > widths[column]) widths[column] = length;
    }
  }
  const last = widths.length - 1;
  const lines: string[] = new Array(table.rows.length + 1);
  const renderRow = (row: readonly string[]): string => {
    let line = "";
    for (let column = 0; column < last; column++) {
      line += row[column].padEnd(widths[column] + 1);
    }
    return (line + row[last]).trimEnd();
  };
  lines[0] = renderRow(table.headers);
  for (let index = 0; index < table.rows.length; index++) {
    lines[index + 1] = renderRow(table.rows[index]);
  }
  return lines.join("\n") + "\n";
}
