/**
 * The README's shell examples run, in a throw-away namespace per section, and
 * print what the README says they print (ids, inodes and pids normalised):
 * an example that drifts from the code fails here.
 */
import assert from "node:assert/strict";
import { ROOT_DIR, rootTest } from "./helpers.ts";
import {
  normalizeBlanks,
  readmeExamples,
  renumbered,
  runSection,
} from "./readme_examples.ts";

const README = Deno.readTextFileSync(`${ROOT_DIR}README.md`);

for (const section of readmeExamples(README)) {
  if (section.commands.length === 0) continue;
  rootTest(`README: the examples of '${section.heading}'`, async () => {
    const { outputs, outcome } = await runSection(section);
    assert.equal(
      outputs.length,
      section.commands.length,
      `the examples did not all run:\n${outcome.stdout}\n${outcome.stderr}`,
    );
    section.commands.forEach((command, index) => {
      assert.equal(
        renumbered(outputs[index], command.expected),
        normalizeBlanks(command.expected),
        `README.md:${command.line}: $ ${command.command}\n--- it printed\n${
          outputs[index]
        }--- the README says\n${command.expected}`,
      );
    });
  });
}

Deno.test("README examples: every section with commands is found; skipped blocks are named", () => {
  const sections = readmeExamples(README);
  const headings = sections.map((section) => section.heading);
  for (
    const part of [
      "mntns propagation show",
      "mntns propagation set",
      "mntns propagation reach, peers and check",
      "mntns isolate",
      "mntns run",
      "Design",
    ]
  ) {
    assert.ok(headings.some((heading) => heading.includes(part)), part);
  }
  const parsed = readmeExamples(
    [
      "## one",
      "",
      "```sh",
      "npx -y deno@2.9.6 task ci",
      "```",
      "",
      "```",
      "# a comment before the first command",
      "$ echo 1 2",
      "1 2",
      "",
      "$ true",
      "```",
      "",
      "<!-- readme-test: skip it needs a disk -->",
      "```",
      "$ mkfs /dev/sdb",
      "```",
      "",
    ].join("\n"),
  );
  assert.deepEqual(parsed, [{
    heading: "one",
    commands: [
      { command: "echo 1 2", expected: "1 2", line: 9 },
      { command: "true", expected: "", line: 12 },
    ],
    skipped: [{ line: 17, reason: "it needs a disk" }],
  }]);
});

Deno.test("README examples: numbers are compared by their pattern, blanks by their presence", () => {
  const same = (printed: string, readme: string): boolean =>
    renumbered(printed, readme) === normalizeBlanks(readme);
  assert.ok(
    same("GROUP PID\n    1 17290\n    1 17293\n", "GROUP PID\n 3 2\n 3 9"),
  );
  // Two numbers of the README may be one here (a group id and a pid 1).
  assert.ok(same("1 peer 1\n1 slave 1", "1 peer 17290\n1 slave 17290"));
  // One number of the README is one number here.
  assert.ok(!same("1 peer 86\n1 peer 87\n", "1 peer 86\n1 peer 86\n"));
  assert.ok(!same("shared 1", "private 1"));
  assert.ok(!same("1 2", "1"));
  assert.ok(!same("", "x"));
});
