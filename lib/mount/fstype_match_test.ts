import assert from "node:assert/strict";
import { matchesTypes } from "./fstype_match.ts";

Deno.test("-t lists match as libmount's match_fstype", () => {
  const cases: [string, string, boolean][] = [
    ["tmpfs", "tmpfs", true],
    ["tmpfs", "proc,tmpfs", true],
    ["ext4", "proc,tmpfs", false],
    ["tmpfs", "notmpfs", false],
    ["ext4", "notmpfs", true],
    ["proc", "notmpfs,proc", false],
    ["ext4", "notmpfs,proc", true],
    ["proc", "tmpfs,noproc", false],
    ["tmpfs", "tmpfs,noproc", true],
    ["ext4", "tmpfs,noproc", false],
    ["tmpfs", "TMPFS", true],
    ["tmpfs", "tmp", false],
    ["fuse.sshfs", "fuse.sshfs", true],
  ];
  for (const [type, list, expected] of cases) {
    assert.equal(matchesTypes(type, list), expected, `${type} in ${list}`);
  }
});
