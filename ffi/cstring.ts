/**
 * C strings, NULL-terminated string arrays (argv, envp), and passing buffers
 * to C as pointers: {@linkcode withPointers} holds the buffers until the call
 * that reads them has returned.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * Encodes a string as UTF-8 with a terminating NUL.
 *
 * @example
 * ```ts
 * cString("/proc"); // Uint8Array [47, 112, 114, 111, 99, 0]
 * ```
 */
export function cString(text: string): Uint8Array<ArrayBuffer> {
  if (text.includes("\0")) {
    throw new TypeError(
      `string ${JSON.stringify(text)} contains a NUL byte — C cannot take it`,
    );
  }
  const bytes = new Uint8Array(encoder.encode(text).length + 1);
  encoder.encodeInto(text, bytes);
  return bytes;
}

/**
 * Builds a NULL-terminated `char *const[]` array of C strings, as `execve`
 * takes for argv and envp, in one buffer: the pointers first, then the
 * strings they point at, so holding the buffer holds everything C reads.
 * Empty strings stay empty strings (a lone NUL), not NULL.
 *
 * @example
 * ```ts
 * const argv = cStringArray(["ls", "-la", ""]);
 * withPointers([cString("/bin/ls"), argv], ([path, args]) => libc().execve(path, args, null));
 * ```
 */
export function cStringArray(
  items: readonly string[],
): Uint8Array<ArrayBuffer> {
  const strings = items.map(cString);
  const table = (strings.length + 1) * 8;
  const block = new Uint8Array(
    strings.reduce((size, bytes) => size + bytes.length, table),
  );
  // The view first: it moves a small array's bytes off the V8 heap, where
  // they stay put, before their address is taken.
  const pointers = new BigUint64Array(block.buffer, 0, strings.length + 1);
  const base = addressOf(Deno.UnsafePointer.of(block));
  let offset = table;
  strings.forEach((bytes, index) => {
    block.set(bytes, offset);
    pointers[index] = base + BigInt(offset);
    offset += bytes.length;
  });
  return block;
}

/** Buffers whose addresses C is using right now, held from the collector. */
const inUse: (readonly (BufferSource | null)[])[] = [];

/**
 * Calls C with the address of each buffer (NULL for null), for the `pointer`
 * parameters of the libc binding, and keeps the buffers reachable until the
 * call has returned: the garbage collector must not free memory C reads.
 *
 * @example
 * ```ts
 * withPointers([cString("/")], ([path]) => libc().chdir(path));
 * ```
 */
export function withPointers<T>(
  buffers: readonly (BufferSource | null)[],
  call: (pointers: Deno.PointerValue[]) => T,
): T {
  inUse.push(buffers);
  try {
    return call(
      buffers.map((buffer) =>
        buffer === null ? null : Deno.UnsafePointer.of(buffer)
      ),
    );
  } finally {
    inUse.pop();
  }
}

/**
 * A pointer as a number, for the integer arguments of `syscall`.
 *
 * @example
 * ```ts
 * withPointers([newRoot, putOld], ([a, b]) =>
 *   libc().syscall(155n, addressOf(a), addressOf(b), 0n, 0n, 0n, 0n));
 * ```
 */
export function addressOf(pointer: Deno.PointerValue): bigint {
  return BigInt(Deno.UnsafePointer.value(pointer));
}
