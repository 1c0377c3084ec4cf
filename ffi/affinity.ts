/**
 * The CPUs the calling thread may run on (`sched_getaffinity(2)`,
 * `sched_setaffinity(2)` with pid 0: this thread only), as glibc's
 * `cpu_set_t`: 1024 bits, bit N for CPU N.
 *
 * @module
 */

import { E, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";
import { fixedBytes, fixedCopy } from "./memory.ts";

/** `sizeof(cpu_set_t)`: room for CPU_SETSIZE (1024) CPUs. */
const CPU_SET_SIZE = 128;

/** The highest CPU number a `cpu_set_t` holds, plus one. */
export const CPU_SET_CPUS: number = CPU_SET_SIZE * 8;

/**
 * The calling thread's affinity mask.
 *
 * @example
 * ```ts
 * const saved = threadAffinity();
 * ```
 */
export function threadAffinity(): Uint8Array<ArrayBuffer> {
  const mask = fixedBytes(CPU_SET_SIZE);
  // The system call returns how many bytes it wrote (glibc's wrapper, 0).
  unwrap(systemCall("sched_getaffinity", 0, CPU_SET_SIZE, mask), {
    call: "sched_getaffinity",
  });
  return mask;
}

/**
 * Sets the calling thread's affinity mask; the kernel moves the thread at
 * once. False when no CPU of the mask may be used (EINVAL: offline, or
 * outside the thread's cpuset).
 *
 * @example
 * ```ts
 * setThreadAffinity(cpuMask(1)); // run on CPU 1 only
 * ```
 */
export function setThreadAffinity(mask: Uint8Array<ArrayBuffer>): boolean {
  const fixed = fixedCopy(mask);
  const set = unwrap(systemCall("sched_setaffinity", 0, fixed.length, fixed), {
    call: "sched_setaffinity",
    allowed: [E.INVAL],
  });
  return set === 0;
}

/**
 * A mask of one CPU.
 *
 * @example
 * ```ts
 * cpuMask(9)[1]; // 2
 * ```
 */
export function cpuMask(cpu: number): Uint8Array<ArrayBuffer> {
  const mask = fixedBytes(CPU_SET_SIZE);
  mask[cpu >> 3] = 1 << (cpu & 7);
  return mask;
}
