/**
 * Room for a large mount table read from /proc, on transparent huge pages
 * where the kernel gives them on request (`madvise` mode, the default of
 * most distributions, and of these VMs): the first write to each 2 MiB of
 * a 20,000-mount table's text is then one page fault, not 512. On a VM a
 * fault on memory the host has not backed yet is dear, and findmnt pays it
 * for every 4 KiB it allocates (docs/speed.md). The records are not put
 * there: seven arrays, each partly written, would each round up to huge
 * pages never used.
 *
 * @module
 */

import { addressOf } from "../../ffi/memory.ts";
import { adviseHugePages } from "../../ffi/syscalls.ts";

/** A transparent huge page on x86_64 and aarch64 (4 KiB pages). */
const HUGE_PAGE = 2 * 1024 * 1024;

/**
 * `size` zeroed bytes; from 2 MiB on, starting at a 2 MiB boundary of a
 * buffer 2 MiB larger (the spare address space is never written, so it
 * costs no memory) and advised to the kernel as huge pages. A kernel
 * without them, or that declines, gives ordinary pages: nothing else
 * changes.
 *
 * @example
 * ```ts
 * const text = hugePageRoom(4 * 1024 * 1024);
 * text.byteOffset % 8; // 0
 * ```
 */
export function hugePageRoom(size: number): Uint8Array<ArrayBuffer> {
  if (size < HUGE_PAGE) return new Uint8Array(size);
  const buffer = new ArrayBuffer(size + HUGE_PAGE);
  const start = addressOf(new Uint8Array(buffer));
  // A backing store is aligned for any typed array (to 8 or more), so the
  // offset to the next boundary keeps that alignment.
  const offset = Number(-start & BigInt(HUGE_PAGE - 1));
  adviseHugePages(start + BigInt(offset), BigInt(size));
  return new Uint8Array(buffer, offset, size);
}
