/**
 * `mntns run --init`: mntns stays as PID 1 of the new PID namespace. It
 * starts the command as its child, passes signals on to it, reaps every
 * orphan that is reparented to it, and exits with the command's status.
 *
 * The command is started through the exec stage (mntns again, which resets
 * every signal and execs it): children of `Deno.Command` get signals 32 and
 * 33 ignored by glibc's posix_spawn, and the exec stage undoes that, so the
 * command starts as clean as without `--init`. The exec stage is started
 * before the mounts are prepared — after a `pivot_root` neither deno's files
 * nor mntns's would be reachable — and waits at a gate: it says when it has
 * loaded, mntns prepares the mounts (the pivot moves the waiting stage into
 * the new root too) and then opens the gate.
 *
 * @module
 */

import { closeFd, setCloseOnExec } from "../ffi/fds.ts";
import { makeGate, openGate, waitAtGate } from "../ffi/gate.ts";
import { reapChild } from "../ffi/wait.ts";
import type { ExecTarget } from "./exec_command.ts";
import { spawnSelf } from "./self_command.ts";
import { exitStatus, forwardSignals, signalChild } from "./signals.ts";
import { EXEC_STAGE } from "./stage_names.ts";

/** What the exec stage of `--init` gets: the command, its gates, its directory. */
export interface GatedExecTarget extends ExecTarget {
  /** Write end of the pipe that tells mntns the stage has loaded. */
  readyFd: number;
  /** Read end of the gate mntns opens when the mounts are ready. */
  gateFd: number;
  /** Working directory to change to before the exec, or null. */
  wd: string | null;
}

/**
 * The pids of this process's children that have exited and wait to be
 * reaped, from /proc.
 *
 * @example
 * ```ts
 * zombieChildren(1); // [12, 15]
 * ```
 */
export function zombieChildren(parent: number): number[] {
  const zombies: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" && Number(fields[1]) === parent) {
      zombies.push(Number(entry.name));
    }
  }
  return zombies;
}

function startGated(
  target: ExecTarget & { wd: string | null },
  prepare: () => void,
): Deno.ChildProcess {
  const ready = makeGate();
  const gate = makeGate();
  setCloseOnExec(ready.writeFd, false);
  setCloseOnExec(gate.readFd, false);
  const stageTarget: GatedExecTarget = {
    ...target,
    readyFd: ready.writeFd,
    gateFd: gate.readFd,
  };
  let child: Deno.ChildProcess;
  try {
    child = spawnSelf([EXEC_STAGE, JSON.stringify(stageTarget)]);
  } finally {
    closeFd(ready.writeFd);
    closeFd(gate.readFd);
  }
  const loaded = waitAtGate(ready.readFd);
  closeFd(ready.readFd);
  try {
    if (!loaded) throw new Error("the exec stage of --init did not start");
    prepare();
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
 * forwards signals, reaps orphans, and returns the command's exit status
 * (128 + N for signal N).
 *
 * @example
 * ```ts
 * Deno.exit(await runInit({ file: "sleep", argv: ["sleep", "1"], env: [], wd: null }, () => {}));
 * ```
 */
export async function runInit(
  target: ExecTarget & { wd: string | null },
  prepare: () => void,
): Promise<number> {
  const child = startGated(target, prepare);
  const stopForwarding = forwardSignals((signal) => signalChild(child, signal));
  const reapOrphans = (): void => {
    for (const pid of zombieChildren(Deno.pid)) {
      if (pid !== child.pid) reapChild(pid);
    }
  };
  Deno.addSignalListener("SIGCHLD", reapOrphans);
  const status = await child.status;
  Deno.removeSignalListener("SIGCHLD", reapOrphans);
  stopForwarding();
  return exitStatus(status);
}
