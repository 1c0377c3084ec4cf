/**
 * Hostnames for a new UTS namespace.
 *
 * @module
 */

import { encodeBytes } from "../bytes.ts";
import { UsageError } from "../errors.ts";

/** The most bytes a hostname may have (HOST_NAME_MAX). */
export const HOSTNAME_MAX = 64;

/**
 * Checks a hostname's length: 1 to 64 bytes.
 *
 * @example
 * ```ts
 * checkHostname("box", "mntns run");
 * ```
 */
export function checkHostname(hostname: string, command: string): void {
  const bytes = encodeBytes(hostname).length;
  if (bytes === 0 || bytes > HOSTNAME_MAX) {
    throw new UsageError(
      `hostname '${hostname}' is ${bytes} bytes; it must be 1 to ${HOSTNAME_MAX}`,
      command,
    );
  }
}
