/**
 * Memory that C reads or writes by its address: every buffer mntns passes
 * to a system call is an integer argument of glibc's `syscall(3)` (see
 * ffi/libc.ts), so nothing in Deno pins it for the call.
 *
 * Such memory must not move and must stay reachable until the call returns.
 * V8 keeps a small typed array made with `new Uint8Array(n)` (64 bytes or
 * fewer) inside its own heap, where a garbage collection may move it; the
 * memory of an `ArrayBuffer` made explicitly lies outside the heap and never
 * moves. So every buffer passed by address is made on its own
 * `ArrayBuffer`: {@linkcode fixedBytes}, {@linkcode fixedCopy}, or
 * `new Int32Array(new ArrayBuffer(n))` and the like.
 *
 * @module
 */

/**
 * `size` zeroed bytes at an address that never moves.
 *
 * @example
 * ```ts
 * const status = fixedBytes(4);
 * addressOf(status); // where the kernel may write it
 * ```
 */
export function fixedBytes(size: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new ArrayBuffer(size));
}

/**
 * A copy of some bytes at an address that never moves: for bytes that come
 * from elsewhere (a caller, `TextEncoder`) and may sit in V8's heap.
 *
 * @example
 * ```ts
 * const message = fixedCopy(new TextEncoder().encode("{}"));
 * ```
 */
export function fixedCopy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = fixedBytes(bytes.length);
  copy.set(bytes);
  return copy;
}

/**
 * Where each buffer's memory starts, once asked: it never moves, and asking
 * Deno costs two calls into the runtime (a loop that passes one buffer
 * again and again, as setting several signal dispositions does, asks once).
 */
const starts = new WeakMap<ArrayBufferLike, bigint>();

/**
 * The address of a view's first byte (0 for an empty view), as the integer
 * a system call takes. The view must be on memory that never moves (see
 * the module's note), and the caller keeps it reachable until the call
 * that uses the address has returned.
 *
 * @example
 * ```ts
 * const bytes = fixedBytes(16);
 * addressOf(bytes.subarray(4)) - addressOf(bytes); // 4n
 * ```
 */
export function addressOf(view: ArrayBufferView): bigint {
  const buffer = view.buffer;
  let start = starts.get(buffer);
  if (start === undefined) {
    start = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buffer)));
    starts.set(buffer, start);
  }
  return start + BigInt(view.byteOffset);
}
