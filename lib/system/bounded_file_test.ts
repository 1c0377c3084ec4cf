import assert from "node:assert/strict";
import { notRegularFile, readBoundedLines } from "./bounded_file.ts";

Deno.test("notRegularFile names what a path is when it is not a regular file", () => {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-bounded-" });
  try {
    assert.equal(notRegularFile(Deno.statSync(dir)), "a directory");
    Deno.writeTextFileSync(`${dir}/f`, "x");
    assert.equal(notRegularFile(Deno.statSync(`${dir}/f`)), null);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("readBoundedLines hands over whole lines, and stops past the bound", () => {
  const path = Deno.makeTempFileSync({ prefix: "mntns-bounded-" });
  try {
    Deno.writeTextFileSync(path, "one\ntwo\nthree");
    const pieces: string[] = [];
    const take = (lines: Uint8Array): void => {
      pieces.push(new TextDecoder().decode(lines));
    };
    assert.equal(readBoundedLines(path, { maxBytes: 100, take }), true);
    assert.equal(pieces.join(""), "one\ntwo\nthree");
    assert.ok(
      pieces.every((piece, index) =>
        index === pieces.length - 1 || piece.endsWith("\n")
      ),
    );
    assert.equal(readBoundedLines(path, { maxBytes: 5, take }), false);
  } finally {
    Deno.removeSync(path);
  }
});
