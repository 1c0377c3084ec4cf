import assert from "node:assert/strict";
import { isolateSetupOps } from "./isolate_plan.ts";
import { describeSetupOp } from "./setup_ops.ts";

const COMMAND = {
  argv: ["true"],
  env: [],
  signals: { ignored: [], blocked: [] },
};

Deno.test("isolate plan: --mount=FILE keeps the namespace right after the unshare, as unshare --mount=FILE", () => {
  const ops = isolateSetupOps({
    keep: "/run/ns/box",
    propagation: "private",
    uts: true,
    hostname: "box",
    command: COMMAND,
  });
  assert.deepEqual(ops.map((op) => op.op), [
    "unshare",
    "keep-namespace",
    "root-propagation",
    "hostname",
  ]);
  assert.equal(
    describeSetupOp(ops[1]),
    "keep         the new mount namespace, bound at /run/ns/box (remove it: umount /run/ns/box)",
  );
  assert.deepEqual(
    isolateSetupOps({ propagation: "unchanged", uts: false, command: COMMAND }),
    [{ op: "unshare", namespaces: ["mnt"] }],
  );
});
