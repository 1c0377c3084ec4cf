/**
 * `deno task compile [OUT]`: builds `dist/mntns` (or OUT), a single binary
 * with the permissions mntns needs baked in (`-A`: FFI, /proc, starting
 * itself again).
 *
 * `deno compile` needs a `denort` base binary. It downloads one unless
 * `DENORT_BIN=/path/to/denort` names a local one; where neither works this
 * says so in one line. The binary made must answer `--version` with
 * `mntns VERSION`; one that does not (a wrong base, such as the full `deno`
 * binary) is removed, and this says so in one line.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { VERSION } from "../lib/version.ts";

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
  args: [
    "compile",
    "--quiet",
    "-A",
    "-o",
    output,
    `${root}lib/exec/stages/bundle_main.ts`,
  ],
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
const check = await new Deno.Command(output, {
  args: ["--version"],
  stdin: "null",
  stdout: "piped",
  stderr: "piped",
  signal: AbortSignal.timeout(60_000),
}).output().catch((error: Error) => error);
const answer = check instanceof Error
  ? check.message
  : new TextDecoder().decode(check.stdout).split("\n")[0];
if (answer !== `mntns ${VERSION}`) {
  Deno.removeSync(output);
  fail(
    `${output} --version printed '${answer}', not 'mntns ${VERSION}' — ${
      denort === undefined ? "the base" : `DENORT_BIN=${denort}`
    } is not a denort base binary (the full deno binary is not one); removed it`,
  );
}
console.log(`compile: wrote ${output}`);
