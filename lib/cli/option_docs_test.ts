import assert from "node:assert/strict";
import { optionDocs } from "./option_docs.ts";

Deno.test("help and declarations: each kind of disagreement is found", () => {
  const declared = {
    pid: { type: "string", short: "N", aliases: ["task"] },
    json: { type: "boolean", short: "J" },
    color: { type: "string", implied: "auto" },
    list: { type: "boolean" },
  } as const;
  const good = `Options:
  -N, --pid, --task N  read process N's namespace
  -J, --json           JSON
  --color[=WHEN]       colour
  --list               a list
`;
  assert.deepEqual(optionDocs(declared, good).mismatches, []);
  const cases: [string, string][] = [
    [
      good.replace("  --list               a list\n", ""),
      "--list is not in the help",
    ],
    [
      good.replace("-N, --pid, --task N", "--pid, --task N"),
      "--pid's -N is not in its help entry",
    ],
    [
      good + "  --bogus  nothing\n",
      "the help gives --bogus, which is not an option",
    ],
    [
      good.replace("-J, --json  ", "-J, --json X"),
      "--json takes no value, but the help shows X",
    ],
    [
      good.replace("--pid, --task N", "--pid, --task "),
      "--pid takes a value, but the help shows none",
    ],
    [
      good.replace("--color[=WHEN]", "--color WHEN  "),
      "--color's value is optional: write --color[=WHEN]",
    ],
  ];
  for (const [help, mismatch] of cases) {
    assert.ok(
      optionDocs(declared, help).mismatches.includes(mismatch),
      `${mismatch}\n${JSON.stringify(optionDocs(declared, help).mismatches)}`,
    );
  }
});
