/**
 * `deno task compile [OUT]`: builds `dist/mntns` (or OUT), a single binary
 * with the permissions mntns needs baked in (`-A`: FFI, /proc, starting
 * itself again).
 *
 * `deno compile` needs a `denort` base binary. It downloads one unless
 * `DENORT_BIN=/path/to/denort` names a local one; where neither works this
 * says so in one line.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const output = Deno.args[0] ?? `${root}dist/mntns`;

function fail(message: string): never {
  console.error(`compile: ${message}`);
  Deno.exit(1);
}

const denort = Deno.env.get("DENORT_BIN");
if (denort !== undefined) {
  try {
    Deno.statSync(denort);
  } catch {
    fail(`DENORT_BIN=${denort}: no such file — point it at a denort binary`);
  }
}
const result = new Deno.Command(Deno.execPath(), {
  args: ["compile", "--quiet", "-A", "-o", output, `${root}main.ts`],
  env: { NO_COLOR: "1" },
  stdout: "inherit",
  stderr: "piped",
}).outputSync();
if (!result.success) {
  const detail = new TextDecoder().decode(result.stderr).split(
    "Stack backtrace",
  )[0].trim().split("\n").at(-1)?.replace(/^\s*\d+:\s*/, "") ?? "";
  fail(
    denort === undefined
      ? `deno compile needs a denort base binary and could not download one (${detail}) — set DENORT_BIN=/path/to/denort`
      : `deno compile failed with DENORT_BIN=${denort} (${detail})`,
  );
}
console.log(`compile: wrote ${output}`);
