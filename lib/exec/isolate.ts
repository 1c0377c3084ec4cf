/**
 * `mntns isolate`'s executor: a new mount namespace with a chosen
 * propagation, then the command in place of mntns — exactly like
 * `unshare -m --propagation MODE`.
 *
 * @module
 */

import { type IsolatePlan, isolateSetupOps } from "../plan/isolate_plan.ts";
import { execCommand } from "./exec_command.ts";
import { executeSetup } from "./setup.ts";

/**
 * Carries out an isolate plan: its setup operations (unshare, propagation
 * of `/`, hostname, chroot, working directory), then the command. Returns
 * only by throwing.
 *
 * @example
 * ```ts
 * import { parseIsolateArgs } from "../cli/isolate.ts";
 * import { readCaller } from "../system/proc.ts";
 *
 * executeIsolate(parseIsolateArgs(["ls"], readCaller())!);
 * ```
 */
export function executeIsolate(plan: IsolatePlan): never {
  executeSetup(isolateSetupOps(plan));
  return execCommand(plan.command);
}
