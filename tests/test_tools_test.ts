/**
 * The README's test command on a machine that lacks test tools: `deno task
 * ci` names (or, as root with apt-get, installs) what the tests need before
 * any test, fmt or lint step runs. apt-get is a stand-in here: no test
 * changes this machine's packages.
 */
import assert from "node:assert/strict";
import {
  findOnPath,
  missingPackages,
  TEST_TOOLS,
} from "../scripts/test_tools.ts";
import { ROOT_DIR } from "./under_test.ts";
import { run } from "./processes.ts";
import { rootTest } from "./namespaces.ts";

Deno.test("missingPackages names each package once, in the table's order", () => {
  const all = missingPackages("/nonexistent");
  assert.deepEqual(all, [...new Set(TEST_TOOLS.map((tool) => tool.pkg))]);
  assert.equal(findOnPath("sh", "/nonexistent::/bin"), "/bin/sh");
});

/**
 * A directory for PATH that holds every test tool of this machine but zsh,
 * fish and bwrap, and a stand-in `apt-get` that logs its words to
 * `DIR/apt.log` and installs nothing.
 */
function narrowedPath(): string {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-tools-" });
  Deno.chmodSync(dir, 0o777);
  const path = Deno.env.get("PATH") ?? "";
  for (const tool of TEST_TOOLS) {
    if (["zsh", "fish", "bwrap"].includes(tool.command)) continue;
    const found = findOnPath(tool.command, path);
    assert.ok(found !== null, `${tool.command} is on this machine's PATH`);
    Deno.symlinkSync(found, `${dir}/${tool.command}`);
  }
  Deno.writeTextFileSync(
    `${dir}/apt-get`,
    `#!/bin/sh\necho "$*" >> ${dir}/apt.log\n`,
    { mode: 0o755 },
  );
  return dir;
}

rootTest(
  "deno task ci with zsh, fish and bwrap off PATH: apt-get is asked for them first, and no other step runs",
  async () => {
    const dir = narrowedPath();
    try {
      const outcome = await run([Deno.execPath(), "task", "ci"], {
        cwd: ROOT_DIR,
        env: { PATH: dir, NO_COLOR: "1" },
      });
      assert.equal(outcome.code, 1, outcome.stderr);
      const log = Deno.readTextFileSync(`${dir}/apt.log`).split("\n");
      assert.match(log[0], / update$/);
      assert.match(log[1], / install -y bubblewrap zsh fish$/);
      const lines = outcome.stderr.split("\n").filter((line) =>
        line.startsWith("tools: ")
      );
      assert.deepEqual(lines, [
        "tools: installing bubblewrap zsh fish",
        "tools: the tests need bwrap, zsh, fish, not found on PATH — install them as root: apt-get install bubblewrap zsh fish",
      ]);
      assert.doesNotMatch(
        outcome.stdout + outcome.stderr,
        /deno (fmt|lint)|Checked \d+ file/,
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

rootTest(
  "the tools step as another user (uid 65534): the missing tools named, apt-get not run",
  async () => {
    const dir = narrowedPath();
    try {
      const outcome = await run([
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        Deno.execPath(),
        "run",
        "-A",
        `${ROOT_DIR}scripts/test_tools.ts`,
      ], {
        cwd: ROOT_DIR,
        env: { PATH: dir, NO_COLOR: "1", DENO_DIR: `${dir}/deno` },
      });
      assert.equal(outcome.code, 1, outcome.stderr);
      assert.equal(
        outcome.stderr,
        "tools: the tests need bwrap, zsh, fish, not found on PATH — install them as root: apt-get install bubblewrap zsh fish\n",
      );
      assert.throws(
        () => Deno.statSync(`${dir}/apt.log`),
        Deno.errors.NotFound,
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
