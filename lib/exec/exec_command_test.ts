import assert from "node:assert/strict";
import { candidates } from "./exec_command.ts";

Deno.test("candidates: a name with a slash as it is, else each PATH entry in order, an empty one as .", () => {
  assert.deepEqual(candidates("./x", "/bin"), ["./x"]);
  assert.deepEqual(candidates("ls", "/bin::/usr/bin"), [
    "/bin/ls",
    "./ls",
    "/usr/bin/ls",
  ]);
  assert.deepEqual(candidates("", "/bin"), []);
});
