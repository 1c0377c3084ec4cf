/**
 * C strings and NULL-terminated string arrays (argv, envp).
 *
 * Every function returns the buffers it made alongside the pointer array, so
 * the caller holds them — and with them the memory the pointers point at —
 * until the call that uses them has returned.
 *
 * @module
 */

import { encodeBytes } from "../lib/bytes.ts";
import { addressOf, fixedBytes } from "./memory.ts";

/**
 * Encodes a string as its bytes (UTF-8, with kept bytes written back as they
 * were: see lib/bytes.ts) and a terminating NUL, at an address that never
 * moves (see ffi/memory.ts).
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
  const encoded = encodeBytes(text);
  const bytes = fixedBytes(encoded.length + 1);
  bytes.set(encoded);
  return bytes;
}

/** A `char *const[]` array and the buffers its pointers point into. */
export interface CStringArray {
  /** The pointer array, NULL-terminated: pass it where C wants `char *const[]`. */
  readonly pointers: BigUint64Array<ArrayBuffer>;
  /** The strings; keep this object alive while C may read them. */
  readonly strings: readonly Uint8Array<ArrayBuffer>[];
}

/**
 * Builds a NULL-terminated array of C strings, as `execve` takes for argv and
 * envp, the array and the strings at addresses that never move. Empty
 * strings stay as empty strings (a lone NUL), not as NULL.
 *
 * @example
 * ```ts
 * import { systemCall } from "./libc.ts";
 *
 * const argv = cStringArray(["ls", "-la"]);
 * const envp = cStringArray(["PATH=/usr/bin:/bin"]);
 * systemCall("execve", cString("/bin/ls"), argv, envp);
 * ```
 */
export function cStringArray(items: readonly string[]): CStringArray {
  const strings = items.map(cString);
  const pointers = new BigUint64Array(
    new ArrayBuffer((strings.length + 1) * 8),
  );
  strings.forEach((bytes, index) => {
    pointers[index] = addressOf(bytes);
  });
  return { pointers, strings };
}
