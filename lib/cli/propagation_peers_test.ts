import assert from "node:assert/strict";
import { parseMountinfo } from "../mount/mount_table.ts";
import { peerGroupList } from "./propagation_peers.ts";

Deno.test("peers: every group with its members and its slaves, across namespaces, by id", () => {
  const a = {
    ns: 100,
    pid: 10,
    comm: "sh",
    mounts: parseMountinfo(
      `1 1 0:1 / / rw - ext4 r rw
11 1 0:9 / /x rw shared:3 - tmpfs x rw
12 1 0:9 /sub /z rw shared:3 master:1 - tmpfs x rw
`,
    ),
  };
  const b = {
    ns: 200,
    pid: 20,
    comm: "sleep",
    mounts: parseMountinfo(
      `2 2 0:1 / / rw - ext4 r rw
21 2 0:9 / /x rw master:3 - tmpfs x rw
`,
    ),
  };
  const groups = peerGroupList([a, b]);
  assert.deepEqual(groups.map((group) => group.id), [1, 3]);
  assert.deepEqual(groups[0].members, []);
  assert.deepEqual(groups[0].slaves.map((slave) => slave.mountId), [12]);
  assert.deepEqual(
    groups[1].members.map((member) =>
      `${member.ns} ${member.mountId} ${member.root}`
    ),
    ["100 11 /", "100 12 /sub"],
  );
  assert.deepEqual(groups[1].slaves, [{
    ns: 200,
    pid: 20,
    mountId: 21,
    target: "/x",
    root: "/",
    peer: null,
    master: 3,
  }]);
});
