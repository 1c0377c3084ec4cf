/**
 * The watch's pure parts, without root: one table's changes, the grouping
 * of one event's copies across namespaces, the path filters, and the text
 * and JSON lines.
 */
import assert from "node:assert/strict";
import { watchJson, watchText } from "../lib/cli/propagation_watch.ts";
import { diffMounts } from "../lib/mount/mount_events.ts";
import { type Mount, parseMountinfo } from "../lib/mount/mountinfo.ts";
import {
  eventAtPaths,
  type NamespaceRead,
  noticeAtPaths,
  type WatchedNamespace,
  watchEvents,
} from "../lib/mount/watch_events.ts";

/** Mounts from mountinfo lines. */
function mounts(...lines: string[]): Mount[] {
  return parseMountinfo(lines.join("\n"));
}

/** A mountinfo line: id, parent, target, optional fields, source. */
function line(
  id: number,
  parent: number,
  target: string,
  fields = "",
  source = "t",
): string {
  return `${id} ${parent} 0:${id} / ${target} rw,relatime${
    fields === "" ? "" : ` ${fields}`
  } - tmpfs ${source} rw`;
}

const A: WatchedNamespace = { ns: 100, pid: 10, comm: "a" };
const B: WatchedNamespace = { ns: 200, pid: 20, comm: "b" };
const C: WatchedNamespace = { ns: 300, pid: 30, comm: "c" };

function changesOf(before: Mount[], after: Mount[]): string[] {
  return diffMounts(before, after).map((change) =>
    `${change.kind} ${change.mount.id} ${change.mount.target}`
  );
}

Deno.test("diffMounts: mount, umount (deepest first), move, remount, propagation", () => {
  const before = mounts(
    line(1, 0, "/"),
    line(2, 1, "/a"),
    line(3, 2, "/a/b"),
    line(4, 1, "/m"),
    line(5, 1, "/r"),
    line(6, 1, "/p"),
  );
  const after = [
    before[0],
    ...mounts(
      line(4, 1, "/moved"),
      line(5, 1, "/r").replace("rw,relatime", "ro,relatime"),
      line(6, 1, "/p", "shared:9"),
      line(7, 1, "/new"),
    ),
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
  const before = mounts(line(1, 0, "/"), line(2, 1, "/x", "", "old"));
  assert.deepEqual(
    changesOf(before, mounts(line(1, 0, "/"), line(2, 1, "/x", "", "new"))),
    ["umount 2 /x", "mount 2 /x"],
  );
  const superChanged = mounts(line(1, 0, "/"), line(2, 1, "/x", "", "old"))
    .map((mount) => ({ ...mount, superOptions: "ro" }));
  assert.deepEqual(changesOf(before, superChanged), [
    "remount 1 /",
    "remount 2 /x",
  ]);
  assert.deepEqual(changesOf(before, before), []);
});

/**
 * A shared /x (group 1) in A, its peer in B, its slave in C; then a mount
 * on /x in A that the kernel copied: peers join its new group 5, the
 * slave's copy is a slave of 5.
 */
function propagatedMount(): NamespaceRead[] {
  const a = mounts(line(1, 0, "/"), line(2, 1, "/x", "shared:1"));
  const b = mounts(line(11, 0, "/"), line(12, 11, "/x", "shared:1"));
  const c = mounts(line(21, 0, "/"), line(22, 21, "/x", "master:1"));
  return [
    {
      namespace: A,
      before: a,
      after: [...a, ...mounts(line(40, 2, "/x/n", "shared:5"))],
    },
    {
      namespace: B,
      before: b,
      after: [...b, ...mounts(line(41, 12, "/x/n", "shared:5"))],
    },
    {
      namespace: C,
      before: c,
      after: [...c, ...mounts(line(42, 22, "/x/n", "master:5"))],
    },
  ];
}

Deno.test("watchEvents: one mount and its copies are one event, told from the lowest mount id", () => {
  const reads = propagatedMount();
  for (const order of [reads, [reads[2], reads[1], reads[0]]]) {
    const events = watchEvents(order);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event.kind, "mount");
    assert.equal(event.origin.namespace, A);
    assert.equal(event.origin.mount.id, 40);
    assert.deepEqual(
      event.copies.map((copy) => [copy.namespace.ns, copy.mount.id, copy.via])
        .sort(),
      [
        [200, 41, { as: "peer", group: 1 }],
        [300, 42, { as: "slave", group: 1 }],
      ],
    );
  }
});

Deno.test("watchEvents: unrelated mounts in one read stay apart; a private mount has no copies", () => {
  const a = mounts(line(1, 0, "/"), line(2, 1, "/x", "shared:1"));
  const c = mounts(line(21, 0, "/"), line(22, 21, "/x", "master:1"));
  const events = watchEvents([
    {
      namespace: A,
      before: a,
      after: [...a, ...mounts(line(50, 2, "/x/a", "shared:6"))],
    },
    { namespace: C, before: c, after: [...c, ...mounts(line(51, 22, "/x/c"))] },
  ]);
  assert.deepEqual(
    events.map((event) => [event.origin.namespace.ns, event.copies.length]),
    [[100, 0], [300, 0]],
  );
});

