import assert from "node:assert/strict";
import { SyscallError } from "./errno.ts";
import { closeFd, isReadable, openReadOnly, pidfdOpen } from "./fds.ts";

Deno.test("openReadOnly with directory: opens a directory, refuses a file with ENOTDIR", () => {
  // O_DIRECTORY differs between architectures: with x86_64's value an
  // aarch64 kernel reads O_DIRECT and refuses the directory (EINVAL).
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/file`, "");
    closeFd(openReadOnly(dir, { directory: true }));
    closeFd(openReadOnly(`${dir}/file`, { directory: false }));
    assert.throws(
      () => openReadOnly(`${dir}/file`, { directory: true }),
      (error: unknown) =>
        error instanceof SyscallError && error.code === "ENOTDIR",
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("pidfdOpen: readable once its process has exited", async () => {
  const child = new Deno.Command("sleep", { args: ["60"] }).spawn();
  const pidfd = pidfdOpen(child.pid);
  try {
    assert.equal(isReadable(pidfd), false);
    child.kill("SIGKILL");
    await child.status;
    assert.equal(isReadable(pidfd), true);
  } finally {
    closeFd(pidfd);
  }
});
