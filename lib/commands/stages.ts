/**
 * The hidden stages mntns runs as when it starts itself again; not for
 * people. Each takes one JSON argument.
 *
 * @module
 */

import { closeFd } from "../../ffi/fds.ts";
import { openGate, waitAtGate } from "../../ffi/gate.ts";
import { chdir } from "../../ffi/syscalls.ts";
import { execCommand } from "../exec_command.ts";
import type { GatedExecTarget } from "../run_init.ts";
import { runStage, type StagePlan } from "../run_stage.ts";

/**
 * The run stage: PID 1 of `mntns run`'s new PID namespace.
 *
 * @example
 * ```ts
 * await runStageMain([JSON.stringify(plan)]);
 * ```
 */
export function runStageMain(args: readonly string[]): Promise<number> {
  return runStage(JSON.parse(args[0]) as StagePlan);
}

/**
 * The exec stage of `run --init`: says it has loaded, waits at the gate
 * until the mounts are ready, changes directory, cleans up signals and execs
 * the command. A dropped gate (setup failed; mntns reports why) ends it
 * quietly.
 *
 * @example
 * ```ts
 * execStageMain([JSON.stringify(target)]);
 * ```
 */
export function execStageMain(args: readonly string[]): never {
  const target = JSON.parse(args[0]) as GatedExecTarget;
  openGate(target.readyFd);
  closeFd(target.readyFd);
  const go = waitAtGate(target.gateFd);
  closeFd(target.gateFd);
  if (!go) Deno.exit(1);
  if (target.wd !== null) chdir(target.wd);
  return execCommand(target);
}
