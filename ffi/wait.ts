/**
 * Reaping child processes with `waitpid(2)`, for a PID-namespace init.
 *
 * @module
 */

import { lastErrno, SyscallError } from "./errno.ts";
import { libc } from "./libc.ts";

const WNOHANG = 1;
const ECHILD = 10;

/**
 * Reaps one exited child without waiting: its pid, or 0 when none has
 * exited (or there is no such child).
 *
 * @example
 * ```ts
 * while (reapChild(pid) > 0) {}
 * ```
 */
export function reapChild(pid: number): number {
  const status = new Int32Array(1);
  const result = libc().waitpid(pid, status, WNOHANG);
  if (result < 0) {
    const errno = lastErrno();
    if (errno === ECHILD) return 0;
    throw new SyscallError({ call: `waitpid(${pid})`, errno });
  }
  return result;
}
