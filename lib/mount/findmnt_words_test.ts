import assert from "node:assert/strict";
import {
  findmntPropagation,
  isPseudoFs,
  mergedOptions,
  samePath,
} from "./findmnt_words.ts";

Deno.test("OPTIONS merges as libmount: rw or ro once, first", () => {
  assert.equal(
    mergedOptions("rw,relatime", "rw,size=4k"),
    "rw,relatime,size=4k",
  );
  assert.equal(mergedOptions("ro,nosuid", "ro,mode=755"), "ro,nosuid,mode=755");
  assert.equal(mergedOptions("ro,relatime", "rw"), "ro,relatime");
  assert.equal(mergedOptions("rw", "rw"), "rw");
});

Deno.test("PROPAGATION words, pseudo filesystems and path equality", () => {
  assert.equal(
    findmntPropagation({ peer: 1, master: 2, unbindable: false }),
    "shared,slave",
  );
  assert.equal(
    findmntPropagation({ peer: null, master: null, unbindable: true }),
    "private,unbindable",
  );
  assert.ok(isPseudoFs("proc") && !isPseudoFs("ext4"));
  assert.ok(samePath("/a//b/", "/a/b") && !samePath("/a", "/ab"));
});
