import assert from "node:assert/strict";
import { SyscallError } from "./errno.ts";
import { fileType, realPath } from "./path_lookup.ts";

Deno.test("realPath and fileType take names that are not UTF-8", async () => {
  const dir = Deno.realPathSync(Deno.makeTempDirSync());
  try {
    const made = await new Deno.Command("bash", {
      args: [
        "-c",
        `cd "$1" && mkdir $'d\\xff' && touch $'d\\xff/f' && ln -s $'d\\xff' link`,
        "-",
        dir,
      ],
    }).output();
    assert.equal(made.code, 0);
    assert.equal(realPath(`${dir}/link/.././link`), `${dir}/d\udcff`);
    assert.equal(fileType(`${dir}/link`), "directory");
    assert.equal(fileType(`${dir}/d\udcff/f`), "file");
    assert.equal(fileType("/dev/null"), "other");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("realPath resolves a relative path from the working directory", () => {
  const before = Deno.cwd();
  try {
    Deno.chdir("/usr");
    assert.equal(realPath("bin/.."), "/usr");
  } finally {
    Deno.chdir(before);
  }
});

Deno.test("realPath and fileType fail with a SyscallError naming the path", () => {
  const dir = Deno.makeTempDirSync();
  const missing = `${dir}/missing/x`;
  try {
    for (
      const [call, lookUp] of [["realpath", realPath], [
        "statx",
        fileType,
      ]] as const
    ) {
      assert.throws(
        () => lookUp(missing),
        (error: unknown) =>
          error instanceof SyscallError && error.code === "ENOENT" &&
          error.message.startsWith(`${call}(${missing}): ENOENT`),
      );
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
