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
import { OUTPUT_CHUNK_CHARS } from "./output.ts";

/** How a column's cells line up: numbers to the right. */
export type Align = "left" | "right";

/**
 * A table's rows: an array, or rows made when asked for, in order (the
 * renderer goes through them twice: for the column widths, then for the
 * lines), so that a large table is never held whole.
 */
export interface TableRows {
  /** How many rows there are. */
  readonly length: number;
  /** Row `index`'s cells, one per column. */
  at(index: number): readonly string[] | undefined;
}

/** A table: header names and rows of raw cells, one cell per header. */
export interface Table {
  /** Column names. */
  headers: readonly string[];
  /** Rows, each with one cell per column. */
  rows: TableRows;
  /** Each column's alignment; left where not given. */
  align?: readonly Align[];
  /**
   * findmnt's `-r`: no padding, each cell escaped as {@linkcode rawText} so
   * that it is one word.
   */
  raw?: boolean;
  /** findmnt's `-n`: no header row. */
  noHeadings?: boolean;
  /** Keep the padding before an empty last cell ({@linkcode TableLayout}). */
  trailingBlanks?: boolean;
  /**
   * A cell's SGR colour (`"31"`), or null for none; no colour when absent.
   * Asked for row by row, while that row is rendered.
   */
  color?: (row: number, column: number) => string | null;
}

/**
 * Renders a table in pieces of about 64 Ki characters (or one line, when a
 * line is longer), so that a large table is written out as it is made:
 * what is held at once is a piece, not the table's text.
 *
 * @example
 * ```ts
 * import { writeOut } from "./output.ts";
 * const table = { headers: ["TARGET", "FSTYPE"], rows: [["/", "ext4"], ["/proc", "proc"]] };
 * for (const chunk of tableChunks(table)) writeOut(chunk);
 * ```
 */
export function* tableChunks(table: Table): Generator<string> {
  const render = lineRenderer({
    widths: table.raw ? null : tableWidths(table),
    align: table.align,
    color: table.color,
    trailingBlanks: table.trailingBlanks,
  });
  const { rows } = table;
  let chunk = table.noHeadings ? "" : render(table.headers, -1);
  for (let index = 0; index < rows.length; index++) {
    chunk += render(rows.at(index)!, index);
    if (chunk.length >= OUTPUT_CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

/**
 * Each column's width: its widest cell as shown
 * ({@linkcode displayText}), the header's included.
 */
function tableWidths(table: Table): number[] {
  const { rows } = table;
  const widths = table.headers.map((header) => header.length);
  for (let index = 0; index < rows.length; index++) {
    const row = rows.at(index)!;
    for (let column = 0; column < widths.length; column++) {
      const width = displayText(row[column]).length;
      if (width > widths[column]) widths[column] = width;
    }
  }
  return widths;
}

/** How the lines of a table are laid out. */
export interface TableLayout {
  /** Each column's width, as shown; null for raw output. */
  widths: readonly number[] | null;
  /** Each column's alignment; left where not given. */
  align?: readonly Align[];
  /** A cell's SGR colour, or null for none ({@linkcode Table.color}). */
  color?: (row: number, column: number) => string | null;
  /**
   * Keep the padding before an empty last cell, as findmnt does (by
   * default a line's trailing blanks go).
   */
  trailingBlanks?: boolean;
}

/**
 * Renders one row (index -1: the header row) of raw cells as a line: each
 * cell made safe ({@linkcode displayText}, or {@linkcode rawText} when
 * raw), aligned to its column's width and, given a colour, coloured.
 */
export type LineRenderer = (row: readonly string[], index: number) => string;

/**
 * The renderer of a table's lines, for columns of the given widths.
 *
 * @example
 * ```ts
 * const render = lineRenderer({ widths: [6, 4] });
 * render(["/proc", "proc"], 0); // "/proc  proc\n"
 * ```
 */
export function lineRenderer(layout: TableLayout): LineRenderer {
  return layout.widths === null
    ? rawRenderer(layout)
    : alignedRenderer({ ...layout, widths: layout.widths });
}

/**
 * A cell aligned and, when the table colours it, coloured: the padding
 * stays outside the colour, so the columns line up on what is shown.
 */
function colored(
  color: (row: number, column: number) => string | null,
  align: (text: string, column: number) => string,
): (text: string, column: number, row: number) => string {
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

function rawRenderer(layout: TableLayout): LineRenderer {
  const cellOf = layout.color === undefined
    ? (text: string): string => text
    : colored(layout.color, (text) => text);
  return (row, index) =>
    row.map((cell, column) => cellOf(rawText(cell), column, index)).join(" ") +
    "\n";
}

/** Blanks to cut padding from. */
let blanks = " ".repeat(256);

/** `count` blanks. */
function padding(count: number): string {
  if (count <= 0) return "";
  while (blanks.length < count) blanks += blanks;
  return blanks.slice(0, count);
}

function alignedRenderer(
  layout: TableLayout & { widths: readonly number[] },
): LineRenderer {
  const { widths } = layout;
  const last = widths.length - 1;
  const right = widths.map((_, column) => layout.align?.[column] === "right");
  const align = (text: string, column: number): string =>
    right[column]
      ? padding(widths[column] - text.length) + text
      : column === last
      ? text
      : text + padding(widths[column] - text.length);
  const cellOf = layout.color === undefined
    ? align
    : colored(layout.color, align);
  return (row, index) => {
    let line = "";
    let text = "";
    for (let column = 0; column <= last; column++) {
      text = displayText(row[column]);
      if (column > 0) line += " ";
      line += cellOf(text, column, index);
    }
    // Blanks at the end (an empty last cell) go; a line ending in a
    // printable ASCII character has none, and need not be searched.
    const end = text.charCodeAt(text.length - 1);
    return (end > 0x20 && end < 0x7f || layout.trailingBlanks
      ? line
      : line.trimEnd()) + "\n";
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
