import assert from "node:assert/strict";
import { LIBC_CANDIDATES } from "./libc.ts";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("LIBC_CANDIDATES: this architecture's glibc opens by its absolute path; another architecture's is refused", () => {
  const own = `/${Deno.build.arch}-linux-gnu/`;
  const opened: string[] = [];
  const refused: string[] = [];
  for (const candidate of LIBC_CANDIDATES) {
    if (!candidate.startsWith("/") || !exists(candidate)) continue;
    try {
      const library = Deno.dlopen(candidate, {
        getpid: { parameters: [], result: "i32" },
      });
      assert.equal(library.symbols.getpid(), Deno.pid, candidate);
      library.close();
      opened.push(candidate);
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      refused.push(candidate);
    }
  }
  assert.ok(
    opened.some((path) => path.includes(own)),
    `no candidate in ${own} opened; opened: ${opened.join(", ")}`,
  );
  const foreign = opened.filter((path) =>
    path.includes("-linux-gnu/") && !path.includes(own)
  );
  assert.deepEqual(foreign, [], "another architecture's glibc opened");
  for (const path of refused) assert.ok(!path.includes(own), path);
});
