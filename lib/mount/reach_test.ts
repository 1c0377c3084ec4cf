import assert from "node:assert/strict";
import { mountReachedBy } from "./lookup.ts";
import { parseMountinfo } from "./mount_table.ts";
import type { MountNamespace } from "./namespace.ts";
import { predictReach } from "./reach.ts";

function namespace(ns: number, pid: number, text: string): MountNamespace {
  return { ns, pid, comm: "sh", mounts: parseMountinfo(text) };
}

// Namespace A: /x shared:1 (its root /), /z a bind of x's /sub (shared:1),
// /y private, /s a slave of 1. Namespace B: /x a slave of 1, /w a peer of 1.
const A = namespace(
  100,
  10,
  `1 1 0:1 / / rw - ext4 root rw
11 1 0:9 / /x rw shared:1 - tmpfs hx rw
12 1 0:9 /sub /z rw shared:1 - tmpfs hx rw
13 1 0:8 / /y rw - tmpfs hy rw
14 1 0:9 / /s rw master:1 - tmpfs hx rw
`,
);
const B = namespace(
  200,
  20,
  `2 2 0:1 / / rw - ext4 root rw
21 2 0:9 / /x rw master:1 - tmpfs hx rw
22 2 0:9 / /w rw shared:1 - tmpfs hx rw
`,
);

Deno.test("reach: peers and slaves of peers, where their root holds the path", () => {
  const prediction = predictReach({ namespaces: [A, B], path: "/x/e" });
  assert.deepEqual(prediction.mount, { id: 11, target: "/x", ns: 100 });
  assert.deepEqual(
    prediction.reaches.map((place) =>
      `${place.ns} ${place.mountId} ${place.target}`
    ).sort(),
    ["100 11 /x/e", "100 14 /s/e", "200 21 /x/e", "200 22 /w/e"],
  );
  assert.deepEqual(
    prediction.misses.map((miss) => `${miss.mountId} ${miss.reason}`),
    ["12 its root /sub does not contain /e"],
  );
});

Deno.test("reach: a slave receives and never sends; a private mount sends nothing", () => {
  const fromSlave = predictReach({ namespaces: [B, A], path: "/x/e" });
  assert.deepEqual(fromSlave.reaches.map((place) => place.mountId), [21]);
  const fromPrivate = predictReach({ namespaces: [A, B], path: "/y/e" });
  assert.deepEqual(fromPrivate.reaches.map((place) => place.mountId), [13]);
});

Deno.test("reach: the mount is the one the kernel's path walk reaches", () => {
  // /x/y was mounted first; /x then covered it: a mount at /x/y/z lands on /x.
  const mounts = parseMountinfo(
    `1 1 0:1 / / rw - ext4 a rw
2 1 0:2 / /x/y rw shared:5 - tmpfs b rw
3 1 0:3 / /x rw - tmpfs c rw
4 3 0:4 / /x rw - tmpfs d rw
`,
  );
  assert.equal(mountReachedBy(mounts, "/x/y/z")?.id, 4);
  assert.equal(mountReachedBy(mounts, "/")?.id, 1);
  const prediction = predictReach({
    namespaces: [{ ns: 1, pid: 1, comm: "sh", mounts }],
    path: "/x/y/z",
  });
  assert.equal(prediction.mount.id, 4);
  assert.deepEqual(prediction.reaches.map((place) => place.mountId), [4]);
});
