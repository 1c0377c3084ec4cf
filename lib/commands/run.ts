/**
 * `mntns run`: a command in new mount, UTS, PID, IPC and network namespaces.
 *
 * PID namespaces apply to children only, and Deno cannot fork: mntns
 * unshares the PID namespace on its main thread, then starts itself again —
 * the hidden run stage, carrying the plan as JSON — which is PID 1 of the new
 * namespace and does the rest (see lib/run_stage.ts). This process stays
 * outside: it passes signals on and returns the command's exit status.
 *
 * @module
 */

import { CLONE } from "../../ffi/constants.ts";
import { environStrings } from "../../ffi/environ.ts";
import {
  closeFd,
  openReadOnly,
  pidfdOpen,
  setCloseOnExec,
} from "../../ffi/fds.ts";
import { setns, unshare } from "../../ffi/syscalls.ts";
import { CommandError } from "../cli.ts";
import { writeErr, writeOut } from "../output.ts";
import { requireProc } from "../proc.ts";
import { commandEnvironment, parseRunArgs, RUN_HELP } from "../run_plan.ts";
import type { StagePlan } from "../run_stage.ts";
import { spawnSelf } from "../self_command.ts";
import { RUN_STAGE } from "../stage_names.ts";
import { type InitSignaller, initSignaller } from "../init_signals.ts";
import { exitStatus, forwardSignals, signalChild } from "../signals.ts";

function checkDirectory(path: string, what: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    throw new CommandError(`${what} ${path}: no such file or directory`);
  }
  if (!info.isDirectory) {
    throw new CommandError(`${what} ${path}: not a directory`);
  }
}

function plainSignaller(child: Deno.ChildProcess): InitSignaller {
  return { deliver: (signal) => signalChild(child, signal), exitStatus };
}

/**
 * Runs `mntns run`; returns the exit status.
 *
 * @example
 * ```ts
 * Deno.exit(await main(["--hostname", "box", "--", "hostname"]));
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const plan = parseRunArgs(args, { SHELL: Deno.env.get("SHELL") });
  if (plan === "help") {
    writeOut(RUN_HELP);
    return 0;
  }
  requireProc();
  if (plan.rootfs !== null) checkDirectory(plan.rootfs, "--rootfs");
  if (plan.propagation === "shared") {
    writeErr(
      "mntns: warning: --propagation shared: mounts made inside will appear outside too\n",
    );
  }
  // After unshare(CLONE_NEWPID) the main thread cannot start threads (the
  // kernel refuses CLONE_THREAD while its children's PID namespace differs
  // from its own), and Deno starts some lazily, e.g. for signal listeners: so
  // the original PID namespace is restored for children once the stage runs.
  const ownPidNamespace = plan.namespaces.pid
    ? openReadOnly("/proc/self/ns/pid", { directory: false })
    : null;
  if (ownPidNamespace !== null) unshare(CLONE.NEWPID);
  const pidfd = pidfdOpen(Deno.pid);
  const stagePlan: StagePlan = {
    ...plan,
    env: commandEnvironment(environStrings(), plan.envOverrides),
    parentPidfd: pidfd,
  };
  // The stage inherits the pidfd (and only it) to learn if mntns died early.
  setCloseOnExec(pidfd, false);
  let child: Deno.ChildProcess;
  try {
    child = spawnSelf([RUN_STAGE, JSON.stringify(stagePlan)]);
  } finally {
    closeFd(pidfd);
    if (ownPidNamespace !== null) {
      setns(ownPidNamespace, CLONE.NEWPID);
      closeFd(ownPidNamespace);
    }
  }
  const signaller = plan.namespaces.pid && !plan.init
    ? initSignaller(child)
    : plainSignaller(child);
  const stopForwarding = forwardSignals(signaller.deliver);
  const status = await child.status;
  stopForwarding();
  return signaller.exitStatus(status);
}
