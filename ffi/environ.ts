/**
 * This process's own environment, read from glibc's `environ`: exactly as the
 * caller passed it (order, duplicates, entries without `=`), which
 * `Deno.env.toObject()` cannot promise.
 *
 * @module
 */

import { libc } from "./libc.ts";

/**
 * The `char **` value of `environ`, ready to pass to `execve` as envp.
 *
 * @example
 * ```ts
 * import { cString, cStringArray } from "./cstring.ts";
 * import { libc } from "./libc.ts";
 *
 * const pid = new Int32Array(new ArrayBuffer(4));
 * const argv = cStringArray(["ls", "-la"]);
 * libc().posix_spawn(pid, cString("/bin/ls"), null, null, argv.pointers, environPointer()); // 0: started
 * ```
 */
export function environPointer(): Deno.PointerValue {
  const symbol = libc().environ;
  if (symbol === null) return null;
  return new Deno.UnsafePointerView(symbol).getPointer(0);
}

/**
 * The environment strings (`K=V`), in order.
 *
 * @example
 * ```ts
 * environStrings(); // ["HOME=/root", "PATH=/usr/bin:/bin", ...]
 * ```
 */
export function environStrings(): string[] {
  const envp = environPointer();
  if (envp === null) return [];
  const view = new Deno.UnsafePointerView(envp);
  const strings: string[] = [];
  for (let offset = 0;; offset += 8) {
    const entry = view.getPointer(offset);
    if (entry === null) return strings;
    strings.push(Deno.UnsafePointerView.getCString(entry));
  }
}
