/**
 * `mntns run`'s executor: a command in new mount, UTS, PID, IPC and network
 * namespaces.
 *
 * PID namespaces apply to children only, and Deno cannot fork: mntns
 * unshares the PID namespace on its main thread and starts itself again with
 * `posix_spawn` — the hidden run stage, which is PID 1 of the new namespace
 * and does the rest (stages/run_stage.ts). The stage's plan, which holds the
 * command's whole environment, goes through an inherited pipe: argv is
 * readable by every user. Then this process replaces itself with the wait
 * stage (same pid, same child), started with the signals it passes on
 * blocked, so that no long-lived mntns process can be made to open Deno's
 * SIGUSR1 inspector (docs/security.md).
 *
 * @module
 */

import { CLONE } from "../../ffi/constants.ts";
import {
  closeFd,
  openReadOnly,
  pidfdOpen,
  setCloseOnExec,
} from "../../ffi/fds.ts";
import { makeGate } from "../../ffi/gate.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { setns, unshare } from "../../ffi/syscalls.ts";
import { CommandError } from "../errors.ts";
import type { RunPlan } from "../plan/run_plan.ts";
import { requireProc } from "../system/proc.ts";
import { FORWARDED_SIGNALS } from "../system/signals.ts";
import type { StagePlan } from "./stages/run_stage.ts";
import { checkInfoFd } from "./run_info.ts";
import { sendPlan } from "./stages/received_plan.ts";
import { execSelf, spawnSelf } from "./stages/self_command.ts";
import { RUN_STAGE, WAIT_STAGE } from "./stages/stage_names.ts";
import { supervisedSignals } from "./stages/supervise.ts";

const DIRECTORY_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "not a directory",
};

function checkDirectory(path: string, what: string): void {
  try {
    closeFd(openReadOnly(path, { directory: true }));
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    throw new CommandError(
      `${what} ${path}: ${DIRECTORY_PROBLEMS[error.code] ?? error.message}`,
    );
  }
}

/**
 * Carries out a run plan: the stage started (PID 1 of the new PID
 * namespace), its plan sent, and this process replaced by the wait stage.
 * Returns only by throwing.
 *
 * @example
 * ```ts
 * import { parseRunArgs } from "../cli/run.ts";
 * import { readCaller } from "../system/proc.ts";
 *
 * executeRun(parseRunArgs(["--", "hostname"], readCaller())!);
 * ```
 */
export function executeRun(plan: RunPlan): never {
  requireProc();
  if (plan.infoFd !== null) checkInfoFd(plan.infoFd);
  if (plan.rootfs !== null) checkDirectory(plan.rootfs, "--rootfs");
  // What the caller ignores stays ignored, here and in the command (nohup).
  const forwarded = FORWARDED_SIGNALS.filter((signal) =>
    !plan.command.signals.ignored.includes(signal)
  );
  const blocked = supervisedSignals(forwarded);
  // After unshare(CLONE_NEWPID) the main thread cannot start threads (the
  // kernel refuses CLONE_THREAD while its children's PID namespace differs
  // from its own): the original one is restored once the stage runs.
  const ownPidNamespace = plan.namespaces.pid
    ? openReadOnly("/proc/self/ns/pid", { directory: false })
    : null;
  if (ownPidNamespace !== null) unshare(CLONE.NEWPID);
  const channel = makeGate();
  // The stage inherits these two (and no other of mntns's descriptors): the
  // plan, and a pidfd of mntns that tells it whether mntns died early.
  const pidfd = pidfdOpen(Deno.pid);
  setCloseOnExec(pidfd, false);
  setCloseOnExec(channel.readFd, false);
  let stage: number;
  try {
    stage = spawnSelf({
      words: [RUN_STAGE, String(channel.readFd), String(pidfd)],
      blocked,
    });
  } finally {
    closeFd(pidfd);
    closeFd(channel.readFd);
    if (ownPidNamespace !== null) {
      setns(ownPidNamespace, CLONE.NEWPID);
      closeFd(ownPidNamespace);
    }
  }
  // The stage writes --info-fd's line and closes it; the wait stage does not keep it.
  if (plan.infoFd !== null) setCloseOnExec(plan.infoFd, true);
  const stagePlan: StagePlan = {
    ...plan,
    forwarded,
    pids: { mntns: Deno.pid, stage },
  };
  sendPlan(channel.writeFd, stagePlan);
  return execSelf({
    words: [
      WAIT_STAGE,
      String(stage),
      plan.namespaces.pid && !plan.init ? "init" : "plain",
      forwarded.join(","),
    ],
    blocked,
  });
}
