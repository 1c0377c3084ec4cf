/**
 * The man page (`deno task man`): made from the commands' declarations and
 * help texts, clean under `mandoc -T lint`, rendered by `man -l`, and
 * holding every command, option and column.
 */
import assert from "node:assert/strict";
import { cliInterface } from "../lib/cli/command_interface.ts";
import { loadCommandTable } from "../lib/commands.ts";
import config from "../deno.json" with { type: "json" };
import { ROOT_DIR } from "./under_test.ts";
import { expectCode, run } from "./processes.ts";

Deno.test("deno task man writes a page that mandoc -T lint passes and man -l renders", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-man-" });
  try {
    const page = `${dir}/mntns.1`;
    expectCode(
      await run([Deno.execPath(), "task", "man", page], { cwd: ROOT_DIR }),
      0,
    );
    const lint = await run(["mandoc", "-T", "lint", "-W", "all", page]);
    assert.equal(lint.stdout + lint.stderr, "");
    assert.equal(lint.code, 0);
    const shown = expectCode(
      await run(["man", "-l", page], {
        env: { MANWIDTH: "80", LANG: "C.UTF-8" },
      }),
      0,
    );
    assert.equal(shown.stderr, "");
    const text = shown.stdout;
    for (
      const section of [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "COMMANDS",
        "EXIT STATUS",
        "ENVIRONMENT",
        "EXAMPLES",
        "SEE ALSO",
      ]
    ) {
      assert.match(text, new RegExp(`^${section}$`, "m"), section);
    }
    const cli = cliInterface(await loadCommandTable());
    for (const command of cli.commands) {
      const name = ["mntns", ...command.words].join(" ");
      assert.ok(text.includes(name), name);
      for (const option of command.options) {
        for (const flag of option.flags) {
          assert.ok(text.includes(flag), `${name} ${flag}`);
        }
        for (const choice of option.choices ?? []) {
          assert.ok(text.includes(choice), `${name}: ${choice}`);
        }
      }
    }
    // Dated by the release, not by the day it was made.
    assert.ok(
      Deno.readTextFileSync(page).startsWith(
        `.TH MNTNS 1 ${config.date} "mntns ${config.version}"`,
      ),
    );
    for (const page of ["bwrap(1)", "findmnt(8)", "nsenter(1)", "unshare(1)"]) {
      assert.ok(text.includes(page), page);
    }
    // The seed experiments, in mntns's words.
    assert.match(text, /mntns propagation check/);
    assert.match(text, /mntns isolate --propagation unchanged/);
    assert.match(text, /mntns run --rootfs/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
