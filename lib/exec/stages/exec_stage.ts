/**
 * The exec stage of `run --init`: the child of mntns's PID 1 that becomes
 * the command once the mounts are ready.
 *
 * @module
 */

import { closeFd } from "../../../ffi/fds.ts";
import { openGate, waitAtGate } from "../../../ffi/gate.ts";
import { chdir } from "../../../ffi/syscalls.ts";
import { execCommand } from "../exec_command.ts";
import { dropPrivileges } from "../privileges.ts";
import { receivePlan } from "./received_plan.ts";
import type { GatedExecTarget } from "../run_init.ts";

/**
 * The exec stage of `run --init`: takes its target from a pipe, says it has
 * loaded, waits at the gate until the mounts are ready, changes directory,
 * drops privilege and execs the command with the caller's signal state. A dropped gate
 * (setup failed; mntns reports why) ends it quietly. Words: the ready pipe,
 * the gate, the target's pipe.
 *
 * @example
 * ```ts
 * execStageMain(["5", "6", "7"]);
 * ```
 */
export function execStageMain(args: readonly string[]): never {
  const [readyFd, gateFd, targetFd] = args.map(Number);
  const target = receivePlan<GatedExecTarget>(targetFd);
  openGate(readyFd);
  closeFd(readyFd);
  const go = waitAtGate(gateFd);
  closeFd(gateFd);
  if (!go) Deno.exit(1);
  if (target.wd !== null) chdir(target.wd);
  dropPrivileges(target.privileges);
  return execCommand(target);
}
