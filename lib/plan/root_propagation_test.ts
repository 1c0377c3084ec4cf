import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import {
  isRootPropagation,
  parseRootPropagation,
  ROOT_PROPAGATIONS,
} from "./root_propagation.ts";

Deno.test("a root propagation is one of private, shared, slave and unchanged", () => {
  assert.deepEqual([...ROOT_PROPAGATIONS].sort(), [
    "private",
    "shared",
    "slave",
    "unchanged",
  ]);
  assert.equal(parseRootPropagation("slave", "mntns isolate"), "slave");
  assert.equal(isRootPropagation("unbindable"), false);
  assert.throws(
    () => parseRootPropagation("unbindable", "mntns isolate"),
    (error) =>
      error instanceof UsageError &&
      error.message ===
        "unsupported propagation mode 'unbindable' (one of: private, shared, slave, unchanged)",
  );
});
