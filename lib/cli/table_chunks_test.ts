import assert from "node:assert/strict";
import { renderTable, tableChunks } from "./table.ts";
import { columnTable, selectColumns } from "./columns.ts";
import { SHOW_COLUMNS, SHOW_DEFAULT_COLUMNS } from "./show_columns.ts";
import { parseMountinfo } from "../mount/mountinfo.ts";
import { mountTree, mountTreeSteps, treeRows } from "../mount/tree.ts";

/** A deep tree with siblings at every level, and names that need escaping. */
function mountinfo(count: number): string {
  const lines = ["1 0 0:1 / / rw - ext4 /dev/vda rw"];
  for (let id = 2; id <= count; id++) {
    const parent = id % 3 === 0 ? id - 2 : id - 1;
    const name = id % 7 === 0 ? `a\\040b\\012${id}` : `d${id}`;
    lines.push(
      `${id} ${parent} 0:${id} /r /m/${name} rw shared:${
        id % 5
      } - tmpfs t${id} rw`,
    );
  }
  return lines.join("\n") + "\n";
}

Deno.test("the tree made and written a piece at a time is the whole-string render, byte for byte", () => {
  const mounts = parseMountinfo(mountinfo(3000));
  const columns = selectColumns({
    columns: SHOW_COLUMNS,
    defaults: SHOW_DEFAULT_COLUMNS,
    output: undefined,
    command: "test",
  });
  const style = { raw: false, noHeadings: false };
  // The whole-string render: every row and its prefix made first.
  const whole = renderTable(columnTable({
    columns,
    rows: mountTree(mounts).rows,
    style,
    colorOf: null,
  }));
  const chunks = [
    ...tableChunks(columnTable({
      columns,
      rows: treeRows(mountTreeSteps(mounts).steps),
      style,
      colorOf: null,
    })),
  ];
  assert.ok(chunks.length > 10, `${chunks.length} pieces`);
  const longest = Math.max(
    ...whole.split("\n").map((line) => line.length + 1),
  );
  for (const chunk of chunks) {
    assert.ok(chunk.length < 64 * 1024 + longest, `${chunk.length} chars`);
  }
  assert.equal(chunks.join(""), whole);
  assert.match(whole, /└─\/m\/a b\\x0a7 /);
});

Deno.test("tree rows are made in order, from the first any number of times", () => {
  const rows = treeRows(
    mountTreeSteps(parseMountinfo(mountinfo(10))).steps,
  );
  const once = Array.from({ length: rows.length }, (_, i) => rows.at(i)!);
  const twice = Array.from({ length: rows.length }, (_, i) => rows.at(i)!);
  assert.deepEqual(twice, once);
  assert.equal(rows.at(rows.length - 1), twice.at(-1));
  assert.throws(() => rows.at(3), /asked for row 3 after row 9/);
});