Deno.test("watchEvents: an unmount that took its copies is one event, told from the first namespace", () => {
  const reads = propagatedMount().map((read) => ({
    namespace: read.namespace,
    before: read.after,
    after: read.before!,
  }));
  const [event, ...rest] = watchEvents([reads[1], reads[0], reads[2]]);
  assert.deepEqual(rest, []);
  assert.equal(event.kind, "umount");
  assert.equal(event.origin.namespace, B);
  assert.deepEqual(
    event.copies.map((copy) => [copy.namespace.ns, copy.via?.as]),
    [[100, "peer"], [300, "slave"]],
  );
});

Deno.test("watchEvents: a move onto a shared mount is the origin of the copies it made", () => {
  const a = mounts(
    line(1, 0, "/"),
    line(2, 1, "/x", "shared:1"),
    line(3, 1, "/away"),
  );
  const b = mounts(line(11, 0, "/"), line(12, 11, "/x", "shared:1"));
  const [event] = watchEvents([
    {
      namespace: A,
      before: a,
      after: [a[0], a[1], ...mounts(line(3, 2, "/x/away", "shared:7"))],
    },
    {
      namespace: B,
      before: b,
      after: [...b, ...mounts(line(30, 12, "/x/away", "shared:7"))],
    },
  ]);
  assert.equal(event.kind, "move");
  assert.equal(event.origin.before?.target, "/away");
  assert.deepEqual(event.copies.map((copy) => copy.mount.id), [30]);
});

Deno.test("watchEvents: a namespace found in this read holds the origin of a new group's mount", () => {
  const a = mounts(line(1, 0, "/"), line(2, 1, "/x", "shared:1"));
  const found = mounts(
    line(60, 0, "/"),
    line(61, 60, "/x", "shared:1"),
    line(62, 61, "/x/leak", "shared:8", "leak"),
  );
  const F: WatchedNamespace = { ns: 400, pid: 40, comm: "sh" };
  const events = watchEvents([
    {
      namespace: A,
      before: a,
      after: [...a, ...mounts(line(63, 2, "/x/leak", "shared:8", "leak"))],
    },
    { namespace: F, before: null, after: found },
  ]);
  assert.equal(events.length, 1);
  assert.equal(events[0].origin.namespace, F);
  assert.equal(events[0].origin.newNamespace, true);
  assert.equal(events[0].origin.mount.id, 62);
  assert.deepEqual(
    events[0].copies.map((
      copy,
    ) => [copy.namespace.ns, copy.mount.id, copy.newNamespace, copy.via]),
    [[100, 63, false, { as: "peer", group: 1 }]],
  );
  assert.deepEqual(
    watchEvents([{ namespace: F, before: null, after: found }]),
    [],
  );
});

Deno.test("eventAtPaths and noticeAtPaths: at or below a path, anywhere the event went", () => {
  const [event] = watchEvents(propagatedMount());
  assert.ok(eventAtPaths(event, []));
  assert.ok(eventAtPaths(event, ["/x/n"]));
  assert.ok(eventAtPaths(event, ["/x"]));
  assert.ok(!eventAtPaths(event, ["/x/n/deeper", "/y", "/x/nn"]));
  const notice = {
    change: "appeared" as const,
    namespace: B,
    mounts: mounts(line(1, 0, "/"), line(2, 1, "/srv/demo")),
  };
  assert.ok(noticeAtPaths(notice, []));
  assert.ok(noticeAtPaths(notice, ["/srv"]));
  assert.ok(!noticeAtPaths(notice, ["/tmp"]));
});

Deno.test("watchText: one line an event, a line a copy, names escaped; watchJson: one object a line", () => {
  const reads = propagatedMount();
  const odd = mounts(line(43, 2, "/x/a\\012b\\134x"));
  reads[0] = { ...reads[0], after: [...reads[0].after, ...odd] };
  const time = new Date(2026, 10, 27, 14, 3, 7, 512);
  const report = {
    time,
    appeared: [],
    events: watchEvents(reads),
    gone: [{ change: "gone" as const, namespace: C, mounts: [] }],
  };
  assert.equal(
    watchText(report),
    "14:03:07.512 mount /x/n in ns 100 (pid 10): id 40, tmpfs t, rw,relatime, shared:5\n" +
      "  arrived at /x/n in ns 200 (pid 20): id 41 via peer group 1, shared:5\n" +
      "  arrived at /x/n in ns 300 (pid 30): id 42 as slave of group 1, master:5\n" +
      "14:03:07.512 mount /x/a\\x0ab\\x5cx in ns 100 (pid 10): id 43, tmpfs t, rw,relatime, private\n" +
      "14:03:07.512 namespace 300 gone: no process is left in it\n",
  );
  const objects = watchJson(report).trimEnd().split("\n").map((text) =>
    JSON.parse(text)
  );
  assert.equal(objects.length, 3);
  assert.deepEqual(Object.keys(objects[0]), [
    "time",
    "event",
    "ns",
    "pid",
    "newNamespace",
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
