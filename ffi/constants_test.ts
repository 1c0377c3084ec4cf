import assert from "node:assert/strict";
import {
  openDirectoryFlag,
  openDirectoryFlagFor,
  syscallNumbers,
  syscallNumbersFor,
} from "./constants.ts";

Deno.test("system call numbers and O_DIRECTORY: x86_64 and aarch64 known, anything else refused in one line", () => {
  assert.equal(syscallNumbersFor("x86_64").pivot_root, 155n);
  assert.equal(syscallNumbersFor("aarch64").pivot_root, 41n);
  assert.equal(syscallNumbers(), syscallNumbersFor(Deno.build.arch));
  // <asm/fcntl.h>: arm64 has O_DIRECTORY where x86_64 has O_DIRECT, and back.
  assert.equal(openDirectoryFlagFor("x86_64"), 0o200000);
  assert.equal(openDirectoryFlagFor("aarch64"), 0o40000);
  assert.equal(openDirectoryFlag(), openDirectoryFlagFor(Deno.build.arch));
  for (const refused of [syscallNumbersFor, openDirectoryFlagFor]) {
    assert.throws(
      () => refused("riscv64"),
      /^Error: mntns knows the system call numbers and flags of x86_64 and aarch64, not riscv64 — it cannot run on this machine$/,
    );
  }
});
