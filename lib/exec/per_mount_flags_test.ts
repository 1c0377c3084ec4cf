import assert from "node:assert/strict";
import { MS } from "../../ffi/constants.ts";
import { perMountFlags } from "./per_mount_flags.ts";

Deno.test("every word the kernel writes maps to its flag", () => {
  assert.deepEqual(
    perMountFlags("ro,nosuid,nodev,noexec,noatime,nodiratime,nosymfollow"),
    {
      flags: MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.NOATIME |
        MS.NODIRATIME | MS.NOSYMFOLLOW,
      unknown: [],
    },
  );
  assert.deepEqual(perMountFlags("rw,relatime"), {
    flags: MS.RELATIME,
    unknown: [],
  });
});

Deno.test("neither noatime nor relatime is strictatime, said out loud", () => {
  assert.equal(perMountFlags("rw").flags, MS.STRICTATIME);
  assert.equal(
    perMountFlags("rw,nodiratime").flags,
    MS.NODIRATIME | MS.STRICTATIME,
  );
  assert.equal(perMountFlags("rw,noatime").flags & MS.STRICTATIME, 0);
  assert.equal(perMountFlags("rw,relatime").flags & MS.STRICTATIME, 0);
});

Deno.test("idmapped is known and no flag; unknown words are returned", () => {
  assert.deepEqual(perMountFlags("rw,relatime,idmapped"), {
    flags: MS.RELATIME,
    unknown: [],
  });
  assert.deepEqual(perMountFlags("rw,nosuid,lazytime,relatime,x=1"), {
    flags: MS.NOSUID | MS.RELATIME,
    unknown: ["lazytime", "x=1"],
  });
});

Deno.test("words are whole words, not prefixes", () => {
  assert.deepEqual(perMountFlags("rw,nosuidx,relatime").unknown, ["nosuidx"]);
  assert.deepEqual(perMountFlags("rw,toString,relatime").unknown, [
    "toString",
  ]);
});
