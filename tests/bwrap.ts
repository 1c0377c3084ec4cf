/**
 * bubblewrap, the neighbour the run tests compare with.
 *
 * @module
 */

import { run } from "./processes.ts";

/** The path of `bwrap`, or "" when it is not installed. */
export const BWRAP: string =
  (await run(["sh", "-c", "command -v bwrap || true"])).stdout.trim();

/**
 * Whether to compare with bwrap: under CI every comparison runs (bwrap is
 * installed by .ci/run), so its absence fails there.
 *
 * @example
 * ```ts
 * if (requireBwrap()) console.log(`comparing with ${BWRAP}`);
 * ```
 */
export function requireBwrap(): boolean {
  if (BWRAP === "" && Deno.env.get("CI") === "true") {
    throw new Error("bwrap is missing: .ci/run installs bubblewrap");
  }
  return BWRAP !== "";
}
