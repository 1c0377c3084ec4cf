import assert from "node:assert/strict";
import { CommandError } from "../errors.ts";
import { resolveInsideRoot } from "./mounts.ts";

Deno.test("inside-root resolver: paths stay inside, missing ones are made, symlinks out are refused", () => {
  const root = Deno.realPathSync(
    Deno.makeTempDirSync({ prefix: "mntns-root-" }),
  );
  try {
    Deno.mkdirSync(`${root}/etc`);
    Deno.symlinkSync("/etc", `${root}/abs`);
    Deno.symlinkSync("../../../../../..", `${root}/up`);
    Deno.symlinkSync("etc", `${root}/rel`);
    assert.equal(
      resolveInsideRoot({ root, target: "/data/x", isFile: false }),
      `${root}/data/x`,
    );
    assert.ok(Deno.statSync(`${root}/data/x`).isDirectory);
    assert.equal(
      resolveInsideRoot({ root, target: "/rel/file", isFile: true }),
      `${root}/etc/file`,
    );
    assert.ok(Deno.statSync(`${root}/etc/file`).isFile);
    for (
      const target of ["/abs/evil", "/up/evil", "/../evil", "/etc/../../evil"]
    ) {
      assert.throws(
        () => resolveInsideRoot({ root, target, isFile: false }),
        (error: unknown) =>
          error instanceof CommandError &&
          error.message.startsWith(`${target}: leaves the new root ${root}`),
        target,
      );
    }
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
