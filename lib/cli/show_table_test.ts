import assert from "node:assert/strict";
import { renderTable } from "./table.ts";
import { type Column, columnTable, selectColumns } from "./columns.ts";
import {
  SHOW_COLUMNS,
  SHOW_DEFAULT_COLUMNS,
  type ShowRow,
} from "./show_columns.ts";
import { parseMountinfo } from "../mount/mount_table.ts";
import { MountTable } from "../mount/mount_table.ts";
import { treeOrder } from "../mount/tree.ts";
import { mountTree, type TreeRow } from "../../tests/tree_text.ts";
import { OutputBuffer } from "./output_buffer.ts";
import { writeShowTable } from "./show_table.ts";
import { groupColors } from "./color.ts";

/**
 * A deep tree with siblings at every level, every kind of optional field,
 * and lines the byte path leaves to text: escapes, a control character,
 * non-ASCII, an unknown field, an empty source, a number past 2^31.
 */
function mountinfo(count: number): string {
  const lines = ["1 0 0:1 / / rw - ext4 /dev/vda rw"];
  const optional = [
    "",
    " shared:3",
    " master:4",
    " shared:5 master:6",
    " propagate_from:7",
    " unbindable",
    " shared:8 unbindable",
  ];
  for (let id = 2; id <= count; id++) {
    const parent = id % 3 === 0 ? id - 2 : id - 1;
    const name = id % 7 === 0
      ? `a\\040b\\012${id}`
      : id % 11 === 0
      ? `é${id}`
      : id % 13 === 0
      ? `c\x01${id}`
      : `d${id}`;
    const fields = id % 17 === 0
      ? " odd:1"
      : id % 19 === 0
      ? " shared:4294967296"
      : optional[id % optional.length];
    const source = id % 23 === 0 ? "" : `t${id}`;
    const root = id % 5 === 0 ? "/" : "/r";
    lines.push(
      `${id} ${parent} 0:${id} ${root} /m/${name} rw${fields} - tmpfs ${source} rw`,
    );
  }
  return lines.join("\n") + "\n";
}

const ALL = SHOW_COLUMNS.map((column) => column.name).join(",");

/** The table as the string renderer makes it from parsed mounts. */
function asText(
  text: string,
  options: { tree: boolean; output?: string; raw?: boolean; color?: boolean },
): string {
  const mounts = parseMountinfo(text);
  const columns = selectColumns({
    columns: SHOW_COLUMNS,
    defaults: SHOW_DEFAULT_COLUMNS,
    output: options.output,
    command: "test",
  });
  const raw = options.raw ?? false;
  // The tree's prefixes drawn as text, before each target.
  const drawn = columns.map((column): Column<TreeRow & ShowRow> =>
    column.name === "TARGET"
      ? { ...column, text: (row) => row.prefix + row.mount.target }
      : column
  );
  return renderTable({
    ...columnTable({
      columns: drawn,
      rows: (options.tree
        ? mountTree(mounts).rows
        : mounts.map((mount) => ({ mount, prefix: "" })))
        .map((row) => ({ ...row, raw })),
      style: { raw, noHeadings: false },
      colorOf: options.color ? groupColors() : null,
    }),
    trailingBlanks: true,
  });
}

/** The same table written by writeShowTable, through a small buffer. */
function asBytes(
  text: string,
  options: { tree: boolean; output?: string; raw?: boolean; color?: boolean },
): { text: string; writes: number[] } {
  const table = new MountTable();
  table.append({
    bytes: new TextEncoder().encode(text),
    source: "test",
    firstLine: 1,
  });
  const all = Int32Array.from({ length: table.length }, (_, index) => index);
  const order = treeOrder({
    ids: table.ids(),
    parents: table.parents(),
  });
  const pieces: Uint8Array[] = [];
  const out = new OutputBuffer({
    write: (bytes) => pieces.push(bytes.slice()),
    size: 4096,
  });
  writeShowTable({
    table,
    rows: options.tree ? order.order : all,
    tree: options.tree ? order : null,
    columns: selectColumns({
      columns: SHOW_COLUMNS,
      defaults: SHOW_DEFAULT_COLUMNS,
      output: options.output,
      command: "test",
    }),
    style: { raw: options.raw ?? false, noHeadings: false },
    ascii: false,
    headers: selectColumns({
      columns: SHOW_COLUMNS,
      defaults: SHOW_DEFAULT_COLUMNS,
      output: options.output,
      command: "test",
    }).map((column) => column.name),
    colorOf: options.color ? groupColors() : null,
    out,
  });
  out.flush();
  const decoder = new TextDecoder();
  return {
    text: pieces.map((piece) => decoder.decode(piece, { stream: true }))
      .join("") + decoder.decode(),
    writes: pieces.map((piece) => piece.length),
  };
}

Deno.test("the table written as bytes through a small buffer is the text render, byte for byte", () => {
  const text = mountinfo(3000);
  for (
    const options of [
      { tree: true },
      { tree: false },
      { tree: true, output: ALL },
      { tree: false, output: ALL },
      { tree: false, output: ALL, raw: true },
      { tree: false, output: "OPT-FIELDS,TARGET", raw: true },
      { tree: true, color: true },
      { tree: false, output: ALL, color: true },
    ]
  ) {
    const bytes = asBytes(text, options);
    assert.equal(bytes.text, asText(text, options), JSON.stringify(options));
    assert.ok(bytes.writes.length > 10, `${bytes.writes.length} writes`);
    // A piece is the buffer, or one line written as text.
    const longest = Math.max(
      ...bytes.text.split("\n").map((line) =>
        new TextEncoder().encode(line).length + 1
      ),
    );
    assert.ok(Math.max(...bytes.writes) <= Math.max(4096, longest));
  }
  assert.match(asText(text, { tree: true }), /└─\/m\/a b\\x0a7 /);
});

Deno.test("a deep tree's prefixes are drawn as bytes without a string a row", () => {
  const lines = ["1 0 0:1 / / rw - ext4 /dev/vda rw"];
  for (let id = 2; id <= 600; id++) {
    lines.push(`${id} ${id - 1} 0:9 / /s rw - tmpfs s${id} rw`);
  }
  lines.push("601 300 0:9 / /t rw - tmpfs t rw");
  const text = lines.join("\n") + "\n";
  assert.equal(
    asBytes(text, { tree: true }).text,
    asText(text, { tree: true }),
  );
});
