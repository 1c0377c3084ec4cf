import assert from "node:assert/strict";
import { lateMounts } from "./late_mounts.ts";
import { parseMountinfo } from "./mount_table.ts";

Deno.test("late mounts: a copy matches once by place and filesystem, new ids and options aside; a stacked mount is left over", () => {
  const parent = parseMountinfo(
    "1 1 8:1 / / rw - ext4 /dev/sda1 rw\n" +
      "2 1 0:30 / /tmp rw shared:3 - tmpfs tmp rw\n",
  );
  const child = parseMountinfo(
    "7 7 8:1 / / rw - ext4 /dev/sda1 rw\n" +
      "8 7 0:30 / /tmp ro - tmpfs tmp rw\n" +
      "9 8 0:30 / /tmp rw - tmpfs tmp rw\n" +
      "10 8 7:0 / /tmp/img rw - ext4 /dev/loop0 rw\n",
  );
  assert.deepEqual(lateMounts(child, parent).map((mount) => mount.id), [9, 10]);
  assert.deepEqual(lateMounts(parent, parent), []);
});
