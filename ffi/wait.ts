/**
 * Collecting exited children with `wait4(2)`, without waiting: the caller
 * learns of exits from SIGCHLD on a signalfd.
 *
 * @module
 */

import { E, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";

const WNOHANG = 1;

/** How a child ended. */
export interface ChildExit {
  /** Its pid. */
  pid: number;
  /** Its exit code (0 when a signal ended it). */
  code: number;
  /** The signal that ended it, or null. */
  signal: number | null;
}

/**
 * Reaps one exited child (`pid`, or any with -1) without waiting: how it
 * ended, or null when none has exited (or there is no such child).
 *
 * @example
 * ```ts
 * for (let exit = reapExited(-1); exit; exit = reapExited(-1)) {}
 * ```
 */
export function reapExited(pid: number): ChildExit | null {
  const status = new Int32Array(new ArrayBuffer(4));
  for (;;) {
    const result = unwrap(systemCall("wait4", pid, status, WNOHANG, null), {
      call: `waitpid(${pid})`,
      allowed: [E.CHILD, E.INTR],
    });
    if (result > 0) {
      const termination = status[0] & 0x7f;
      return termination === 0
        ? { pid: result, code: (status[0] >> 8) & 0xff, signal: null }
        : { pid: result, code: 0, signal: termination };
    }
    if (result !== -E.INTR) return null;
  }
}
