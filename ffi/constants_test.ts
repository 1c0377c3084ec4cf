import assert from "node:assert/strict";
import { syscallNumbers, syscallNumbersFor } from "./constants.ts";

Deno.test("system call numbers: x86_64 and aarch64 known, anything else refused in one line", () => {
  assert.equal(syscallNumbersFor("x86_64").pivot_root, 155n);
  assert.equal(syscallNumbersFor("aarch64").pivot_root, 41n);
  assert.equal(syscallNumbers(), syscallNumbersFor(Deno.build.arch));
  assert.throws(
    () => syscallNumbersFor("riscv64"),
    /^Error: mntns knows the system call numbers of x86_64 and aarch64, not riscv64 — it cannot run on this machine$/,
  );
});
