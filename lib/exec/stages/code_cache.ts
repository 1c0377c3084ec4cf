/**
 * The turns of the event loop Deno needs to store a module's V8 code cache.
 * Deno stores it on a later turn, and mntns replaces or exits the process
 * before any other turn comes; without these, every start compiles the
 * whole bundle again. One turn did not always do; three did, in every run
 * measured (scripts/bench.ts measures the start).
 *
 * @module
 */

/** One turn: an async call that cannot fail. */
function turn(): Promise<string> {
  return Deno.realPath("/").catch(() => "/");
}

/**
 * Does `work` while the first of three event-loop turns is under way, then
 * gives the other two; returns what `work` returned.
 *
 * @example
 * ```ts
 * import { callerArgs } from "../../system/proc.ts";
 * const args = await withCodeCacheTurns(callerArgs);
 * ```
 */
export async function withCodeCacheTurns<T>(work: () => T): Promise<T> {
  const first = turn();
  const result = work();
  await first;
  await turn();
  await turn();
  return result;
}
