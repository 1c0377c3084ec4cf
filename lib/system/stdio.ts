/**
 * Synchronous writes to stdout and stderr, complete even on pipes, for every
 * layer that reports (the CLI, and an executor that streams, as watch does).
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * About how many characters a long output is written in at once (64 Ki): a
 * table or JSON is made and written a piece at a time, so that its text is
 * never held whole.
 */
export const OUTPUT_CHUNK_CHARS = 64 * 1024;

/**
 * Writing to stdout or stderr failed (a full disk, a closed descriptor); the
 * message names the stream. A broken pipe is not one: it stays
 * `Deno.errors.BrokenPipe`, which ends mntns quietly, as a reader that
 * stopped reading expects.
 */
export class WriteError extends Error {
  /**
   * Names the stream and what went wrong.
   *
   * @example
   * ```ts
   * throw new WriteError("stdout", new Error("No space left on device (os error 28)"));
   * // message: "write error on stdout: ENOSPC (No space left on device)"
   * ```
   */
  constructor(stream: "stdout" | "stderr", cause: unknown) {
    super(`write error on ${stream}: ${describe(cause)}`, { cause });
    this.name = "WriteError";
  }
}

/** `ENOSPC (No space left on device)` from Deno's error for it. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const text = error.message.replace(/ \(os error \d+\)$/, "");
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${code} (${text})` : text;
}

function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  name: "stdout" | "stderr",
  bytes: Uint8Array,
): void {
  try {
    for (let offset = 0; offset < bytes.length;) {
      offset += stream.writeSync(bytes.subarray(offset));
    }
  } catch (error) {
    if (error instanceof Deno.errors.BrokenPipe) throw error;
    throw new WriteError(name, error);
  }
}

/**
 * Writes text to stdout, all of it, before returning. Fails with a
 * {@linkcode WriteError}, or `Deno.errors.BrokenPipe` when the reader left.
 *
 * @example
 * ```ts
 * writeOut("done\n");
 * ```
 */
export function writeOut(text: string): void {
  writeAll(Deno.stdout, "stdout", encoder.encode(text));
}

/**
 * Writes bytes to stdout, all of them, before returning; fails as
 * {@linkcode writeOut} does.
 *
 * @example
 * ```ts
 * writeOutBytes(new Uint8Array([0x6f, 0x6b, 0x0a])); // "ok\n"
 * ```
 */
export function writeOutBytes(bytes: Uint8Array): void {
  writeAll(Deno.stdout, "stdout", bytes);
}

/**
 * Writes text to stderr, all of it, before returning. Fails as
 * {@linkcode writeOut} does.
 *
 * @example
 * ```ts
 * writeErr("mntns: warning: / is shared\n");
 * ```
 */
export function writeErr(text: string): void {
  writeAll(Deno.stderr, "stderr", encoder.encode(text));
}
