/**
 * Help that is true: every `--help`'s option list is compared with the
 * options its parser declares (read from the parser itself, so a new option
 * or command is checked without editing this test); the help a command
 * prints is the help that was compared; top-level and group help list every
 * subcommand; `mntns help X` is `mntns X --help`.
 */
import assert from "node:assert/strict";
import { cliInterface } from "../lib/cli/command_interface.ts";
import { helpBlocks } from "../lib/cli/help_text.ts";
import { expectCode, mntns } from "./helpers.ts";

const cli = await cliInterface();

for (const command of cli.commands) {
  const name = ["mntns", ...command.words].join(" ");
  Deno.test(`'${name} --help' lists exactly the options its parser declares`, () => {
    assert.deepEqual(command.mismatches, [], command.help);
    for (const option of command.options) {
      for (const flag of option.flags) {
        assert.ok(
          command.help.includes(flag),
          `${flag} is not in ${name}'s help`,
        );
      }
    }
  });
}

for (const group of cli.groups) {
  const name = ["mntns", ...group.words].join(" ");
  Deno.test(`'${name} --help' lists every command below it and its options`, async () => {
    const printed = expectCode(await mntns([...group.words, "--help"]), 0);
    assert.equal(printed.stdout, group.help);
    const commands = helpBlocks(group.help).find((block) =>
      block.kind === "entries" && block.title === "Commands"
    );
    assert.ok(commands?.kind === "entries", group.help);
    const listed = commands.entries.map((entry) => entry.term.split(" ")[0]);
    const below = cli.commands.filter((command) =>
      command.words.length > group.words.length &&
      group.words.every((word, index) => command.words[index] === word)
    ).map((command) => command.words[group.words.length]);
    assert.deepEqual([...new Set(listed)].sort(), [...new Set(below)].sort());
    assert.ok(group.options.length > 0);
  });
}

Deno.test("each command prints the help its declaration holds; 'mntns help X' is the same", async () => {
  for (const command of cli.commands) {
    if (command.words[0] === "help") continue;
    const printed = expectCode(await mntns([...command.words, "--help"]), 0);
    assert.equal(printed.stdout, command.help, command.words.join(" "));
    const viaHelp = expectCode(await mntns(["help", ...command.words]), 0);
    assert.equal(viaHelp.stdout, command.help, command.words.join(" "));
  }
});

Deno.test("the listings' help names every column they have", () => {
  for (const command of cli.commands) {
    const output = command.options.find((option) => option.name === "output");
    if (output === undefined) continue;
    const columns = helpBlocks(command.help).find((block) =>
      block.kind === "entries" && block.title === "Columns"
    );
    assert.ok(columns?.kind === "entries", command.words.join(" "));
    assert.deepEqual(
      columns.entries.map((entry) => entry.term),
      output.choices,
    );
    assert.ok(columns.entries.every((entry) => entry.text !== ""));
  }
});
