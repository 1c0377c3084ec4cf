import assert from "node:assert/strict";
import type { Mount } from "./mountinfo.ts";
import { parseMountinfo } from "./mount_table.ts";
import {
  eventAtPaths,
  type NamespaceRead,
  noticeAtPaths,
  type WatchedNamespace,
  watchEvents,
} from "./watch_events.ts";

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
    copiedFrom: null,
  };
  assert.ok(noticeAtPaths(notice, []));
  assert.ok(noticeAtPaths(notice, ["/srv"]));
  assert.ok(!noticeAtPaths(notice, ["/tmp"]));
});
