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

/**
 * The whole content of a file, read synchronously, or null when it holds
 * more than `maxBytes`. A regular file whose size says so is refused without
 * reading; files that report size 0 (`/proc/<pid>/mountinfo`) are read in
 * growing chunks until their end, never past `maxBytes` + 1.
 *
 * @example
 * ```ts
 * readBoundedFile("/proc/self/mountinfo", 256 * 1024 * 1024); // Uint8Array
 * ```
 */
export function readBoundedFile(
  path: string,
  maxBytes: number,
): Uint8Array | null {
  const file = Deno.openSync(path);
  try {
    const size = file.statSync().size;
    if (size > maxBytes) return null;
    const limit = maxBytes + 1;
    let buffer = new Uint8Array(Math.min(limit, Math.max(size + 1, 65536)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length === limit) return null;
        const bigger = new Uint8Array(Math.min(limit, buffer.length * 2));
        bigger.set(buffer);
        buffer = bigger;
      }
      const read = file.readSync(buffer.subarray(length));
      if (read === null) return buffer.subarray(0, length);
      length += read;
    }
  } finally {
    file.close();
  }
}
