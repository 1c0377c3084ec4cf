/**
 * How a hidden stage takes its plan: whole, as JSON, from an inherited pipe
 * (never from argv, which every user can read).
 *
 * @module
 */

import { receiveMessage } from "../../../ffi/gate.ts";

/**
 * A hidden stage's plan, received whole through a pipe and parsed; a cut-off
 * one ends the stage quietly (its parent reports why).
 *
 * @example
 * ```ts
 * const plan = receivePlan<{ argv: string[] }>(5);
 * ```
 */
export function receivePlan<T>(fd: number): T {
  const text = new TextDecoder().decode(receiveMessage(fd));
  try {
    return JSON.parse(text) as T;
  } catch {
    Deno.exit(1);
  }
}
