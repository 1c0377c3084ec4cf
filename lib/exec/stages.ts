/**
 * The hidden stages mntns runs as when it starts itself again; not for
 * people. Their argv holds only descriptor numbers, pids and signal numbers:
 * plans come through inherited pipes.
 *
 * @module
 */

import { closeFd } from "../../ffi/fds.ts";
import { openGate, receiveMessage, waitAtGate } from "../../ffi/gate.ts";
import { sendSignal } from "../../ffi/signals.ts";
import { chdir } from "../../ffi/syscalls.ts";
import { execCommand } from "./exec_command.ts";
import {
  initSignaller,
  plainSignaller,
  signalDisposition,
} from "./init_signals.ts";
import type { EnterStagePlan } from "./enter.ts";
import { joinTarget } from "./join_namespaces.ts";
import type { GatedExecTarget } from "./run_init.ts";
import { dropPrivileges } from "./privileges.ts";
import { followParent, runStage, type StagePlan } from "./run_stage.ts";
import { supervise } from "./supervise.ts";

/** A plan received whole through a pipe; a cut-off one ends the stage quietly. */
function receivePlan<T>(fd: number): T {
  const text = new TextDecoder().decode(receiveMessage(fd));
  try {
    return JSON.parse(text) as T;
  } catch {
    Deno.exit(1);
  }
}

/**
 * The run stage: PID 1 of `mntns run`'s new PID namespace. Words: the plan's
 * pipe, a pidfd of mntns.
 *
 * @example
 * ```ts
 * await runStageMain(["5", "6"]);
 * ```
 */
export function runStageMain(args: readonly string[]): Promise<number> {
  const parent = Number(args[1]);
  followParent(parent);
  return runStage(receivePlan<StagePlan>(Number(args[0])), parent);
}

/**
 * The wait stage: what `mntns run` becomes once its stage has started. It
 * passes signals on to the stage and returns its exit status. Words: the
 * stage's pid, `init` when the command will be PID 1 of a namespace (see
 * lib/init_signals.ts) or `plain`, the forwarded signal numbers.
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
