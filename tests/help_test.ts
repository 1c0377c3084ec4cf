/**
 * Help that is true: every command's `--help` and `mntns help X` print what
 * its spec renders, and list every option the parser takes from the same
 * spec; top-level and group help list every subcommand; the listings' help
 * names every column; `mntns help` never runs anything; options spelled as
 * a neighbouring tool spells them are refused with a hint.
 */
import assert from "node:assert/strict";
import { cliInterface } from "../lib/cli/command_interface.ts";
import { helpText } from "../lib/cli/command_spec.ts";
import { groupSpec, loadCommandTable, mainSpec } from "../lib/commands.ts";
import { expectCode, mntns, withMissingPath } from "./processes.ts";

const table = await loadCommandTable();
const cli = cliInterface(table);

Deno.test("each command prints the help its spec renders, with every flag; 'mntns help X' is the same", async () => {
  for (const command of table.commands) {
    if (command.words[0] === "help") continue;
    const name = command.words.join(" ");
    const help = helpText(command.spec);
    const printed = expectCode(await mntns([...command.words, "--help"]), 0);
    assert.equal(printed.stdout, help, name);
    const viaHelp = expectCode(await mntns(["help", ...command.words]), 0);
    assert.equal(viaHelp.stdout, help, name);
    const options = cli.commands.find((each) => each.words === command.words)
      ?.options ?? [];
    for (const flag of options.flatMap((option) => option.flags)) {
      assert.ok(help.includes(flag), `${flag} is not in ${name}'s help`);
    }
  }
});

for (const group of cli.groups) {
  const name = ["mntns", ...group.words].join(" ");
  Deno.test(`'${name} --help' lists every command below it and its options`, async () => {
    const spec = group.words.length === 0 ? mainSpec() : groupSpec(group.words);
    const printed = expectCode(await mntns([...group.words, "--help"]), 0);
    assert.equal(printed.stdout, helpText(spec));
    const listed = printed.stdout.split("\n\n").find((part) =>
      part.startsWith("Commands:\n")
    )?.split("\n").slice(1).map((line) => line.trim().split(" ")[0]);
    const below = table.commands.filter((command) =>
      command.words.length > group.words.length &&
      group.words.every((word, index) => command.words[index] === word)
    ).map((command) => command.words[group.words.length]);
    assert.deepEqual([...new Set(listed)].sort(), [...new Set(below)].sort());
    assert.ok(group.options.length > 0);
  });
}

Deno.test("the listings' help names every column they have", () => {
  for (const command of table.commands) {
    const output = command.spec.options.output;
    if (output?.choices === undefined) continue;
    const columns = command.spec.after.flat().find((block) =>
      "title" in block && block.title === "Columns"
    );
    assert.ok(
      columns !== undefined && "title" in columns,
      command.words.join(" "),
    );
    assert.deepEqual(columns.entries.map(([name]) => name), output.choices);
    assert.ok(columns.entries.every(([, text]) => text !== ""));
  }
});

Deno.test("'mntns help' never runs anything: the words after a command's name are a usage error", async () => {
  await withMissingPath(async (missing) => {
    for (const command of ["run", "isolate", "enter"]) {
      const outcome = expectCode(
        await mntns(["help", command, "touch", missing]),
        2,
      );
      assert.equal(
        outcome.stderr,
        "mntns: unexpected argument 'touch' (help takes a command's name only)\nTry 'mntns help --help' for more information.\n",
      );
      assert.equal(outcome.stdout, "");
      assert.throws(() => Deno.statSync(missing), Deno.errors.NotFound);
    }
    for (
      const words of [
        ["run", "--hostname", "x", "--help", "touch", missing],
        ["isolate", "--help", "touch", missing],
        ["enter", "1", "--help", "touch", missing],
      ]
    ) {
      expectCode(await mntns(words), 0);
      assert.throws(() => Deno.statSync(missing), Deno.errors.NotFound);
    }
  });
  assert.equal(
    expectCode(await mntns(["help", "--help"]), 0).stdout,
    helpText(mainSpec()),
  );
  assert.equal(
    expectCode(await mntns(["help", "run", "--help"]), 0).stdout,
    expectCode(await mntns(["run", "--help"]), 0).stdout,
  );
});

Deno.test("a neighbouring tool's spelling is refused in one line with mntns's", async () => {
  const cases: [string[], string][] = [
    [["run", "--chdir", "/tmp", "true"], "bwrap's --chdir DIR is --wd DIR"],
    [
      ["run", "--setenv", "A", "1", "true"],
      "bwrap's --setenv NAME VALUE is --env NAME=VALUE",
    ],
    [["run", "--unshare-all", "true"], "run always unshares mount, UTS"],
    [["run", "--proc", "/proc", "true"], "run mounts a fresh /proc by itself"],
    [["run", "--dev", "/dev", "true"], "run makes a minimal /dev by itself"],
    [["isolate", "-m", "true"], "isolate always makes a new mount namespace"],
  ];
  for (const [words, hint] of cases) {
    const outcome = expectCode(await mntns(words), 2);
    const [line, tip, rest] = outcome.stderr.split("\n");
    assert.ok(
      line.startsWith(`mntns: unrecognized option '${words[1]}': `),
      line,
    );
    assert.ok(line.includes(hint), line);
    assert.equal(tip, `Try 'mntns ${words[0]} --help' for more information.`);
    assert.equal(rest, "");
  }
});

Deno.test("bare 'mntns' prints the command list on stderr and exits 2", async () => {
  const outcome = expectCode(await mntns([]), 2);
  assert.equal(outcome.stdout, "");
  assert.match(
    outcome.stderr,
    /^Usage: mntns <command> \[options\]\n\nCommands:\n/,
  );
  for (const command of table.commands) {
    assert.ok(outcome.stderr.includes(`  ${command.words.join(" ")}`));
  }
});
