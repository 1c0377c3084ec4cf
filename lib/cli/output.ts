/**
 * The CLI's output: the plain writes of lib/system/stdio.ts, and warning and
 * error lines, in yellow and red where stderr gets colour (color.ts).
 *
 * @module
 */

import { colorOn, painted, SGR } from "./color.ts";
import { writeErr } from "../system/stdio.ts";

export {
  OUTPUT_CHUNK_CHARS,
  writeErr,
  WriteError,
  writeOut,
  writeOutBytes,
} from "../system/stdio.ts";

/**
 * Writes a warning line (`mntns: warning: ...`, without its newline) to
 * stderr, in yellow where stderr gets colour.
 *
 * @example
 * ```ts
 * writeWarning("mntns: warning: --propagation shared: mounts made inside will appear outside too");
 * ```
 */
export function writeWarning(line: string): void {
  writeErr(`${colorOn("stderr") ? painted(line, SGR.yellow) : line}\n`);
}

/**
 * Writes an error line (`mntns: ...`, without its newline) to stderr, in
 * red where stderr gets colour.
 *
 * @example
 * ```ts
 * writeError("mntns: /x: no such file or directory");
 * ```
 */
export function writeError(line: string): void {
  writeErr(`${colorOn("stderr") ? painted(line, SGR.red) : line}\n`);
}
