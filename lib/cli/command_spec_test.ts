import assert from "node:assert/strict";
import {
  type CommandSpec,
  completionOf,
  helpBlockText,
  helpText,
  optionFlags,
  optionHelpEntries,
  withHelpOption,
} from "./command_spec.ts";

const SPEC: CommandSpec = {
  usage: "mntns demo [options] PATH",
  about: [
    { paragraph: "Demonstrate a spec.\nOn two lines." },
    [{ paragraph: "Kinds:" }, { literal: "  A  one\n  B  two" }],
  ],
  optionWidth: 20,
  options: {
    pid: {
      type: "string",
      short: "N",
      aliases: ["task"],
      value: "N",
      help: "read process N",
    },
    "no-net": { type: "boolean", help: "keep the network\nshared" },
    "no-pid": { type: "boolean" },
    color: {
      type: "string",
      implied: "auto",
      value: "WHEN",
      help: "colour",
    },
    mount: { type: "string", value: "FILE", equals: true, help: "keep it" },
  },
  after: [{ list: ["one\nwrapped", "two"] }],
  operands: [{ placeholder: "PATH" }],
};

Deno.test("helpText lays out usage, prose, options (joined, wrapped, too long for the column, optional and attached values) and the help option", () => {
  assert.equal(
    helpText(SPEC),
    `Usage: mntns demo [options] PATH

Demonstrate a spec.
On two lines.

Kinds:
  A  one
  B  two

Options:
  -N, --pid, --task N
                      read process N
  --no-net, --no-pid  keep the network
                      shared
  --color[=WHEN]      colour
  --mount=FILE        keep it
  -h, --help          show this help

  - one
    wrapped
  - two
`,
  );
});

Deno.test("optionHelpEntries joins options declared without help to the entry before", () => {
  assert.deepEqual(
    optionHelpEntries(SPEC.options).map(({ names, term }) => [names, term]),
    [
      [["pid"], "-N, --pid, --task N"],
      [["no-net", "no-pid"], "--no-net, --no-pid"],
      [["color"], "--color[=WHEN]"],
      [["mount"], "--mount=FILE"],
      [["help"], "-h, --help"],
    ],
  );
});

Deno.test("a titled block aligns its terms two spaces past the longest", () => {
  assert.equal(
    helpBlockText({
      title: "Columns",
      entries: [["ID", "id"], ["TARGET", "where\nit is"]],
    }),
    "Columns:\n  ID      id\n  TARGET  where\n          it is\n",
  );
});

Deno.test("withHelpOption puts -h, --help last unless a spec declares it", () => {
  assert.deepEqual(Object.keys(withHelpOption({ a: { type: "boolean" } })), [
    "a",
    "help",
  ]);
  assert.deepEqual(
    Object.keys(
      withHelpOption({
        help: { type: "boolean", short: "h", help: "show this help" },
        version: { type: "boolean" },
      }),
    ),
    ["help", "version"],
  );
  assert.deepEqual(optionFlags("pid", SPEC.options.pid), [
    "-N",
    "--pid",
    "--task",
  ]);
});

Deno.test("completionOf reads a placeholder: words, a kind, or files", () => {
  assert.deepEqual(completionOf("bash|zsh|fish"), {
    words: ["bash", "zsh", "fish"],
  });
  assert.deepEqual(completionOf("TYPE,..."), { kind: "fstype" });
  assert.deepEqual(completionOf("TARGET"), { kind: "target" });
  assert.deepEqual(completionOf("USER[:GROUP]"), { kind: "user" });
  assert.deepEqual(completionOf("SIZE"), { kind: "none" });
  assert.deepEqual(completionOf("SOMETHING"), { kind: "file" });
});
