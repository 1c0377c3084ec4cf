import assert from "node:assert/strict";
import { renderTable } from "./table.ts";
import { mountTree } from "../../tests/tree_text.ts";
import { parseMountinfo } from "../mount/mount_table.ts";
import { mountAt, mountContaining } from "../mount/lookup.ts";
import { peerGroupLines } from "./propagation_show.ts";
import type { Mount } from "../mount/mountinfo.ts";

const MOUNTS = parseMountinfo(
  [
    "1 0 0:1 / / rw - ext4 /dev/vda rw",
    "2 1 0:2 / /x rw shared:3 - tmpfs t rw",
    "3 1 0:3 / /z rw shared:3 - tmpfs t rw",
    "4 3 0:4 / /z/foo rw shared:4 - proc proc rw",
    "5 2 0:4 / /x/foo rw shared:4 - proc proc rw",
    "6 1 0:5 / /y rw - tmpfs t rw",
    "7 6 0:6 / /y rw master:3 - tmpfs t rw",
  ].join("\n"),
);

Deno.test("renders aligned columns without trailing blanks", () => {
  assert.equal(
    renderTable({
      headers: ["TARGET", "PROPAGATION", "PEER"],
      rows: [["/", "private", ""], ["/long/path", "shared", "3"]],
    }),
    "TARGET     PROPAGATION PEER\n/          private\n/long/path shared      3\n",
  );
});

Deno.test("draws the mount tree as findmnt does", () => {
  assert.deepEqual(
    mountTree(MOUNTS).rows.map((row) => row.prefix + row.mount.target),
    ["/", "├─/x", "│ └─/x/foo", "├─/z", "│ └─/z/foo", "└─/y", "  └─/y"],
  );
});

Deno.test("finds the mount a path lives on, the top one of a stack", () => {
  assert.equal(mountContaining(MOUNTS, "/x/foo/1/status")?.id, 5);
  assert.equal(mountContaining(MOUNTS, "/etc/passwd")?.id, 1);
  assert.equal(mountContaining(MOUNTS, "/y/a")?.id, 7);
  assert.equal(mountAt(MOUNTS, "/y")?.id, 7);
  assert.equal(mountAt(MOUNTS, "/etc"), undefined);
});

/** The peer group lines under a listing of these mounts. */
function peerGroupSummary(mounts: readonly Mount[]): string[] {
  return peerGroupLines({
    length: mounts.length,
    peer: (row) => mounts[row].peer,
    mount: (row) => mounts[row],
  });
}

Deno.test("names each peer group with more than one member", () => {
  assert.deepEqual(peerGroupSummary(MOUNTS), [
    "peer group 3: /x, /z",
    "peer group 4: /z/foo, /x/foo",
  ]);
});

Deno.test("a peer group past 8 members: how many, and the first 5", () => {
  const lines = ["1 0 0:1 / / rw - ext4 /dev/vda rw"];
  for (let id = 2; id <= 1201; id++) {
    lines.push(`${id} 1 0:2 / /m${id} rw shared:3 - tmpfs t rw`);
  }
  assert.deepEqual(peerGroupSummary(parseMountinfo(lines.join("\n"))), [
    "peer group 3: 1,200 mounts: /m2, /m3, /m4, /m5, /m6, … ('mntns propagation peers' lists all)",
  ]);
});

Deno.test("escapes cells for the terminal, aligning on what is shown", () => {
  assert.equal(
    renderTable({
      headers: ["TARGET", "SOURCE"],
      rows: [["/a\nfake row", "x"], ["/b\udcff", "y\x1b[2J"], ["/c", "z"]],
    }),
    [
      "TARGET         SOURCE",
      "/a\\x0afake row x",
      "/b\\xff         y\\x1b[2J",
      "/c             z",
      "",
    ].join("\n"),
  );
});

Deno.test("peer group lines escape the mount points they name", () => {
  const mounts = parseMountinfo(
    [
      "1 0 0:1 / / rw - ext4 /dev/vda rw",
      "2 1 0:2 / /a\\012b rw shared:3 - tmpfs t rw",
      "3 1 0:2 / /c\x1b[0m rw shared:3 - tmpfs t rw",
    ].join("\n"),
  );
  assert.deepEqual(peerGroupSummary(mounts), [
    "peer group 3: /a\\x0ab, /c\\x1b[0m",
  ]);
});

Deno.test("tables: numbers right-aligned, raw mode, no headings, colour around the text", () => {
  const table = {
    headers: ["TARGET", "ID", "PEER"],
    rows: [["/", "1", "-"], ["/a b", "123", "7"]],
    align: ["left", "right", "right"] as const,
  };
  assert.equal(
    renderTable(table),
    "TARGET  ID PEER\n/        1    -\n/a b   123    7\n",
  );
  assert.equal(
    renderTable({ ...table, raw: true }),
    "TARGET ID PEER\n/ 1 -\n/a\\x20b 123 7\n",
  );
  assert.equal(
    renderTable({ ...table, noHeadings: true }),
    // Widths still count the headers, as findmnt's -n does.
    "/        1    -\n/a b   123    7\n",
  );
  assert.equal(
    renderTable({
      ...table,
      color: (row, column) => row === 1 && column === 2 ? "32" : null,
    }),
    "TARGET  ID PEER\n/        1    -\n/a b   123    \x1b[32m7\x1b[0m\n",
  );
});
