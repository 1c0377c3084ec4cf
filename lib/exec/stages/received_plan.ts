/**
 * How a hidden stage gets its plan: sent whole, as JSON, through an
 * inherited pipe (never through argv, which every user can read).
 *
 * @module
 */

import { receiveMessage, sendMessage } from "../../../ffi/gate.ts";

/**
 * Sends a hidden stage its plan, as JSON, whole through the pipe's write
 * end, and closes it.
 *
 * @example
 * ```ts
 * import { makeGate } from "../../../ffi/gate.ts";
 * sendPlan(makeGate().writeFd, { argv: ["true"] });
 * ```
 */
export function sendPlan(writeFd: number, plan: unknown): void {
  sendMessage(writeFd, new TextEncoder().encode(JSON.stringify(plan)));
}

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
