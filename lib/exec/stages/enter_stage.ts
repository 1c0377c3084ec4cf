/**
 * The enter stage of `mntns enter`: started inside the target's PID
 * namespace, it joins the rest and becomes the command.
 *
 * @module
 */

import type { EnterStagePlan } from "../enter.ts";
import { execCommand } from "../exec_command.ts";
import { joinTarget } from "../join_namespaces.ts";
import { receivePlan } from "./received_plan.ts";

/**
 * The enter stage of `mntns enter`, started inside the target's PID
 * namespace: joins the target's other namespaces, takes its root and
 * working directory, and execs the command with the caller's signal state.
 * Words: the plan's pipe (the plan names the namespace descriptors it
 * inherited, which it closes before the exec).
 *
 * @example
 * ```ts
 * enterStageMain(["5"]);
 * ```
 */
export function enterStageMain(args: readonly string[]): never {
  const plan = receivePlan<EnterStagePlan>(Number(args[0]));
  joinTarget(plan);
  return execCommand(plan.command);
}
