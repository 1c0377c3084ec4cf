/**
 * The hidden stage of `mntns run` that is the first process of the new PID
 * namespace (PID 1): it makes sure mntns is still alive, makes the plan's
 * setup operations (the other namespaces, then the mounts and `/proc`), and
 * then becomes the command (or, with `--init`, starts it as its child
 * between the two and stays as its reaper).
 *
 * Everything here is synchronous until the command runs: after
 * `unshare(CLONE_NEWNS)` only the main thread is in the new mount namespace.
 *
 * @module
 */

import { closeFd, isReadable, setCloseOnExec } from "../../../ffi/fds.ts";
import { chdir, setParentDeathSignal } from "../../../ffi/syscalls.ts";
import { type RunPlan, runSetupOps } from "../../plan/run_plan.ts";
import { entersNamespaces } from "../../plan/setup_ops.ts";
import { SIG } from "../../system/signals.ts";
import { execCommand } from "../exec_command.ts";
import { dropPrivileges } from "../privileges.ts";
import { readRunInfo, writeRunInfo } from "../run_info.ts";
import { receivePlan } from "./received_plan.ts";
import { executeSetup } from "../setup.ts";

/** The plan as the stage receives it: the run plan and the signals it passes on. */
export interface StagePlan extends RunPlan {
  /** The signals passed on to the command (blocked in this stage). */
  forwarded: number[];
  /** mntns's PID and this stage's, as the host sees them (for `--info-fd`). */
  pids: { mntns: number; stage: number };
}

/**
 * Dies with the parent: PR_SET_PDEATHSIG, then a check through the pidfd
 * that the parent had not died before that (getppid() is 0 in a new PID
 * namespace, so it cannot tell). The pidfd stays open, close-on-exec: a
 * change of user clears the death signal, and the stage sets and checks it
 * again after that.
 *
 * @example
 * ```ts
 * declare const pidfd: number; // a pidfd of mntns, inherited
 * followParent(pidfd);
 * ```
 */
export function followParent(pidfd: number): void {
  setParentDeathSignal(SIG.KILL);
  setCloseOnExec(pidfd, true);
  if (isReadable(pidfd)) Deno.exit(1);
}

/**
 * Runs the stage: namespaces and mounts, then, privilege dropped, the
 * command in place of this process, or with `--init` under this process as
 * its init. `parent` is the pidfd of mntns {@linkcode followParent} took.
 * Returns the exit status (init).
 *
 * @example
 * ```ts
 * declare const plan: StagePlan; // received whole through the plan's pipe
 * declare const pidfd: number; // a pidfd of mntns, inherited
 * Deno.exit(await runStage(plan, pidfd));
 * ```
 */
export async function runStage(
  plan: StagePlan,
  parent: number,
): Promise<number> {
  // --no-die-with-parent: the signal followParent set is taken back.
  if (!plan.dieWithParent) setParentDeathSignal(0);
  const init = plan.init ? await import("../run_init.ts") : undefined;
  const ops = runSetupOps(plan);
  const infoFd = plan.infoFd;
  // Neither the command nor the exec stage of --init keeps --info-fd.
  if (infoFd !== null) setCloseOnExec(infoFd, true);
  executeSetup(ops.filter(entersNamespaces));
  const info = infoFd === null ? null : readRunInfo(plan.pids);
  const report = (): void => {
    if (infoFd !== null && info !== null) writeRunInfo(infoFd, info);
  };
  const mounts = ops.filter((op) => !entersNamespaces(op));
  const wd = plan.wd ?? (plan.rootfs !== null ? "/" : null);
  if (init) {
    closeFd(parent);
    return init.runInit({
      target: { ...plan.command, wd, privileges: plan.privileges },
      forwarded: plan.forwarded,
      prepare: () => {
        executeSetup(mounts);
        report();
      },
    });
  }
  executeSetup(mounts);
  if (wd !== null) chdir(wd);
  dropPrivileges(plan.privileges);
  if (plan.dieWithParent) followParent(parent);
  closeFd(parent);
  report();
  return execCommand(plan.command);
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
