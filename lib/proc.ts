/**
 * Whether /proc is there: rescue shells often run without it, and mntns
 * needs it to read mount tables and to start itself again.
 *
 * @module
 */

import { CommandError } from "./cli.ts";

/** What to say when /proc is not mounted. */
export const PROC_MISSING =
  "/proc is not mounted — mount it with 'mount -t proc proc /proc'";

/**
 * Whether /proc is mounted (this process's own entry is there).
 *
 * @example
 * ```ts
 * isProcMounted(); // true
 * ```
 */
export function isProcMounted(): boolean {
  try {
    Deno.statSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws a one-line {@linkcode CommandError} when /proc is not mounted.
 *
 * @example
 * ```ts
 * requireProc();
 * ```
 */
export function requireProc(): void {
  if (!isProcMounted()) throw new CommandError(PROC_MISSING);
}
