import assert from "node:assert/strict";
import {
  commandEnvironment,
  defaultTmpfsMode,
  runWarnings,
} from "./run_plan.ts";

Deno.test("commandEnvironment applies --clearenv, --unsetenv and --env in order, a set keeping its place", () => {
  assert.deepEqual(
    commandEnvironment(["A=1", "B=2", "A=9"], [
      { set: "A=3" },
      { unset: "B" },
      { set: "C=4" },
    ]),
    ["A=3", "C=4"],
  );
  assert.deepEqual(
    commandEnvironment(["A=1"], [{ set: "K=V" }, { clear: true }]),
    [],
  );
  assert.deepEqual(
    commandEnvironment(["A=1"], [{ clear: true }, { set: "K=a=b" }]),
    ["K=a=b"],
  );
});

Deno.test("defaultTmpfsMode is 1777 for /tmp and /var/tmp however written, else 0755", () => {
  assert.equal(defaultTmpfsMode("/tmp"), 0o1777);
  assert.equal(defaultTmpfsMode("//var//tmp/"), 0o1777);
  assert.equal(defaultTmpfsMode("/tmp/x"), 0o755);
  assert.equal(defaultTmpfsMode("/run"), 0o755);
});

Deno.test("runWarnings warns about --propagation shared only", () => {
  assert.deepEqual(runWarnings({ propagation: "private" }), []);
  assert.deepEqual(runWarnings({ propagation: "shared" }), [
    "mntns: warning: --propagation shared: mounts made inside will appear outside too",
  ]);
});
