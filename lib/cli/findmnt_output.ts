/**
 * findmnt's script formats (libsmartcols 2.38): `-P` (`NAME="value"` pairs,
 * a line a row; `-y` names them as shell variables) and `-J` (an object
 * named after the listing, each row an object keyed by its columns' names
 * in lower case, a tree's rows nested as `children`, numbers as numbers,
 * null for an empty cell), laid out as findmnt lays them out.
 *
 * @module
 */

import { pairText } from "../bytes.ts";
import type { ColumnValue } from "./columns.ts";
import type { OutputBuffer } from "./output_buffer.ts";

/**
 * A column's name as a shell variable (libsmartcols with `-y`): each
 * character that is not a letter or digit becomes `_`, and `_` goes before
 * a name that does not start with a letter.
 *
 * @example
 * ```ts
 * shellName("MAJ:MIN"); // "MAJ_MIN"
 * ```
 */
export function shellName(name: string): string {
  const word = name.replace(/[^A-Za-z0-9]/g, "_");
  return /^[A-Za-z]/.test(name) ? word : `_${word}`;
}

/** The rows of a script format: how many, and each one's values. */
export interface ScriptRows {
  /** How many rows. */
  readonly length: number;
  /** Row `row`'s values, a column at a time. */
  values(row: number): readonly ColumnValue[];
}

/**
 * Writes `NAME="value" ...`, a line a row (findmnt `-P`); null is `""`.
 *
 * @example
 * ```ts
 * import { OutputBuffer } from "./output_buffer.ts";
 * const out = new OutputBuffer();
 * writePairs(["TARGET", "ID"], { length: 1, values: () => ["/", 1] }, out);
 * out.flush(); // TARGET="/" ID="1"
 * ```
 */
export function writePairs(
  names: readonly string[],
  rows: ScriptRows,
  out: OutputBuffer,
): void {
  for (let row = 0; row < rows.length; row++) {
    const values = rows.values(row);
    for (let column = 0; column < names.length; column++) {
      const value = values[column];
      out.text(
        `${column > 0 ? " " : ""}${names[column]}="${
          value === null ? "" : pairText(String(value))
        }"`,
      );
    }
    out.endLine();
  }
}

/** What {@linkcode writeJsonListing} takes. */
export interface JsonListing {
  /** The listing's name (`filesystems`). */
  name: string;
  /** The keys, a column at a time (lower-cased as findmnt's). */
  keys: readonly string[];
  /** The rows. */
  rows: ScriptRows;
  /** Each row's depth when they nest as a tree, else null (a flat list). */
  depth: Int32Array | null;
}

/**
 * Writes a listing as findmnt `-J` does, byte for byte: three spaces an
 * indent level, `},{` between rows, a tree's rows under `"children"`.
 *
 * @example
 * ```ts
 * import { OutputBuffer } from "./output_buffer.ts";
 * const out = new OutputBuffer();
 * writeJsonListing({
 *   name: "filesystems",
 *   keys: ["target"],
 *   rows: { length: 1, values: () => ["/"] },
 *   depth: null,
 * }, out);
 * out.flush();
 * ```
 */
export function writeJsonListing(
  listing: JsonListing,
  out: OutputBuffer,
): void {
  const { keys, rows, depth } = listing;
  const indent = (level: number): string => "   ".repeat(level);
  const quotedKeys = keys.map((key) => JSON.stringify(key.toLowerCase()));
  out.text(`{\n${indent(1)}${JSON.stringify(listing.name)}: [\n`);
  // A row's object is at indent level 2 + 2 * depth; after the first row,
  // one that does not open a "children" list follows a closing `}` as `,{`.
  let opened = true;
  for (let row = 0; row < rows.length; row++) {
    const level = depth === null ? 0 : depth[row];
    const next = depth === null || row + 1 === rows.length ? 0 : depth[row + 1];
    const objectLevel = 2 + 2 * level;
    out.text(opened ? `${indent(objectLevel)}{\n` : ",{\n");
    const values = rows.values(row);
    for (let column = 0; column < keys.length; column++) {
      out.text(
        `${column > 0 ? ",\n" : ""}${indent(objectLevel + 1)}${
          quotedKeys[column]
        }: ${jsonValue(values[column])}`,
      );
    }
    opened = next > level;
    if (opened) {
      out.text(`,\n${indent(objectLevel + 1)}"children": [\n`);
      continue;
    }
    // This object closes, and every tree level down to the next row's.
    out.text(`\n${indent(objectLevel)}}`);
    for (let at = level; at > next; at--) {
      out.text(`\n${indent(2 * at + 1)}]\n${indent(2 * at)}}`);
    }
  }
  out.text(`\n${indent(1)}]\n}\n`);
}

function jsonValue(value: ColumnValue): string {
  if (value === null || value === "") return "null";
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}
