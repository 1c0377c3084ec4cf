/**
 * The calling thread's nice value (`getpriority(2)`, `setpriority(2)` with
 * `PRIO_PROCESS` and who 0: on Linux a nice value belongs to a thread, and
 * who 0 is the caller).
 *
 * @module
 */

import { E, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";

/** `PRIO_PROCESS` of `<sys/resource.h>`. */
const PRIO_PROCESS = 0;

/**
 * The calling thread's nice value, -20 (most favoured) to 19.
 *
 * @example
 * ```ts
 * threadNice(); // 0 unless started under nice(1)
 * ```
 */
export function threadNice(): number {
  // The system call returns 20 - nice, so that no nice value looks like
  // an error (glibc's wrapper turns it back).
  const raw = unwrap(systemCall("getpriority", PRIO_PROCESS, 0), {
    call: "getpriority",
  });
  return 20 - raw;
}

/**
 * Sets the calling thread's nice value. False when the thread may not
 * (EACCES or EPERM: a lower value needs CAP_SYS_NICE or RLIMIT_NICE).
 *
 * @example
 * ```ts
 * setThreadNice(-20); // as root: run this thread first
 * ```
 */
export function setThreadNice(nice: number): boolean {
  const set = unwrap(systemCall("setpriority", PRIO_PROCESS, 0, nice), {
    call: "setpriority",
    allowed: [E.ACCES, E.PERM],
  });
  return set === 0;
}
