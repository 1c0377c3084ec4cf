import assert from "node:assert/strict";
import { findHazards } from "./hazards.ts";
import { parseMountinfo } from "./mount_table.ts";

const SHARED_ROOT = {
  ns: 1,
  pid: 7,
  comm: "sh",
  mounts: parseMountinfo(
    `1 0 0:1 / / rw shared:1 - ext4 root rw
2 1 0:2 / /srv rw shared:1 - ext4 root rw
3 1 0:3 / /orphan rw master:9 - tmpfs t rw
4 1 0:4 / /rootfs rw - tmpfs r rw
`,
  ),
};

Deno.test("hazards: a shared /, a rootfs under a shared parent or no mount point, an orphaned slave", () => {
  const hazards = findHazards({
    namespaces: [SHARED_ROOT],
    rootfs: ["/srv/x", "/rootfs"],
    allNamespaces: false,
  });
  assert.deepEqual(
    hazards.map((hazard) => `${hazard.kind} ${hazard.target}`),
    [
      "shared-root /",
      "pivot-root /srv/x",
      "pivot-root /rootfs",
      "orphan-slave /orphan",
    ],
  );
  assert.ok(hazards.every((hazard) => hazard.ns === 1 && hazard.pid === 7));
});

Deno.test("hazards: nothing to say about a private tree", () => {
  const clean = {
    ...SHARED_ROOT,
    mounts: parseMountinfo("1 0 0:1 / / rw - ext4 root rw\n"),
  };
  assert.deepEqual(
    findHazards({ namespaces: [clean], rootfs: [], allNamespaces: true }),
    [],
  );
});
