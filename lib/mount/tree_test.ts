/**
 * The tree view shows every mount the list shows: a mount that cannot hang
 * below its parent is put at the top level and named in one warning.
 */
import assert from "node:assert/strict";
import { topLevelWarning } from "./tree.ts";
import { mountTree } from "../../tests/tree_text.ts";
import { parseMountinfo } from "./mount_table.ts";

/** Each row as prefix + target, and the top-level mounts as `id reason`. */
function draw(lines: string[]): { rows: string[]; topLevel: string[] } {
  const tree = mountTree(parseMountinfo(lines.join("\n")));
  return {
    rows: tree.rows.map((row) => row.prefix + row.mount.target),
    topLevel: tree.topLevel.map(({ mount, reason }) => `${mount.id} ${reason}`),
  };
}

Deno.test("a plain tree puts nothing at the top level but its root", () => {
  assert.deepEqual(
    draw([
      "1 0 0:1 / / rw - ext4 /dev/vda rw",
      "2 1 0:2 / /a rw - tmpfs t rw",
      "3 2 0:3 / /a/b rw - tmpfs t rw",
    ]),
    { rows: ["/", "└─/a", "  └─/a/b"], topLevel: [] },
  );
});

Deno.test("two mounts whose parents form a cycle: both shown, one named", () => {
  // The example: printf '1 2 0:1 / / rw - ext4 /dev/a rw\n2 1 ...'
  const mounts = parseMountinfo(
    "1 2 0:1 / / rw - ext4 /dev/a rw\n2 1 0:2 / /x rw - tmpfs b rw\n",
  );
  const tree = mountTree(mounts);
  assert.deepEqual(
    tree.rows.map((row) => row.prefix + row.mount.target),
    ["/", "└─/x"],
  );
  assert.equal(
    topLevelWarning(tree.topLevel),
    "mntns: warning: 1 mount put at the top level of the tree: / (id 1: its parents form a cycle)",
  );
});

Deno.test("a cycle beside the root, with a mount hanging below it", () => {
  assert.deepEqual(
    draw([
      "1 0 0:1 / / rw - ext4 /dev/vda rw",
      "5 9 0:5 / /c/d rw - tmpfs t rw",
      "7 5 0:7 / /c/d/e rw - tmpfs t rw",
      "8 7 0:8 / /c/d/e/f rw - tmpfs t rw",
      "9 8 0:9 / /c rw - tmpfs t rw",
      "6 7 0:6 / /hang rw - tmpfs t rw",
    ]),
    {
      rows: [
        "/",
        "/c/d",
        "└─/c/d/e",
        "  ├─/hang",
        "  └─/c/d/e/f",
        "    └─/c",
      ],
      topLevel: ["5 cycle"],
    },
  );
});

Deno.test("a repeated id: both shown, the repeat at the top level", () => {
  assert.deepEqual(
    draw([
      "1 0 0:1 / / rw - ext4 /dev/vda rw",
      "2 1 0:2 / /a rw - tmpfs t rw",
      "2 1 0:3 / /b rw - tmpfs t rw",
      "3 2 0:4 / /a/c rw - tmpfs t rw",
    ]),
    {
      rows: ["/", "└─/a", "  └─/a/c", "/b"],
      topLevel: ["2 repeated-id"],
    },
  );
});

Deno.test("a repeat before the root, a self-parent and a missing parent", () => {
  assert.deepEqual(
    draw([
      "4 1 0:4 / /x rw - tmpfs t rw",
      "4 1 0:5 / /y rw - tmpfs t rw",
      "1 0 0:1 / / rw - ext4 /dev/vda rw",
      "6 6 0:6 / /self rw - tmpfs t rw",
      "7 99 0:7 / /lost rw - tmpfs t rw",
      "8 7 0:8 / /lost/k rw - tmpfs t rw",
    ]),
    {
      rows: ["/", "└─/x", "/self", "/lost", "└─/lost/k", "/y"],
      topLevel: ["6 missing-parent", "7 missing-parent", "4 repeated-id"],
    },
  );
  const tree = mountTree(
    parseMountinfo(
      "1 0 0:1 / / rw - ext4 a rw\n6 6 0:6 / /s rw - tmpfs t rw\n7 99 0:7 / /l\\012x rw - tmpfs t rw\n",
    ),
  );
  assert.equal(
    topLevelWarning(tree.topLevel),
    "mntns: warning: 2 mounts put at the top level of the tree: /s (id 6: its own parent), /l\\x0ax (id 7: parent 99 not listed)",
  );
});

Deno.test("the warning names ten mounts and counts the rest", () => {
  const lines = ["1 0 0:1 / / rw - ext4 /dev/vda rw"];
  for (let id = 2; id <= 13; id++) {
    lines.push(`${id} 999 0:${id} / /m${id} rw - tmpfs t rw`);
  }
  const tree = mountTree(parseMountinfo(lines.join("\n")));
  assert.equal(tree.rows.length, 13);
  const warning = topLevelWarning(tree.topLevel)!;
  assert.match(warning, /^mntns: warning: 12 mounts put at the top level/);
  assert.match(warning, /\/m11 \(id 11: parent 999 not listed\), and 2 more$/);
  assert.equal(warning.includes("\n"), false);
});

Deno.test("a deep chain and a long cycle stay off the call stack", () => {
  const count = 20_000;
  const chain = Array.from(
    { length: count },
    (_, i) => `${i + 1} ${i} 0:1 / /d rw - tmpfs t rw`,
  );
  assert.equal(mountTree(parseMountinfo(chain.join("\n"))).rows.length, count);
  const cycle = Array.from(
    { length: count },
    (_, i) => `${i + 1} ${i === 0 ? count : i} 0:1 / /d rw - tmpfs t rw`,
  );
  const tree = mountTree(parseMountinfo(cycle.join("\n")));
  assert.equal(tree.rows.length, count);
  assert.deepEqual(tree.topLevel.map((top) => top.mount.id), [1]);
});

Deno.test("children in mount-id order, as findmnt, not in file order", () => {
  assert.deepEqual(
    draw([
      "1 0 0:1 / / rw - ext4 /dev/vda rw",
      "9 1 0:9 / /b rw - tmpfs t rw",
      "4 1 0:4 / /c rw - tmpfs t rw",
    ]).rows,
    ["/", "├─/c", "└─/b"],
  );
});

Deno.test("the root is libmount's: the smallest parent id, climbed up", () => {
  assert.deepEqual(
    draw([
      "5 40 0:5 / /other rw - tmpfs t rw",
      "2 30 0:1 / / rw - ext4 /dev/vda rw",
      "3 2 0:3 / /x rw - tmpfs t rw",
    ]).rows,
    ["/", "└─/x", "/other"],
  );
});
