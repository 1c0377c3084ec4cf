/**
 * `mntns run --init`: mntns stays as PID 1 of the new PID namespace. It
 * starts the command as its child, passes signals on to it, reaps every
 * orphan that is reparented to it, and exits with the command's status.
 *
 * The command is started through the exec stage (mntns again, which sets
 * the caller's signal state and execs it): a child of `posix_spawn` starts
 * with 32 and 33 ignored and with this stage's mask, and the exec stage
 * undoes both. The exec stage is started before the mounts are prepared —
 * after a `pivot_root` neither deno's files nor mntns's would be reachable —
 * and waits at a gate: it says when it has loaded, mntns prepares the mounts
 * (the pivot moves the waiting stage into the new root too) and then opens
 * the gate.
 *
 * @module
 */

import { closeFd, setCloseOnExec } from "../../ffi/fds.ts";
import { makeGate, openGate, waitAtGate } from "../../ffi/gate.ts";
import { sendSignal } from "../../ffi/signals.ts";
import { plainSignaller } from "./init_signals.ts";
import { sendPlan } from "./stages/received_plan.ts";
import { spawnSelf } from "./stages/self_command.ts";
import { EXEC_STAGE } from "./stages/stage_names.ts";
import { supervise, supervisedSignals } from "./stages/supervise.ts";
import type { ExecTarget } from "../plan/exec_target.ts";
import type { PrivilegeRequest } from "../plan/privileges.ts";

/** What the exec stage of `--init` gets: the command, its directory, its privilege. */
export interface GatedExecTarget extends ExecTarget {
  /** Working directory to change to before the exec, or null. */
  wd: string | null;
  /** What to drop just before the exec. */
  privileges: PrivilegeRequest;
}

function startGated(
  options: {
    target: GatedExecTarget;
    prepare: () => void;
    blocked: readonly number[];
  },
): number {
  const ready = makeGate();
  const gate = makeGate();
  const channel = makeGate();
  const inherited = [ready.writeFd, gate.readFd, channel.readFd];
  for (const fd of inherited) setCloseOnExec(fd, false);
  let child: number;
  try {
    child = spawnSelf({
      words: [EXEC_STAGE, ...inherited.map(String)],
      blocked: options.blocked,
    });
  } finally {
    for (const fd of inherited) closeFd(fd);
  }
  sendPlan(channel.writeFd, options.target);
  const loaded = waitAtGate(ready.readFd);
  closeFd(ready.readFd);
  try {
    if (!loaded) throw new Error("the exec stage of --init did not start");
    options.prepare();
  } catch (error) {
    closeFd(gate.writeFd);
    throw error;
  }
  openGate(gate.writeFd);
  closeFd(gate.writeFd);
  return child;
}

/**
 * Starts the command as a child (once `prepare` has made the mounts),
 * passes the forwarded signals on, reaps orphans, and returns the command's
 * exit status (128 + N for signal N). The forwarded signals and SIGCHLD are
 * blocked in this stage since its start.
 *
 * @example
 * ```ts
 * declare const target: GatedExecTarget; // the command, from the stage's plan
 * Deno.exit(runInit({ target, forwarded: [1, 2, 15], prepare: () => {} }));
 * ```
 */
export function runInit(
  options: {
    target: GatedExecTarget;
    forwarded: readonly number[];
    prepare: () => void;
  },
): number {
  const child = startGated({
    target: options.target,
    prepare: options.prepare,
    blocked: supervisedSignals(options.forwarded),
  });
  return supervise({
    child,
    forwarded: options.forwarded,
    signaller: plainSignaller({ pid: child, send: sendSignal }),
    reapOrphans: true,
  });
}
