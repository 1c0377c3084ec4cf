import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { enterTarget } from "./enter_plan.ts";

Deno.test("enterTarget: digits are a PID, a word with a slash a file, else a hostname", () => {
  assert.deepEqual(enterTarget("1234", "mntns enter"), {
    kind: "pid",
    pid: 1234,
  });
  assert.deepEqual(enterTarget("./ns", "mntns enter"), {
    kind: "file",
    path: "./ns",
  });
  assert.deepEqual(enterTarget("box", "mntns enter"), {
    kind: "name",
    name: "box",
  });
});

Deno.test("enterTarget refuses an empty word, PID 0 and a PID past any number", () => {
  for (const word of ["", "0", "99999999999999999999"]) {
    assert.throws(() => enterTarget(word, "mntns enter"), UsageError, word);
  }
});
