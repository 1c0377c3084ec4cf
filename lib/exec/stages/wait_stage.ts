/**
 * The wait stage: what `mntns run` and `mntns enter` become once their stage
 * has started (the same pid, by execve with the passed-on signals blocked),
 * so that no long-lived mntns process can open Deno's SIGUSR1 inspector. It
 * loads only what waiting needs.
 *
 * @module
 */

import { sendSignal } from "../../../ffi/signals.ts";
import {
  initSignaller,
  plainSignaller,
  signalDisposition,
} from "../init_signals.ts";
import { supervise } from "./supervise.ts";

/**
 * The wait stage: what `mntns run` becomes once its stage has started. It
 * passes signals on to the stage and returns its exit status. Words: the
 * stage's pid, `init` when the command will be PID 1 of a namespace (see
 * lib/exec/init_signals.ts) or `plain`, the forwarded signal numbers.
 *
 * @example
 * ```ts
 * Deno.exit(waitStageMain(["1234", "init", "1,2,15"]));
 * ```
 */
export function waitStageMain(args: readonly string[]): number {
  const child = { pid: Number(args[0]), send: sendSignal };
  const forwarded = args[2] === "" ? [] : args[2].split(",").map(Number);
  return supervise({
    child: child.pid,
    forwarded,
    signaller: args[1] === "init"
      ? initSignaller({ ...child, disposition: signalDisposition })
      : plainSignaller(child),
    reapOrphans: false,
  });
}
