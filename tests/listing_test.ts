/**
 * The pieces of findmnt-style listings: raw escaping, `-t` matching,
 * `-o` column choice, the table's alignment, raw mode, headings and colour,
 * and the option parser's aliases and optional values.
 */
import assert from "node:assert/strict";
import { rawText } from "../lib/bytes.ts";
import { matchesTypes } from "../lib/mount/fstype_match.ts";
import { type Column, selectColumns } from "../lib/cli/columns.ts";
import { renderTable } from "../lib/cli/table.ts";
import { parseArguments } from "../lib/cli/args.ts";
import { splitAtCommand } from "../lib/cli/options.ts";
import { UsageError } from "../lib/errors.ts";

Deno.test("rawText escapes all but printable ASCII, and backslashes, byte by byte", () => {
  assert.equal(rawText("/mnt/plain-name_1.2"), "/mnt/plain-name_1.2");
  assert.equal(rawText("/sp é"), String.raw`/sp\x20\xc3\xa9`);
  assert.equal(rawText("a\\b a\\xb"), String.raw`a\x5cb\x20a\x5cxb`);
  assert.equal(rawText("t\tn\nd\x7f"), String.raw`t\x09n\x0ad\x7f`);
  assert.equal(
    rawText("c1\u0085 bad\udcff"),
    String.raw`c1\xc2\x85\x20bad\xff`,
  );
  assert.equal(rawText(`q"'~!`), `q"'~!`);
});

Deno.test("-t lists match as libmount's match_fstype", () => {
  const cases: [string, string, boolean][] = [
    ["tmpfs", "tmpfs", true],
    ["tmpfs", "proc,tmpfs", true],
    ["ext4", "proc,tmpfs", false],
    ["tmpfs", "notmpfs", false],
    ["ext4", "notmpfs", true],
    ["proc", "notmpfs,proc", false],
    ["ext4", "notmpfs,proc", true],
    ["proc", "tmpfs,noproc", false],
    ["tmpfs", "tmpfs,noproc", true],
    ["ext4", "tmpfs,noproc", false],
    ["tmpfs", "TMPFS", true],
    ["tmpfs", "tmp", false],
    ["fuse.sshfs", "fuse.sshfs", true],
  ];
  for (const [type, list, expected] of cases) {
    assert.equal(matchesTypes(type, list), expected, `${type} in ${list}`);
  }
});

const COLUMNS: Column<number>[] = [
  { name: "A", align: "left", help: "a", key: "a", value: (n) => n },
  { name: "B", align: "right", help: "b", key: "b", value: (n) => n * 10 },
  { name: "MAJ:MIN", align: "left", help: "c", key: "c", value: () => null },
];

Deno.test("-o picks columns in its order, +COL adds to the default, names any case", () => {
  const names = (output: string | undefined): string[] =>
    selectColumns({ columns: COLUMNS, defaults: ["A"], output, command: "x" })
      .map((column) => column.name);
  assert.deepEqual(names(undefined), ["A"]);
  assert.deepEqual(names("b,a"), ["B", "A"]);
  assert.deepEqual(names("+maj:min,B"), ["A", "MAJ:MIN", "B"]);
  assert.throws(
    () => names("A,NOPE"),
    (error: Error) =>
      error instanceof UsageError &&
      error.message === "unknown column 'NOPE' (one of: A, B, MAJ:MIN)",
  );
  assert.throws(() => names("A,,B"), UsageError);
  assert.throws(() => names(""), UsageError);
});

Deno.test("tables: numbers right-aligned, raw mode, no headings, colour around the text", () => {
  const table = {
    headers: ["TARGET", "ID", "PEER"],
    rows: [["/", "1", "-"], ["/a b", "123", "7"]],
    align: ["left", "right", "right"] as const,
  };
  assert.equal(
    renderTable(table),
    "TARGET  ID PEER\n/        1    -\n/a b   123    7\n",
  );
  assert.equal(
    renderTable({ ...table, raw: true }),
    "TARGET ID PEER\n/ 1 -\n/a\\x20b 123 7\n",
  );
  assert.equal(
    renderTable({ ...table, noHeadings: true }),
    // Widths still count the headers, as findmnt's -n does.
    "/        1    -\n/a b   123    7\n",
  );
  assert.equal(
    renderTable({
      ...table,
      color: (row, column) => row === 1 && column === 2 ? "32" : null,
    }),
    "TARGET  ID PEER\n/        1    -\n/a b   123    \x1b[32m7\x1b[0m\n",
  );
});

Deno.test("args: long aliases store under the option's name; optional values only after =", () => {
  const options = {
    pid: { type: "string", short: "N", aliases: ["task"] },
    color: { type: "string", implied: "auto" },
    json: { type: "boolean" },
  } as const;
  const parse = (args: string[]) =>
    parseArguments({ args, options, allowPositionals: true });
  assert.deepEqual(parse(["--task", "7"]).values, { pid: "7" });
  assert.deepEqual(parse(["--task=7"]).tokens, [{ name: "pid", value: "7" }]);
  assert.deepEqual(parse(["-N7"]).values, { pid: "7" });
  const bare = parse(["--color", "never"]);
  assert.deepEqual(bare.values, { color: "auto" });
  assert.deepEqual(bare.positionals, ["never"]);
  assert.deepEqual(parse(["--color=never"]).values, { color: "never" });
  assert.throws(() => parse(["--tas", "1"]), /unrecognized option '--tas'/);
  assert.throws(() => parse(["--json=1"]), /'--json' does not take/);
  assert.deepEqual(
    splitAtCommand(["--task", "7", "--color", "ls", "-l"], options),
    { options: ["--task", "7", "--color"], command: ["ls", "-l"] },
  );
});
