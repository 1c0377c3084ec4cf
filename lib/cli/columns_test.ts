import assert from "node:assert/strict";
import { type Column, selectColumns } from "./columns.ts";
import { UsageError } from "../errors.ts";

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
