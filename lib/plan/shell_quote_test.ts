import assert from "node:assert/strict";
import { singleQuoted } from "./shell_quote.ts";

Deno.test("singleQuoted quotes any word for sh, a quote as '\\''", async () => {
  assert.equal(singleQuoted("it's"), "'it'\\''s'");
  assert.equal(singleQuoted(""), "''");
  const word = "a b'c\"$HOME\\\n*";
  const echoed = await new Deno.Command("sh", {
    args: ["-c", `printf %s ${singleQuoted(word)}`],
  }).output();
  assert.equal(new TextDecoder().decode(echoed.stdout), word);
});
