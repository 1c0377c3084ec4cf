import assert from "node:assert/strict";
import { AT_FDCWD } from "./constants.ts";
import { cString } from "./cstring.ts";
import { E, SyscallError, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";

Deno.test("unwrap: a result as it came, -errno for an allowed errno, else one SyscallError line with its hint", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const mkdir = (): number =>
      unwrap(systemCall("mkdirat", AT_FDCWD, cString(`${dir}/x`), 0o755), {
        call: "mkdir",
        paths: [`${dir}/x`],
        allowed: [E.EXIST],
      });
    assert.equal(mkdir(), 0);
    assert.equal(mkdir(), -E.EXIST);
    assert.throws(
      () =>
        unwrap(systemCall("close", -1), {
          call: "close(-1)",
          hints: { [E.INVAL]: "not this one" },
        }),
      (error: unknown) =>
        error instanceof SyscallError &&
        error.message === "close(-1): EBADF (Bad file descriptor)",
    );
    assert.throws(
      () =>
        unwrap(systemCall("mkdirat", AT_FDCWD, cString(`${dir}/x`), 0o755), {
          call: "mkdir",
          paths: [`${dir}/x`],
          hints: { [E.EXIST]: "remove it first" },
        }),
      (error: unknown) =>
        error instanceof SyscallError &&
        error.message ===
          `mkdir(${dir}/x): EEXIST (File exists) — remove it first`,
    );
    assert.throws(
      () =>
        unwrap(systemCall("chdir", cString(`${dir}/none`)), {
          call: "chdir",
          paths: [`${dir}/none`],
          hint: "whatever errno says",
        }),
      (error: unknown) =>
        error instanceof SyscallError && error.code === "ENOENT" &&
        error.hint === "whatever errno says",
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
