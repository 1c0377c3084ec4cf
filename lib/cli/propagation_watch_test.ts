import assert from "node:assert/strict";
import { parseMountinfo } from "../mount/mount_table.ts";
import { watchEvents } from "../mount/watch_events.ts";
import { watchJson, watchText } from "./propagation_watch.ts";

// A mount on /x (peer group 1) in namespace 100, copied to its peer in 200
// and its slave in 300; a mount with a newline and `\x` in its name.
function report(): Parameters<typeof watchText>[0] {
  const spots = [
    [100, 10, "2 1 0:2 / /x rw shared:1", "40 2 0:4 / /x/n rw shared:5"],
    [200, 20, "12 11 0:2 / /x rw shared:1", "41 12 0:4 / /x/n rw shared:5"],
    [300, 30, "22 21 0:2 / /x rw master:1", "42 22 0:4 / /x/n rw master:5"],
  ] as const;
  const reads = spots.map(([ns, pid, parent, child]) => {
    const before = parseMountinfo(`${parent} - tmpfs t rw\n`);
    const added = parseMountinfo(`${child} - tmpfs t rw\n`);
    return {
      namespace: { ns, pid, comm: "sh" },
      before,
      after: [...before, ...added],
    };
  });
  reads[0].after.push(
    ...parseMountinfo("43 2 0:7 / /x/a\\012b\\134x rw - tmpfs t rw\n"),
  );
  return {
    time: new Date(2026, 10, 27, 14, 3, 7, 512),
    appeared: [],
    events: watchEvents(reads),
    gone: [{
      change: "gone",
      namespace: { ns: 300, pid: 30, comm: "c" },
      mounts: [],
      copiedFrom: null,
    }],
    start: null,
    warnings: [],
  };
}

Deno.test("watchText: one line an event, a line a copy, names escaped", () => {
  assert.equal(
    watchText(report()),
    "14:03:07.512 mount /x/n in ns 100 (pid 10): id 40, tmpfs t, rw, shared:5\n" +
      "  arrived at /x/n in ns 200 (pid 20): id 41 via peer group 1, shared:5\n" +
      "  arrived at /x/n in ns 300 (pid 30): id 42 as slave of group 1, master:5\n" +
      "14:03:07.512 mount /x/a\\x0ab\\x5cx in ns 100 (pid 10): id 43, tmpfs t, rw, private\n" +
      "14:03:07.512 namespace 300 gone: no process is left in it\n",
  );
});

Deno.test("watchJson: one object a line, with the documented keys", () => {
  const { time } = report();
  const objects = watchJson(report()).trimEnd().split("\n").map((text) =>
    JSON.parse(text)
  );
  assert.equal(objects.length, 3);
  assert.deepEqual(Object.keys(objects[0]), [
    "time",
    "event",
    "ns",
    "pid",
    "newNamespace",
    "late",
    "mountId",
    "parent",
    "target",
    "source",
    "fstype",
    "options",
    "superOptions",
    "propagation",
    "peer",
    "master",
    "before",
    "copies",
  ]);
  assert.equal(objects[0].time, time.toISOString());
  assert.deepEqual(objects[0].copies[1].via, { as: "slave", group: 1 });
  assert.equal(objects[0].copies[1].master, 5);
  assert.equal(objects[1].target, "/x/a\nb\\x");
  assert.deepEqual(objects[2], {
    time: time.toISOString(),
    event: "namespace",
    change: "gone",
    ns: 300,
    pid: 30,
    comm: "c",
  });
});

Deno.test("watchText and watchJson: the start line, a warning, a namespace copied from another, a late mount", () => {
  const namespace = { ns: 200, pid: 20, comm: "sh" };
  const mounts = parseMountinfo("5 4 0:9 / /mnt rw - tmpfs early rw\n");
  const events = watchEvents([{
    namespace,
    before: null,
    after: mounts,
    baseline: [],
  }]);
  const report = {
    time: new Date(2026, 10, 27, 14, 3, 7, 512),
    start: {
      namespaces: 3,
      discovery: { how: "process events" as const, why: null },
    },
    warnings: [{
      kind: "overflow" as const,
      detail: "the kernel's queue of process events overflowed",
      ns: null,
      pid: null,
    }],
    appeared: [{
      change: "appeared" as const,
      namespace,
      mounts,
      copiedFrom: 100,
    }],
    events,
    gone: [],
  };
  assert.equal(
    watchText(report),
    "14:03:07.512 watching 3 namespaces: mount events by poll(2) on each mountinfo; new namespaces found as processes exec (process events connector)\n" +
      "14:03:07.512 warning: the kernel's queue of process events overflowed\n" +
      "14:03:07.512 namespace 200 appeared: pid 20 (sh), copied from ns 100\n" +
      "14:03:07.512 mount /mnt in new ns 200 (pid 20), seen late: id 5, tmpfs early, rw, private\n",
  );
  const [start, warning, appeared, mount] = watchJson(report).trimEnd()
    .split("\n").map((text) => JSON.parse(text));
  assert.deepEqual(
    [start.event, start.discovery, start.namespaces],
    ["watch", "process events", 3],
  );
  assert.deepEqual([warning.event, warning.kind], ["warning", "overflow"]);
  assert.equal(appeared.copiedFrom, 100);
  assert.deepEqual([mount.event, mount.late, mount.ns], ["mount", true, 200]);
});
