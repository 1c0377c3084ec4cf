import assert from "node:assert/strict";
import {
  mountinfoPath,
  readMountinfo,
  readMountTable,
} from "./read_mountinfo.ts";

const LINES = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n" +
  "2 1 0:21 / /proc rw shared:3 - proc proc rw\n" +
  "3 1 0:30 / /mnt/a\\040b rw master:3 - tmpfs t rw\n";

Deno.test("mountinfoPath: this process's, a PID's, or a saved file", () => {
  assert.equal(mountinfoPath({ kind: "self" }), "/proc/self/mountinfo");
  assert.equal(
    mountinfoPath({ kind: "ns", path: "/run/ns" }),
    "/proc/self/mountinfo",
  );
  assert.equal(mountinfoPath({ kind: "pid", pid: 42 }), "/proc/42/mountinfo");
  assert.equal(mountinfoPath({ kind: "file", path: "/x" }), "/x");
});

Deno.test("a saved mountinfo reads the same as a mount list and as a table", () => {
  const path = Deno.makeTempFileSync({ prefix: "mntns-mountinfo-" });
  try {
    Deno.writeTextFileSync(path, LINES);
    const mounts = readMountinfo({ kind: "file", path });
    assert.deepEqual(mounts.map((mount) => mount.target), [
      "/",
      "/proc",
      "/mnt/a b",
    ]);
    assert.deepEqual(mounts.map((mount) => mount.peer), [null, 3, null]);
    assert.equal(readMountTable({ kind: "file", path }).length, 3);
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("this process's own mountinfo has a root", () => {
  assert.ok(
    readMountinfo({ kind: "self" }).some((mount) => mount.target === "/"),
  );
});
