/**
 * Reading a file someone named, safely: what is not a regular file is
 * refused before it is opened (opening a FIFO blocks until a writer comes,
 * `/dev/zero` never ends), and no more than a given number of bytes is ever
 * held.
 *
 * @module
 */

/**
 * What a file is, when it is not a regular file: `"a directory"`,
 * `"a FIFO"`, `"a character device"`, `"a block device"`, `"a socket"`;
 * null for a regular file. Give it what `Deno.statSync` returns (symbolic
 * links followed), which does not open the file.
 *
 * @example
 * ```ts
 * notRegularFile(Deno.statSync("/dev/zero")); // "a character device"
 * ```
 */
export function notRegularFile(info: Deno.FileInfo): string | null {
  if (info.isFile) return null;
  if (info.isDirectory) return "a directory";
  if (info.isFifo) return "a FIFO";
  if (info.isCharDevice) return "a character device";
  if (info.isBlockDevice) return "a block device";
  if (info.isSocket) return "a socket";
  return "not a regular file";
}

/** The size of a read of {@linkcode readBoundedLines}, and of its buffer. */
const PIECE_BYTES = 1024 * 1024;

/**
 * Reads a file synchronously a piece at a time and hands each piece to
 * `take` as whole lines (ending at a newline; the file's last line may have
 * none), so that a large file is never held whole; false (after the pieces
 * before it) when the file holds more than `maxBytes`, which a regular file
 * whose size says so gets without a read. The buffer is 1 MiB, more only
 * for a line longer than that.
 *
 * @example
 * ```ts
 * const pieces: Uint8Array[] = [];
 * readBoundedLines("/proc/self/mountinfo", {
 *   maxBytes: 256 * 1024 * 1024,
 *   take: (lines) => pieces.push(lines.slice()),
 * }); // true
 * ```
 */
export function readBoundedLines(
  path: string,
  options: { maxBytes: number; take: (lines: Uint8Array) => void },
): boolean {
  const { maxBytes, take } = options;
  const file = Deno.openSync(path);
  try {
    if (file.statSync().size > maxBytes) return false;
    let buffer = new Uint8Array(PIECE_BYTES);
    let length = 0;
    let total = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      const read = file.readSync(buffer.subarray(length));
      if (read === null) {
        if (length > 0) take(buffer.subarray(0, length));
        return true;
      }
      total += read;
      if (total > maxBytes) return false;
      const searched = length;
      length += read;
      const newline = buffer.lastIndexOf(10, length - 1);
      if (newline < searched) continue;
      take(buffer.subarray(0, newline + 1));
      buffer.copyWithin(0, newline + 1, length);
      length -= newline + 1;
    }
  } finally {
    file.close();
  }
}
