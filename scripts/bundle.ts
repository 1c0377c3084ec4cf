/**
 * `deno task bundle [OUT]`: builds `dist/mntns.js` (or OUT), one
 * self-contained file that runs with nothing but a `deno` binary:
 * `deno run -A dist/mntns.js ...`.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const output = Deno.args[0] ?? `${root}dist/mntns.js`;
const result = new Deno.Command(Deno.execPath(), {
  args: [
    "bundle",
    "--quiet",
    "--minify",
    "-o",
    output,
    `${root}lib/exec/stages/bundle_main.ts`,
  ],
  stdout: "inherit",
  stderr: "inherit",
}).outputSync();
if (!result.success) {
  console.error(`bundle: deno bundle failed (exit ${result.code})`);
  Deno.exit(1);
}
console.log(`bundle: wrote ${output}`);
