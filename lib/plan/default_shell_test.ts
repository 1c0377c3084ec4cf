import assert from "node:assert/strict";
import { defaultShell, environmentValue } from "./default_shell.ts";

Deno.test("defaultShell starts $SHELL as a login shell, /bin/sh without one", () => {
  assert.deepEqual(defaultShell("/bin/bash"), {
    file: "/bin/bash",
    argv: ["-bash"],
  });
  assert.deepEqual(defaultShell(""), { file: "/bin/sh", argv: ["-sh"] });
  assert.deepEqual(defaultShell(undefined), {
    file: "/bin/sh",
    argv: ["-sh"],
  });
});

Deno.test("environmentValue finds the first NAME= entry, as getenv does", () => {
  const env = ["SHELLX=no", "SHELL=/bin/zsh", "SHELL=/bin/sh", "E="];
  assert.equal(environmentValue(env, "SHELL"), "/bin/zsh");
  assert.equal(environmentValue(env, "E"), "");
  assert.equal(environmentValue(env, "NONE"), undefined);
});
