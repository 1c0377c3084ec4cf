/**
 * Synchronous writes to stdout and stderr, complete even on pipes.
 *
 * @module
 */

const encoder = new TextEncoder();

function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  text: string,
): void {
  const bytes = encoder.encode(text);
  for (let offset = 0; offset < bytes.length;) {
    offset += stream.writeSync(bytes.subarray(offset));
  }
}

/**
 * Writes text to stdout, all of it, before returning.
 *
 * @example
 * ```ts
 * writeOut("done\n");
 * ```
 */
export function writeOut(text: string): void {
  writeAll(Deno.stdout, text);
}

/**
 * Writes text to stderr, all of it, before returning.
 *
 * @example
 * ```ts
 * writeErr("mntns: warning: / is shared\n");
 * ```
 */
export function writeErr(text: string): void {
  writeAll(Deno.stderr, text);
}
