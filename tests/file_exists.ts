/**
 * Whether a path names something, for the tests and the test scripts.
 *
 * @module
 */

/**
 * Whether `path` names a file (of any kind; a symbolic link is followed).
 *
 * @example
 * ```ts
 * fileExists("/proc/self/stat"); // true
 * ```
 */
export function fileExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
