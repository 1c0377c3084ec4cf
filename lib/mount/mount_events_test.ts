import assert from "node:assert/strict";
import { diffMounts } from "./mount_events.ts";
import type { Mount } from "./mountinfo.ts";
import { parseMountinfo } from "./mount_table.ts";

function changesOf(before: Mount[], after: Mount[]): string[] {
  return diffMounts(before, after).map((change) =>
    `${change.kind} ${change.mount.id} ${change.mount.target}`
  );
}

Deno.test("diffMounts: mount, umount (deepest first), move, remount, propagation", () => {
  const before = parseMountinfo(`1 0 0:1 / / rw - ext4 r rw
2 1 0:2 / /a rw - tmpfs t rw
3 2 0:3 / /a/b rw - tmpfs t rw
4 1 0:4 / /m rw - tmpfs t rw
5 1 0:5 / /r rw,relatime - tmpfs t rw
6 1 0:6 / /p rw - tmpfs t rw
`);
  const after = [
    before[0],
    ...parseMountinfo(`4 1 0:4 / /moved rw - tmpfs t rw
5 1 0:5 / /r ro,relatime - tmpfs t rw
6 1 0:6 / /p rw shared:9 - tmpfs t rw
7 1 0:7 / /new rw - tmpfs t rw
`),
  ];
  assert.deepEqual(changesOf(before, after), [
    "umount 3 /a/b",
    "umount 2 /a",
    "move 4 /moved",
    "remount 5 /r",
    "propagation 6 /p",
    "mount 7 /new",
  ]);
  const [, , move, remount, propagation] = diffMounts(before, after);
  assert.equal(move.before?.target, "/m");
  assert.equal(remount.before?.options, "rw,relatime");
  assert.equal(propagation.before?.peer, null);
  assert.equal(propagation.mount.peer, 9);
});

Deno.test("diffMounts: a reused id on another filesystem is an umount and a mount; fs options are a remount", () => {
  const table = (source: string, superOptions: string): Mount[] =>
    parseMountinfo(`1 0 0:1 / / rw - ext4 r rw
2 1 0:2 / /x rw - tmpfs ${source} ${superOptions}
`);
  const before = table("old", "rw");
  assert.deepEqual(changesOf(before, [before[0], table("new", "rw")[1]]), [
    "umount 2 /x",
    "mount 2 /x",
  ]);
  assert.deepEqual(changesOf(before, [before[0], table("old", "ro")[1]]), [
    "remount 2 /x",
  ]);
  assert.deepEqual(changesOf(before, before), []);
});

Deno.test("diffMounts: the runs two reads share are skipped; a change between them is found", () => {
  const before = parseMountinfo(
    Array.from(
      { length: 50 },
      (_, i) => `${i + 1} 1 0:${i + 1} / /m${i} rw - tmpfs t rw\n`,
    ).join(""),
  );
  const moved = parseMountinfo("20 1 0:20 / /elsewhere rw - tmpfs t rw\n");
  const after = [...before.slice(0, 19), ...moved, ...before.slice(20)];
  assert.deepEqual(changesOf(before, after), ["move 20 /elsewhere"]);
  assert.deepEqual(changesOf(before, before.slice(1)), ["umount 1 /m0"]);
  assert.deepEqual(changesOf(before.slice(0, 49), before), ["mount 50 /m49"]);
});
