import assert from "node:assert/strict";
import { type MountQuery, selectMounts } from "./findmnt_select.ts";
import { parseMountinfo } from "./mount_table.ts";

const MOUNTS = parseMountinfo([
  "1 0 8:1 / / rw - ext4 /dev/a rw",
  "9 1 0:9 / /b rw - tmpfs tb rw",
  "4 9 0:4 / /b/c rw - proc p rw",
  "3 1 0:3 / /a rw - tmpfs ta rw",
  "5 3 0:5 / /a rw - tmpfs top rw",
].join("\n"));

function select(query: MountQuery): string[] {
  const selection = selectMounts({
    length: MOUNTS.length,
    ids: () => MOUNTS.map((mount) => mount.id),
    parents: () => MOUNTS.map((mount) => mount.parent),
    mount: (index) => MOUNTS[index],
  }, query);
  const rows = selection.rows ?? MOUNTS.map((_, index) => index);
  return [...rows].map((index, row) =>
    "  ".repeat(selection.tree?.depth[row] ?? 0) + MOUNTS[index].id
  );
}

Deno.test("the tree: children by id; a filtered-out mount hands down its children", () => {
  assert.deepEqual(select({ tree: true }), [
    "1",
    "  3",
    "    5",
    "  9",
    "    4",
  ]);
  assert.deepEqual(select({ tree: true, types: "notmpfs" }), ["1", "  4"]);
});

Deno.test("a PATH is a source, then a mount point; -T falls back to the mount point containing", () => {
  const path = (path: string) => ({ path, canonical: path });
  assert.deepEqual(select({ tree: false, source: path("ta"), swap: true }), [
    "3",
  ]);
  assert.deepEqual(select({ tree: false, source: path("/a"), swap: true }), [
    "3",
    "5",
  ]);
  assert.deepEqual(
    selectMounts({
      length: MOUNTS.length,
      ids: () => MOUNTS.map((mount) => mount.id),
      parents: () => MOUNTS.map((mount) => mount.parent),
      mount: (index) => MOUNTS[index],
    }, { tree: false, source: path("/a/x"), swap: true }).status,
    1,
  );
  assert.deepEqual(
    select({ tree: false, target: path("/b/x/y"), containing: true }),
    ["9"],
  );
});

Deno.test("-U keeps the last mount on a mount point; -R a match and all below it", () => {
  assert.deepEqual(select({ tree: true, uniq: true }), [
    "1",
    "  5",
    "  9",
    "    4",
  ]);
  assert.deepEqual(
    select({
      tree: true,
      submounts: true,
      target: { path: "/b", canonical: null },
    }),
    ["9", "  4"],
  );
});
