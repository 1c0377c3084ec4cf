/**
 * `deno task compile`: builds `dist/mntns`, a single binary with the
 * permissions mntns needs baked in (`-A`: FFI, /proc, spawning itself).
 *
 * `deno compile` needs a `denort` base binary. It downloads one unless
 * `DENORT_BIN=/path/to/denort` names a local one; where neither works this
 * says so in one line.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const output = `${root}dist/mntns`;
const denort = Deno.env.get("DENORT_BIN");
if (denort !== undefined) {
  try {
    Deno.statSync(denort);
  } catch {
    console.error(`compile: DENORT_BIN=${denort}: no such file`);
    Deno.exit(1);
  }
}
const result = new Deno.Command(Deno.execPath(), {
  args: ["compile", "--quiet", "-A", "-o", output, `${root}main.ts`],
  stdout: "inherit",
  stderr: "piped",
}).outputSync();
if (!result.success) {
  const detail = new TextDecoder().decode(result.stderr).trim().split("\n")[0];
  console.error(
    `compile: deno compile could not get a denort base binary (${detail}) — set DENORT_BIN=/path/to/denort`,
  );
  Deno.exit(1);
}
console.log(`compile: wrote ${output}`);
