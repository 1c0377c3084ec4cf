/**
 * The comparer the isolate and set tests use against util-linux: its own
 * mountinfo splitter, and relabelling that hides numbering only.
 */
import assert from "node:assert/strict";
import {
  groupsOf,
  normalizeMountinfo,
  splitMountinfo,
} from "./mountinfo_compare.ts";

Deno.test("splitMountinfo reads the fields proc(5) names", () => {
  assert.deepEqual(
    splitMountinfo(
      "36 35 98:0 /mnt1 /a\\040b rw master:1 shared:4 unbindable - ext3 /dev/root rw\n",
    ),
    [{
      id: 36,
      parent: 35,
      root: "/mnt1",
      target: "/a\\040b",
      peer: 4,
      master: 1,
      unbindable: true,
      fstype: "ext3",
      source: "/dev/root",
    }],
  );
  assert.throws(
    () => splitMountinfo("36 35 98:0 / /a rw shared:1 ext3 /dev/root rw"),
    /^Error: not a mountinfo line \(proc\(5\)\): '36 35/,
  );
});

Deno.test("normalizeMountinfo hides numbering, not structure", () => {
  const one = [
    "20 1 0:30 / /t/a rw shared:5 - tmpfs ta rw",
    "21 20 0:30 /sub /t/a/b rw shared:5 master:2 - tmpfs ta rw",
  ].join("\n");
  const renumbered = [
    "70 1 0:31 / /u/a rw shared:9 - tmpfs ta rw",
    "71 70 0:31 /sub /u/a/b rw shared:9 master:2 - tmpfs ta rw",
  ].join("\n");
  const keepGroups = new Set([2]);
  assert.deepEqual(
    normalizeMountinfo(one, { prefix: "/t", keepGroups }),
    normalizeMountinfo(renumbered, { prefix: "/u", keepGroups }),
  );
  assert.deepEqual(normalizeMountinfo(one, { prefix: "/t", keepGroups }), [
    "m#0 m#1 $T/a / tmpfs ta g#2 - -",
    "m#3 m#0 $T/a/b /sub tmpfs ta g#2 group 2 -",
  ]);
  for (
    const changed of [
      renumbered.replace("shared:9 master:2", "shared:8 master:2"),
      renumbered.replace("master:2", "master:3"),
      renumbered.replace("/sub", "/"),
      renumbered.replace("rw shared:9 -", "rw unbindable -"),
    ]
  ) {
    assert.notDeepEqual(
      normalizeMountinfo(one, { prefix: "/t", keepGroups }),
      normalizeMountinfo(changed, { prefix: "/u", keepGroups }),
      changed,
    );
  }
  assert.deepEqual(groupsOf(one), new Set([5, 2]));
});
