import assert from "node:assert/strict";
import {
  NAMESPACE_KINDS,
  namespaceInode,
  namespaceInodes,
} from "./process_namespaces.ts";

Deno.test("a namespace's inode is the one /proc/self/ns/KIND links to", () => {
  for (const kind of NAMESPACE_KINDS) {
    assert.equal(
      namespaceInode("self", kind),
      Deno.statSync(`/proc/self/ns/${kind}`).ino,
    );
  }
  assert.equal(namespaceInodes("self")?.mnt, namespaceInode("self", "mnt"));
});

Deno.test("a process that is gone has no namespaces", () => {
  assert.equal(namespaceInode(2 ** 22 + 1, "mnt"), null);
  assert.equal(namespaceInodes(2 ** 22 + 1), null);
});
