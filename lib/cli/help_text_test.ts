import assert from "node:assert/strict";
import { helpBlocks, optionForms } from "./help_text.ts";

Deno.test("help blocks: usage, paragraphs, lists, entries with wrapped text", () => {
  assert.deepEqual(
    helpBlocks(`Usage: mntns x [PATH]

Does x to PATH,
in two lines:
  - first item
    continued
  - second
Last line.

Options:
  -o, --output COL,...  the columns,
                        wrapped
  --no-a, --no-b
                        keep them
`),
    [
      { kind: "usage", text: "mntns x [PATH]" },
      { kind: "paragraph", text: "Does x to PATH, in two lines:" },
      { kind: "list", items: ["first item continued", "second"] },
      { kind: "paragraph", text: "Last line." },
      {
        kind: "entries",
        title: "Options",
        entries: [
          { term: "-o, --output COL,...", text: "the columns, wrapped" },
          { term: "--no-a, --no-b", text: "keep them" },
        ],
      },
    ],
  );
  assert.deepEqual(
    optionForms("-N, --pid, --task N")?.map((form) => form.value),
    [
      "N",
      "N",
      "N",
    ],
  );
  assert.deepEqual(optionForms("--color[=WHEN]"), [
    { flag: "--color", value: "WHEN", optional: true },
  ]);
  assert.equal(optionForms("TARGET"), null);
});
