/**
 * The documentation's shell examples (README.md, CONTRIBUTING.md, docs/)
 * run, each session in a throw-away namespace, and print what the text says
 * they print (ids, inodes and pids normalised): an example that drifts from
 * the code fails here, and so does a code block the test cannot place.
 */
import assert from "node:assert/strict";
import { ROOT_DIR } from "./under_test.ts";
import { rootTest } from "./namespaces.ts";
import {
  docExamples,
  docFiles,
  normalizeBlanks,
  renumbered,
  runSession,
  THROWAWAY,
} from "./readme_examples.ts";

const FILES = docFiles();
const PLACED = new Map(
  FILES.map((
    file,
  ) => [file, docExamples(Deno.readTextFileSync(`${ROOT_DIR}${file}`), file)]),
);

for (const [file, examples] of PLACED) {
  for (const session of examples.sessions) {
    rootTest(
      `docs: the examples of ${file} '${session.heading}' (line ${session.line})`,
      async () => {
        const { outputs, outcome } = await runSession(session);
        assert.equal(
          outputs.length,
          session.commands.length,
          `the examples did not all run:\n${outcome.stdout}\n${outcome.stderr}`,
        );
        session.commands.forEach((command, index) => {
          assert.equal(
            renumbered(outputs[index], command.expected),
            normalizeBlanks(command.expected),
            `${file}:${command.line}: $ ${command.command}\n--- it printed\n${
              outputs[index]
            }--- the text says\n${command.expected}`,
          );
        });
      },
    );
  }
}

Deno.test("docs: every code block is placed, and each command family has a guide with examples", () => {
  assert.deepEqual(
    [...PLACED.values()].flatMap((examples) => examples.problems),
    [],
  );
  for (
    const file of [
      "README.md",
      "docs/propagation.md",
      "docs/isolate.md",
      "docs/run.md",
      "docs/enter-and-ps.md",
      "docs/design.md",
    ]
  ) {
    assert.ok((PLACED.get(file)?.sessions.length ?? 0) > 0, file);
  }
});

Deno.test("docs examples: blocks are placed as examples, skipped, text, or problems", () => {
  const fence = "```";
  const parsed = docExamples(
    [
      "# one",
      "",
      "<!-- readme-test: skip the fresh-machine command -->",
      `${fence}sh`,
      "npx -y deno@2.9.6 task ci",
      fence,
      "",
      fence,
      "# a comment before the first command",
      `$ ${THROWAWAY}`,
      "$ echo 1 2",
      "1 2",
      "",
      "$ true",
      fence,
      "",
      "- a list item:",
      "",
      `  ${fence}`,
      "  $ echo indented",
      "  indented",
      `  ${fence}`,
      "",
      `${fence}text`,
      "what a file holds",
      fence,
      "",
      "## two",
      "",
      fence,
      "$ echo outside",
      fence,
      "",
      fence,
      "no command",
      fence,
      "",
      `${fence}sh`,
      "echo unmarked",
      fence,
      "",
      "<!-- readme-test: skip it needs a disk -->",
      fence,
      "$ mkfs /dev/sdb",
      fence,
      "",
      "text",
      "",
      "    an indented code block",
      "",
    ].join("\n"),
    "x.md",
  );
  assert.deepEqual(parsed.sessions, [{
    file: "x.md",
    heading: "one",
    line: 10,
    commands: [
      { command: "echo 1 2", expected: "1 2", line: 11 },
      { command: "true", expected: "", line: 14 },
      { command: "echo indented", expected: "indented", line: 20 },
    ],
  }]);
  assert.deepEqual(parsed.skipped, [
    { line: 4, reason: "the fresh-machine command" },
    { line: 43, reason: "it needs a disk" },
  ]);
  assert.deepEqual(parsed.problems.map((line) => line.split(": ")[0]), [
    "x.md:30",
    "x.md:34",
    "x.md:38",
    "x.md:43",
    "x.md:49",
  ]);
});

Deno.test("docs examples: numbers are compared by their pattern, blanks by their presence", () => {
  const same = (printed: string, text: string): boolean =>
    renumbered(printed, text) === normalizeBlanks(text);
  assert.ok(
    same("GROUP PID\n    1 17290\n    1 17293\n", "GROUP PID\n 3 2\n 3 9"),
  );
  // Two numbers of the text may be one here (a group id and a pid 1).
  assert.ok(same("1 peer 1\n1 slave 1", "1 peer 17290\n1 slave 17290"));
  // One number of the text is one number here.
  assert.ok(!same("1 peer 86\n1 peer 87\n", "1 peer 86\n1 peer 86\n"));
  assert.ok(!same("shared 1", "private 1"));
  assert.ok(!same("1 2", "1"));
  assert.ok(!same("", "x"));
});
